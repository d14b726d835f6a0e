"""Kinds of news, how they are grouped for e-mail preferences, and each message as one translated sentence."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask_babel import format_time
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

INSTANT, DAILY, WEEKLY, OFF = "instant", "daily", "weekly", "off"
CHANNELS = (INSTANT, DAILY, WEEKLY, OFF)
DIGEST_CHANNELS = (DAILY, WEEKLY)

# What a person chooses on: each preference covers one or more notification kinds.
PREFERENCES: dict[str, tuple[str, ...]] = {
    "response": ("new_response",),
    "accepted": ("accepted", "ask_agreed", "signup_confirmed"),
    "done": ("done", "thanks"),
    "asked": ("asked", "invited", "need_invited"),
    # A new vacancy or need that fits very well (webapp.volunteering.alerts: a few a day at most). When "best_fit" of
    # the freshness work lands, "suggested_need" can join its kinds and this preference can go.
    "vacancies": ("suggested_need",),
    "best_fit": ("suggested_request",),  # a new request that fits very well (a few a day at most)
    "suggestions": (),  # computed when a digest is made
    "need_signup": ("need_signup",),
    "need_filled": ("need_filled",),
    "activity": ("activity_changed", "activity_cancelled", "waitlist_promoted", "activity_place_closed_screening",
                 "activity_message", "activity_reminder"),
    "following": ("initiative_update",),
    "centre": ("moderation_approved", "moderation_rejected", "handed_over", "helper_handed_over",
               "helper_request_closed",
               "match_ended_by_centre", "budget_plan_accepted", "budget_plan_rejected", "budget_plan_funded",
               "initiative_confirmed"),
    "other": ("not_chosen", "request_cancelled", "request_closed", "signup_declined", "signup_shortlisted",
              "co_organiser_added",
              "request_withdrawn", "match_ended_requester_left", "match_ended_helper_left", "ask_closed",
              "response_closed_screening", "signup_closed_screening"),
}
DEFAULTS = {
    "response": INSTANT, "accepted": INSTANT, "done": DAILY, "asked": INSTANT, "best_fit": INSTANT,
    "suggestions": WEEKLY,
    "need_signup": INSTANT, "need_filled": DAILY, "activity": INSTANT, "centre": INSTANT,
    "other": DAILY, "vacancies": INSTANT, "following": DAILY,
}
# Suggestions are worked out when a digest is made, so they cannot come straight away.
DIGEST_ONLY = frozenset({"suggestions"})
ALL = "all"  # an unsubscribe link for every kind at once (the List-Unsubscribe header of a digest)
_BY_KIND = {kind: preference for preference, kinds in PREFERENCES.items() for kind in kinds}

PREFERENCE_LABELS: dict[str, LazyString] = {
    "response": _l("Someone responds to my request"),
    "accepted": _l("I am chosen to help, or a helper says yes"),
    "done": _l("Help is marked as done, and thank-you messages"),
    "asked": _l("Someone asks or invites me to help"),
    "vacancies": _l("A new vacancy or task that fits me very well (a few a day at most)"),
    "best_fit": _l("A new request that fits me very well (a few a day at most)"),
    "suggestions": _l("New suggestions for me: requests and initiatives"),
    "need_signup": _l("Someone signs up for a need of my initiative"),
    "need_filled": _l("A need of my initiative is filled"),
    "activity": _l("An activity I joined changes, is cancelled, has a message, or is tomorrow"),
    "following": _l("News from initiatives I follow"),
    "centre": _l("The volunteer centre checked my request, offer or profile, or asked a professional to help"),
    "other": _l("Other news about my requests and initiatives"),
}
CHANNEL_LABELS: dict[str, LazyString] = {
    INSTANT: _l("Straight away"),
    DAILY: _l("Once a day, in one e-mail"),
    WEEKLY: _l("Once a week, in one e-mail"),
    OFF: _l("No e-mail"),
}


# Kind words organisers choose from when they say no to an applicant (webapp.initiatives): the volunteer reads the
# chosen one in their own language, in the app and in the e-mail.
DECLINE_WORDS: dict[str, LazyString] = {
    "enough": _l("We have found enough people for now. Thank you very much for offering, and we hope to see you "
                 "another time."),
    "fit": _l("This time we are looking for someone with other experience. Thank you for your interest. Perhaps "
              "another task of ours suits you."),
    "times": _l("The times do not fit what we need. Perhaps another task of ours suits you better."),
    "later": _l("We cannot welcome new volunteers right now. May we ask you again later?"),
}


def is_mailed(kind: str) -> bool:
    """Only kinds listed in PREFERENCES (each with a sentence below) are e-mailed; others stay in the app."""
    return kind in _BY_KIND


def preference_for(kind: str) -> str:
    """The preference that decides how a notification kind is e-mailed."""
    return _BY_KIND.get(kind, "other")


def channels_for(preference: str) -> tuple[str, ...]:
    return tuple(c for c in CHANNELS if c != INSTANT) if preference in DIGEST_ONLY else CHANNELS


def preference_label(preference: str) -> str:
    if preference == ALL:
        return _("All e-mail from Samen")
    return str(PREFERENCE_LABELS.get(preference, preference))


def _time(starts: Any) -> str:
    """A stored UTC moment ("2026-12-12T17:30:00") as the local time of day, in the reader's language."""
    try:
        return str(format_time(datetime.fromisoformat(str(starts)), "short"))
    except ValueError:
        return ""


