"""A map of Haarlem's wijken as inline SVG, drawn on the server from the CBS outlines in
reference/data/haarlem_wijken.geojson: an equirectangular projection scaled by cos(latitude). No tiles, no CDN,
no JavaScript. Colours are SVG attributes (never style attributes), so the page's Content-Security-Policy holds.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path

GEOJSON = Path(__file__).resolve().parent.parent / "core" / "reference" / "data" / "haarlem_wijken.geojson"
# A sequential green scale, light to dark (readable as grey when printed), and the fills for other cells.
PALETTE = ("#e5f5e0", "#a1d99b", "#74c476", "#31a354", "#006d2c")
HIDDEN_FILL = "#bdbdbd"
EMPTY_FILL = "#ffffff"
STROKE = "#1a1a1a"


@dataclass(frozen=True)
class Shape:
    code: str
    name: str
    rings: tuple[tuple[tuple[float, float], ...], ...]  # (lon, lat) rings


@dataclass(frozen=True)
class Bin:
    colour: str
    low: float
    high: float


@lru_cache(maxsize=1)
def load_shapes(path: str = str(GEOJSON)) -> tuple[Shape, ...]:
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    shapes = []
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        rings = tuple(tuple((float(x), float(y)) for x, y in ring) for polygon in polygons for ring in polygon)
        shapes.append(Shape(feature["properties"]["code"], feature["properties"]["name"], rings))
    return tuple(shapes)


def bins(values: Sequence[float], classes: int = len(PALETTE)) -> list[Bin]:
    """Equal-count classes (quantiles) over the shown values; fewer classes when there are few values."""
    ordered = sorted(set(values))
    if not ordered:
        return []
    classes = max(1, min(classes, len(ordered)))
    out = []
    for i in range(classes):
        chunk = ordered[i * len(ordered) // classes:(i + 1) * len(ordered) // classes]
        if chunk:
            colour = PALETTE[round(i * (len(PALETTE) - 1) / max(classes - 1, 1))]
            out.append(Bin(colour, chunk[0], chunk[-1]))
    return out


def colour_for(value: float, scale: Sequence[Bin]) -> str:
    for item in scale:
        if value <= item.high:
            return item.colour
    return scale[-1].colour if scale else EMPTY_FILL


def _projector(shapes: Sequence[Shape], width: float, margin: float) -> tuple[
        float, float, float, float, float, float]:
    lons = [x for s in shapes for ring in s.rings for x, _y in ring]
    lats = [y for s in shapes for ring in s.rings for _x, y in ring]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    factor = math.cos(math.radians((north + south) / 2))
    scale = (width - 2 * margin) / ((east - west) * factor)
    height = (north - south) * scale + 2 * margin
    return west, north, factor, scale, height, margin


def draw(values: Mapping[str, float | None], titles: Mapping[str, str], *, title: str, description: str,
         width: int = 560) -> tuple[str, list[Bin]]:
    """The SVG for a map coloured by `values` (code → number, or None when hidden), and its legend classes.

    `titles` gives each wijk's tooltip text (name and value, formatted by the caller). Wijken without a value in
    `values` are drawn white; hidden ones grey.
    """
    shapes = load_shapes()
    west, north, factor, scale, height, margin = _projector(shapes, width, 8)
    scale_bins = bins([v for v in values.values() if v is not None])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.0f}" role="img" '
        f'aria-labelledby="map-title map-desc">',
        f'<title id="map-title">{escape(title)}</title><desc id="map-desc">{escape(description)}</desc>',
    ]
    for shape in shapes:
        d = " ".join(
            "M " + " L ".join(f"{(x - west) * factor * scale + margin:.1f} {(north - y) * scale + margin:.1f}"
                              for x, y in ring) + " Z"
            for ring in shape.rings
        )
        if shape.code not in values:
            fill = EMPTY_FILL
        else:
            value = values[shape.code]
            fill = HIDDEN_FILL if value is None else colour_for(value, scale_bins)
        tooltip = escape(titles.get(shape.code, shape.name))
        parts.append(f'<path d="{d}" fill="{fill}" stroke="{STROKE}" stroke-width="1" '
                     f'data-wijk="{escape(shape.code)}"><title>{tooltip}</title></path>')
    parts.append("</svg>")
    return "".join(parts), scale_bins


def swatch(colour: str, size: int = 16) -> str:
    """A small legend square."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" aria-hidden="true">'
            f'<rect width="{size}" height="{size}" fill="{colour}" stroke="{STROKE}" stroke-width="1"/></svg>')
