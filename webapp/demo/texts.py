"""Words and sentences the demo generator combines: names, request texts per category, responses, thanks,
volunteer skills and bios, offers. Dutch first, some English; written by hand for the demo.

Placeholders in templates: {dag} / {day} (weekday), {deel} / {part} (part of the day), {wijk}, {n} (a small
number), {kind} (a child's school group or age), {taal} / {lang} (a language name), {dier} / {pet}.
"""

from __future__ import annotations

from typing import Any

# --- People ---------------------------------------------------------------------------------------------------
# (weight, first names, last names, what they speak: list of (weight, languages), chance they write in English)
ORIGINS: dict[str, tuple[float, tuple[str, ...], tuple[str, ...], tuple[tuple[float, tuple[str, ...]], ...], float]] = {
    "dutch": (
        56,
        ("Ans", "Henk", "Joke", "Kees", "Truus", "Piet", "Wilma", "Gerrit", "Sanne", "Daan", "Lotte", "Bram",
         "Femke", "Jeroen", "Marieke", "Sem", "Noor", "Tess", "Fleur", "Ruud", "Annie", "Cor", "Riet", "Wim",
         "Ineke", "Hans", "Mieke", "Jan", "Els", "Bas", "Anouk", "Thijs", "Lieke", "Gert-Jan", "Marijke", "Joop",
         "Dirk", "Greet", "Hennie", "Sjaak", "Yvonne", "Martijn", "Esther", "Koen", "Ilse", "Mees", "Julia",
         "Finn", "Roos", "Lars", "Willemijn", "Frits", "Tineke", "Arie", "Nel", "Bep"),
        ("de Vries", "Jansen", "de Jong", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot",
         "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits",
         "Kramer", "van Dijk", "Vermeulen", "Kok", "Verhoeven", "van den Berg", "Schouten", "Koster", "Prins",
         "Huisman", "Zwart", "Kuiper", "van der Meer", "Groen", "Willems", "Jacobs", "van Beek", "Post",
         "Hoogland", "Brinkman", "van Kampen", "Verbeek", "Schipper", "Boon", "Roos", "Blom", "Steenbergen"),
        ((0.86, ("nl",)), (0.14, ("en", "nl"))),
        0.02,
    ),
    "turkish": (
        8,
        ("Ayşe", "Mehmet", "Emre", "Fatma", "Zeynep", "Burak", "Elif", "Hatice", "Murat", "Esra", "Hasan",
         "Sevgi", "Kemal", "Derya", "Yusuf", "Merve", "Hüseyin", "Selin"),
        ("Yilmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yildiz", "Öztürk", "Aydin", "Arslan", "Doğan", "Koç",
         "Kurt", "Aksoy", "Polat"),
        ((0.25, ("tr",)), (0.55, ("nl", "tr")), (0.2, ("nl",))),
        0.03,
    ),
    "moroccan": (
        9,
        ("Fatima", "Mohamed", "Youssef", "Khadija", "Nadia", "Said", "Samira", "Karim", "Hamza", "Imane",
         "Rachid", "Malika", "Soufiane", "Nora", "Bilal", "Zineb", "Mustafa", "Hanane", "Ilias", "Loubna"),
        ("El Amrani", "Bouzid", "El Idrissi", "Benali", "Ait Said", "Amrani", "El Khatib", "Boukhari",
         "Azzouzi", "Ouali", "El Bakkali", "Tahiri", "Ziani", "Hamdaoui"),
        ((0.12, ("ar",)), (0.1, ("ber",)), (0.3, ("ar", "nl")), (0.18, ("ber", "nl")), (0.3, ("nl",))),
        0.02,
    ),
    "surinamese": (
        7,
        ("Sharon", "Rinaldo", "Shanti", "Rajesh", "Priya", "Glenn", "Natasja", "Ravi", "Chantal", "Rudi",
         "Shirley", "Dennis", "Anita", "Rishi", "Jurgen", "Ingrid", "Marlon", "Gisela"),
        ("Ramdin", "Sewdien", "Mahabier", "Kanhai", "Martina", "Pinas", "Biharie", "Soekhai", "Tjon", "Wijngaarde",
         "Kross", "Rozendaal", "Jagesar", "Doelwijt"),
        ((0.8, ("nl",)), (0.2, ("en", "nl"))),
        0.03,
    ),
    "polish": (
        3,
        ("Agnieszka", "Piotr", "Katarzyna", "Tomasz", "Magdalena", "Paweł", "Joanna", "Krzysztof", "Marta",
         "Łukasz"),
        ("Nowak", "Kowalski", "Wiśniewska", "Wójcik", "Kamiński", "Lewandowska", "Zieliński", "Szymańska"),
        ((0.35, ("pl",)), (0.35, ("en", "pl")), (0.3, ("nl", "pl"))),
        0.35,
    ),
    "ukrainian": (
        4,
        ("Olena", "Oksana", "Andriy", "Iryna", "Dmytro", "Natalia", "Yulia", "Serhiy", "Kateryna", "Taras",
         "Halyna", "Viktoria"),
        ("Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Kravchenko", "Melnyk", "Boyko", "Marchenko",
         "Oliynyk", "Lysenko"),
        ((0.4, ("uk",)), (0.45, ("en", "uk")), (0.15, ("nl", "uk"))),
        0.5,
    ),
    "arabic": (
        4,
        ("Ahmad", "Rania", "Aziz", "Layla", "Omar", "Hiba", "Khaled", "Nour", "Yasmin", "Tarek", "Abdullah",
         "Dima"),
        ("Haddad", "Al-Khatib", "Hassan", "Khalil", "Mansour", "Darwish", "Al-Hamwi", "Saleh", "Nasser", "Abboud"),
        ((0.35, ("ar",)), (0.35, ("ar", "nl")), (0.3, ("ar", "en"))),
        0.25,
    ),
    "horn_of_africa": (
        2,
        ("Yonas", "Semhar", "Hodan", "Abdi", "Filmon", "Saba", "Mahad", "Luwam", "Faadumo", "Tesfay"),
        ("Tesfaye", "Gebremedhin", "Warsame", "Mohamud", "Haile", "Abraha", "Yusuf", "Kidane"),
        ((0.5, ("nl",)), (0.5, ("en", "nl"))),
        0.2,
    ),
    "international": (
        11,
        ("Emma", "James", "Lucas", "Sofia", "Raj", "Ana", "Marco", "Chloe", "Ethan", "Giulia", "Mateo", "Hannah",
         "Wei", "Mei", "Kwame", "Akosua", "Lena", "Tom", "Isabel", "Arjun", "Olivia", "Pedro", "Sarah", "Niamh"),
        ("Smith", "Rossi", "García", "Müller", "Patel", "Chen", "Nguyen", "Mensah", "Osei", "O'Brien",
         "Fernandes", "Kumar", "Schneider", "Brown", "Murphy", "Silva", "Tan", "Novak"),
        ((0.85, ("en",)), (0.15, ("en", "nl"))),
        0.9,
    ),
}

