"""Which changes clear which cached pages: every flush is inspected; after its commit the groups it touched are
cleared. A table not named here clears everything, so a new public table is safe before anyone thinks of it."""

from __future__ import annotations

from typing import Any

from flask import has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from webapp.core.extensions import db
from webapp.core.pagecache import services

# Changes here never show on a page for anonymous visitors (or show through a change in a table that does).
PRIVATE_TABLES = frozenset({
    "page_cache", "rate_counters", "notifications", "notification_preferences", "email_digests", "audit_log",
    "suggestion_events", "invitations", "need_invitations", "recovery_codes", "account_erasures", "responses",
    "matches", "intakes", "suggestion_lists", "volunteer_suggestions",
    "report_snapshots", "mail_outbox", "organiser_invitations", "shown_volunteers",
    # District budgets: who voted, the sealed and the counted ballots, and the intake trail show on no public page
    # (the results read them only after the count, which changes budget_rounds and so clears "budgets").
    "budget_voters", "budget_ballots", "budget_intakes",
    # The front door (issue #18): hours and messages to participants are for the people concerned only; who follows an
    # initiative shows nowhere; a person's calendar feed and the alerts they got are theirs.
    "signup_hours", "activity_messages", "initiative_followers", "calendar_feeds", "need_alerts",
})
# The front door ("volunteering") lists open requests, needs, vacancies and activities together: it is cleared with
# both of their groups.
TAGS = {
    "help_requests": ("requests", "volunteering"),
    "offers": ("offers",),
    "volunteer_profiles": ("offers",),  # an offer shows its volunteer's wijk and screening
    **{table: ("initiatives", "volunteering") for table in (
        "initiatives", "initiative_organisers", "initiative_needs", "need_signups", "initiative_backings",
        "activities", "activity_participants", "initiative_support", "initiative_wijken", "initiative_goals",
        "initiative_updates")},
    "initiatives": ("initiatives", "budgets", "volunteering"),  # a round's page names the initiative a plan comes from
    "budget_rounds": ("budgets",),
    "budget_proposals": ("budgets",),
}
# New rows here show up on cached pages when those expire (PAGE_CACHE_SECONDS): a new request, offer or initiative
# may take that long to appear for visitors who are not logged in (a new person shows nowhere at all). Posting is
# frequent and an addition is never a privacy matter; a change or a removal shows at once.
NEW_ROWS_SHOW_LATER = frozenset({"users", "user_roles", "volunteer_profiles", "help_requests", "offers",
                                 "initiatives", "initiative_organisers", "initiative_needs", "activities"})
# A person's row changes at every log-in; only these columns show on public pages (first name, wijk) or hide them.
PUBLIC_USER_COLUMNS = frozenset({"first_name", "last_name", "is_blocked", "wijk_id"})
_KEY = "samen.page_cache_tags"


def tags_for_table(table: str) -> tuple[str, ...]:
    if table in PRIVATE_TABLES:
        return ()
    return TAGS.get(table, (services.ALL,))


def _tags_for_row(instance: Any, *, changed: bool = False, new: bool = False) -> tuple[str, ...]:
    table = getattr(instance, "__tablename__", "")
    if new and table in NEW_ROWS_SHOW_LATER:
        return ()
    if table == "users" and changed:
        state = inspect(instance)
        if not any(state.attrs[name].history.has_changes() for name in PUBLIC_USER_COLUMNS):
            return ()
    return tags_for_table(table)


def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    tags: set[str] = session.info.setdefault(_KEY, set())
    for instance in session.new:
        tags.update(_tags_for_row(instance, new=True))
    for instance in session.deleted:
        tags.update(_tags_for_row(instance))
    for instance in session.dirty:
        if session.is_modified(instance):  # with collections: an initiative's wijken
            tags.update(_tags_for_row(instance, changed=True))


def _bulk_statement(state: ORMExecuteState) -> None:
    """`session.execute(update(...))` and `delete(...)` bypass the flush."""
    if (state.is_update or state.is_delete) and state.bind_mapper is not None:
        tables = {table.name for table in state.bind_mapper.tables}
        state.session.info.setdefault(_KEY, set()).update(tag for t in tables for tag in tags_for_table(t))


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        # A SAVEPOINT released (`begin_nested`), announced as a commit: nothing is visible to others yet, and on
        # SQLite this connection may hold the write lock that clearing from another connection would wait for.
        # The tags stay for the real commit.
        return
    tags = session.info.pop(_KEY, None)
    if tags and has_app_context():  # also where the cache is off: other processes may serve from it
        services.clear(tags)


def _after_rollback(session: Session) -> None:
    session.info.pop(_KEY, None)


def install() -> None:
    """Listen to the app's database session (db.session: every request, command and job uses it)."""
    if not event.contains(db.session, "after_flush", _after_flush):
        event.listen(db.session, "after_flush", _after_flush)
        event.listen(db.session, "do_orm_execute", _bulk_statement)
        event.listen(db.session, "after_commit", _after_commit)
        event.listen(db.session, "after_rollback", _after_rollback)
