"""The PDF report in all six languages: one font shipped with the code (DejaVu Sans) that has every letter the
report's translated texts use, Arabic shaped by HarfBuzz, the document's language (/Lang) set, and each PDF read back
with its title and a known figure."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from tests.webapp.reports.test_reports_dashboard import make_history
from webapp.reports import pdfreport

ROOT = Path(__file__).resolve().parents[3]
# The modules whose strings the PDF prints (its own words, the definitions and notices, the names of measures).
PDF_SOURCES = ("webapp/reports/pdfreport.py", "webapp/reports/documents.py", "webapp/reports/forms.py")
OTHER_LANGUAGES = ("tr", "ar", "pl", "uk")


def pdf_msgids() -> set[str]:
    found: set[str] = set()
    for source in PDF_SOURCES:
        for _line, message, _comments, _context in extract_from_file(
                "python", ROOT / source, keywords={"_": None, "_l": None, "gettext": None, "lazy_gettext": None}):
            found.update([message] if isinstance(message, str) else [m for m in message if m])
    return found


def msgstrs(language: str, msgids: set[str]) -> list[str]:
    with open(ROOT / "translations" / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalog = read_po(po)
    out = []
    for message in catalog:
        key = message.id if isinstance(message.id, str) else message.id[0]
        if key in msgids and message.string:
            out += [message.string] if isinstance(message.string, str) else [s for s in message.string if s]
    return out


def cmap(path: Path) -> set[int]:
    font = TTFont(str(path), lazy=True)
    try:
        return set(font.getBestCmap())
    finally:
        font.close()


def missing_letters(texts: list[str], letters: set[int]) -> set[str]:
    """The characters of `texts` a font with these `letters` cannot draw (line breaks and other controls aside)."""
    return {ch for text in texts for ch in text
            if ord(ch) not in letters and unicodedata.category(ch) not in ("Cc", "Cf")}


@pytest.fixture(scope="module")
def font_letters() -> dict[str, set[int]]:
    return {style: cmap(path) for style, path in pdfreport.FONT_FILES.items()}


@pytest.mark.parametrize("language", ("nl", "en", *OTHER_LANGUAGES))
def test_the_font_has_every_letter_the_pdf_prints_in_each_language(language, font_letters):
    texts = msgstrs(language, pdf_msgids()) if language != "en" else sorted(pdf_msgids())
    assert len(texts) > 40, "the PDF's strings were not found in the catalogue"
    for style, letters in font_letters.items():
        assert missing_letters(texts, letters) == set(), (language, style)


def test_the_check_finds_a_letter_a_font_lacks(font_letters):
    arabic = msgstrs("ar", pdf_msgids())
    letter = next(ch for text in arabic for ch in text if "\u0600" <= ch <= "\u06ff")
    assert missing_letters(arabic, font_letters[""] - {ord(letter)}) == {letter}


def test_the_fonts_come_with_their_licence_and_origin():
    folder = pdfreport.FONT_DIR
    assert (folder / "LICENSE").read_text(encoding="utf-8").count("Bitstream") >= 2
    assert "fonts-dejavu-core" in (folder / "README.md").read_text(encoding="utf-8")
    assert all(path.is_file() and path.parent == folder for path in pdfreport.FONT_FILES.values())


# -- the PDF read back in every language -----------------------------------------------------------------------------

def read(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def words(text: str) -> set[str]:
    """The words of a text, each also reversed (text written right to left may be extracted in visual order)."""
    out = set()
    for word in text.split():
        out |= {word, word[::-1]}
    return out


@pytest.mark.slow
def test_the_pdf_report_is_written_in_each_language_with_its_title_lang_and_figures(make, login, tr):
    make_history(make)
    for language in ("nl", "en", *OTHER_LANGUAGES):
        client = login(make.user("staff", locale=language).email, lang=language)
        response = client.get("/rapportage/export.pdf?period=2026-02")
        assert response.status_code == 200, language
        reader, text = read(response.get_data())
        title = tr(language, "Impact report")
        assert reader.metadata is not None and title in (reader.metadata.title or ""), language
        assert reader.trailer["/Root"]["/Lang"] == language
        assert tr(language, "This report is in English: a PDF in your language is not available yet. The "
                            "dashboard and the spreadsheets are in your language.") not in text
        # The title and the definitions' heading, word by word, in the extracted text.
        for phrase in (title, tr(language, "How the figures are made")):
            assert set(phrase.split()) <= words(text), (language, phrase)
        # A known figure: Europawijk's 8 requests of February (wijk names are the city's Dutch names).
        assert any(line.startswith("Europawijk 8") or line.endswith("8 Europawijk") or
                   ("Europawijk" in line and line.split()[line.split().index("Europawijk") + 1:][:1] == ["8"])
                   for line in text.splitlines()), language


def test_arabic_is_shaped_and_the_other_languages_are_not():
    """Arabic letters take their joined forms (HarfBuzz): the shaped word is narrower than its letters set one by
    one. Only Arabic pays for shaping."""
    word = "تقرير الأثر"

    def width(language: str) -> float:
        pdf = pdfreport._Pdf("Samen", language)
        pdf.add_page()
        pdf.set_font(pdfreport.FONT, size=12)
        return pdf.get_string_width(word)

    assert pdfreport._Pdf("Samen", "ar").text_shaping is not None
    assert pdfreport._Pdf("Samen", "uk").text_shaping is None
    assert width("ar") != pytest.approx(width("en"))