LANGUAGE_NAMES_NL = {"tr": "Turks", "ar": "Arabisch", "ber": "Berbers (Tamazight)", "pl": "Pools",
                     "uk": "Oekraïens", "en": "Engels", "nl": "Nederlands"}
LANGUAGE_NAMES_EN = {"tr": "Turkish", "ar": "Arabic", "ber": "Berber (Tamazight)", "pl": "Polish",
                     "uk": "Ukrainian", "en": "English", "nl": "Dutch"}

DAYS_NL = {"mon": "maandag", "tue": "dinsdag", "wed": "woensdag", "thu": "donderdag", "fri": "vrijdag",
           "sat": "zaterdag", "sun": "zondag"}
DAYS_EN = {"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday", "fri": "Friday",
           "sat": "Saturday", "sun": "Sunday"}
PARTS_NL = {"morning": "ochtend", "afternoon": "middag", "evening": "avond"}
PARTS_EN = {"morning": "morning", "afternoon": "afternoon", "evening": "evening"}

# --- Request texts per category --------------------------------------------------------------------------------
# Per category: "nl" and "en" are (titles that fit, the core sentence) pairs; "nl_titles" / "en_titles" are generic
# titles that fit any need of the category. A category may bring its own openers ("nl_openers", "en_openers").
REQUESTS: dict[str, dict[str, Any]] = {
    "groceries": {
        "nl_titles": ("Hulp bij boodschappen", "Wie doet boodschappen voor mij?", "Boodschappenhulp gezocht in {wijk}",
                      "Boodschappen op {dag}"),
        "nl": (
            (("Iemand die wekelijks boodschappen wil doen", "Wekelijks boodschappen halen"),
             "Ik zoek iemand die één keer per week boodschappen voor mij haalt. Ik geef een lijstje en het geld mee."),
            (("Samen naar de supermarkt", "Zware boodschappen dragen"),
             "Ik kan de zware tassen niet meer dragen. Wie wil samen met mij naar de supermarkt?"),
            (("Medicijnen ophalen bij de apotheek", "Wie haalt mijn medicijnen op?"),
             "Mijn medicijnen liggen klaar bij de apotheek, maar ik kom de deur niet uit."),
            (("Zware boodschappen naar boven dragen", "Kratten water en melk halen"),
             "Het gaat om een paar kratten water en melk, die zijn te zwaar voor mij."),
            (("Boodschappen na mijn operatie", "Even hulp met boodschappen"),
             "Ik heb net een operatie gehad en mag {n} weken niet tillen. Boodschappen doen lukt dus niet."),
            (("Samen naar de markt", "Mee naar de markt op zaterdag"),
             "Ik wil graag zelf mee naar de markt op zaterdag, maar heb iemand nodig die de tas draagt."),
            (("Even naar de Jumbo voor mij", "Klein boodschappenlijstje"),
             "Wie wil voor mij naar de Jumbo? Het is een kort lijstje."),
        ),
        "en_titles": ("Help with groceries", "Grocery help needed"),
        "en": (
            (("Someone to do my grocery shopping", "Weekly shopping help"),
             "I'm looking for someone who can do my weekly shopping. I will give you the list and the money."),
            (("Carry heavy shopping", "Walk to the supermarket with me"),
             "I can't carry heavy bags right now. Could someone walk to the supermarket with me?"),
            (("Pick up medicine at the pharmacy",),
             "My prescription is ready at the pharmacy but I can't get there this week."),
            (("Shopping after surgery",), "I just had surgery and can't lift anything for {n} weeks."),
        ),
    },
    "transport": {
        "nl_titles": ("Vervoer gezocht", "Wie rijdt mij?", "Begeleiding naar een afspraak"),
        "nl": (
            (("Vervoer naar het ziekenhuis", "Begeleiding naar Spaarne Gasthuis"),
             "Ik heb een afspraak in het Spaarne Gasthuis en kan er niet alleen heen."),
            (("Iemand die mee wil naar de huisarts", "Begeleiding naar de huisarts"),
             "Ik moet naar de huisarts en durf niet meer alleen met de bus. Wie gaat met mij mee?"),
            (("Meerijden naar de tandarts", "Rolstoelvervoer naar de tandarts"),
             "Ik zit in een rolstoel en zoek iemand met een auto die mij naar de tandarts kan brengen."),
            (("Vervoer naar het verpleeghuis", "Wie rijdt mij naar mijn man?"),
             "Mijn man ligt in het verpleeghuis. Ik wil hem graag bezoeken maar heb geen vervoer."),
            (("Rit naar de begraafplaats", "Naar het graf van mijn vrouw"),
             "Ik wil het graf van mijn vrouw bezoeken. Met de auto is het tien minuten."),
            (("Thuisbrengen na de oogarts", "Vervoer na oogonderzoek"),
             "Ik heb een afspraak bij de oogarts en mag daarna niet zelf fietsen."),
            (("Begeleiding naar de fysio op {dag}", "Naar de fysiotherapeut"),
             "Ik moet {n} keer naar de fysiotherapeut. Het gaat om heen en terug, en even wachten."),
        ),
        "en_titles": ("Need a ride", "Accompany me to an appointment"),
        "en": (
            (("Ride to the hospital",), "I have a hospital appointment and can't go on my own."),
            (("Lift to the dentist",), "I need a ride to the dentist and back. It takes about an hour."),
            (("Someone to come with me to the doctor",),
             "I don't know the way yet and my Dutch is not good enough to ask. Could someone come with me?"),
            (("Lift home after the eye doctor",),
             "After the eye test I'm not allowed to cycle, so I need a lift home."),
        ),
    },
    "odd_jobs": {
        "nl_titles": ("Klein klusje in huis", "Handige buur gezocht", "Wie is er handig?"),
        "nl": (
            (("Lamp ophangen", "Wie hangt mijn lamp op?"),
             "Ik heb een nieuwe lamp gekocht maar durf zelf niet op de trap te staan."),
            (("Kastje in elkaar zetten", "Wie kan een IKEA-kast monteren?"),
             "Er staat een kast in dozen in de gang. Ik krijg hem niet in elkaar."),
            (("Gordijnrails ophangen",),
             "De gordijnrails is naar beneden gekomen en moet opnieuw vastgeschroefd worden."),
            (("Lekkende kraan", "Kraan lekt"),
             "De kraan in de keuken lekt. Waarschijnlijk moet er alleen een rubbertje in."),
            (("Rookmelder vervangen", "Rookmelder piept"),
             "De rookmelder piept en ik kan er niet bij. Er moet een nieuwe batterij in."),
            (("Schilderijen ophangen", "Plankjes ophangen"),
             "Ik heb een boormachine nodig en iemand die ermee kan omgaan. Het gaat om {n} gaatjes."),
            (("Deur klemt",), "De slaapkamerdeur klemt al weken. Misschien moet er iets af geschaafd worden."),
        ),
        "en_titles": ("Small job at home", "Handy neighbour needed"),
        "en": (
            (("Hang a lamp",), "I bought a new lamp but I don't have a ladder or the tools."),
            (("Assemble a wardrobe", "IKEA wardrobe help"),
             "I have a flat-pack wardrobe from IKEA that needs to be put together."),
            (("Need someone with a drill", "Hang some shelves"), "I need {n} holes drilled to hang some shelves."),
            (("Fix a dripping tap",), "The kitchen tap is dripping, probably just a washer."),
        ),
    },
    "garden": {
        "nl_titles": ("Hulp in de tuin", "Tuinhulp gezocht"),
        "nl": (
            (("Tuin opknappen", "Mijn tuin is een wildernis"),
             "Mijn tuin is een wildernis geworden sinds ik slecht ter been ben."),
            (("Heg knippen",), "De heg moet geknipt worden, hij groeit over het pad. Een heggenschaar heb ik zelf."),
            (("Gras maaien in de voortuin",),
             "Het gras in de voortuin is te lang. Er staat een grasmaaier in de schuur."),
            (("Tuin winterklaar maken", "Bladeren harken"),
             "Ik wil mijn tuin winterklaar maken: bladeren harken en de potten naar binnen zetten."),
            (("Tuinafval wegbrengen",), "Er moeten {n} zakken tuinafval naar de milieustraat. Ik heb geen auto."),
            (("Wie helpt met de geveltuin?", "Geveltuintje aanleggen"),
             "Ik wil graag een geveltuintje bij mijn voordeur, maar weet niet hoe ik moet beginnen."),
            (("Onkruid wieden", "Onkruid tussen de tegels"),
             "Tussen de tegels groeit overal onkruid. Bukken lukt mij niet meer."),
        ),
        "en_titles": ("Help in the garden", "Garden clean-up"),
        "en": (
            (("Weeding and trimming",), "My garden got out of hand. I need help pulling weeds and trimming bushes."),
            (("Trim the hedge",), "The hedge needs cutting. I have the tools, just not the energy."),
            (("Plant bulbs",), "Could someone help me plant bulbs and tidy up the garden?"),
        ),
    },
    "company": {
        "nl_titles": ("Gezelschap gezocht", "Iemand om mee te praten"),
        "nl": (
            (("Wie komt er eens op de koffie?", "Kopje koffie samen"),
             "Sinds mijn man overleden is, zie ik weinig mensen. Ik zou het fijn vinden als er iemand op de koffie "
             "komt."),
            (("Maatje voor een spelletje", "Rummikub-maatje gezocht"),
             "Ik woon alleen en vind het gezellig om af en toe een spelletje te doen, bijvoorbeeld rummikub."),
            (("Samen een wandeling maken", "Wandelmaatje in {wijk}"),
             "Ik wil graag weer wandelen, maar niet alleen. Een rondje door het park is genoeg."),
            (("Gezellig bezoekje voor mijn moeder", "Bezoek voor mijn moeder"),
             "Mijn moeder is {leeftijd} en woont alleen. Ze vindt het fijn als er iemand langskomt voor een praatje."),
            (("Nieuw in Haarlem", "Mensen leren kennen in {wijk}"), "Ik ben nieuw in Haarlem en ken hier nog niemand."),
            (("Praatje over boeken of voetbal",),
             "Ik zoek iemand die met mij praat over boeken, voetbal of gewoon het nieuws."),
        ),
        "en_titles": ("Looking for company",),
        "en": (
            (("New in Haarlem, want to meet people", "Someone to have coffee with"),
             "I moved here recently and don't know anyone yet. A coffee and a chat would mean a lot."),
            (("Walking buddy",), "I live alone and would love someone to go for a walk with once a week."),
            (("Visit my grandmother",), "My grandmother is lonely. Could someone visit her for an hour now and then?"),
        ),
    },
    "digital": {
        "nl_titles": ("Computerhulp gezocht", "Hulp met de computer", "Wie is handig met computers?"),
        "nl": (
            (("Hulp met mijn telefoon", "Nieuwe telefoon, hoe werkt het?"),
             "Ik heb een nieuwe telefoon gekregen van mijn kinderen, maar weet niet hoe alles werkt."),
            (("Hoe werkt videobellen?", "WhatsApp installeren"),
             "Ik wil graag videobellen met mijn kleinkinderen in het buitenland."),
            (("DigiD aanvragen", "Hulp met DigiD"), "Ik moet een DigiD aanvragen en kom er niet uit op de computer."),
            (("Laptop is heel traag", "Rare meldingen op mijn laptop"),
             "Mijn laptop is heel traag geworden en ik krijg steeds meldingen waar ik niets van snap."),
            (("Printer doet het niet",), "De printer is verbonden maar hij print niets. Wie kan even kijken?"),
            (("Hulp bij de app van de bank", "Bankieren op de telefoon"),
             "Ik wil leren hoe ik de app van de bank gebruik, want het bankkantoor is dicht."),
            (("Foto's van telefoon naar computer", "Foto's bewaren"),
             "Ik wil de foto's van mijn telefoon bewaren voordat hij vol is."),
            (("Mijn tablet leren gebruiken", "Uitleg over mijn iPad"),
             "Ik heb een tablet gekregen en wil leren hoe ik het nieuws lees en mail."),
        ),
        "en_titles": ("Computer help needed", "Tech help please"),
        "en": (
            (("How do I use DigiD?", "DigiD help"),
             "I need a DigiD for the municipality website but the instructions are all in Dutch."),
            (("Set up a new laptop",), "My new laptop needs to be set up: email, wifi, and a printer."),
            (("Video call with family", "Help with my phone"),
             "I want to video call my family abroad but I can't get the app working."),
            (("Phone is full",), "My phone is full and I don't want to lose my photos."),
        ),
    },
    "paperwork": {
        "nl_titles": ("Hulp bij formulieren", "Hulp bij administratie"),
        "nl": (
            (("Brieven begrijpen", "Hulp met post en rekeningen"),
             "Ik krijg veel brieven die ik niet goed begrijp. Wie wil samen met mij de post doornemen?"),
            (("Belastingaangifte invullen",), "Ik moet belastingaangifte doen maar weet niet hoe dat moet."),
            (("Formulier voor huurtoeslag", "Toeslagen aanvragen"),
             "Ik wil huurtoeslag aanvragen, maar het formulier is ingewikkeld."),
            (("Administratie op orde brengen",),
             "Sinds mijn vrouw overleden is, weet ik niet meer welke rekeningen betaald zijn."),
            (("Brief van de Belastingdienst",),
             "Ik heb een brief van de Belastingdienst gekregen en begrijp niet wat ik moet doen."),
        ),
        "en_titles": ("Help with forms",),
        "en": (
            (("Understanding letters from the municipality", "Letters I don't understand"),
             "I get letters from the municipality and the tax office that I don't understand."),
            (("Rent allowance form",),
             "I need to apply for rent allowance (huurtoeslag) and the form is only in Dutch."),
            (("Sort out my paperwork",), "Could someone help me sort out my paperwork and bills?"),
        ),
    },
    "language": {
        "nl_titles": ("Taalmaatje gezocht", "Nederlands oefenen"),
        "nl": (
            (("Wie wil met mij Nederlands praten?", "Praten in het Nederlands"),
             "Ik leer Nederlands op school, maar ik wil meer oefenen met praten."),
            (("Oefenen voor het inburgeringsexamen",),
             "Ik doe over {n} maanden inburgeringsexamen en wil oefenen met spreken."),
            (("Taalmaatje voor mijn moeder",),
             "Mijn moeder woont hier al lang, maar spreekt nog weinig Nederlands. Ze wil het graag leren."),
            (("Samen Nederlands lezen", "Samen de krant lezen"),
             "Ik wil de krant kunnen lezen. Wie leest één keer per week samen met mij?"),
            (("Beter Nederlands voor mijn werk",),
             "Ik spreek {taal} en een beetje Nederlands. Ik wil beter worden voor mijn werk."),
        ),
        "en_titles": ("Looking for a language buddy", "Help me learn Dutch"),
        "en": (
            (("Practice Dutch conversation", "Dutch speaking practice"),
             "I take Dutch classes but I need to practise speaking with a real person."),
            (("Inburgering exam practice",),
             "I have my inburgering exam in {n} months. I want to practise conversation."),
            (("Dutch over coffee",), "I'd like to practise Dutch once a week, for example over coffee."),
        ),
    },
    "homework": {
        "nl_openers": (
            "Mijn zoon zit in groep {kind}.", "Mijn dochter zit in de brugklas.",
            "Ik ben alleenstaande moeder van drie kinderen.", "Wij zijn twee jaar geleden naar Nederland gekomen.",
        ),
        "nl_titles": ("Huiswerkbegeleiding gezocht", "Huiswerkhulp gezocht"),
        "nl": (
            (("Hulp bij rekenen", "Rekenen oefenen"),
             "Mijn kind heeft moeite met rekenen en ik kan daar zelf niet goed mee helpen."),
            (("Bijles wiskunde brugklas",),
             "Ze heeft moeite met plannen en wiskunde. Wie wil één keer per week helpen?"),
            (("Huiswerkhulp voor mijn kinderen",),
             "Ik spreek zelf niet goed Nederlands en kan mijn kinderen niet helpen met huiswerk."),
            (("Begrijpend lezen oefenen",),
             "Hij moet oefenen met begrijpend lezen. De juf zegt dat hij extra hulp nodig heeft."),
            (("Wie helpt mijn dochter met Engels?",), "Ze heeft binnenkort een toets Engels en wil graag oefenen."),
        ),
        "en_openers": ("My son is in group {kind}.", "My daughter just started secondary school.",
                       "We moved to the Netherlands last year."),
        "en_titles": ("Homework help",),
        "en": (
            (("Help my kids with Dutch homework",), "I can't help with the homework because it's all in Dutch."),
            (("Maths tutoring",), "She struggles with maths and needs someone patient to explain it."),
            (("Reading practice in Dutch",), "He needs help with reading in Dutch once or twice a week."),
        ),
    },
    "moving": {
        "nl_titles": ("Hulp bij verhuizen", "Sterke armen gezocht"),
        "nl": (
            (("Dozen inpakken", "Verhuizing naar een kleinere woning"),
             "Ik verhuis naar een seniorenflat en moet veel spullen inpakken."),
            (("Bank naar boven dragen",), "Er moet een bank naar de tweede verdieping. Met twee man lukt het."),
            (("Verhuizing binnen {wijk}",), "Ik verhuis binnen {wijk} en heb hulp nodig met de zware dozen."),
            (("Spullen naar de kringloop brengen", "Wie heeft een bus en wil helpen?"),
             "Ik heb spullen over die naar de kringloop kunnen. Ik heb geen auto."),
            (("Eerste eigen woning, hulp bij tillen",),
             "Ik heb eindelijk een eigen woning gekregen, maar ken niemand die kan helpen met tillen."),
        ),
        "en_titles": ("Help with moving",),
        "en": (
            (("Moving boxes",), "I'm moving to a new flat and need help carrying boxes."),
            (("Carry a bed and some boxes",),
             "I finally got my own place. I need a hand moving a bed and a few boxes."),
            (("Need a van and some hands",), "Could someone help me take things to the second-hand shop?"),
        ),
    },
    "pets": {
        "nl_titles": ("Hulp met mijn huisdier",),
        "nl": (
            (("Hond uitlaten", "Wie laat mijn hond uit?"),
             "Ik kan door mijn heup niet meer goed lopen. Mijn hond {dier} moet wel naar buiten."),
            (("Oppas voor mijn kat", "Kat eten geven"),
             "Ik ga {n} dagen naar het ziekenhuis. Wie geeft mijn kat eten?"),
            (("Wandelmaatje voor mijn hond",),
             "Mijn hond is lief en rustig, maar heeft elke dag een flinke wandeling nodig."),
            (("Konijn verzorgen tijdens vakantie",), "Ik ga naar familie en zoek iemand die op het konijn past."),
        ),
        "en_titles": ("Pet help",),
        "en": (
            (("Walk my dog", "Dog walking help"), "I broke my ankle and can't walk my dog {pet} for a few weeks."),
            (("Cat sitter needed",), "I'm away for {n} days. Could someone feed my cat?"),
        ),
    },
    "meals": {
        "nl_titles": ("Hulp met eten", "Samen eten"),
        "nl": (
            (("Samen koken", "Mee-eten op {dag}"),
             "Ik eet vaak alleen een boterham omdat koken voor één persoon lastig is."),
            (("Maaltijd brengen voor mijn vader", "Soep brengen"),
             "Mijn vader is net uit het ziekenhuis. Een warme maaltijd af en toe zou fijn zijn."),
            (("Leren koken met weinig geld",), "Ik wil leren gezond koken met weinig geld."),
            (("Wie kookt er mee?",), "Ik vind samen eten veel gezelliger dan alleen. Wie kookt mee?"),
        ),
        "en_titles": ("Help with meals",),
        "en": (
            (("Meals for a few days",), "I just came out of hospital and can't cook for a while."),
            (("Cook together",), "I'd love to learn some simple Dutch recipes and cook together."),
            (("Learn to cook healthy on a budget",),
             "Cooking for one is hard. Would anyone like to cook and eat together sometimes?"),
        ),
    },
    "exercise": {
        "nl_titles": ("Beweegmaatje gezocht", "Samen bewegen"),
        "nl": (
            (("Samen wandelen",),
             "De fysiotherapeut zegt dat ik meer moet bewegen, maar alleen lukt het me niet."),
            (("Maatje om mee te fietsen",), "Ik wil graag weer fietsen, maar durf niet alleen na mijn val."),
            (("Samen naar het zwembad",), "Ik zoek iemand die met mij naar het zwembad gaat. Alleen vind ik het eng."),
            (("Wandelen in de Haarlemmerhout", "Wandelen in het Reinaldapark"),
             "Ik wil elke week een stuk wandelen, bijvoorbeeld in de Haarlemmerhout of het Reinaldapark."),
        ),
        "en_titles": ("Exercise together",),
        "en": (
            (("Walking buddy",), "My doctor told me to walk more. It's easier with someone."),
            (("Running or cycling buddy",), "Looking for a buddy to go running or cycling with, nothing too fast."),
        ),
    },
    "work": {
        "nl_titles": ("Hulp bij werk zoeken", "Werk zoeken in Haarlem"),
        "nl": (
            (("Hulp bij mijn cv", "Wie kijkt naar mijn cv?"), "Ik zoek werk en mijn cv moet beter. Wie kijkt mee?"),
            (("Oefenen voor een sollicitatiegesprek",),
             "Ik heb volgende week een sollicitatiegesprek en wil graag oefenen."),
            (("Werk vinden met een buitenlands diploma", "Vacatures zoeken"),
             "Ik heb een diploma uit mijn land, maar weet niet hoe ik hier werk kan vinden."),
            (("Sollicitatiebrief schrijven",),
             "Ik wil een sollicitatiebrief schrijven maar mijn Nederlands is niet goed genoeg."),
        ),
        "en_titles": ("Looking for work, need advice",),
        "en": (
            (("Help with my CV",), "I'm looking for a job and my CV needs to be in Dutch style."),
            (("Job interview practice",), "I have a job interview next week and would like to practise."),
            (("Where to start looking for work",),
             "I have a degree from abroad and don't know where to start looking for work here."),
        ),
    },
    "carer_respite": {
        "nl_titles": ("Even vrij als mantelzorger", "Mantelzorger zoekt ontlasting"),
        "nl": (
            (("Oppas voor mijn man met dementie", "Een middagje vrij"),
             "Ik zorg voor mijn man die dementie heeft. Ik wil één middag per week iets voor mezelf doen."),
            (("Gezelschap voor mijn vader", "Iemand bij mijn vader"),
             "Mijn vader kan niet alleen zijn. Wie wil een paar uur bij hem zijn, zodat ik naar mijn werk kan?"),
            (("Een paar uur vrij",),
             "Ik ben mantelzorger voor mijn moeder en ben heel moe. Even een paar uur vrij zou helpen."),
            (("Maatje voor mijn zoon",),
             "Mijn zoon heeft een beperking. Ik zoek iemand die af en toe iets leuks met hem doet."),
        ),
        "en_titles": ("Respite for a carer",),
        "en": (
            (("A few hours off",), "I care for my mother full time. A few hours off per week would help a lot."),
            (("Sit with my husband for an afternoon",),
             "My husband has Parkinson's and can't be alone. Could someone keep him company for a few hours?"),
        ),
    },
    "other": {
        "nl_titles": ("Hulp bij iets kleins", "Wie kan dit voor mij doen?"),
        "nl": (
            (("Fiets naar de fietsenmaker brengen", "Lekke band"),
             "Mijn fiets heeft een lekke band en ik kan hem niet zelf naar de fietsenmaker brengen."),
            (("Hulp bij het opruimen van de zolder",), "De zolder staat vol en ik wil opruimen, maar niet alleen."),
            (("Kerstkaarten schrijven",),
             "Ik wil kerstkaarten sturen maar mijn handen trillen te erg om te schrijven."),
            (("Iemand om mee te denken",), "Ik weet niet goed bij wie ik moet zijn en wil graag met iemand meedenken."),
        ),
        "en_titles": ("Small favour",),
        "en": (
            (("Take my bike to the repair shop",), "My bike has a flat tyre and I can't take it to the shop myself."),
            (("Clear out the attic",), "I need help clearing out the attic, it's too much for me alone."),
        ),
    },
}

