"""Issue #18 parts A and B in a real browser on a small phone screen (360×740), in Dutch and English, with and without
JavaScript.

A. The front door: a volunteer with a gardening profile opens "Volunteering" in the main menu, filters on vacancies that
come back regularly, finds an organisation's vacancy and applies; "My applications" says "Applied". The organisation's
organiser opens the applicants, puts the volunteer on the shortlist, says no to another applicant with the kind words
of a template, then says yes; the volunteer reads "Accepted" and the kind words reach the other applicant. The
organisations directory lists the organisation; the organiser sees their volunteers and hours.

B. Running the work: an organiser adds an activity that repeats every week. A volunteer finds it at the front door,
follows the initiative's news, backs it and takes the backing back, and joins the first date; "My agenda" shows it and
gives a secret calendar link whose feed holds it. The organiser sees who comes (and downloads the CSV), writes to
everyone and posts news; the volunteer reads both among their messages, and finds the initiative under "My
initiatives".

Every page passes the checks of support.PageChecks (axe at WCAG 2.1 A/AA with JavaScript, landmarks, lang, nothing
wider than the screen) and weighs at most 100 KB. The front door, my applications, applicants, my agenda and who comes
are saved as screenshots (artifacts/browser/volunteering-<page>-<lang>-<js>.png).
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from tests.browser.conftest import ARTIFACTS
from tests.browser.support import COMBINATIONS, PageChecks, Visitor, new_visitor
from tests.factories import PASSWORD, make_user
from webapp.accounts import services as accounts
from webapp.accounts.models import User
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.core.reference.models import Goal, Wijk
from webapp.initiatives import needs, services
from webapp.initiatives.models import Initiative

pytestmark = pytest.mark.browser


# ---------------------------------------------------------------- people and places, made directly


def person(server: Any, *roles: str, email: str, lang: str, first_name: str, skills: list[str] | None = None) -> str:
    with server.app.app_context():
        user = make_user(*roles, email=email, locale=lang, first_name=first_name)  # Europawijk; e-mail confirmed
        if skills is not None:
            wijk = db.session.execute(select(Wijk).where(Wijk.code == "WK039218")).scalar_one()
            accounts.update_volunteer_profile(user, accounts.VolunteerProfileData(
                skills=skills, languages=["nl"], postcode="2034 AB", wijk=wijk, max_distance_km=10.0,
                availability=["sat-morning"], bio=""))
            db.session.commit()
    return email


def confirmed_initiative(server: Any, organiser_email: str, name: str, *, is_organisation: bool) -> str:
    """An initiative (or organisation) staff have confirmed; returns its public id."""
    with server.app.app_context():
        organiser = db.session.execute(select(User).where(User.email == organiser_email)).scalar_one()
        data = services.InitiativeData(
            name=name, description="Wij houden samen de buurt groen en gezellig. Iedereen is welkom.",
            is_organisation=is_organisation, status="active",
            wijken=list(db.session.execute(select(Wijk).where(Wijk.code == "WK039218")).scalars()),
            goals=list(db.session.execute(select(Goal).where(Goal.id.in_((1, 5)))).scalars()))
        row = services.register_initiative(organiser, data)
        row.confirmed_at = utcnow()
        db.session.commit()
        public_id = row.public_id
        db.session.remove()
    return public_id


def vacancy(server: Any, organiser_email: str, public_id: str, title: str) -> None:
    with server.app.app_context():
        organiser = db.session.execute(select(User).where(User.email == organiser_email)).scalar_one()
        row = db.session.execute(select(Initiative).where(Initiative.public_id == public_id)).scalar_one()
        needs.add_need(organiser, row, needs.NeedData(
            kind="volunteers", title=title, skills="tuinieren, snoeien", how_many=2, is_recurring=True,
            slots=["sat-morning"], description="Elke zaterdag snoeien en wieden in het park."))
        db.session.commit()
        db.session.remove()


def applies_directly(server: Any, email: str, public_id: str, title: str) -> None:
    """Another applicant, who applied before the journey starts."""
    with server.app.app_context():
        volunteer = db.session.execute(select(User).where(User.email == email)).scalar_one()
        row = db.session.execute(select(Initiative).where(Initiative.public_id == public_id)).scalar_one()
        need = next(n for n in row.needs if n.title == title)
        needs.sign_up(volunteer, need, "Ik heb op zaterdag tijd.")
        db.session.commit()
        db.session.remove()


def log_in(v: Visitor, email: str) -> None:
    v.page.goto("/inloggen")
    v.field("email").fill(email)
    v.field("password").fill(PASSWORD)
    v.follow(v.button("Log in"))


def screenshot(v: Visitor, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    v.page.screenshot(path=str(ARTIFACTS / f"volunteering-{name}-{v.lang}-{'js' if v.js else 'nojs'}.png"),
                      full_page=True)


def card(v: Visitor, title: str) -> Any:
    return v.main().locator("li.card").filter(has=v.page.get_by_role("heading", name=title)).first


def menu_link(v: Visitor, msgid: str) -> Any:
    v.menu_link(msgid)  # a phone folds the main menu behind "Menu": this opens it
    return v.page.get_by_role("navigation", name=v.t("Main menu")).get_by_role("link", name=v.t(msgid), exact=True)


# ---------------------------------------------------------------- A. the front door


@pytest.mark.parametrize(("lang", "js"), COMBINATIONS)
def test_a_volunteer_finds_a_vacancy_at_the_front_door_and_the_organisation_answers(
        lang: str, js: bool, contexts: Any, live_server: Any, checks: PageChecks, expect: Any) -> None:
    run = uuid.uuid4().hex[:8]
    organisation = f"Groenploeg Haarlem {run}"
    title = f"Vrijwilliger voor het groen {run}"
    organiser_email = person(live_server, "organiser", email=f"coordinator-{run}@example.org", lang=lang,
                             first_name="Ingrid")
    public_id = confirmed_initiative(live_server, organiser_email, organisation, is_organisation=True)
    vacancy(live_server, organiser_email, public_id, title)
    other = person(live_server, "volunteer", email=f"ander-{run}@example.org", lang=lang, first_name="Bram")
    applies_directly(live_server, other, public_id, title)

    volunteer = new_visitor(contexts, "volunteer", lang, js, lang, live_server, checks, expect)
    log_in(volunteer, person(live_server, "volunteer", email=f"tuinier-{run}@example.org", lang=lang,
                             first_name="Gerda", skills=["tuinieren", "snoeien"]))
    volunteer_applies_at_the_front_door(volunteer, title, organisation)

    organiser = new_visitor(contexts, "organiser", lang, js, lang, live_server, checks, expect)
    log_in(organiser, organiser_email)
    organiser_answers_applicants(organiser, public_id, title)

    volunteer_reads_accepted(volunteer, title)
    other_reads_the_kind_words(new_visitor(contexts, "other", lang, js, lang, live_server, checks, expect), other,
                               title)

    journey = f"{lang}-{'js' if js else 'nojs'}"
    checks.weigh(f"{journey} front door volunteer", volunteer.weigher)
    checks.weigh(f"{journey} front door organiser", organiser.weigher)


def volunteer_applies_at_the_front_door(v: Visitor, title: str, organisation: str) -> None:
    page = v.page
    page.goto("/")
    v.follow(menu_link(v, "Volunteering"))
    assert page.url.endswith("/vrijwilligerswerk"), page.url
    v.check("front door")
    v.field("kind").select_option("vacancy")
    v.field("ritme").select_option("regular")
    v.follow(v.button("Show"))
    assert "kind=vacancy" in page.url and "ritme=regular" in page.url
    found = card(v, title)
    v.expect(found).to_contain_text(v.t("Vacancies of organisations"))
    v.expect(found).to_contain_text(organisation)
    v.expect(found).to_contain_text(v.t("Matches your skill ‘%(skill)s’", skill="tuinieren"))
    v.check("front door filtered", axe=False)
    screenshot(v, "front-door")

    v.follow(found.get_by_role("link", name=title))
    v.check("organisation page")
    need = card(v, title)
    need.locator("textarea[name=message]").fill("Ik snoei graag." if v.lang == "nl" else "I like pruning.")
    v.follow(need.get_by_role("button", name=v.t("I want to help with this")))
    v.sees_flash("You signed up. The organisers will let you know.")

    page.goto("/vrijwilligerswerk")
    v.follow(v.main().get_by_role("link", name=v.t("My applications") + " (1)"))
    v.check("my applications")
    v.expect(card(v, title).locator(".tag")).to_have_text(v.t("Applied"))

    v.follow(v.link("Find more to do"))
    v.follow(v.link("Volunteering organisations in Haarlem"))
    v.check("organisations")
    v.expect(v.main()).to_contain_text(organisation)


def organiser_answers_applicants(v: Visitor, public_id: str, title: str) -> None:
    page = v.page
    page.goto(f"/initiatieven/{public_id}")
    v.check("organisation organiser", axe=False)
    v.follow(card(v, title).get_by_role("link", name=v.t("Applicants: shortlist, say yes or no")))
    v.check("applicants")
    gerda = v.main().locator("li.card").filter(has=page.get_by_role("heading", name="Gerda"))
    bram = v.main().locator("li.card").filter(has=page.get_by_role("heading", name="Bram"))
    v.expect(gerda).to_contain_text("Ik snoei graag." if v.lang == "nl" else "I like pruning.")

    v.follow(gerda.get_by_role("button", name=v.t("Put on the shortlist")))
    v.sees_flash("Saved. The volunteer gets a message.")
    v.expect(gerda.locator(".tag")).to_have_text(v.t("On the shortlist"))

    bram.locator("summary").click()  # <details> opens without JavaScript too
    bram.get_by_label(v.t("The times do not fit what we need. Perhaps another task of ours suits you better.")).check()
    bram.locator("textarea[name=words]").fill("Succes!" if v.lang == "nl" else "Good luck!")
    v.follow(bram.get_by_role("button", name=v.t("Send")))
    v.sees_flash("Saved. The volunteer gets a message.")

    v.follow(gerda.get_by_role("button", name=v.t("Say yes to %(name)s", name="Gerda")))
    v.sees_flash("Saved. The volunteer gets a message.")
    v.expect(gerda.locator(".tag")).to_have_text(v.t("You said yes"))
    v.expect(gerda).to_contain_text("@example.org")  # contact details once they said yes
    v.check("applicants decided", axe=False)
    screenshot(v, "applicants")

    v.follow(v.link("Our volunteers and their hours"))
    v.check("our volunteers")
    v.expect(v.main()).to_contain_text("Gerda")


def volunteer_reads_accepted(v: Visitor, title: str) -> None:
    v.page.goto("/mijn/aanmeldingen")
    v.expect(card(v, title).locator(".tag")).to_have_text(v.t("Accepted"))
    v.expect(card(v, title)).to_contain_text(
        v.t("You can now see the organisers' contact details on the page of the initiative."))
    sign_off = card(v, title).get_by_role("button", name=v.t("Sign me off"))
    v.expect(sign_off).to_be_visible()
    assert sign_off.evaluate("el => getComputedStyle(el).color") != "rgb(255, 255, 255)", "white on a white card"
    v.check("my applications accepted", axe=False)
    screenshot(v, "my-applications")


def other_reads_the_kind_words(v: Visitor, email: str, title: str) -> None:
    log_in(v, email)
    v.page.goto("/mijn/aanmeldingen")
    v.expect(card(v, title).locator(".tag")).to_have_text(v.t("Not this time"))
    v.expect(card(v, title)).to_contain_text(
        v.t("The times do not fit what we need. Perhaps another task of ours suits you better."))
    v.expect(card(v, title)).to_contain_text("Succes!" if v.lang == "nl" else "Good luck!")
    v.check("my applications declined", axe=False)


# ---------------------------------------------------------------- B. running the work


@pytest.mark.parametrize(("lang", "js"), COMBINATIONS)
def test_an_organiser_runs_a_weekly_activity_and_a_volunteer_keeps_an_agenda_and_hears_the_news(
        lang: str, js: bool, contexts: Any, live_server: Any, checks: PageChecks, expect: Any) -> None:
    run = uuid.uuid4().hex[:8]
    name = f"Buurtkamer Europawijk {run}"
    title = {"nl": f"Koffie-inloop {run}", "en": f"Coffee drop-in {run}"}[lang]
    organiser_email = person(live_server, "organiser", email=f"buurtkamer-{run}@example.org", lang=lang,
                             first_name="Ingrid")
    public_id = confirmed_initiative(live_server, organiser_email, name, is_organisation=False)

    organiser = new_visitor(contexts, "organiser", lang, js, lang, live_server, checks, expect)
    log_in(organiser, organiser_email)
    organiser_adds_a_weekly_activity(organiser, public_id, title)

    volunteer = new_visitor(contexts, "volunteer", lang, js, lang, live_server, checks, expect)
    log_in(volunteer, person(live_server, "volunteer", email=f"bezoeker-{run}@example.org", lang=lang,
                             first_name="Karim", skills=["koffie schenken", "gezelschap"]))
    volunteer_follows_backs_and_joins(volunteer, title, name)
    volunteer_keeps_an_agenda(volunteer, title)

    organiser_sees_who_comes_and_writes(organiser, public_id, title)
    volunteer_hears_it(volunteer, name, title)

    journey = f"{lang}-{'js' if js else 'nojs'}"
    checks.weigh(f"{journey} activities organiser", organiser.weigher)
    checks.weigh(f"{journey} activities volunteer", volunteer.weigher)


def organiser_adds_a_weekly_activity(v: Visitor, public_id: str, title: str) -> None:
    page = v.page
    page.goto(f"/initiatieven/{public_id}")
    v.follow(v.main().get_by_role("link", name=v.t("Add an activity"), exact=True))
    v.check("activity form")
    first = date.today() + timedelta(days=3)
    v.field("title").fill(title)
    v.field("wijk").select_option("WK039218")
    v.field("place").fill("Buurthuis De Ring")
    v.field("day").fill(first.isoformat())
    v.field("start").fill("10:00")
    v.field("end").fill("12:00")
    v.field("capacity").fill("12")
    v.field("repeat", "weekly").check()
    v.follow(v.button("Save"))  # without a last day: refused, and what was typed stays
    assert "repeat_until" in [e["href"][1:] for e in page.evaluate(
        "() => [...document.querySelectorAll('.error-summary a')].map(a => ({href: a.getAttribute('href')}))")]
    v.expect(v.field("title")).to_have_value(title)
    v.check("activity form errors", axe=False)
    v.field("repeat_until").fill((first + timedelta(weeks=3)).isoformat())
    v.follow(v.button("Save"))
    v.expect(page.locator(".flashes")).to_contain_text(
        v.tn("The activity is on the page of your initiative, on %(num)d date.",
             "The activity is on the page of your initiative, on %(num)d dates.", 4))
    cards = v.main().locator("#activities li.card").filter(has=page.get_by_role("heading", name=title))
    v.expect(cards).to_have_count(4)
    v.expect(cards.first).to_contain_text(v.t("Repeats"))
    v.check("initiative with a series", axe=False)


def volunteer_follows_backs_and_joins(v: Visitor, title: str, name: str) -> None:
    page = v.page
    page.goto("/")
    v.follow(menu_link(v, "Volunteering"))
    v.field("kind").select_option("activity")
    v.follow(v.button("Show"))
    v.check("front door activities", axe=False)
    found = v.main().locator("li.card").filter(has_text=title).first
    v.expect(found).to_contain_text(name)
    v.follow(found.get_by_role("link").first)
    v.check("initiative volunteer")

    v.follow(v.button("Follow the news"))
    v.sees_flash("You follow %(name)s. You hear its news.", name=name)
    v.follow(v.button("I back this initiative"))
    v.sees_flash("Thank you for backing %(name)s!", name=name)
    v.follow(v.button("Take my backing back"))
    v.sees_flash("You no longer back %(name)s.", name=name)
    v.expect(v.button("I back this initiative")).to_be_visible()

    first = v.main().locator("#activities li.card").filter(has=page.get_by_role("heading", name=title)).first
    v.follow(first.get_by_role("button", name=v.t("I will join")))
    v.sees_flash("You signed up. See you there!")
    first = v.main().locator("#activities li.card").filter(has=page.get_by_role("heading", name=title)).first
    v.expect(first).to_contain_text(v.t("You are going."))


def volunteer_keeps_an_agenda(v: Visitor, title: str) -> None:
    page = v.page
    page.goto("/vrijwilligerswerk")
    v.follow(v.main().get_by_role("link", name=v.t("My agenda"), exact=True))
    v.check("my agenda")
    v.expect(v.main().locator("li.card")).to_have_count(1)  # the one date they joined, not the whole series
    v.expect(v.main().locator("li.card")).to_contain_text(title)
    v.follow(v.button("Make my calendar link"))
    v.sees_flash("Your calendar link is ready. Copy it into your calendar app. An older link no longer works.")
    url = v.main().locator("#feed-url").input_value()
    assert url.endswith(".ics"), url
    feed = page.request.get(url)  # what a calendar program fetches: no cookie needed, the address is the key
    assert feed.status == 200 and "BEGIN:VCALENDAR" in feed.text() and title in feed.text()
    v.check("my agenda with a link", axe=False)
    screenshot(v, "agenda")

    v.follow(v.button("Stop the link"))
    v.sees_flash("Your calendar link no longer works.")
    assert page.request.get(url).status == 404


def organiser_sees_who_comes_and_writes(v: Visitor, public_id: str, title: str) -> None:
    page = v.page
    page.goto(f"/initiatieven/{public_id}")
    first = v.main().locator("#activities li.card").filter(has=page.get_by_role("heading", name=title)).first
    v.follow(first.get_by_role("link", name=v.t("Who comes, and a message to everyone")))
    v.check("who comes")
    v.expect(v.main().locator("table")).to_contain_text("Karim")
    v.expect(v.main().locator("table")).not_to_contain_text("@example.org")
    csv = page.request.get(v.main().get_by_role("link", name=v.t("Download the list (CSV, for a spreadsheet)"))
                           .get_attribute("href"))
    assert csv.status == 200 and "Karim" in csv.text() and "@" not in csv.text()
    screenshot(v, "who-comes")

    v.follow(v.button("Send the message"))  # empty: refused with the reason, no message sent
    v.check("who comes errors", axe=False)
    assert page.locator(".error-summary").count() == 1
    message = "Neem een beker mee!" if v.lang == "nl" else "Bring a mug!"
    v.field("body").fill(message)
    v.follow(v.button("Send the message"))
    v.expect(page.locator(".flashes")).to_contain_text(
        v.tn("Your message went to %(num)d person.", "Your message went to %(num)d people.", 1))

    page.goto(f"/initiatieven/{public_id}")
    v.follow(v.main().get_by_role("link", name=v.t("Post news"), exact=True))
    v.check("post news")
    v.field("body").fill("Vanaf volgende maand ook op woensdag." if v.lang == "nl" else "From next month on "
                         "Wednesdays too.")
    v.follow(v.button("Post the news"))
    v.expect(page.locator(".flashes")).to_contain_text(
        v.tn("Your news is on the page. %(num)d follower gets a message.",
             "Your news is on the page. %(num)d followers get a message.", 1))


def volunteer_hears_it(v: Visitor, name: str, title: str) -> None:
    page = v.page
    page.goto("/berichten/")
    v.check("messages")
    v.expect(v.main()).to_contain_text("Neem een beker mee!" if v.lang == "nl" else "Bring a mug!")
    v.expect(v.main()).to_contain_text("Vanaf volgende maand ook op woensdag." if v.lang == "nl"
                                       else "From next month on Wednesdays too.")
    page.goto("/mijn/initiatieven")
    v.check("my initiatives")
    following = v.main().locator("section").filter(has=page.get_by_role("heading", name=v.t(
        "Initiatives you follow")))
    v.expect(following).to_contain_text(name)
