"""Sending e-mail: over SMTP when MAIL_SERVER is set, otherwise into the outbox folder (instance/outbox/*.eml)."""

from __future__ import annotations

import logging
import secrets
import smtplib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.charset import QP, Charset
from email.header import Header
from email.headerregistry import Address
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from flask import current_app

log = logging.getLogger(__name__)
# What a failed delivery to one person looks like; the caller keeps the item to try again later.
DELIVERY_ERRORS = (smtplib.SMTPException, OSError)
# Of those, the ones that mean the server itself is out of reach (not answering, refusing us): every other mail
# of a batch would fail the same way.
UNREACHABLE = (OSError, smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, smtplib.SMTPHeloError,
               smtplib.SMTPAuthenticationError)


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute link for an e-mail, on MAIL_SITE_URL; works without a request (in the CLI too)."""
    parts = urlsplit(current_app.config.get("MAIL_SITE_URL") or "http://127.0.0.1:5000")
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "http")
    return str(adapter.build(endpoint, values, force_external=True))


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str
    html: str
    locale: str
    headers: dict[str, str] = field(default_factory=dict)


def sender_domain(sender: str) -> str:
    return parseaddr(sender)[1].rpartition("@")[2] or "samen.local"


# Lines up to RFC 5322's limit: a long header (the unsubscribe link) stays on one line, as mail programs expect it.
_WIRE = compat32.clone(max_line_length=998)


def _header(value: str) -> str:
    """A header value as it goes on the wire: non-ASCII text as an RFC 2047 encoded word."""
    return value if value.isascii() else Header(value, "utf-8").encode()


def build_message(mail: Mail, sender: str) -> Message:
    """A multipart/alternative message: plain text first, HTML second, both UTF-8 in quoted-printable.
    `mail.headers` may replace the defaults (the outbox gives each mail a Message-ID of its own, the same on
    every try).

    Built with the compat32 MIME classes: the same message as `EmailMessage` builds, at a quarter of the cost
    (a digest run builds thousands; the default policy parses every header it is given)."""
    body = Charset("utf-8")
    body.body_encoding = QP
    message = MIMEMultipart("alternative", policy=_WIRE)
    message["From"] = _header(sender)
    message["To"] = _header(mail.to)
    message["Subject"] = _header(mail.subject)
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain=sender_domain(sender))
    message["Auto-Submitted"] = "auto-generated"
    for name, value in mail.headers.items():
        del message[name]
        message[name] = _header(value)
    message["Content-Language"] = mail.locale
    message.attach(MIMEText(mail.text, "plain", body))  # type: ignore[arg-type]  # a Charset works as well
    message.attach(MIMEText(mail.html, "html", body))  # type: ignore[arg-type]
    return message


class Mailer:
    """Delivers mails; one SMTP connection for a whole batch. Use as a context manager."""

    def __init__(self, config: dict[str, Any] | Any) -> None:
        self.server: str = config.get("MAIL_SERVER") or ""
        self.port = int(config.get("MAIL_PORT") or 25)
        self.username: str = config.get("MAIL_USERNAME") or ""
        self.password: str = config.get("MAIL_PASSWORD") or ""
        self.use_tls = bool(config.get("MAIL_USE_TLS"))
        self.timeout = float(config.get("MAIL_TIMEOUT") or 10)
        self.sender: str = config.get("MAIL_DEFAULT_SENDER") or str(Address("Samen Haarlem", "noreply", "samen.local"))
        outbox = config.get("MAIL_OUTBOX_DIR") or Path(config.get("INSTANCE_PATH") or "instance") / "outbox"
        self.outbox = Path(outbox)
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def send(self, mail: Mail) -> None:
        message = build_message(mail, self.sender)
        if not self.server:
            self._write_to_outbox(message)
            return
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            self._smtp.send_message(message)
        except DELIVERY_ERRORS:
            self.close()  # a broken connection is not reused
            raise

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except DELIVERY_ERRORS:
                self._smtp.close()
            self._smtp = None

    def _connect(self) -> smtplib.SMTP:
        smtp = smtplib.SMTP(self.server, self.port, timeout=self.timeout)
        if self.use_tls:
            smtp.starttls()
        if self.username:
            smtp.login(self.username, self.password)
        return smtp

    def _write_to_outbox(self, message: Message) -> Path:
        self.outbox.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        path = self.outbox / f"{stamp}-{secrets.token_hex(4)}.eml"
        path.write_bytes(message.as_bytes())
        log.info("No MAIL_SERVER: mail to %s (%s) written to %s", message["To"], message["Subject"], path)
        return path
