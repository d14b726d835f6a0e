"""Forms for registering, logging in and keeping a profile."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, NumberRange, Optional, ValidationError

from webapp.accounts.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, PasswordProblem, password_problem
from webapp.accounts.services import is_valid_email, normalise_email
from webapp.core.forms import LocalDecimalField, MultiCheckboxField, language_choices, slot_choices
from webapp.core.reference.forms import PostcodeWijkMixin

PASSWORD_MESSAGES = {
    PasswordProblem.TOO_SHORT: _l("Use at least %(num)d characters. A short sentence works well.",
                                  num=MIN_PASSWORD_LENGTH),
    PasswordProblem.TOO_LONG: _l("Use at most %(num)d characters.", num=MAX_PASSWORD_LENGTH),
    PasswordProblem.COMMON: _l("Many people use this password, so it is easy to guess. Choose another one, "
                               "for example a short sentence of your own."),
    PasswordProblem.PERSONAL: _l("Your password may not be your e-mail address or your name. Choose another one."),
    PasswordProblem.REPETITIVE: _l("This password repeats the same few characters. Choose another one, "
                                   "for example a short sentence of your own."),
}
PERSONAL_FIELDS = ("email", "first_name", "last_name")


def role_choices() -> list[SelectChoice]:
    return [
        SelectChoice("resident", str(_l("I would like help now and then"))),
        SelectChoice("volunteer", str(_l("I want to help others (volunteer)"))),
        SelectChoice("organiser", str(_l("I organise a resident initiative"))),
    ]


def _email_ok(form: FlaskForm, field: EmailField) -> None:
    field.data = normalise_email(field.data or "")
    if not is_valid_email(field.data):
        raise ValidationError(_l("This e-mail address is not complete. It looks like name@example.nl."))


def strong_password(form: FlaskForm, field: PasswordField) -> None:
    """A new password: long enough, not a common one, not the person's e-mail address or name.

    The names come from the form's own fields, or from `form.personal` (set by the view for a known person)."""
    personal = [str(getattr(form, name).data or "") for name in PERSONAL_FIELDS if hasattr(form, name)]
    personal.extend(getattr(form, "personal", ()))
    problem = password_problem(field.data or "", personal)
    if problem is not None:
        raise ValidationError(PASSWORD_MESSAGES[problem])


def new_password_field() -> PasswordField:
    return PasswordField(
        _l("Password"),
        validators=[InputRequired(message=_l("Choose a password.")), strong_password],
        description=_l("At least %(num)d characters. A short sentence is easy to remember.", num=MIN_PASSWORD_LENGTH),
        render_kw={"autocomplete": "new-password"},
    )


def password_again_field() -> PasswordField:
    return PasswordField(
        _l("Password again"),
        validators=[InputRequired(message=_l("Type your password again.")),
                    EqualTo("password", message=_l("The two passwords are not the same."))],
        render_kw={"autocomplete": "new-password"},
    )


class RegistrationForm(PostcodeWijkMixin, FlaskForm):
    field_order = ("first_name", "last_name", "email", "phone", "postcode", "wijk")

    first_name = StringField(
        _l("First name"),
        validators=[DataRequired(message=_l("Fill in your first name.")), Length(max=60)],
        description=_l("Others see only your first name."),
        render_kw={"autocomplete": "given-name"},
    )
    last_name = StringField(_l("Last name (optional)"), validators=[Optional(), Length(max=80)],
                            render_kw={"autocomplete": "family-name"})
    email = EmailField(_l("E-mail address"),
                       validators=[InputRequired(message=_l("Fill in your e-mail address.")), _email_ok],
                       render_kw={"autocomplete": "email"})
    phone = StringField(
        _l("Phone number (optional)"),
        validators=[Optional(), Length(max=30)],
        description=_l("Only the person you are matched with sees it."),
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )
    roles = MultiCheckboxField(_l("What do you want to do?"), choices=role_choices, default=["resident"])
    password = new_password_field()
    password_again = password_again_field()


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[InputRequired(message=_l("Fill in your e-mail address."))],
                       render_kw={"autocomplete": "email"})
    password = PasswordField(_l("Password"), validators=[InputRequired(message=_l("Fill in your password."))],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Stay logged in on this device"))


class AccountForm(PostcodeWijkMixin, FlaskForm):
    field_order = ("first_name", "last_name", "phone", "postcode", "wijk")

    first_name = StringField(_l("First name"),
                             validators=[DataRequired(message=_l("Fill in your first name.")), Length(max=60)])
    last_name = StringField(_l("Last name (optional)"), validators=[Optional(), Length(max=80)])
    phone = StringField(_l("Phone number (optional)"), validators=[Optional(), Length(max=30)],
                        description=_l("Only the person you are matched with sees it."))
    roles = MultiCheckboxField(_l("What do you want to do?"), choices=role_choices)


class VolunteerProfileForm(PostcodeWijkMixin, FlaskForm):
    field_order = ("skills", "languages", "postcode", "wijk")

    skills = StringField(
        _l("What are you good at?"),
        validators=[DataRequired(message=_l("Name at least one thing you like to help with.")), Length(max=500)],
        description=_l("Separate with commas, for example: groceries, computer help, gardening."),
    )
    languages = MultiCheckboxField(
        _l("Languages you speak"),
        choices=language_choices,
        validators=[InputRequired(message=_l("Choose at least one language."))],
    )
    max_distance_km = LocalDecimalField(
        _l("How far will you go? (km)"),
        places=1,
        default=3,
        validators=[InputRequired(message=_l("Fill in a distance in kilometres.")),
                    NumberRange(min=0.5, max=50, message=_l("Choose a distance between 0.5 and 50 km."))],
        render_kw={"inputmode": "decimal"},
    )
    availability = MultiCheckboxField(
        _l("When can you help?"), choices=slot_choices,
        description=_l("Choose nothing if your time is flexible."),
    )
    bio = TextAreaField(_l("A few words about yourself (optional)"), validators=[Optional(), Length(max=1000)])
    findable_by_organisers = BooleanField(
        _l("Organisers of initiatives the volunteer centre confirmed may see my first name and suggest tasks to me"),
        description=_l("They see your first name, your wijk and why you may suit their task; never your contact "
                       "details. Without this tick, only the volunteer centre suggests you."))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail address"),
                       validators=[InputRequired(message=_l("Fill in your e-mail address.")), _email_ok],
                       render_kw={"autocomplete": "email"})


class ResetPasswordForm(FlaskForm):
    password = new_password_field()
    password_again = password_again_field()

    def __init__(self, *args: object, personal: tuple[str, ...] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.personal = personal


class ChangePasswordForm(ResetPasswordForm):
    current_password = PasswordField(_l("Your current password"),
                                     validators=[InputRequired(message=_l("Fill in your current password."))],
                                     render_kw={"autocomplete": "current-password"})


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[InputRequired(message=_l("Fill in the code.")), Length(max=40)],
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"},
    )
