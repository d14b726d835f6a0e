"""A mail as it goes on the wire (webapp.core.mail.message_bytes): written out directly, not through the `email`
package's generator, which cost a digest run more CPU than drawing the mails (issue #21). What a mail program
reads must be what was written."""

from __future__ import annotations

import email
from email.policy import default
from pathlib import Path

import pytest

from webapp.core.mail import Mail, Mailer, message_bytes

SENDER = "Samen Haarlem <noreply@samen.local>"
TEXT = ("Hoi Ayşe,\n\nEen nieuwe vraag past bij je: ‘Boodschappen doen’ in Schalkwijk.\n"
        "Een lange regel " + "met veel woorden " * 12 + "\n= een is-teken, spaties aan het eind   \n"
        ".een punt vooraan\nFrom een regel die zo begint\nمرحبا, Привіт, cześć\n")
HTML = '<p lang="nl">Hoi Ayşe, <a href="https://samen.example/vragen/abc?x=1&amp;y=2">bekijk</a></p>\n'


def parsed(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=default)  # type: ignore[return-value]


@pytest.mark.parametrize("linesep", ["\n", "\r\n"])
def test_a_mail_reads_back_as_written(linesep: str) -> None:
    unsubscribe = "<https://samen.example/meldingen/afmelden/" + "a" * 180 + ">"
    raw = message_bytes(Mail(to="ayse@example.org", subject="Samen: je nieuws van deze week — één vraag",
                             text=TEXT, html=HTML, locale="nl",
                             headers={"List-Unsubscribe": unsubscribe, "message-id": "<vast@samen.local>"}),
                        SENDER, linesep=linesep)
    assert all(len(line) <= 998 for line in raw.split(linesep.encode()))
    if linesep == "\r\n":  # SMTP: no bare line feed anywhere
        assert b"\n" not in raw.replace(b"\r\n", b"")
    message = parsed(raw)
    assert message.get_content_type() == "multipart/alternative"
    assert message["Subject"] == "Samen: je nieuws van deze week — één vraag"
    assert message["From"] == SENDER and message["To"] == "ayse@example.org"
    assert message["List-Unsubscribe"] == unsubscribe
    assert message.get_all("Message-ID") == ["<vast@samen.local>"]  # replaced, not added
    assert message["Content-Language"] == "nl" and message["Auto-Submitted"] == "auto-generated"
    text, html = message.get_payload()  # type: ignore[misc]
    assert text.get_content_type() == "text/plain" and html.get_content_type() == "text/html"
    assert text.get_content().replace("\r\n", "\n") == TEXT  # a parser keeps the wire's line ends
    assert html.get_content().replace("\r\n", "\n") == HTML


def test_a_line_break_in_a_header_value_never_starts_a_header() -> None:
    raw = message_bytes(Mail(to="a@example.org", subject="Hallo\nBcc: iedereen@example.org", text="x\n",
                             html="<p>x</p>\n", locale="nl"), SENDER)
    message = parsed(raw)
    assert message["Bcc"] is None
    assert message["Subject"] == "Hallo Bcc: iedereen@example.org"


def test_a_mail_is_written_without_the_email_packages_generator(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The cost measured in a digest run (docs/PROFILES.md): building MIME objects and flattening them."""
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the email package's generator was used")

    monkeypatch.setattr(email.generator.BytesGenerator, "flatten", refuse)
    monkeypatch.setattr(email.generator.Generator, "flatten", refuse)
    with Mailer({"MAIL_OUTBOX_DIR": str(tmp_path)}) as mailer:
        mailer.send(Mail(to="a@example.org", subject="Hallo", text=TEXT, html=HTML, locale="nl"))
    (written,) = tmp_path.glob("*.eml")
    assert parsed(written.read_bytes()).get_payload()[0].get_content() == TEXT  # type: ignore[index]