NL_OPENERS: tuple[str, ...] = (
    "Ik ben {leeftijd} jaar en woon alleen.", "Ik ben slecht ter been.", "Ik woon sinds kort in {wijk}.",
    "Ik heb weinig familie in de buurt.", "Ik ben herstellende van een operatie.",
    "Ik werk fulltime en heb drie kinderen.", "Mijn kinderen wonen ver weg.", "Ik loop met een rollator.",
    "Ik heb last van mijn rug.", "Ik ben sinds kort weduwe.", "Ik woon op drie hoog zonder lift.",
    "Ik vind het moeilijk om hulp te vragen, maar ik probeer het toch.", "Ik heb een chronische ziekte.",
    "Ik woon al {n}0 jaar in {wijk}.",
)
EN_OPENERS: tuple[str, ...] = (
    "I live alone and don't have family nearby.", "I just moved to {wijk}.", "I'm recovering from an operation.",
    "I'm a single mum with two kids.", "I'm new in Haarlem.", "I have a bad back at the moment.",
    "I'm {age} and don't get around easily anymore.",
)
NL_TIMING: tuple[str, ...] = (
    "Het liefst op {dag}{deel}.", "Het liefst op een {dag}.", "Ik ben flexibel met tijden.",
    "Het gaat om ongeveer een uur.", "Liefst deze week nog.", "Het mag ook in het weekend.",
    "Overdag ben ik altijd thuis.", "Het kost ongeveer {n} uur.", "{dag}{deel} zou mooi zijn.",
)
EN_TIMING: tuple[str, ...] = (
    "Preferably on {day} {part}.", "I'm flexible with time.", "It should take about an hour.",
    "This week if possible.", "Weekends are fine too.", "It takes about {n} hours.",
)
NL_CLOSINGS: tuple[str, ...] = (
    "Alvast bedankt!", "Groetjes", "Dank u wel.", "Wie wil mij helpen?", "Ik zorg voor koffie :)",
    "Vriendelijke groet", "Ik hoor graag van u.", "Dank je wel alvast!", "Bedankt voor het lezen.",
)
EN_CLOSINGS: tuple[str, ...] = (
    "Thanks in advance!", "Thank you so much.", "Cheers", "Would really appreciate it.", "Thank you!",
)
# When the requester speaks no Dutch: the request was typed by a relative, a neighbour or a consulent.
NL_LANGUAGE_NOTES: tuple[str, ...] = (
    "Mijn {rel} spreekt alleen {taal}. Ik typ dit voor {hem_haar}.",
    "Deze vraag is geplaatst door de consulent. Mevrouw spreekt {taal} en weinig Nederlands.",
    "Deze vraag is geplaatst door de consulent. Meneer spreekt {taal} en weinig Nederlands.",
    "Ik spreek {taal}, mijn Nederlands is nog niet goed. Een helper die {taal} spreekt is fijn.",
    "Het zou mooi zijn als u {taal} spreekt.",
)
EN_LANGUAGE_NOTES: tuple[str, ...] = (
    "I speak {lang} and a little English, no Dutch yet.",
    "My {rel_en} only speaks {lang}, I'm typing this for {him_her}.",
    "Someone who speaks {lang} would be great, but it's not required.",
)
PET_NAMES: tuple[str, ...] = ("Max", "Bobbie", "Luna", "Guus", "Bella", "Sam", "Tommie", "Pip", "Loki", "Nala")
SCREENING_NOTES_NL: tuple[str, ...] = (
    "Ik heb liever iemand met een VOG.", "Er zijn kinderen in huis, dus graag iemand met een VOG.",
)
SCREENING_NOTES_EN: tuple[str, ...] = ("I'd prefer someone with a VOG (certificate of conduct).",)

