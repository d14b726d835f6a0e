"""The map and charts for spreadsheets: the wijken drawn as a PNG with Pillow from the same outlines and colour
classes as the dashboard's SVG map (svgmap), and native spreadsheet bar charts (openpyxl) over a small table of the
figures they show. Hidden figures are grey on the map and printed as their label ("<5", "x") in the chart's table."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from openpyxl.chart import BarChart, Reference
from openpyxl.drawing.image import Image as SheetImage
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.workbook import Workbook
from PIL import Image, ImageDraw

from webapp.reports import svgmap

Value = str | int | float


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def map_png(values: Mapping[str, float | None], *, width: int = 800) -> tuple[bytes, list[svgmap.Bin]]:
    """A PNG of the wijken coloured by `values` (code → number, None when hidden), and its legend classes: the
    projection and classes of svgmap.draw, so the picture matches the dashboard's map."""
    shapes = svgmap.load_shapes()
    west, north, factor, scale, height, margin = svgmap._projector(shapes, width, 8)
    scale_bins = svgmap.bins([v for v in values.values() if v is not None])
    picture = Image.new("RGB", (width, round(height)), "white")
    pen = ImageDraw.Draw(picture)
    for shape in shapes:
        if shape.code not in values:
            fill = svgmap.EMPTY_FILL
        else:
            value = values[shape.code]
            fill = svgmap.HIDDEN_FILL if value is None else svgmap.colour_for(value, scale_bins)
        for ring in shape.rings:
            points = [((x - west) * factor * scale + margin, (north - y) * scale + margin) for x, y in ring]
            pen.polygon(points, fill=_rgb(fill), outline=_rgb(svgmap.STROKE))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue(), scale_bins


def add_map_sheet(workbook: Workbook, title: str, heading: str, png: bytes,
                  legend: Sequence[tuple[str, str]]) -> None:
    """A sheet with the map as a picture and its legend (colour, text) beside it."""
    sheet = workbook.create_sheet(title[:31])
    sheet["A1"] = heading
    sheet["A1"].font = Font(bold=True, size=13)
    picture = SheetImage(io.BytesIO(png))
    picture.anchor = "A3"
    sheet.add_image(picture)
    for i, (colour, text) in enumerate(legend, start=3):
        sheet.cell(row=i, column=14).fill = PatternFill("solid", fgColor=colour.lstrip("#").upper())
        sheet.cell(row=i, column=15, value=text)
    sheet.column_dimensions["O"].width = 28


def add_chart_sheet(workbook: Workbook, title: str, heading: str, categories: Sequence[str],
                    series: Sequence[tuple[str, Sequence[Value]]], note: str) -> None:
    """A sheet with a small table (categories down, one column per series) and a bar chart drawn from it."""
    sheet = workbook.create_sheet(title[:31])
    sheet["A1"] = heading
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append(["", *(name for name, _values in series)])
    for i, category in enumerate(categories):
        sheet.append([category, *(values[i] for _name, values in series)])
    first, last = 4, 3 + len(categories)
    sheet.cell(row=last + 2, column=1, value=note)
    chart = BarChart()
    chart.type = "col"
    chart.title = heading
    chart.height, chart.width = 9, 18
    chart.add_data(Reference(sheet, min_col=2, max_col=1 + len(series), min_row=3, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=first, max_row=last))
    sheet.add_chart(chart, f"{chr(ord('A') + len(series) + 2)}3")
    sheet.column_dimensions["A"].width = 28
