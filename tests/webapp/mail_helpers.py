"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, and helpers to read the mails."""

from __future__ import annotations

import email
import re
import socket
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from flask import Flask

from webapp.core import outbox


class Sink:
    """What the SMTP server received. Reading it first sends what waits in the app's outbox, as the app's worker
    thread would a moment after the click (the tests run without that thread: MAIL_WORKER is off)."""

    def __init__(self, app: Flask | None = None) -> None:
        self.app = app
        # aiosmtpd looks at every attribute of its handler (inspect.getmembers) when a client connects, from its own
        # thread: reading `messages` there would send the outbox to this very server and wait on itself.
        self._test_thread = threading.get_ident()
        self._messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []

    def receive(self, envelope: object) -> None:
        self.recipients.append(list(envelope.rcpt_tos))  # type: ignore[attr-defined]
        self._messages.append(email.message_from_bytes(envelope.content, policy=default))  # type: ignore[arg-type, attr-defined]

    def send_outbox(self) -> None:
        if self.app is not None and threading.get_ident() == self._test_thread:
            with self.app.app_context():
                outbox.send_waiting(limit=10_000)

    @property
    def messages(self) -> list[EmailMessage]:
        self.send_outbox()
        return self._messages

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m, rcpt in zip(self.messages, self.recipients, strict=True) if address in rcpt]


class Receiver:
    """The SMTP server's handler. Not the Sink itself: aiosmtpd reads every attribute of its handler for each new
    connection (inspect.getmembers), and reading `Sink.messages` sends the outbox, which, from the server's own
    thread, connects to the same server and waits for a greeting that thread would have to send: with two or more
    mails waiting, every delivery timed out."""

    def __init__(self, sink: Sink) -> None:
        self.sink = sink

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.sink.receive(envelope)
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sink]:
    """Point the app at a real SMTP server on 127.0.0.1 for this test."""
    sink = Sink(app)
    port = free_port()
    controller = Controller(Receiver(sink), hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    monkeypatch.setitem(app.config, "MAIL_SITE_URL", "https://samen.example")
    try:
        yield sink
    finally:
        controller.stop()


def parts(message: EmailMessage) -> tuple[str, str]:
    """(plain text, HTML) of a multipart/alternative mail."""
    plain = message.get_body(preferencelist=("plain",))
    rich = message.get_body(preferencelist=("html",))
    assert plain is not None and rich is not None, "the mail needs a plain-text and an HTML part"
    return plain.get_content(), rich.get_content()


def unsubscribe_path(message: EmailMessage) -> str:
    found = re.fullmatch(r"<([^>]+)>", str(message["List-Unsubscribe"]))
    assert found, message["List-Unsubscribe"]
    return urlsplit(found.group(1)).path
