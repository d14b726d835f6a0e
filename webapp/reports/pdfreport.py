"""The impact report as a PDF a policy officer attaches to a memo as it is: a title page (period, the day it was
made, what the hidden figures mean), the definitions, Haarlem as a whole, the figures per goal and per wijk, the map
of the wijken and two charts.

It prints the cells of the stored, suppressed report (figures.compute_year): the same cells as the dashboard and
the spreadsheets, never a value the suppression hid. It is written in the reader's language, all six of them, in one
font shipped with the code (DejaVu Sans, webapp/reports/fonts: Latin, Cyrillic and Arabic letters); Arabic is
shaped (joined letters, right to left) by HarfBuzz, and the document says its language (/Lang) for screen readers.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask_babel import format_date
from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from webapp.core.numbers import format_decimal
from webapp.reports import charts, figures, svgmap
from webapp.reports.forms import MEASURE_LABELS

LANGUAGES = ("nl", "en", "tr", "ar", "pl", "uk")  # what the font can write: every language of the interface
RIGHT_TO_LEFT = ("ar",)
FONT = "dejavu"
FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FILES = {"": FONT_DIR / "DejaVuSans.ttf", "B": FONT_DIR / "DejaVuSans-Bold.ttf"}
GREEN = (11, 93, 59)
GREY = (90, 90, 90)
# Per table, this many measures side by side on a landscape A4 page; more go in a second table.
COLUMNS_PER_TABLE = 8
# Narrow and thin spaces some number and date formats use, as a no-break and a plain space (the font has those; it
# has every other character the reports use, see tests/webapp/reports/test_reports_pdf_languages.py).
_SPACES = str.maketrans({"\u202f": "\u00a0", "\u2009": " ",
                         # Direction marks some number formats carry: the shaping engine orders the text itself.
                         "\u200e": None, "\u200f": None, "\u061c": None})
_SVG_TEXT = re.compile(r"<(title|desc)\b[^>]*>.*?</\1>", re.DOTALL)
_SVG_FONT = re.compile(r'font-family="[^"]*"')


def pdf_language(locale: str) -> str:
    """The language the PDF is written in: the reader's (the font writes every interface language), else English."""
    return locale if locale in LANGUAGES else "en"


def printable(text: str) -> str:
    """The text as the PDF writes it (narrow and thin spaces as ones the font has)."""
    return text.translate(_SPACES)


def figure(cell: figures.Cell, measure: str, min_cell: int, nothing: str = "-") -> str:
    """A figure as the dashboard prints it: "<5" and "x" for hidden cells, `nothing` for nothing to compute (the
    dashboard's "—"; a plain "-" in the PDF)."""
    if cell.state == figures.State.SMALL:
        return f"<{min_cell}"
    if cell.state == figures.State.HIDDEN:
        return "x"
    if cell.value is None:
        return nothing
    kind = figures.MEASURE_KIND[measure]
    if kind == "count":
        return str(format_decimal(int(cell.value)))
    if kind == "per_1000":
        return str(format_decimal(cell.value, "#,##0.00"))
    return str(format_decimal(cell.value, "#,##0.0"))


def svg_for_pdf(svg: str) -> bytes:
    """The SVG without its title and description (accessible names on a web page; fpdf2 does not draw them), its
    labels (month names in every language) in the PDF's font."""
    return _SVG_FONT.sub(f'font-family="{FONT}"', _SVG_TEXT.sub("", svg)).encode("utf-8")


@dataclass(frozen=True)
class Content:
    """Everything the PDF shows, already translated: the caller (documents.pdf_file) reads it from the snapshots."""

    current: figures.Report
    previous: figures.Report
    title: str
    period_label: str
    previous_label: str
    made_on: datetime
    min_cell: int
    notices: Sequence[str]  # a period not over yet, or from before Samen was used
    definitions: Sequence[str]
    language_note: str | None = None  # the report is in English although the reader asked for another language
    language: str = "en"  # the language it is written in: the PDF's /Lang, and Arabic is shaped right to left
    extra_sections: Sequence[tuple[str, Sequence[Sequence[str]]]] = ()  # (heading, rows with a header row)


class _Pdf(FPDF):
    def __init__(self, footer_text: str, language: str = "en") -> None:
        super().__init__(orientation="landscape", unit="mm", format="A4")
        for style, path in FONT_FILES.items():  # embedded once per document, as a subset of the letters used
            self.add_font(FONT, style, str(path))
        self.set_lang(language)
        if language in RIGHT_TO_LEFT:
            self.set_text_shaping(True)  # Arabic letters joined, lines right to left (HarfBuzz)
        self.is_rtl = language in RIGHT_TO_LEFT
        self._footer_text = footer_text
        self.set_margins(14, 14, 14)
        self.set_auto_page_break(True, margin=16)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.set_text_color(*GREY)
        self.cell(0, 6, printable(f"{self._footer_text}  -  {self.page_no()}"), align="R")
        self.set_text_color(0, 0, 0)


