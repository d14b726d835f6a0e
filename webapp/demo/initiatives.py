"""Demo initiatives and organisations: needs with sign-ups, backing, activities with waiting lists, staff support,
and e-mail preferences of every kind, so that `flask digests send` on a fresh demo database sends real digests.

Built after `generator.generate` from its people, with a random generator of its own: the rest of the demo data
stays exactly as it was. Deterministic in (people, reference, scale, seed, now).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from random import Random
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, scoped_session

import matching
from webapp.accounts.models import User
from webapp.core.reference.models import Wijk
from webapp.demo.generator import DEMO_DOMAIN, DemoData, Reference
from webapp.initiatives.models import (
    Activity,
    ActivityMessage,
    ActivityParticipant,
    Backing,
    Initiative,
    InitiativeFollower,
    InitiativeNeed,
    InitiativeOrganiser,
    InitiativeSupport,
    InitiativeUpdate,
    NeedSignup,
    SignupHours,
    initiative_goals,
    initiative_wijken,
)
from webapp.initiatives.needs import guessed_categories
from webapp.notifications import kinds
from webapp.notifications.models import Notification, NotificationPreference
from webapp.volunteering.models import NeedAlert

AnySession = Session | scoped_session[Any]
SEED_OFFSET = 7919  # a random generator of its own, so the older demo records do not change
FRONT_DOOR_OFFSET = 104729  # and one for the front door's additions (issue #18), drawn after everything else
ANS, KARIM, MIRJAM, SANNE = 0, 1, 2, 3  # the fixed demo log-ins, by position in DemoData.people
PENDING_WINDOW = {kinds.DAILY: timedelta(days=2), kinds.WEEKLY: timedelta(days=7)}

# name, organisation?, wijk codes (first: where activities are), goals, description, needs
# need: (kind, title, skills, how many, recurring slots, amount, purpose)
Need = tuple[str, str, str, int, tuple[str, ...], int | None, str]
TEMPLATES: tuple[tuple[str, bool, tuple[str, ...], tuple[int, ...], str, tuple[Need, ...]], ...] = (
    ("Buurtfeest Oude Stad", False, ("WK039201",), (1, 2),
     "Elk jaar in september vieren we met de hele buurt feest op het plein: muziek, eten en spelletjes voor de "
     "kinderen. Iedereen is welkom, ook als je net in de buurt woont.",
     (("volunteers", "Helpers bij opbouwen en afbreken", "sjouwen, tafels opzetten", 6, (), None, ""),
      ("space", "Opslag voor tafels en banken", "", 1, (), None, ""),
      ("money", "Geld voor muziek en springkussen", "", 1, (), 600, "Huur van geluid en een springkussen"))),
    ("Moestuin De Groene Vingers", False, ("WK039218", "WK039219"), (1, 5),
     "Op een braakliggend stuk grond kweken buren samen groente en kruiden. De oogst delen we, en elke zaterdag "
     "drinken we koffie in de tuin.",
     (("volunteers", "Tuinieren op zaterdagochtend", "tuinieren, tuinonderhoud", 4, ("sat-morning",), None, ""),
      ("materials", "Compost, zaden en een regenton", "", 1, (), None, ""),
      ("money", "Gereedschap voor de tuin", "", 1, (), 350, "Schoppen, harken en twee kruiwagens"))),
    ("Repair Café Noord", False, ("WK039206",), (2, 3),
     "Eens per maand repareren vrijwilligers kapotte spullen samen met de eigenaar: lampen, kleding, fietsen en "
     "kleine apparaten. Weggooien is zonde!",
     (("expertise", "Iemand die verstand heeft van elektra", "elektra, solderen", 1, (), None, ""),
      ("volunteers", "Reparateurs voor kleding en fietsen", "naaien, fiets repareren", 3, ("sat-afternoon",),
       None, ""))),
    ("Taalcafé Parkwijk", False, ("WK039219",), (3, 7),
     "Elke dinsdagavond oefenen nieuwe Haarlemmers Nederlands met buren, in kleine groepjes en met thee.",
     (("volunteers", "Taalmaatjes voor dinsdagavond", "taalmaatje, Nederlands oefenen", 5, ("tue-evening",),
       None, ""),)),
    ("Huiswerkklas Meerwijk", False, ("WK039220",), (6,),
     "Kinderen uit groep 7 en 8 en de brugklas maken hun huiswerk samen, met hulp van buren.",
     (("volunteers", "Huiswerkbegeleiders", "huiswerkbegeleiding, rekenen", 3, ("mon-afternoon", "wed-afternoon"),
       None, ""),
      ("expertise", "Hulp bij een subsidieaanvraag", "subsidie, begroting", 1, (), None, ""))),
    ("Wandelgroep Zuiderpolder", False, ("WK039221",), (1, 5),
     "Twee keer per week wandelen we een uur door de polder, in een rustig tempo. Ook met rollator.",
     (("volunteers", "Wandelbegeleiders", "wandelen, bewegen", 2, ("thu-morning",), None, ""),)),
    ("Samen Koken Rozenprieel", False, ("WK039203",), (1, 5),
     "De laatste vrijdag van de maand koken we met buren een maaltijd, en eten we samen in het buurthuis.",
     (("volunteers", "Koks en afwassers", "koken, afwassen", 4, ("fri-afternoon", "fri-evening"), None, ""),
      ("money", "Boodschappen voor de maaltijden", "", 1, (), 250, "Ingrediënten voor drie maaltijden"))),
    ("Stichting Boodschappenbus Haarlem", True, ("WK039218", "WK039220", "WK039221"), (3, 5),
     "Onze bus brengt ouderen naar de supermarkt en weer thuis. We zoeken chauffeurs en begeleiders.",
     (("volunteers", "Chauffeurs voor de boodschappenbus", "autorijden, chauffeur", 4, ("tue-morning",
       "thu-morning"), None, ""),
      ("volunteers", "Begeleiders in de winkel", "boodschappen, begeleiden", 3, ("tue-morning",), None, ""))),
    ("Thuis Samen, respijtzorg", True, ("WK039206", "WK039207"), (3, 5),
     "Vrijwilligers nemen de zorg een dagdeel over, zodat mantelzorgers even tijd voor zichzelf hebben.",
     (("volunteers", "Vrijwilligers die een dagdeel oppassen", "gezelschap, mantelzorg", 5, (), None, ""),)),
    ("Digi-Hulp Haarlem", True, ("WK039219", "WK039201"), (3,),
     "Spreekuren in de bibliotheek waar vrijwilligers helpen met telefoon, tablet, DigiD en online formulieren.",
     (("volunteers", "Vrijwilligers voor het digi-spreekuur", "computer help, telefoon, DigiD", 4,
       ("wed-morning", "sat-morning"), None, ""),
      ("materials", "Twee oude laptops om mee te oefenen", "", 1, (), None, ""))),
    ("Stichting Geldmaatjes", True, ("WK039218", "WK039203"), (4,),
     "Getrainde maatjes helpen mensen hun administratie weer op orde te krijgen, vertrouwelijk en zonder oordeel.",
     (("volunteers", "Geldmaatjes met geduld", "administratie, formulieren", 3, (), None, ""),
      ("expertise", "Advies over schuldhulp", "schuldhulp, budgetteren", 1, (), None, ""))),
    ("Buurtkamer Delftwijk", False, ("WK039207",), (1, 2),
     "Een huiskamer voor de buurt: koffie, een krant en een praatje. We zoeken een vaste plek.",
     (("space", "Een ruimte voor twee ochtenden per week", "", 1, (), None, ""),
      ("volunteers", "Gastvrouwen en gastheren", "gastvrij, koffie schenken", 4, ("mon-morning",
       "thu-morning"), None, ""))),
)
# News organisers post (followers hear it).
NEWS = ("We zoeken nog mensen voor zaterdag. Kom gerust eens kijken!",
        "Dank aan iedereen die vorige week hielp: het was een mooie dag.",
        "Vanaf volgende maand zijn we ook op woensdag open.",
        "De nieuwe folder is klaar. Vraag er een aan in het buurthuis.",
        "We hebben een subsidie gekregen. Daar kopen we nieuw gereedschap van.")
# The shifts of the street party: name, hours from the start, length in hours, places.
SHIFTS = (("Opbouwen", 0, 2, 6), ("Bar en eten", 2, 4, 4), ("Opruimen", 6, 2, 6))
# A new initiative that waits for staff to confirm it (the staff workspace's queue): name, wijk, goals, description.
PENDING = ("Speeltuin De Kikker", "WK039220", (1, 6),
           "Buren knappen samen de speeltuin op en houden hem schoon. Op woensdagmiddag spelen we met de kinderen.")
PLACES = ("Buurthuis De Ring", "Wijkcentrum De Til", "Bibliotheek, zaal 1", "Het plein bij de kerk",
          "Buurtkamer aan de Spaarne", "Gymzaal van de basisschool")


@dataclass
class InitiativeDemo:
    initiatives: list[dict[str, Any]] = field(default_factory=list)   # rows; "wijken", "goals", "organisers"
    needs: list[dict[str, Any]] = field(default_factory=list)         # rows; "initiative" is a list index
    signups: list[dict[str, Any]] = field(default_factory=list)       # "need" index, "volunteer" person index
    backings: list[tuple[int, int, datetime]] = field(default_factory=list)
    activities: list[dict[str, Any]] = field(default_factory=list)
    participants: list[dict[str, Any]] = field(default_factory=list)  # "activity" index, "user" person index
    support: list[dict[str, Any]] = field(default_factory=list)
    preferences: list[tuple[int, str, str]] = field(default_factory=list)
    notifications: list[dict[str, Any]] = field(default_factory=list)
    # The front door (issue #18): hours for needs, followers, news, messages to participants, alerts.
    hours: list[dict[str, Any]] = field(default_factory=list)           # "signup" index
    followers: list[tuple[int, int, datetime]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)         # "initiative" index, "author" person
    messages: list[dict[str, Any]] = field(default_factory=list)        # "activity" index, "author" person
    alerts: list[dict[str, Any]] = field(default_factory=list)          # "need" index, "volunteer" person
    now: datetime = datetime(2000, 1, 1)

    def summary(self) -> str:
        organisations = sum(1 for i in self.initiatives if i["is_organisation"])
        waiting = sum(1 for p in self.participants if p["status"] == "waiting")
        pending = sum(1 for i in self.initiatives if i["confirmed_at"] is None)
        return (f"Initiatives: {len(self.initiatives)} ({organisations} organisations; {pending} waiting for staff to "
                f"confirm it) with {len(self.needs)} "
                f"needs, {len(self.signups)} sign-ups, {len(self.backings)} backings, {len(self.activities)} "
                f"activities ({waiting} people on a waiting list), {len(self.support)} support records; "
                f"{len(self.preferences)} e-mail preferences. Send the digests: flask --app webapp digests send. "
                f"Front door: {sum(1 for s in self.signups if s['status'] in ('shortlist', 'declined'))} applicants "
                f"shortlisted or told no, {len(self.hours)} hours records, "
                f"{sum(1 for a in self.activities if a.get('series_id'))} dates of repeating activities, "
                f"{sum(1 for a in self.activities if a.get('parent') is not None)} shifts, {len(self.followers)} "
                f"followers, {len(self.updates)} news items.")


def generate_initiatives(data: DemoData, reference: Reference, scale: int = 1, *, seed: int, now: datetime
                         ) -> InitiativeDemo:
    builder = _Builder(data, reference, Random(seed + SEED_OFFSET), now)
    out = builder.run(scale)
    builder.front_door(Random(seed + FRONT_DOOR_OFFSET))
    return out


class _Builder:
    def __init__(self, data: DemoData, reference: Reference, rng: Random, now: datetime) -> None:
        self.data, self.rng, self.now = data, rng, now
        self.out = InitiativeDemo(now=now)
        self.wijken = {w.code: w for w in reference.wijken}
        self.used = {p.public_id for p in data.people} | {r.public_id for r in data.requests} | \
            {r.public_id for r in data.responses} | {o.public_id for o in data.offers}
        people = data.people
        self.organisers = [MIRJAM] + [i for i, p in enumerate(people) if "organiser" in p.roles and i != MIRJAM
                                      and p.email]
        self.volunteers = [i for i, p in enumerate(people) if p.profile is not None and p.email]
        self.screened = {i for i in self.volunteers
                         if (profile := people[i].profile) is not None and profile.is_screened}
        self.screened_categories = {c.key for c in reference.categories if c.requires_screening}
        self.residents = [i for i, p in enumerate(people) if p.email and "staff" not in p.roles]

    def public_id(self) -> str:
        while True:
            token = base64.urlsafe_b64encode(self.rng.randbytes(9)).decode("ascii")
            if token not in self.used:
                self.used.add(token)
                return token

    def ago(self, low: float, high: float) -> datetime:
        return (self.now - timedelta(days=self.rng.uniform(low, high))).replace(second=0, microsecond=0)

    def run(self, scale: int) -> InitiativeDemo:
        for round_ in range(scale):
            for n, template in enumerate(TEMPLATES):
                self.initiative(template, round_, n)
        self.preferences()
        self.pending()  # last, so the random choices above stay what they were
        return self.out

    def pending(self) -> None:
        """One new initiative of a resident organiser, not confirmed yet: it waits in the staff queue."""
        name, code, goals, description = PENDING
        owner = self.organisers[1 % len(self.organisers)]
        created = self.now - timedelta(days=2)
        self.out.initiatives.append({
            "public_id": self.public_id(), "name": name, "description": description, "is_organisation": False,
            "status": "idea", "created_by": owner, "created_at": created, "updated_at": created,
            "confirmed_at": None, "confirmed_by": None,
            "wijken": (code if code in self.wijken else next(iter(self.wijken)),), "goals": goals,
            "organisers": [owner],
        })

    def initiative(self, template: Any, round_: int, n: int) -> None:
        name, is_organisation, codes, goals, description, needs = template
        rng = self.rng
        codes = tuple(c for c in codes if c in self.wijken) or (next(iter(self.wijken)),)
        if round_:
            codes = (rng.choice(sorted(self.wijken)),)
            name = f"{name} ({self.wijken[codes[0]].name})"
        owner = MIRJAM if (round_, n) == (0, 0) else self.organisers[(round_ * len(TEMPLATES) + n)
                                                                     % len(self.organisers)]
        co = [p for p in rng.sample(self.residents, 2) if p != owner][: rng.choice((0, 0, 1, 2))]
        created = self.ago(60, 400)
        status = "active" if rng.random() < 0.8 else rng.choice(("idea", "paused"))
        if (round_, n) == (0, 0):
            status = "active"
        index = len(self.out.initiatives)
        self.out.initiatives.append({
            "public_id": self.public_id(), "name": name, "description": description,
            "is_organisation": is_organisation, "status": status, "created_by": owner, "created_at": created,
            "updated_at": created, "wijken": codes, "goals": goals, "organisers": [owner, *co],
            # Staff (Sanne) confirmed it a few days after it was registered.
            "confirmed_at": created + timedelta(days=3), "confirmed_by": SANNE,
        })
        for need in needs:
            self.need(index, need, created)
        for backer in rng.sample(self.residents, min(len(self.residents), rng.randint(2, 35))):
            at = self.ago(1, 59)
            if backer not in (owner, *co):  # organisers do not back their own initiative
                self.out.backings.append((index, backer, at))
        for _ in range(rng.randint(1, 3)):
            self.activity(index, codes[0], name)
        if rng.random() < 0.5:
            self.supported(index)

    def need(self, initiative: int, spec: Need, created: datetime) -> None:
        kind, title, skills, how_many, slots, amount, purpose = spec
        rng = self.rng
        need_created = created + timedelta(days=rng.uniform(0, 50))
        if rng.random() < 0.3:  # some needs are new this week: they show up in the suggestion digests
            need_created = self.ago(0.5, 6)
        index = len(self.out.needs)
        # As the app marks a need that asks for a VOG: its text is about a category that always needs one.
        needs_screening = kind in ("volunteers", "expertise") and bool(
            self.screened_categories & set(guessed_categories(f"{title} {skills}")))
        row: dict[str, Any] = {
            "public_id": self.public_id(), "initiative": initiative, "kind": kind, "title": title,
            "needs_screening": needs_screening,
            "description": "", "skills": skills, "how_many": how_many if kind == "volunteers" else 1,
            "on_date": None, "slots": list(slots), "is_recurring": bool(slots), "amount": amount,
            "amount_received": 0, "purpose": purpose, "status": "open", "created_at": need_created,
            "updated_at": need_created, "filled_at": None,
        }
        if kind == "volunteers" and not slots and rng.random() < 0.5:
            row["on_date"] = (self.now + timedelta(days=rng.randint(7, 60))).date()
        self.out.needs.append(row)
        if kind == "money" and amount:
            row["amount_received"] = rng.choice((0, amount // 4, amount // 2, amount))
            row["status"] = _progress(row["amount_received"], amount)
        elif kind == "volunteers":
            confirmed = rng.randint(0, how_many)
            pool = [v for v in self.volunteers if v in self.screened] if needs_screening else self.volunteers
            signers = rng.sample(pool, min(len(pool), confirmed + rng.randint(0, 2)))
            for position, volunteer in enumerate(signers):
                at = max(need_created, self.ago(1, 40)) + timedelta(hours=1)
                status = "confirmed" if position < confirmed else "pending"
                self.out.signups.append({
                    "public_id": self.public_id(), "need": index, "volunteer": volunteer,
                    "message": rng.choice(("Ik help graag mee!", "Dit lijkt me leuk, ik heb tijd.",
                                           "I would like to help.", "")),
                    "status": status, "created_at": min(at, self.now - timedelta(hours=2)),
                    "decided_at": min(at + timedelta(days=1), self.now - timedelta(hours=1))
                    if status == "confirmed" else None,
                })
                self.note(self.out.initiatives[initiative]["organisers"][0], "need_signup", title, initiative,
                          min(at, self.now - timedelta(hours=2)))
            row["status"] = _progress(confirmed, how_many)
        elif rng.random() < 0.4:
            row["status"] = rng.choice(("partly_filled", "filled"))
        if row["status"] == "filled":
            row["filled_at"] = self.ago(0.2, 20)
            self.note(self.out.initiatives[initiative]["organisers"][0], "need_filled", title, initiative,
                      row["filled_at"])

    def activity(self, initiative: int, wijk_code: str, name: str) -> None:
        rng = self.rng
        past = rng.random() < 0.4
        day = self.now + timedelta(days=rng.randint(-60, -2) if past else rng.randint(2, 45))
        starts = day.replace(hour=rng.choice((8, 9, 13, 17, 18)), minute=rng.choice((0, 30)))  # UTC
        capacity = rng.choice((None, 8, 12, 20, 30)) if not past else rng.choice((None, 15))
        cancelled = not past and rng.random() < 0.1
        index = len(self.out.activities)
        self.out.activities.append({
            "public_id": self.public_id(), "initiative": initiative,
            "title": rng.choice(("Open middag", "Werkochtend", "Kennismakingsavond", "Samen aan de slag",
                                 "Buurtbijeenkomst")) + f" – {name.split(' (')[0]}",
            "description": "Iedereen is welkom. Koffie en thee staan klaar.", "wijk_code": wijk_code,
            "place": rng.choice(PLACES), "starts_at": starts, "ends_at": starts + timedelta(hours=2),
            "capacity": capacity, "status": "cancelled" if cancelled else "planned", "sequence": 1 if cancelled else 0,
            "created_at": min(starts, self.now) - timedelta(days=rng.randint(5, 30)),
        })
        wanted = rng.randint(2, (capacity or 15) + 3)
        people = rng.sample(self.residents, min(wanted, len(self.residents)))
        for position, person in enumerate(people):
            status = "going" if capacity is None or position < capacity else "waiting"
            hours = float(rng.choice((1, 1.5, 2, 2.5))) if past and status == "going" and rng.random() < 0.6 else None
            self.out.participants.append({"activity": index, "user": person, "status": status, "hours": hours,
                                          "created_at": self.out.activities[index]["created_at"]
                                          + timedelta(hours=position + 1)})
            if cancelled:
                self.note(person, "activity_cancelled", self.out.activities[index]["title"], initiative,
                          self.ago(0.5, 3))

    def supported(self, initiative: int) -> None:
        rng = self.rng
        for kind in rng.sample(("advice", "grant", "space"), rng.randint(1, 2)):
            self.out.support.append({
                "initiative": initiative, "staff": SANNE, "kind": kind,
                "hours": float(rng.choice((1, 1.5, 2, 4))) if kind == "advice" else None,
                "amount": rng.choice((250, 500, 750, 1000)) if kind == "grant" else None,
                "description": {"advice": "Hulp bij de subsidieaanvraag", "grant": "Buurtbudget",
                                "space": "Zaal in het buurthuis, op dinsdag"}[kind],
                "given_on": self.ago(5, 200).date(),
            })

    def note(self, user: int, kind: str, title: str, initiative: int, at: datetime) -> None:
        if at >= self.now or at < self.now - timedelta(days=30):
            return
        ini = self.out.initiatives[initiative]
        self.out.notifications.append({"user": user, "kind": kind, "created_at": at,
                                       "params": {"title": title, "name": ini["name"],
                                                  "initiative": ini["public_id"]}})

    def preferences(self) -> None:
        """Every preference with every channel at least once; the fixed log-ins show a mix."""
        rng = self.rng
        fixed = [(ANS, "response", kinds.DAILY), (ANS, "done", kinds.WEEKLY), (KARIM, "suggestions", kinds.DAILY),
                 (KARIM, "accepted", kinds.INSTANT), (MIRJAM, "need_signup", kinds.INSTANT),
                 (MIRJAM, "need_filled", kinds.WEEKLY), (MIRJAM, "other", kinds.DAILY)]
        chosen: dict[tuple[int, str], str] = {(u, k): c for u, k, c in fixed}
        pool = [i for i in self.residents + self.volunteers if i > SANNE + 1]
        pairs = [(k, c) for k in kinds.PREFERENCES for c in kinds.channels_for(k)]
        for n, (kind, channel) in enumerate(pairs):
            chosen.setdefault((pool[(n * 7) % len(pool)], kind), channel)
        for person in rng.sample(pool, len(pool) // 3):
            for kind in rng.sample(list(kinds.PREFERENCES), rng.randint(1, 3)):
                chosen.setdefault((person, kind), rng.choice(kinds.channels_for(kind)))
        self.out.preferences = sorted((u, k, c) for (u, k), c in chosen.items())


    # -- the front door (issue #18), with a random generator of its own -------------------------------------------

    def front_door(self, rng: Random) -> None:
        """Vacancies with a place, applicants in every state (Karim among them) and hours, repeating activities and
        shifts, followers and news, messages to participants and a few alerts, so `make run` shows all of it."""
        self.rng = rng
        initiatives, needs = self.out.initiatives, self.out.needs
        for need in needs:
            ini = initiatives[need["initiative"]]
            need["alerted_at"] = need["created_at"]  # announced already: the alert job starts with what is new
            person = need["kind"] in ("volunteers", "expertise")
            need["wijk_code"] = ini["wijken"][0] if person and ini["is_organisation"] else None
            need["languages"] = ["nl", "ar", "tr"] if "Taal" in need["title"] else []
        taken = {(s["need"], s["volunteer"]) for s in self.out.signups}
        vacancies = [n for n, need in enumerate(needs) if need["kind"] == "volunteers"
                     and initiatives[need["initiative"]]["is_organisation"]
                     and initiatives[need["initiative"]]["confirmed_at"] is not None]
        karim = {0: ("shortlist", ""), 1: ("declined", "enough"), 2: ("confirmed", "")}
        for position, n in enumerate(vacancies):
            need = needs[n]
            pool = [v for v in self.volunteers if (n, v) not in taken
                    and (not need["needs_screening"] or v in self.screened)]
            chosen = rng.sample(pool, min(len(pool), rng.randint(2, 4)))
            if position in karim and KARIM in pool and KARIM not in chosen:
                chosen = [KARIM, *chosen[:-1]]
            for volunteer in chosen:
                status, reason = karim[position] if volunteer == KARIM and position in karim else \
                    rng.choice((("pending", ""), ("shortlist", ""), ("declined", rng.choice(("enough", "times",
                                                                                              "fit")))))
                at = min(self.ago(1, 20), self.now - timedelta(hours=3))
                self.out.signups.append({
                    "public_id": self.public_id(), "need": n, "volunteer": volunteer,
                    "message": rng.choice(("Ik heb op vrijdag tijd.", "Dit wil ik graag doen.", "")),
                    "status": status, "created_at": at,
                    "decided_at": at + timedelta(hours=2) if status != "pending" else None,
                    "decline_reason": reason, "decline_message": "Misschien tot een volgende keer!" if reason else "",
                })
                taken.add((n, volunteer))
        for index, signup in enumerate(self.out.signups):  # hours of confirmed people in a regular role
            need = needs[signup["need"]]
            if signup["status"] == "confirmed" and need["is_recurring"]:
                for week in range(rng.randint(1, 5)):
                    self.out.hours.append({"signup": index, "hours": float(rng.choice((1.5, 2, 2.5, 3, 4))),
                                           "worked_on": (self.now - timedelta(days=3 + 7 * week)).date()})
        confirmed = [i for i, ini in enumerate(initiatives) if ini["confirmed_at"] is not None]
        for initiative in confirmed[:3]:
            self.series(initiative, initiatives[initiative]["wijken"][0], initiatives[initiative]["name"])
        self.shifts(confirmed[0])
        for initiative, user, at in self.out.backings:  # backers follow the news
            self.out.followers.append((initiative, user, at))
        followed = {(i, u) for i, u, _at in self.out.followers}
        for initiative in confirmed[:4]:
            if (initiative, KARIM) not in followed and KARIM not in initiatives[initiative]["organisers"]:
                self.out.followers.append((initiative, KARIM, self.ago(10, 30)))
        for initiative in confirmed:
            for _ in range(rng.choice((0, 1, 1, 2, 3))):
                at = self.ago(1, 40)
                self.out.updates.append({"public_id": self.public_id(), "initiative": initiative,
                                         "author": initiatives[initiative]["organisers"][0],
                                         "body": rng.choice(NEWS), "created_at": at})
                if any(f[:2] == (initiative, KARIM) for f in self.out.followers) and self.now - at < timedelta(30):
                    ini = initiatives[initiative]
                    self.out.notifications.append({"user": KARIM, "kind": "initiative_update", "created_at": at,
                                                   "params": {"name": ini["name"], "initiative": ini["public_id"],
                                                              "message": self.out.updates[-1]["body"]}})
        for index, activity in enumerate(self.out.activities):
            upcoming = activity["starts_at"] > self.now and activity["status"] == "planned"
            if upcoming and activity.get("parent") is None and rng.random() < 0.3:
                author = initiatives[activity["initiative"]]["organisers"][0]
                self.out.messages.append({"activity": index, "author": author, "recipients": 0,
                                          "body": "We beginnen om half tien. Neem een beker mee!",
                                          "created_at": self.ago(0.5, 4)})
        for n in vacancies[3:5]:  # Karim heard of two vacancies that fit him
            if (n, KARIM) not in taken:
                at = self.ago(0.5, 5)
                self.out.alerts.append({"need": n, "volunteer": KARIM, "score": 0.8, "created_at": at})
                self.note(KARIM, "suggested_need", needs[n]["title"], needs[n]["initiative"], at)

    def series(self, initiative: int, wijk_code: str, name: str) -> None:
        """A weekly drop-in for six weeks, each date its own activity with its own places."""
        rng = self.rng
        series_id = self.public_id()
        first = (self.now + timedelta(days=rng.randint(2, 6))).replace(hour=17, minute=0, second=0, microsecond=0)
        created = self.now - timedelta(days=rng.randint(3, 12))
        for week in range(6):
            starts = first + timedelta(weeks=week)
            index = len(self.out.activities)
            self.out.activities.append({
                "public_id": self.public_id(), "initiative": initiative, "title": f"Wekelijkse inloop – "
                f"{name.split(' (')[0]}", "description": "Elke week: koffie, een praatje en samen iets doen.",
                "wijk_code": wijk_code, "place": rng.choice(PLACES), "starts_at": starts,
                "ends_at": starts + timedelta(hours=2), "capacity": 12, "status": "planned", "sequence": 0,
                "created_at": created, "series_id": series_id})
            for position, person in enumerate(rng.sample(self.residents, rng.randint(1, 6))):
                self.out.participants.append({"activity": index, "user": person, "status": "going", "hours": None,
                                              "created_at": created + timedelta(hours=position + 1)})

    def shifts(self, initiative: int) -> None:
        """The street party with three shifts, each with its own places (and a waiting list for the bar)."""
        rng = self.rng
        ini = self.out.initiatives[initiative]
        starts = (self.now + timedelta(days=14)).replace(hour=8, minute=0, second=0, microsecond=0)
        created = self.now - timedelta(days=10)
        parent = len(self.out.activities)
        self.out.activities.append({
            "public_id": self.public_id(), "initiative": initiative, "title": "Buurtfeest op het plein",
            "description": "Help je een paar uur mee? Kies een dienst.", "wijk_code": ini["wijken"][0],
            "place": "Het plein bij de kerk", "starts_at": starts, "ends_at": starts + timedelta(hours=8),
            "capacity": None, "status": "planned", "sequence": 0, "created_at": created})
        for title, offset, hours, places in SHIFTS:
            index = len(self.out.activities)
            shift_start = starts + timedelta(hours=offset)
            self.out.activities.append({
                "public_id": self.public_id(), "initiative": initiative, "title": title, "description": "",
                "wijk_code": ini["wijken"][0], "place": "Het plein bij de kerk", "starts_at": shift_start,
                "ends_at": shift_start + timedelta(hours=hours), "capacity": places, "status": "planned",
                "sequence": 0, "created_at": created, "parent": parent})
            people = rng.sample(self.residents, places + (2 if title == "Bar en eten" else -2))
            for position, person in enumerate(people):
                self.out.participants.append({"activity": index, "user": person,
                                              "status": "going" if position < places else "waiting", "hours": None,
                                              "created_at": created + timedelta(hours=position + 1)})


def _progress(done: int, total: int) -> str:
    return "filled" if done >= total else "partly_filled" if done else "open"


# -- writing ----------------------------------------------------------------------------------------------------------

def _task_features(title: str, skills: str, description: str) -> dict[str, Any]:
    """What the app stores when a need or activity is saved (webapp.initiatives): its text as a task."""
    return matching.encode_request(matching.task_request(
        "-", title, lat=52.38, lon=4.64, languages=frozenset({"nl"}), skills=matching.asked_skills(skills),
        text=description)).to_dict()


def _ids(session: AnySession, model: Any, public_ids: list[str]) -> list[int]:
    found: dict[str, int] = {}
    for start in range(0, len(public_ids), 500):
        chunk = public_ids[start:start + 500]
        found.update((str(p), int(i)) for p, i in session.execute(
            select(model.public_id, model.id).where(model.public_id.in_(chunk))).all())
    return [found[p] for p in public_ids]


def insert_initiatives(session: AnySession, data: DemoData, extra: InitiativeDemo, *,
                       progress: Callable[[str], None] | None = None) -> None:
    """Write the initiative demo data after `insert_demo_data`, and settle which notifications wait for a digest."""
    people = _ids(session, User, [p.public_id for p in data.people])
    wijken = {w.code: w for w in session.execute(select(Wijk)).scalars()}

    def features(row: dict[str, Any], needs: list[str]) -> dict[str, Any]:
        codes = row["wijken"]
        record = matching.Initiative(
            id=row["public_id"], name=row["name"], description=row["description"], goals=tuple(row["goals"]),
            needs=tuple(needs), lat=sum(wijken[c].lat for c in codes) / len(codes),
            lon=sum(wijken[c].lon for c in codes) / len(codes))
        return matching.encode_initiative(record).to_dict()

    need_texts: dict[int, list[str]] = {}
    for need in extra.needs:
        need_texts.setdefault(need["initiative"], []).append(f"{need['title']} {need['skills']}".strip())
    rows = [{k: v for k, v in row.items() if k not in ("wijken", "goals", "organisers", "created_by", "confirmed_by")}
            | {"created_by_id": people[row["created_by"]], "match_features": features(row, need_texts.get(i, [])),
               "confirmed_by_id": people[row["confirmed_by"]] if row["confirmed_by"] is not None else None}
            for i, row in enumerate(extra.initiatives)]
    if rows:
        session.execute(insert(Initiative), rows)
    ini_ids = _ids(session, Initiative, [r["public_id"] for r in extra.initiatives])
    links = [{"initiative_id": ini_ids[i], "wijk_id": wijken[c].id}
             for i, r in enumerate(extra.initiatives) for c in r["wijken"]]
    goals = [{"initiative_id": ini_ids[i], "goal_id": g} for i, r in enumerate(extra.initiatives) for g in r["goals"]]
    organisers = [{"initiative_id": ini_ids[i], "user_id": people[p], "is_owner": n == 0, "created_at": r["created_at"]}
                  for i, r in enumerate(extra.initiatives) for n, p in enumerate(r["organisers"])]
    tables: list[tuple[Any, list[dict[str, Any]]]] = [
        (initiative_wijken, links), (initiative_goals, goals), (InitiativeOrganiser, organisers)]
    for table, batch in tables:
        if batch:
            session.execute(insert(table), batch)
    needs = [{k: v for k, v in n.items() if k not in ("initiative", "wijk_code")}
             | {"initiative_id": ini_ids[n["initiative"]],
                "wijk_id": wijken[n["wijk_code"]].id if n.get("wijk_code") else None,
                "match_features": _task_features(n["title"], n["skills"], n["description"])}
             for n in extra.needs]
    if needs:
        session.execute(insert(InitiativeNeed), needs)
    need_ids = _ids(session, InitiativeNeed, [n["public_id"] for n in extra.needs])
    blank = {"decline_reason": "", "decline_message": ""}
    signups = [blank | {k: v for k, v in s.items() if k not in ("need", "volunteer")}
               | {"need_id": need_ids[s["need"]], "volunteer_id": people[s["volunteer"]]} for s in extra.signups]
    backings = [{"initiative_id": ini_ids[i], "user_id": people[u], "created_at": at} for i, u, at in extra.backings]
    activities = [{"series_id": None} | {k: v for k, v in a.items() if k not in ("initiative", "wijk_code", "parent")}
                  | {"initiative_id": ini_ids[a["initiative"]], "wijk_id": wijken[a["wijk_code"]].id,
                     "updated_at": a["created_at"], "match_features": _task_features(a["title"], "", a["description"])}
                  for a in extra.activities]
    tables = [(NeedSignup, signups), (Backing, backings), (Activity, activities)]
    for model, batch in tables:
        if batch:
            session.execute(insert(model), batch)
    activity_ids = _ids(session, Activity, [a["public_id"] for a in extra.activities])
    shifts = [{"id": activity_ids[i], "parent_id": activity_ids[a["parent"]]}
              for i, a in enumerate(extra.activities) if a.get("parent") is not None]
    if shifts:
        session.execute(update(Activity), shifts)
    participants = [{"activity_id": activity_ids[p["activity"]], "user_id": people[p["user"]], "status": p["status"],
                     "hours": p["hours"], "created_at": p["created_at"], "updated_at": p["created_at"]}
                    for p in extra.participants]
    support = [{k: v for k, v in s.items() if k not in ("initiative", "staff")}
               | {"initiative_id": ini_ids[s["initiative"]], "staff_id": people[s["staff"]],
                  "created_at": datetime.combine(s["given_on"], datetime.min.time())} for s in extra.support]
    preferences = [{"user_id": people[u], "kind": k, "channel": c} for u, k, c in extra.preferences]
    notes = [{"user_id": people[n["user"]], "kind": n["kind"], "params": n["params"], "created_at": n["created_at"],
              "read_at": None} for n in extra.notifications]
    signup_ids = _ids(session, NeedSignup, [s["public_id"] for s in extra.signups])
    hours = [{"signup_id": signup_ids[h["signup"]], "worked_on": h["worked_on"], "hours": h["hours"],
              "created_at": datetime.combine(h["worked_on"], datetime.min.time())} for h in extra.hours]
    followers = [{"initiative_id": ini_ids[i], "user_id": people[u], "created_at": at} for i, u, at in extra.followers]
    updates = [{"public_id": u["public_id"], "initiative_id": ini_ids[u["initiative"]],
                "author_id": people[u["author"]], "body": u["body"], "created_at": u["created_at"]}
               for u in extra.updates]
    messages = [{"activity_id": activity_ids[m["activity"]], "author_id": people[m["author"]], "body": m["body"],
                 "recipients": sum(1 for p in extra.participants if p["activity"] == m["activity"]),
                 "created_at": m["created_at"]} for m in extra.messages]
    alerts = [{"need_id": need_ids[a["need"]], "volunteer_id": people[a["volunteer"]], "score": a["score"],
               "created_at": a["created_at"]} for a in extra.alerts]
    tables = [(ActivityParticipant, participants), (InitiativeSupport, support),
              (NotificationPreference, preferences), (Notification, notes), (SignupHours, hours),
              (InitiativeFollower, followers), (InitiativeUpdate, updates), (ActivityMessage, messages),
              (NeedAlert, alerts)]
    for model, batch in tables:
        if batch:
            session.execute(insert(model), batch)
    if progress is not None:
        progress(f"initiatives {len(extra.initiatives)}")
    _settle_emails(session, data, extra, people)
    session.flush()


def _settle_emails(session: AnySession, data: DemoData, extra: InitiativeDemo, people: list[int]) -> None:
    """News that would long have been e-mailed counts as e-mailed; recent news of daily and weekly people waits
    for their digest (so `notify digest` has something real to send)."""
    now = extra.now
    mailable = {people[i] for i, p in enumerate(data.people) if p.email and p.email.endswith(f"@{DEMO_DOMAIN}")}
    chosen = {(people[u], k): c for u, k, c in extra.preferences}
    settled = []
    for note_id, user_id, kind, created in session.execute(
            select(Notification.id, Notification.user_id, Notification.kind, Notification.created_at)
            .where(Notification.emailed_at.is_(None))).all():
        preference = kinds.preference_for(kind)
        channel = chosen.get((user_id, preference), kinds.DEFAULTS[preference]) if user_id in mailable else kinds.OFF
        if channel in PENDING_WINDOW and created >= now - PENDING_WINDOW[channel]:
            continue
        settled.append({"id": note_id, "emailed_at": created})
    if settled:
        session.execute(update(Notification), settled)