# --- Volunteers -------------------------------------------------------------------------------------------------
SKILL_TAGS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # category: (dutch tags, english tags)
    "groceries": (("boodschappen", "boodschappen doen", "apotheek", "Boodschappen"), ("groceries", "shopping")),
    "transport": (("vervoer", "autorijden", "begeleiding", "rijden", "chauffeur", "rolstoel duwen"),
                  ("driving", "transport", "I have a car")),
    "odd_jobs": (("klussen", "klusjes", "kluswerk", "boren", "lampen ophangen", "IKEA kasten", "Klussen!"),
                 ("handyman", "DIY", "odd jobs", "fixing stuff")),
    "garden": (("tuinieren", "tuin", "tuinwerk", "heg knippen", "gras maaien", "groene vingers"),
               ("gardening", "garden")),
    "company": (("gezelschap", "koffie drinken", "wandelen", "praatje maken", "spelletjes", "luisteren"),
                ("company", "chatting", "coffee", "visiting elderly")),
    "digital": (("computer", "computerhulp", "telefoon", "smartphone", "digid", "ipad", "whatsapp", "laptop"),
                ("computer help", "IT", "phones", "tech support", "smartphone help")),
    "paperwork": (("administratie", "formulieren", "belastingaangifte", "post doornemen", "thuisadministratie",
                   "toeslagen"), ("paperwork", "admin", "tax forms")),
    "language": (("taalmaatje", "nederlands oefenen", "taalles", "Taalmaatje", "NT2"),
                 ("language buddy", "dutch conversation", "teaching")),
    "homework": (("huiswerkbegeleiding", "bijles", "wiskunde", "rekenen", "huiswerk", "bijles engels"),
                 ("tutoring", "homework help", "math", "maths")),
    "moving": (("verhuizen", "tillen", "sjouwen", "bus rijden", "inpakken"), ("moving", "heavy lifting", "van")),
    "pets": (("hond uitlaten", "dieren", "katten oppassen", "honden"), ("dog walking", "pet sitting", "animals")),
    "meals": (("koken", "samen koken", "bakken", "maaltijden"), ("cooking", "baking")),
    "exercise": (("wandelen", "fietsen", "sport", "zwemmen", "bewegen"), ("walking", "running", "cycling",
                                                                            "sports")),
    "work": (("cv schrijven", "sollicitatie", "loopbaan", "netwerken", "linkedin"),
             ("CV", "job coaching", "job applications", "career advice")),
    "carer_respite": (("mantelzorg", "oppas", "dementie", "zorg", "respijtzorg"),
                      ("caregiving", "care", "elderly care")),
    "other": (("van alles", "handig", "fiets repareren", "opruimen"), ("anything", "bike repair", "decluttering")),
}
# How often volunteers name a category among their interests (relative).
VOLUNTEER_INTERESTS = {
    "groceries": 12, "transport": 9, "odd_jobs": 10, "garden": 7, "company": 12, "digital": 11, "paperwork": 5,
    "language": 8, "homework": 5, "moving": 5, "pets": 6, "meals": 4, "exercise": 5, "work": 4, "carer_respite": 3,
    "other": 3,
}