def _start(pdf: FPDF) -> str:
    """Where a line of text starts: the right edge for a language written right to left."""
    return "R" if getattr(pdf, "is_rtl", False) else "L"


def _heading(pdf: FPDF, text: str, size: int = 14) -> None:
    pdf.set_font(FONT, "B", size)
    pdf.set_text_color(*GREEN)
    pdf.multi_cell(0, size * 0.5, printable(text), new_x="LMARGIN", new_y="NEXT", align=_start(pdf))
    pdf.set_text_color(0, 0, 0)
    pdf.ln(2)


def _paragraph(pdf: FPDF, text: str, size: int = 10) -> None:
    pdf.set_font(FONT, size=size)
    pdf.multi_cell(0, size * 0.5, printable(text), new_x="LMARGIN", new_y="NEXT", align=_start(pdf))
    pdf.ln(1.5)


def _table(pdf: FPDF, rows: Sequence[Sequence[str]], first_width: float, *, total_row: bool = True) -> None:
    """A table whose header repeats on every page and whose rows are never split across pages."""
    width = pdf.epw
    others = len(rows[0]) - 1
    rest = (width - first_width) / max(others, 1)
    pdf.set_font(FONT, size=8)
    first = "RIGHT" if _start(pdf) == "R" else "LEFT"
    with pdf.table(col_widths=(first_width, *([rest] * others)), width=width, text_align=(first, *("RIGHT",) * others),
                   line_height=4, headings_style=FontFace(emphasis="BOLD", fill_color=(230, 240, 233)),
                   repeat_headings=1) as table:
        for i, values in enumerate(rows):
            style = FontFace(emphasis="BOLD") if total_row and i == len(rows) - 1 else None
            row = table.row(style=style)
            for value in values:
                row.cell(printable(value))
    pdf.ln(3)


def _measure_chunks(measures: Sequence[str]) -> list[list[str]]:
    return [list(measures[i:i + COLUMNS_PER_TABLE]) for i in range(0, len(measures), COLUMNS_PER_TABLE)]


def _dimension_tables(pdf: FPDF, content: Content, dimension: str, heading: str, first_label: str,
                      total_label: str) -> None:
    pdf.add_page()
    _heading(pdf, heading)
    table = content.current.tables[dimension]
    for chunk in _measure_chunks(figures.measures_for(dimension)):
        rows = [[first_label, *(str(MEASURE_LABELS[m]) for m in chunk)]]
        for row in (*table.rows, table.total):
            label = total_label if row is table.total else row.label
            rows.append([label, *(figure(row.cells[m], m, content.min_cell) for m in chunk)])
        _table(pdf, rows, 52)


def _map_page(pdf: FPDF, content: Content, measure: str) -> None:
    pdf.add_page()
    label = str(MEASURE_LABELS[measure])
    _heading(pdf, _("Map: %(measure)s per wijk", measure=label))
    values: dict[str, float | None] = {}
    for row in content.current.tables["wijk"].rows:
        cell = row.cells[measure]
        values[str(row.key[1])] = None if cell.state in (figures.State.SMALL, figures.State.HIDDEN) else cell.value
    svg, scale = svgmap.draw({k: v for k, v in values.items() if k}, {}, title=label, description="")
    top = pdf.get_y()
    pdf.image(io.BytesIO(svg_for_pdf(svg)), x=pdf.l_margin, y=top, w=150)
    x = pdf.l_margin + 160
    pdf.set_xy(x, top)
    pdf.set_font(FONT, "B", 10)
    pdf.cell(0, 6, printable(label), new_x="LEFT", new_y="NEXT")
    pdf.set_font(FONT, size=9)
    legend = [(b.colour, figure(figures.Cell(b.low), measure, content.min_cell)
               + ("" if b.low == b.high else " - " + figure(figures.Cell(b.high), measure, content.min_cell)))
              for b in scale]
    legend.append((svgmap.HIDDEN_FILL, _("Hidden: fewer than %(num)d", num=content.min_cell)))
    for colour, text in legend:
        pdf.set_fill_color(*_rgb(colour))
        pdf.rect(x, pdf.get_y() + 1, 4, 4, style="DF")
        pdf.set_x(x + 6)
        pdf.cell(0, 6, printable(text), new_x="LEFT", new_y="NEXT")
        pdf.set_x(x)
    pdf.ln(2)
    pdf.set_x(x)
    pdf.multi_cell(0, 4.5, printable(_("The table per wijk in this report gives the same figures.")),
                   new_x="LEFT", new_y="NEXT")


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _chart(pdf: FPDF, groups: Sequence[charts.Group], title: str, series: Sequence[str]) -> None:
    _heading(pdf, title, 12)
    svg = charts.bars(groups, title=title, description="", series=series, width=720, height=220)
    pdf.image(io.BytesIO(svg_for_pdf(svg)), x=pdf.l_margin, w=pdf.epw * 0.8)
    pdf.set_font(FONT, size=9)
    for colour, name in zip(charts.SERIES_COLOURS, series, strict=False):
        pdf.set_fill_color(*_rgb(colour))
        pdf.rect(pdf.get_x(), pdf.get_y() + 1, 4, 4, style="F")
        pdf.set_x(pdf.get_x() + 6)
        pdf.cell(pdf.get_string_width(printable(name)) + 8, 6, printable(name))
    pdf.ln(9)


