"""Sending e-mail: over SMTP when MAIL_SERVER is set, otherwise into the outbox folder (instance/outbox/*.eml)."""

from __future__ import annotations

import binascii
import logging
import secrets
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.header import Header
from email.headerregistry import Address
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import quote, urlsplit

from flask import current_app

log = logging.getLogger(__name__)
PATH_SAFE = "!$&'()*+,/:;=@"  # what Werkzeug leaves unquoted in a path value
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


def external_links(endpoint: str, name: str) -> Callable[[str], str]:
    """Many absolute links to one endpoint that differ in one path value (a digest's links to requests): the URL is
    built once, with a marker for the value, and then by string formatting. The value is quoted as Werkzeug quotes a
    path value (`BaseConverter.to_url`), so every link is the one `external_url` builds."""
    marker = "SAMEN0LINK0VALUE"
    head, found, tail = external_url(endpoint, **{name: marker}).partition(marker)
    if not found:  # a converter that changes the value: build each link the long way
        return lambda value: external_url(endpoint, **{name: value})
    return lambda value: f"{head}{quote(value, safe=PATH_SAFE)}{tail}"


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


def _header(value: str) -> str:
    """A header value as it goes on the wire: on one line (a line break in a value would start a header of its own),
    non-ASCII text as RFC 2047 encoded words (folded lines joined by `\n `, which `message_bytes` writes with the
    message's own line ends)."""
    value = " ".join(value.splitlines())
    return value if value.isascii() else Header(value, "utf-8").encode()


def _quoted_printable(text: str) -> str:
    """UTF-8 text as quoted-printable lines of at most 76 characters (binascii's C encoder)."""
    return binascii.b2a_qp(text.replace("\r\n", "\n").encode("utf-8"), istext=True).decode("ascii")


def message_bytes(mail: Mail, sender: str, *, linesep: str = "\n") -> bytes:
    """The mail on the wire: multipart/alternative, plain text first, HTML second, both UTF-8 in quoted-printable.
    `mail.headers` may replace the defaults (the outbox gives each mail a Message-ID of its own, the same on every
    try). `linesep`: "\n" in a file, "\r\n" for SMTP.

    Written out directly instead of through the `email` package's MIME classes and generator: the same message
    (any mail program or parser reads the two alike), at a fraction of the cost; a digest run writes thousands and
    the generator spent most of its time folding headers that need no folding. The boundary starts with "=_",
    which quoted-printable text can never contain."""
    headers: dict[str, str] = {
        "From": sender, "To": mail.to, "Subject": mail.subject, "Date": format_datetime(datetime.now(UTC)),
        "Message-ID": make_msgid(domain=sender_domain(sender)), "Auto-Submitted": "auto-generated"}
    for name, value in mail.headers.items():
        for known in [k for k in headers if k.lower() == name.lower()]:
            del headers[known]
        headers[name] = value
    headers["Content-Language"] = mail.locale
    boundary = f"=_{secrets.token_hex(16)}"
    lines = [f'Content-Type: multipart/alternative; boundary="{boundary}"', "MIME-Version: 1.0"]
    lines += [f"{name}: {_header(value)}" for name, value in headers.items()]
    lines.append("")
    for subtype, body in (("plain", mail.text), ("html", mail.html)):
        lines += [f"--{boundary}", f'Content-Type: text/{subtype}; charset="utf-8"', "MIME-Version: 1.0",
                  "Content-Transfer-Encoding: quoted-printable", "", _quoted_printable(body)]
    lines += [f"--{boundary}--", ""]
    text = "\n".join(lines)
    return (text if linesep == "\n" else text.replace("\n", linesep)).encode("ascii")


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
        if not self.server:
            self._write_to_outbox(mail)
            return
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            sender = parseaddr(self.sender)[1]
            international = () if (sender + mail.to).isascii() else ("SMTPUTF8",)  # refused by a server without it
            self._smtp.sendmail(sender, [mail.to], message_bytes(mail, self.sender, linesep="\r\n"), international)
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

    def _write_to_outbox(self, mail: Mail) -> Path:
        self.outbox.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        path = self.outbox / f"{stamp}-{secrets.token_hex(4)}.eml"
        path.write_bytes(message_bytes(mail, self.sender))
        log.info("No MAIL_SERVER: mail to %s (%s) written to %s", mail.to, mail.subject, path)
        return path
