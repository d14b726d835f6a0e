"""E-mail to staff: an urgent report ("it feels unsafe", "it asks for money") reaches the staff on duty at once.

The mail says what kind of thing was reported and why, with a link to the moderation queue; never the text of
the item, the reporter's words or anyone's name (the queue shows those, after logging in). In each staff member's
own language. Who is on duty: staff accounts with `staff_on_duty` set (the staff workspace has a switch); when
nobody is, every staff member gets it, so an urgent report is never mailed to no one.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp.accounts.models import User, UserRole
from webapp.core.access import Role
from webapp.core.extensions import db
from webapp.core.i18n import in_language
from webapp.core.mail import Mail, external_url

KIND_LABELS = {"request": _l("a request"), "offer": _l("an offer"), "person": _l("a person")}


def staff_on_duty() -> list[User]:
    """Staff who get urgent reports now: those on duty, or every staff member when nobody is."""
    staff = list(db.session.execute(
        select(User).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role.in_((Role.STAFF, Role.ADMIN)), User.is_blocked.is_(False), User.email.is_not(None))
        .distinct().order_by(User.id)
    ).scalars())
    on_duty = [member for member in staff if member.staff_on_duty]
    return on_duty or staff


def urgent_report_mails(target_kind: str, reason_label: object) -> list[Mail]:
    """`reason_label`: a lazy string, read in each staff member's language."""
    link = external_url("staff.moderation_queue")
    mails = []
    for member in staff_on_duty():
        assert member.email
        locale = member.locale if member.locale in current_app.config["LANGUAGES"] else "nl"
        with in_language(locale):
            what = str(KIND_LABELS.get(target_kind, target_kind))
            context = {"name": member.first_name, "locale": locale, "what": what, "reason": str(reason_label),
                       "link": link}
            template = current_app.jinja_env.get_template
            mails.append(Mail(to=member.email, subject=str(_l("Samen: an urgent report")), locale=locale,
                              text=template("staff/email/urgent_report.txt").render(**context),
                              html=template("staff/email/urgent_report.html").render(**context)))
    return mails