def _charts_page(pdf: FPDF, content: Content) -> None:
    pdf.add_page()
    report = content.current
    series = [str(MEASURE_LABELS["posted"]), str(MEASURE_LABELS["matched"])]
    months = [charts.Group(str(format_date(p.month.start, "MMM yy")), tuple(
        charts.Bar(p.cells[m].value if p.cells[m].shown else None, figure(p.cells[m], m, content.min_cell))
        for m in ("posted", "matched"))) for p in report.trend]
    if months:
        _chart(pdf, months, _("Requests posted and matched per month"), series)
    districts = [charts.Group(row.label, tuple(
        charts.Bar(row.cells[m].value if row.cells[m].shown else None, figure(row.cells[m], m, content.min_cell))
        for m in ("posted", "matched"))) for row in report.tables["stadsdeel"].rows]
    _chart(pdf, districts, _("Requests posted and matched per district"), series)


def render(content: Content) -> bytes:
    """The PDF's bytes."""
    pdf = _Pdf(f"Samen Haarlem - {content.title} - {content.period_label}", content.language)
    pdf.set_title(printable(f"Samen Haarlem: {content.title}, {content.period_label}"))
    pdf.set_author("Samen Haarlem")
    pdf.set_creator("Samen")
    pdf.set_creation_date(content.made_on)

    pdf.add_page()  # the title page
    pdf.ln(30)
    pdf.set_font(FONT, "B", 30)
    pdf.set_text_color(*GREEN)
    pdf.cell(0, 14, "Samen Haarlem", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 20)
    pdf.cell(0, 12, printable(content.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FONT, size=16)
    pdf.cell(0, 10, printable(content.period_label), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    start, last = content.current.period.start, content.current.period.last_day
    _paragraph(pdf, _("Period: %(start)s to %(end)s (both included).", start=format_date(start, "long"),
                      end=format_date(last, "long")), 11)
    _paragraph(pdf, _("Made on %(day)s.", day=format_date(content.made_on, "long")), 11)
    pdf.ln(2)
    _paragraph(pdf, _("Figures below %(num)d are hidden: a number from 1 to %(max)d is printed as “<%(num)d”, and "
                      "“x” hides a figure from which such a small number could be worked out (also by subtracting "
                      "periods, districts or goals from each other). So no figure points at a person.",
                      num=content.min_cell, max=content.min_cell - 1))
    _paragraph(pdf, _("Only counts: no names, addresses or other personal data."))
    for notice in content.notices:
        _paragraph(pdf, notice)
    if content.language_note:
        _paragraph(pdf, content.language_note)

    pdf.add_page()
    _heading(pdf, _("How the figures are made"))
    for line in content.definitions:
        _paragraph(pdf, "- " + line, 9)

    pdf.add_page()
    _heading(pdf, _("Haarlem as a whole"))
    rows = [[_("Measure"), content.period_label, content.previous_label, _("Difference")]]
    for measure, _kind in figures.MEASURES:
        now, before = content.current.total.cells[measure], content.previous.total.cells[measure]
        change = figures.change(now, before)
        rows.append([str(MEASURE_LABELS[measure]), figure(now, measure, content.min_cell),
                     figure(before, measure, content.min_cell),
                     "-" if change is None else str(format_decimal(change, "+#,##0.0;-#,##0.0")) + "%"])
    _table(pdf, rows, 110, total_row=False)
    for heading, section in content.extra_sections:
        _heading(pdf, heading, 12)
        _table(pdf, section, 110, total_row=False)

    _dimension_tables(pdf, content, "goal", _("Per societal goal"), _("Societal goal"), _("Haarlem (total)"))
    _dimension_tables(pdf, content, "wijk", _("Per wijk"), _("Wijk"), _("Haarlem (total)"))
    _dimension_tables(pdf, content, "partner", _("Hand-overs per partner"), _("Partner"), _("Haarlem (total)"))
    _map_page(pdf, content, "posted_per_1000")
    _charts_page(pdf, content)
    return bytes(pdf.output())
