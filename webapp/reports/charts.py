"""Trend charts as inline SVG bars per month, drawn on the server. Hidden figures are drawn as a grey stub with
their label ("<5" or "x"), never as a bar of their true height."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

SERIES_COLOURS = ("#0b5d3b", "#74c476")
HIDDEN_FILL = "#bdbdbd"
INK = "#1a1a1a"


@dataclass(frozen=True)
class Bar:
    value: float | None  # None: hidden
    text: str  # the figure as printed ("12", "<5", "x")


@dataclass(frozen=True)
class Group:
    label: str  # the month, e.g. "mrt 2026"
    bars: tuple[Bar, ...]  # one per series


def bars(groups: Sequence[Group], *, title: str, description: str, series: Sequence[str], width: int = 640,
         height: int = 220) -> str:
    left, bottom, top = 36, 34, 16
    plot_h = height - bottom - top
    top_value = max([b.value for g in groups for b in g.bars if b.value is not None] + [1.0])
    slot = (width - left - 8) / max(len(groups), 1)
    bar_w = max(4.0, (slot - 6) / max(len(series), 1))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="chart-title chart-desc" font-family="system-ui, sans-serif" font-size="11">',
        f'<title id="chart-title">{escape(title)}</title><desc id="chart-desc">{escape(description)}</desc>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 4}" y2="{top + plot_h}" stroke="{INK}"/>',
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" fill="{INK}">{top_value:g}</text>',
        f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end" fill="{INK}">0</text>',
    ]
    for i, group in enumerate(groups):
        x0 = left + i * slot + 3
        for j, bar in enumerate(group.bars):
            x = x0 + j * bar_w
            if bar.value is None:
                h, fill = 6.0, HIDDEN_FILL
            else:
                h, fill = plot_h * bar.value / top_value, SERIES_COLOURS[j % len(SERIES_COLOURS)]
            y = top + plot_h - h
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 1:.1f}" height="{h:.1f}" fill="{fill}">'
                       f'<title>{escape(group.label)}, {escape(series[j])}: {escape(bar.text)}</title></rect>')
            if bar.value is None:
                out.append(f'<text x="{x + bar_w / 2:.1f}" y="{y - 2:.1f}" text-anchor="middle" fill="{INK}">'
                           f'{escape(bar.text)}</text>')
        out.append(f'<text x="{x0 + slot / 2 - 3:.1f}" y="{height - bottom + 14}" text-anchor="middle" '
                   f'fill="{INK}">{escape(group.label)}</text>')
    out.append("</svg>")
    return "".join(out)