BIO_NL_ABOUT: tuple[str, ...] = (
    "Ik ben gepensioneerd en heb tijd over.", "Ik ben student in Haarlem.", "Ik werk parttime in de zorg.",
    "Ik ben moeder van twee kinderen en werk drie dagen per week.", "Ik ben net met pensioen.",
    "Ik woon al mijn hele leven in Haarlem.", "Ik ben zelf ooit geholpen en wil iets terugdoen.",
    "Ik werk in de ICT.", "Ik was vroeger timmerman.", "Ik ben onderwijzer geweest.",
    "Ik woon sinds een paar jaar in {wijk}.", "Ik zit thuis na een burn-out en wil iets nuttigs doen.",
)
BIO_NL_WHY: tuple[str, ...] = (
    "Ik vind het leuk om mensen in de buurt te helpen.", "Ik wil graag mijn buren beter leren kennen.",
    "Even helpen maakt een groot verschil, dat weet ik uit ervaring.", "Ik houd van praten en koffie drinken.",
    "Ik ben handig en help graag.", "Samen red je het beter dan alleen.",
)
BIO_NL_SKILLS: tuple[str, ...] = (
    "Vooral {skill} vind ik leuk.", "Ik help graag met {skill}.",
    "Bel me gerust voor {skill}.",
)
BIO_EN_ABOUT: tuple[str, ...] = (
    "I moved to Haarlem {n} years ago for work.", "I'm a student at Inholland.", "I'm retired and have time.",
    "I work from home and like to get out.", "I'm new in the neighbourhood.",
)
BIO_EN_WHY: tuple[str, ...] = (
    "I'd like to meet my neighbours and help where I can.", "Helping out is a good way to feel at home here.",
    "I'm learning Dutch, so a chat in Dutch is welcome too.",
)
BIO_EN_SKILLS: tuple[str, ...] = ("I'm good at {skill}.", "Happy to help with {skill}.", "Mostly {skill}.")

