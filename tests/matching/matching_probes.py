"""Hand-written bilingual probe set: how people really type skills and requests.

Each probe is one request and a few volunteers at the same spot; ``top`` must be ranked first and
the ``excluded`` ones must not appear at all (hard rules). ``REVERSE`` probes are one volunteer and
a few requests; ``top`` must be the first request suggested.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Probe:
    name: str
    title: str
    category: str
    volunteers: dict[str, list[str]]  # id -> skills
    top: str
    description: str = ""
    request_languages: tuple[str, ...] = ("nl",)
    volunteer_languages: dict[str, tuple[str, ...]] = field(default_factory=dict)
    excluded: tuple[str, ...] = ()
    needs_screening: bool = False
    screened: tuple[str, ...] = ()


DISTRACT = {"d_tuin": ["tuinieren"], "d_pc": ["computer hulp"], "d_hond": ["hond uitlaten"]}

PROBES: list[Probe] = [
    # typos
    Probe("typo boodschapen", "Boodschappen doen", "groceries", {"a": ["boodschapen"], **DISTRACT}, "a"),
    Probe(
        "typo computor",
        "Hulp met mijn laptop",
        "digital",
        {"a": ["computor hulp"], "b": ["boodschappen"], "c": ["tuin"]},
        "a",
    ),
    Probe("typo tuinerien", "Tuin bijhouden", "garden", {"a": ["tuinerien"], "b": ["computer"], "c": ["koken"]}, "a"),
    Probe("typo verhuisen", "Hulp bij verhuizing", "moving", {"a": ["verhuisen"], **DISTRACT}, "a"),
    Probe("typo administartie", "Brieven van de gemeente", "paperwork", {"a": ["administartie"], **DISTRACT}, "a"),
    Probe(
        "typo huiswerkbegeleding",
        "Mijn zoon heeft hulp nodig met huiswerk",
        "homework",
        {"a": ["huiswerkbegeleding"], **DISTRACT},
        "a",
    ),
    Probe(
        "typo gardenning",
        "garden needs work",
        "garden",
        {"a": ["gardenning"], "b": ["boodschappen"], "c": ["computer"]},
        "a",
        request_languages=("en", "nl"),
        volunteer_languages={"a": ("en",), "b": ("en",), "c": ("en",)},
    ),
    Probe(
        "typo whatsap",
        "Hoe werkt WhatsApp?",
        "digital",
        {"a": ["whatsap en email"], "b": ["tuin"], "c": ["koken"]},
        "a",
    ),
    # informal words
    Probe("informal klussen", "Lamp ophangen", "odd_jobs", {"a": ["klussen"], **DISTRACT}, "a"),
    Probe(
        "informal gereedschap", "Kast in elkaar zetten", "odd_jobs", {"a": ["handig met gereedschap"], **DISTRACT}, "a"
    ),
    Probe(
        "informal bakkie",
        "Iemand om mee te praten",
        "company",
        {"a": ["een bakkie doen en kletsen"], **DISTRACT},
        "a",
        description="Ik ben vaak alleen",
    ),
    Probe("informal sjouwen", "Verhuizing naar Schalkwijk", "moving", {"a": ["sjouwen", "tillen"], **DISTRACT}, "a"),
    Probe("informal papierwinkel", "Hulp met formulieren", "paperwork", {"a": ["papierwinkel"], **DISTRACT}, "a"),
    Probe(
        "informal uitlaten",
        "Wie kan Bobby uitlaten?",
        "pets",
        {"a": ["honden uitlaten"], "b": ["tuinieren"], "c": ["computer hulp"]},
        "a",
    ),
    Probe("informal lift", "Naar het ziekenhuis", "transport", {"a": ["lift geven met de auto"], **DISTRACT}, "a"),
    # compounds
    Probe(
        "compound tuinonderhoud",
        "tuin",
        "garden",
        {"a": ["tuinonderhoud"], "b": ["boodschappen"], "c": ["computer hulp"]},
        "a",
    ),
    Probe("compound fietsreparatie", "Lekke band", "odd_jobs", {"a": ["fietsreparatie"], **DISTRACT}, "a"),
    Probe("compound boodschappenhulp", "boodschappen", "groceries", {"a": ["boodschappenhulp"], **DISTRACT}, "a"),
    Probe(
        "compound computerles",
        "Uitleg over mijn tablet",
        "digital",
        {"a": ["computerles geven"], "b": ["tuin"], "c": ["hond uitlaten"]},
        "a",
    ),
    Probe("compound huiswerkhulp", "Bijles rekenen", "homework", {"a": ["huiswerkhulp"], **DISTRACT}, "a"),
    Probe("compound taalcoach", "Nederlands oefenen", "language", {"a": ["taalcoach"], **DISTRACT}, "a"),
    Probe(
        "compound hondenoppas",
        "Oppas voor mijn hond",
        "pets",
        {"a": ["hondenoppas"], "b": ["tuinieren"], "c": ["computer hulp"]},
        "a",
    ),
    Probe("compound maaltijdservice", "Warme maaltijd koken", "meals", {"a": ["maaltijden koken"], **DISTRACT}, "a"),
    # cross-language
    Probe("xlang groceries", "Boodschappen", "groceries", {"a": ["groceries"], **DISTRACT}, "a"),
    Probe(
        "xlang laptop",
        "laptop problemen",
        "digital",
        {"a": ["computer help"], "b": ["boodschappen"], "c": ["tuin"]},
        "a",
    ),
    Probe(
        "xlang gardening",
        "Tuin is een jungle",
        "garden",
        {"a": ["gardening"], "b": ["boodschappen"], "c": ["computer hulp"]},
        "a",
    ),
    Probe(
        "xlang dog walking",
        "Hond uitlaten",
        "pets",
        {"a": ["dog walking"], "b": ["tuinieren"], "c": ["computer hulp"]},
        "a",
    ),
    Probe("xlang moving", "Verhuizen", "moving", {"a": ["moving house"], **DISTRACT}, "a"),
    Probe("xlang tax", "Belastingaangifte", "paperwork", {"a": ["tax return", "forms"], **DISTRACT}, "a"),
    Probe("xlang tutoring", "Bijles wiskunde", "homework", {"a": ["maths tutoring"], **DISTRACT}, "a"),
    Probe("xlang cooking", "Maaltijd koken", "meals", {"a": ["cooking"], **DISTRACT}, "a"),
    Probe("xlang jobs", "Solliciteren", "work", {"a": ["job applications", "cv"], **DISTRACT}, "a"),
    Probe(
        "xlang company en->nl",
        "a chat and coffee",
        "company",
        {"a": ["gezelschap"], **DISTRACT},
        "a",
        request_languages=("en", "nl"),
    ),
    Probe(
        "xlang shopping en request",
        "Need help with shopping",
        "groceries",
        {"a": ["boodschappen doen"], **DISTRACT},
        "a",
        request_languages=("en", "nl"),
    ),
    # only-other-language requesters: the best-skilled Dutch-only volunteer is excluded
    *[
        Probe(
            f"only {lang}",
            "Boodschappen",
            "groceries",
            {"nl_only": ["boodschappen"], "speaks": ["boodschappen", "tuin"], "other": ["computer"]},
            "speaks",
            request_languages=(lang,),
            volunteer_languages={"nl_only": ("nl",), "speaks": ("nl", lang), "other": (lang, "en")},
            excluded=("nl_only",),
        )
        for lang in ("tr", "ar", "ber", "uk", "pl")
    ],
    Probe(
        "only TR upper-case",
        "Computer",
        "digital",
        {"nl_only": ["computer"], "speaks": ["computer"]},
        "speaks",
        request_languages=("TR",),
        volunteer_languages={"nl_only": ("NL",), "speaks": ("Tr",)},
        excluded=("nl_only",),
    ),
    # screening
    Probe(
        "screening required",
        "Oppassen bij mijn moeder met dementie",
        "carer_respite",
        {"unscreened": ["mantelzorg ontlasten"], "screened": ["gezelschap"]},
        "screened",
        needs_screening=True,
        screened=("screened",),
        excluded=("unscreened",),
    ),
    Probe(
        "screening homework",
        "Huiswerk",
        "homework",
        {"unscreened": ["huiswerkbegeleiding"], "screened": ["huiswerk", "bijles"]},
        "screened",
        needs_screening=True,
        screened=("screened",),
        excluded=("unscreened",),
    ),
]


@dataclass(frozen=True)
class ReverseProbe:
    name: str
    skills: list[str]
    requests: dict[str, tuple[str, str]]  # id -> (title, category)
    top: str
    languages: tuple[str, ...] = ("nl",)


REVERSE: list[ReverseProbe] = [
    ReverseProbe(
        "vol boodschapen",
        ["boodschapen"],
        {"g": ("Boodschappen halen", "groceries"), "t": ("Tuin", "garden"), "c": ("Computer", "digital")},
        "g",
    ),
    ReverseProbe(
        "vol computor",
        ["computor"],
        {"g": ("Boodschappen", "groceries"), "c": ("Mijn telefoon doet raar", "digital"), "t": ("Tuin", "garden")},
        "c",
    ),
    ReverseProbe(
        "vol klussen",
        ["klussen"],
        {
            "o": ("Schilderij ophangen", "odd_jobs"),
            "g": ("Boodschappen", "groceries"),
            "p": ("Formulieren", "paperwork"),
        },
        "o",
    ),
    ReverseProbe(
        "vol handig",
        ["handig met gereedschap"],
        {"o": ("Plank ophangen", "odd_jobs"), "m": ("Koken", "meals"), "c": ("Gezelschap", "company")},
        "o",
    ),
    ReverseProbe(
        "vol groceries en",
        ["groceries", "driving"],
        {"g": ("Boodschappen doen", "groceries"), "h": ("Huiswerk", "homework"), "p": ("Post lezen", "paperwork")},
        "g",
    ),
    ReverseProbe(
        "vol laptop",
        ["computer help"],
        {"c": ("laptop problemen", "digital"), "g": ("Boodschappen", "groceries"), "t": ("Tuin", "garden")},
        "c",
    ),
    ReverseProbe(
        "vol tuin compound",
        ["tuin"],
        {"t": ("Tuinonderhoud", "garden"), "g": ("Boodschappen", "groceries"), "c": ("Computer", "digital")},
        "t",
    ),
    ReverseProbe(
        "vol dog",
        ["walking dogs"],
        {"p": ("Hond uitlaten", "pets"), "g": ("Boodschappen", "groceries"), "c": ("Computer", "digital")},
        "p",
    ),
    ReverseProbe(
        "vol within category",
        ["fietsen repareren"],
        {
            "b": ("Lekke band plakken", "odd_jobs"),
            "l": ("Lamp ophangen", "odd_jobs"),
            "g": ("Boodschappen", "groceries"),
        },
        "b",
    ),
    ReverseProbe(
        "vol within digital",
        ["whatsapp uitleggen"],
        {"w": ("Hoe werkt whatsapp", "digital"), "p": ("Printer installeren", "digital"), "g": ("Tuin", "garden")},
        "w",
    ),
]