def sentence(kind: str, params: Mapping[str, Any]) -> str:
    """The message in the current language. Only a title and a name: never contact details."""
    title = str(params.get("title", ""))
    name = str(params.get("name", ""))
    profile = params.get("item_kind") == "profile"
    texts = {
        "new_response": lambda: _("A neighbour responded to your request “%(title)s”.", title=title),
        "accepted": lambda: _("You were chosen to help with “%(title)s”. You can now see the contact details.",
                              title=title),
        "not_chosen": lambda: _("For “%(title)s” another helper was chosen. Thank you for offering your help!",
                                title=title),
        "done": lambda: _("“%(title)s” was marked as done.", title=title),
        "thanks": lambda: _("You received thanks for “%(title)s”.", title=title),
        "request_cancelled": lambda: _("The request “%(title)s” was cancelled.", title=title),
        "asked": lambda: _("A neighbour asks you for help with “%(title)s”.", title=title),
        "ask_agreed": lambda: _("The volunteer said yes to “%(title)s”. You can now see the contact details.",
                                title=title),
        "invited": lambda: _("You are invited to look at the request “%(title)s”.", title=title),
        "suggested_request": lambda: _("A new request fits you very well: “%(title)s”. Can you help?", title=title),
        "need_signup": lambda: _("Someone signed up for “%(title)s” of %(name)s.", title=title, name=name),
        "need_filled": lambda: _("“%(title)s” of %(name)s is filled. Thank you all!", title=title, name=name),
        "signup_confirmed": lambda: _("You are welcome to help with “%(title)s” of %(name)s. You can now see "
                                      "the organisers' contact details.", title=title, name=name),
        "signup_declined": lambda: " ".join(part for part in (
            _("%(name)s does not need your help with “%(title)s” this time. Thank you for offering!", title=title,
              name=name),
            str(DECLINE_WORDS[params["reason"]]) if params.get("reason") in DECLINE_WORDS else "") if part),
        "signup_shortlisted": lambda: _("%(name)s put you on their shortlist for “%(title)s”. They will let you "
                                        "know soon.", title=title, name=name),
        "suggested_need": lambda: _("New at %(name)s, and it fits you well: “%(title)s”. Can you help?",
                                    title=title, name=name),
        "activity_message": lambda: _("Message from %(name)s about “%(title)s”: %(message)s", title=title, name=name,
                                      message=str(params.get("message", ""))),
        "activity_reminder": lambda: _("Tomorrow: “%(title)s” of %(name)s, at %(time)s. See you there!",
                                       title=title, name=name, time=_time(params.get("starts"))),
        "initiative_update": lambda: _("News from %(name)s: %(message)s", name=name,
                                       message=str(params.get("message", ""))),
        "need_invited": lambda: _("%(name)s invites you to help with “%(title)s”.", title=title, name=name),
        "activity_changed": lambda: _("The activity “%(title)s” of %(name)s has changed. Check the day and "
                                      "the place.", title=title, name=name),
        "activity_cancelled": lambda: _("The activity “%(title)s” of %(name)s is cancelled.", title=title,
                                        name=name),
        "waitlist_promoted": lambda: _("A place became free: you can now join “%(title)s” of %(name)s.",
                                       title=title, name=name),
        # An account was deleted (webapp.privacy): only the wijk, never a name or the text of the person who left.
        "request_withdrawn": lambda: _("A request in %(name)s you responded to was withdrawn: the person deleted "
                                       "their account. Thank you for offering your help!", name=name),
        "match_ended_requester_left": lambda: _("Someone in %(name)s you were going to help deleted their account, "
                                                "so that help has ended. Thank you for your help!", name=name),
        "match_ended_helper_left": lambda: _("The volunteer who was going to help with “%(title)s” deleted their "
                                             "account. We are sorry. You can post your request again.",
                                             title=title),
        "co_organiser_added": lambda: _("You can now edit the initiative %(name)s as an organiser.", name=name),
        # The screening rule closed something: never the title of a request the person may no longer read.
        "response_closed_screening": lambda: _("A request in %(name)s you responded to now needs a volunteer with a "
                                               "certificate of conduct (VOG), so your response was closed. Thank "
                                               "you for offering your help!", name=name),
        "signup_closed_screening": lambda: _("%(name)s now asks for a certificate of conduct (VOG) for “%(title)s”, "
                                             "so your sign-up was closed. Thank you for offering!", title=title,
                                             name=name),
        "activity_place_closed_screening": lambda: _("The activity “%(title)s” of %(name)s is now only for people "
                                                     "with a certificate of conduct (VOG), so your place was "
                                                     "cancelled.", title=title, name=name),
        "initiative_confirmed": lambda: _("The volunteer centre confirmed %(name)s. Everyone can see it now, and "
                                          "you can invite co-organisers.", name=name),
        # From the volunteer centre. A rejection's reason and note stay in the app (they may say more than a title).
        "moderation_approved": lambda: (
            _("Your volunteer profile was checked and is active again.") if profile else
            _("“%(title)s” was checked by the volunteer centre and is online now.", title=title)),
        "moderation_rejected": lambda: (
            _("The volunteer centre did not approve your volunteer profile. Log in to read why.") if profile else
            _("The volunteer centre did not approve “%(title)s”, so it is not online. Log in to read why.",
              title=title)),
        "handed_over": lambda: _("The volunteer centre has asked a professional to help you with “%(title)s”. "
                                 "They will contact you.", title=title),
        "request_closed": lambda: _("The request “%(title)s” was closed by the volunteer centre. Thank you for "
                                    "offering your help!", title=title),
        # District budgets (webapp.budgets): the plan's author hears what staff and the vote decided.
        "budget_plan_accepted": lambda: _("Your plan “%(title)s” is on the ballot of the district budget.",
                                          title=title),
        "budget_plan_rejected": lambda: _("Your plan “%(title)s” cannot be done. Log in to read why.", title=title),
        "budget_plan_funded": lambda: _("Good news: your plan “%(title)s” gets money from the district budget.",
                                        title=title),
        # The volunteer centre ended a match or closed a question (a block, a hand-over): never the reason.
        "helper_handed_over": lambda: _("The volunteer centre has asked a professional to help with “%(title)s”. "
                                        "Your help is no longer needed there. Thank you for what you did!",
                                        title=title),
        # A hand-over the resident is not told about: the helper, a neighbour, hears no more than that it closed.
        "helper_request_closed": lambda: _("The volunteer centre has closed “%(title)s”. Your help is no longer "
                                           "needed there. Thank you for what you did!", title=title),
        "match_ended_by_centre": lambda: _("The help with “%(title)s” has ended. Someone of the volunteer centre "
                                           "will call you about it soon.", title=title),
        "ask_closed": lambda: _("The volunteer you asked about “%(title)s” cannot help after all. You can ask "
                                "someone else or post a request.", title=title),
    }
    text = texts.get(kind)
    return text() if text else title