# --- Responses and thanks ---------------------------------------------------------------------------------------
RESPONSES_NL: tuple[str, ...] = (
    "Hoi! Ik woon om de hoek en kan {dag} wel even langskomen.",
    "Dag, ik help u graag. Zal ik u bellen om iets af te spreken?",
    "Ik heb {dag}{deel} tijd. Past dat?",
    "Goedemiddag, dit lijkt me leuk om te doen. Ik heb hier ervaring mee.",
    "Hallo, ik kan helpen! Laat maar weten wanneer het u uitkomt.",
    "Ik woon ook in {wijk}, dus dat is makkelijk. Groet!",
    "Hoi, ik kan {dag}. Ik neem mijn eigen gereedschap mee.",
    "Dat wil ik wel doen. Ik ben wel pas na vijf uur thuis van mijn werk.",
    "Ik help graag. Ik heb een VOG, mocht dat nodig zijn.",
    "hoi ik kan wel helpen, wanneer schikt het?",
)
RESPONSES_EN: tuple[str, ...] = (
    "Hi! I live close by and can help on {day}.",
    "Hello, happy to help. When works for you?",
    "I'm free on {day} {part}, would that work?",
    "Hi, I can help with this. My Dutch is basic but English is fine.",
    "hey, i can do this, let me know :)",
)
REQUESTER_THANKS_NL: tuple[str, ...] = (
    "Heel erg bedankt, u heeft me enorm geholpen!", "Dank je wel, wat fijn dat je er was.",
    "Super bedankt! Het ziet er weer prachtig uit.", "Wat een lieve hulp. Tot de volgende keer!",
    "Dankjewel, ik kan weer verder.", "Bedankt!!", "Heel fijn geholpen, dank u.",
    "Wat ben ik blij met deze hulp. Mijn dank is groot.", "dankje wel!! echt top",
)
REQUESTER_THANKS_EN: tuple[str, ...] = (
    "Thank you so much, you were a great help!", "Thanks a lot, really appreciated.", "thx!! so helpful",
    "You made my week. Thank you!",
)
VOLUNTEER_THANKS_NL: tuple[str, ...] = (
    "Graag gedaan! Het was gezellig.", "Graag gedaan, bel gerust als er weer iets is.", "Met plezier gedaan.",
    "Was leuk om u te leren kennen!", "Graag gedaan, tot ziens in de buurt.",
)
VOLUNTEER_THANKS_EN: tuple[str, ...] = (
    "You're welcome, it was nice to meet you!", "Happy to help, anytime.", "My pleasure!",
)

