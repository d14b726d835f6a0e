"""`flask accounts create-staff | reset-two-factor | totp-code`: accounts that only the command line makes or mends."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from webapp.accounts import emails, services, two_factor
from webapp.accounts.models import User
from webapp.accounts.passwords import MIN_PASSWORD_LENGTH, PasswordProblem, password_problem
from webapp.core.access import Role
from webapp.core.extensions import db

cli = AppGroup("accounts", help="Staff accounts and two-step login.")

PASSWORD_PROBLEMS = {
    PasswordProblem.TOO_SHORT: f"use at least {MIN_PASSWORD_LENGTH} characters",
    PasswordProblem.TOO_LONG: "this password is too long",
    PasswordProblem.COMMON: "this is a common password, easy to guess; choose another one",
    PasswordProblem.PERSONAL: "the password may not be the e-mail address or the name",
    PasswordProblem.REPETITIVE: "this password repeats the same few characters; choose another one",
}


@cli.command("create-staff")
@click.argument("email")
@click.option("--first-name", default="Consulent", show_default=True)
@click.option("--admin", is_flag=True, help="Also give the admin role.")
@click.option("--role", type=click.Choice((Role.STAFF.value, Role.CITY.value)), default=Role.STAFF.value,
              show_default=True, help="city: a read-only account for the municipality (figures and exports only).")
@click.password_option(prompt="Password", confirmation_prompt=True)
def create_staff(email: str, first_name: str, admin: bool, role: str, password: str) -> None:
    """Create a staff member (or give an existing person the staff role), or with --role city a municipal policy
    officer's account that sees the figures and nothing else."""
    if admin and role == Role.CITY:
        raise click.UsageError("A city account cannot be an admin.")
    if not services.is_valid_email(services.normalise_email(email)):
        raise click.BadParameter("this is not an e-mail address", param_hint="EMAIL")
    problem = password_problem(password, (email, first_name))
    if problem is not None:
        raise click.BadParameter(PASSWORD_PROBLEMS[problem], param_hint="password")
    user = services.create_staff(email, password, first_name, admin=admin, role=role)
    db.session.commit()
    kind = "City account (figures only)" if role == Role.CITY else "Staff account"
    click.echo(f"{kind} ready: {user.email} ({', '.join(sorted(user.roles))}). "
               "At the first login they set up two-step login with an authenticator app.")


def _user_by_email(email: str) -> User:
    user = services.find_by_email(email)
    if user is None:
        raise click.BadParameter("there is no account with this e-mail address", param_hint="EMAIL")
    return user


@cli.command("reset-two-factor")
@click.argument("email")
def reset_two_factor(email: str) -> None:
    """Turn off two-step login for someone who lost both their phone and their recovery codes; at the next login
    they set it up again."""
    user = _user_by_email(email)
    two_factor.turn_off(user)
    services.end_sessions(user)
    if user.email:
        emails.send(emails.security_notice_mail(user, "two_factor"))  # the owner hears of it (ASVS 2.5.5)
    db.session.commit()
    click.echo(f"Two-step login of {user.email} is reset; they set it up again at their next login.")


@cli.command("totp-code")
@click.argument("email")
def totp_code(email: str) -> None:
    """Print the current two-step login code of an account (development and demo only)."""
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("Refusing to show login codes in production.")
    user = _user_by_email(email)
    if not user.totp_secret:
        raise click.ClickException(f"{user.email} has no two-step login yet; it is set up at the first login.")
    click.echo(two_factor.current_code(user.totp_secret))
