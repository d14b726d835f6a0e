"""Plain one-page PDFs for print (a referral for a partner, a letter for a resident), with fpdf2's core fonts.

The core fonts know Latin-1 only: typographic quotes and dashes are written plainly, and a text that still has
other letters (Turkish, Polish, Arabic, Ukrainian) is refused with UnsupportedText, so the caller can fall back to
Dutch instead of printing question marks.
"""

from __future__ import annotations

from collections.abc import Sequence

from fpdf import FPDF

PLAIN = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "€": "EUR",
                       "\u00a0": " ", "\u202f": " "})


class UnsupportedText(ValueError):
    """The text has letters the core fonts cannot print."""


def printable(text: str) -> str:
    plain = text.translate(PLAIN)
    try:
        plain.encode("latin-1")
    except UnicodeEncodeError as error:
        raise UnsupportedText(text) from error
    return plain


def can_print(*texts: str) -> bool:
    try:
        for text in texts:
            printable(text)
    except UnsupportedText:
        return False
    return True


def one_page(title: str, paragraphs: Sequence[str], facts: Sequence[tuple[str, str]] = (),
             closing: Sequence[str] = (), sender: str = "Samen Haarlem") -> bytes:
    """A page: the sender, a title, paragraphs, label/value facts, closing paragraphs."""
    pdf = FPDF(format="A4")
    pdf.set_title(printable(title))
    pdf.set_author(printable(sender))
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 12)
    pdf.set_text_color(11, 93, 59)
    pdf.cell(0, 8, printable(sender), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, printable(title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", "", 12)
    for paragraph in paragraphs:
        pdf.multi_cell(0, 6.5, printable(paragraph), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    for label, value in facts:
        pdf.set_font("Helvetica", "B", 12)
        pdf.multi_cell(0, 6.5, printable(label), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 12)
        pdf.multi_cell(0, 6.5, printable(value), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    for paragraph in closing:
        pdf.ln(1)
        pdf.multi_cell(0, 6.5, printable(paragraph), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