# --- Offers -----------------------------------------------------------------------------------------------------
OFFERS: dict[str, tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]] = {
    # category: ((nl title, nl description), ...), ((en title, en description), ...)
    "groceries": ((("Ik doe boodschappen voor u", "Ik ga toch elke week naar de supermarkt. Ik neem graag iets "
                    "voor u mee."),), (("I can do your shopping", "I go to the supermarket twice a week and can "
                                        "bring your groceries."),)),
    "transport": ((("Vervoer naar afspraken", "Ik heb een auto en rijd u graag naar het ziekenhuis of de "
                    "huisarts."), ("Mee naar het ziekenhuis", "Ik ga mee naar uw afspraak en wacht op u.")),
                  (("Rides to appointments", "I have a car and some free afternoons."),)),
    "odd_jobs": ((("Kleine klusjes in huis", "Lamp ophangen, kastje in elkaar zetten, kraantje vervangen: ik "
                   "doe het graag."), ("Handige buurman", "Gereedschap heb ik zelf. Geen grote verbouwingen.")),
                 (("Handyman for small jobs", "I can assemble furniture, hang shelves and fix small things."),)),
    "garden": ((("Hulp in de tuin", "Ik help met snoeien, wieden en gras maaien."),),
               (("Garden help", "Happy to help with weeding and mowing."),)),
    "company": ((("Kopje koffie en een praatje", "Ik kom graag eens op bezoek voor een praatje of een spelletje."),
                 ("Wandelmaatje", "Ik wandel graag en neem u mee voor een rondje door de wijk.")),
                (("Coffee and a chat", "I'd love to visit for coffee and a chat, in English or simple Dutch."),)),
    "digital": ((("Hulp met telefoon en computer", "Ik leg rustig uit hoe uw telefoon, tablet of laptop werkt."),
                 ("DigiD en apps", "Ik help met DigiD, de app van de bank en videobellen.")),
                (("Computer and phone help", "Patient help with phones, laptops and apps."),)),
    "paperwork": ((("Hulp bij formulieren en post", "Ik was boekhouder en help graag met de administratie."),),
                  (("Help with letters and forms", "I can help you understand letters and fill in forms."),)),
    "language": ((("Taalmaatje", "Ik oefen graag Nederlands met u, bijvoorbeeld tijdens een wandeling."),),
                 (("Dutch conversation practice", "Native speaker, happy to practise Dutch with you."),)),
    "homework": ((("Huiswerkbegeleiding", "Ik ben leraar geweest en help kinderen met rekenen en lezen."),),
                 (("Maths tutoring", "I can help secondary school students with maths and English."),)),
    "moving": ((("Sjouwen bij een verhuizing", "Ik heb sterke armen en soms een bus."),),
               (("Help with moving", "I can help carry boxes and furniture."),)),
    "pets": ((("Hond uitlaten", "Ik laat uw hond uit als u het zelf even niet kunt."),),
             (("Dog walking", "I love dogs and walk in the park every day."),)),
    "meals": ((("Samen koken", "Ik kook graag en deel het eten met u."),),
              (("Cooking together", "I like to cook and can teach simple recipes."),)),
    "exercise": ((("Samen wandelen of fietsen", "Elke week een rondje, in uw tempo."),),
                 (("Walking buddy", "Weekly walks at your pace."),)),
    "work": ((("Hulp bij cv en sollicitatie", "Ik werk in HR en kijk graag naar uw cv."),),
             (("CV and interview help", "I work in recruitment and can help with your CV."),)),
    "carer_respite": ((("Even vrij voor mantelzorgers", "Ik blijf een middag bij uw naaste, zodat u even weg kunt."),),
                      (("Time off for carers", "I can sit with your loved one for a few hours."),)),
    "other": ((("Fietsen repareren", "Lekke band of kapotte lamp? Ik help graag."),),
              (("Bike repairs", "Flat tyre? I can fix it."),)),
}
OFFER_ASK_NL: tuple[str, ...] = (
    "Hallo, ik zag uw aanbod. Zou u mij kunnen helpen?", "Goedendag, ik heb hulp nodig hiermee. Kunt u {dag}?",
    "Hoi, ik woon in {wijk}. Kunt u mij helpen?",
)
OFFER_ASK_EN: tuple[str, ...] = (
    "Hi, I saw your offer. Could you help me?", "Hello, I could use help with this. Are you free on {day}?",
)

# --- Words the typo maker uses ----------------------------------------------------------------------------------
INFORMAL_NL: tuple[tuple[str, str], ...] = (
    ("even ", "ff "), ("Alvast bedankt!", "alvast bedankt!!"), ("Dank u wel.", "dankuwel"), ("Groetjes", "groetjes x"),
    ("alsjeblieft", "aub"), ("Ik ", "ik "), ("niet", "nie"), ("ongeveer", "ongv"),
    ("Bedankt", "Thnx"), ("de computer", "de pc"), ("telefoon", "mobiel"),
)
INFORMAL_EN: tuple[tuple[str, str], ...] = (
    ("you", "u"), ("please", "pls"), ("Thanks", "thx"), ("I ", "i "), ("don't", "dont"), ("can't", "cant"),
    ("I'm", "im"), ("Thank you", "ty"), ("because", "bc"),
)
