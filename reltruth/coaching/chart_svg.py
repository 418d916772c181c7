"""The sheet's chart written as SVG by Python: the bars of ``chart.chart`` for the HTML sheet.

Why not Vega: turning the Altair spec into SVG through ``vl_convert`` (a JavaScript engine)
took 269 ms of a ~320 ms HTML sheet; writing the same bars here takes about a millisecond
(docs/performance.md, sheets). The PDF draws them its own way (``pdf_drawing._bar_chart``,
with this module's axis rule, ``share_axis``). The app's page keeps the Altair chart (``chart.chart``).

CRM text is data: every account name and label goes through the sheet's one escaper
(``render_html.esc``) into element text, never into an attribute; the SVG holds no script,
link, external reference or ``foreignObject``, and only fixed-precision numbers, so a
sheet's bytes are the same on every run.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path

from reltruth.coaching.chart import LABEL_LIMIT, POTENTIAL_COLOUR, TIME_COLOUR
from reltruth.coaching.model import ChartRow, Sheet
from reltruth.coaching.templates import templates

PLOT_WIDTH = 280  # px: the bars' area, as the Vega chart had
PAD = 5  # px around everything (Vega's default padding)
BAR = 8  # px: one bar; potential directly above time
LABEL_SIZE = 11  # px: account names and legend
TICK_SIZE = 10  # px: the axis' percentages
LABEL_GAP = 7  # px between a name's end and the bars (Vega: 5 tick + 2 padding)
LEGEND_HEIGHT = 11
LEGEND_OFFSET = 18  # px between the legend and the bars
AXIS_HEIGHT = 17  # px below the bars: 5 tick, 2 gap, 10 text
FONT = "DejaVu Sans"
ELLIPSIS = "…"
INK, AXIS, GRID = "#000", "#888", "#ddd"
# half the cap height of DejaVu Sans (0.729 em): a baseline this far below a row's middle
# centres the name on its two bars without relying on dominant-baseline support
CAP_HALF = 0.3645
# characters XML 1.0 forbids (a CRM export can carry them): they would make the SVG unreadable
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def svg(sheet: Sheet) -> str | None:
    """The chart as an SVG document, or None when the sheet has no chart rows."""
    rows = sheet.chart
    if not rows:
        return None
    from reltruth.coaching.render_html import esc  # render_html imports this module's caller

    labels = templates()["labels"]
    names = [fit(_xml_text(r.account_name), LABEL_LIMIT, LABEL_SIZE) for r in rows]
    label_w = min(LABEL_LIMIT, max(text_width(n, LABEL_SIZE) for n in names))
    plot_x = PAD + math.ceil(label_w) + LABEL_GAP
    plot_y = PAD + LEGEND_HEIGHT + LEGEND_OFFSET
    plot_h = max(60, 22 * len(rows))  # the Vega chart's height rule: the sheet's layout holds
    width = plot_x + PLOT_WIDTH + PAD
    height = plot_y + plot_h + AXIS_HEIGHT + PAD
    step, scale_max, ticks = share_axis(rows)

    def x_of(share: float) -> float:
        return plot_x + PLOT_WIDTH * max(share, 0.0) / scale_max

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
    ]
    # legend, above the bars: potential first (the upper bar), then time
    lx = float(plot_x)
    for colour, text in (
        (POTENTIAL_COLOUR, labels["chart_potential"]),
        (TIME_COLOUR, labels["chart_time"]),
    ):
        text = _xml_text(text)
        out.append(f'<rect x="{_n(lx + 1)}" y="{PAD + 1}" width="10" height="10" fill="{colour}"/>')
        out.append(
            f'<text x="{_n(lx + 16)}" y="{PAD + 9}" font-size="{LABEL_SIZE}" fill="{INK}">'
            f"{esc(text)}</text>"
        )
        lx += 16 + text_width(text, LABEL_SIZE) + 10
    bottom = plot_y + plot_h
    for t in ticks:  # grid lines behind the bars
        out.append(_vline(x_of(t), plot_y, bottom, GRID))
    row_h = plot_h / len(rows)
    for i, (r, name) in enumerate(zip(rows, names, strict=True)):
        middle = plot_y + (i + 0.5) * row_h
        out.append(
            f'<text x="{plot_x - LABEL_GAP}" y="{_n(middle + CAP_HALF * LABEL_SIZE)}" '
            f'font-size="{LABEL_SIZE}" text-anchor="end" fill="{INK}">{esc(name)}</text>'
        )
        for j, (colour, share) in enumerate(
            ((POTENTIAL_COLOUR, r.potential_share), (TIME_COLOUR, r.time_share))
        ):
            out.append(
                f'<rect x="{plot_x}" y="{_n(middle - BAR + j * BAR)}" '
                f'width="{_n(x_of(share) - plot_x)}" height="{BAR}" fill="{colour}"/>'
            )
    out.append(
        f'<line x1="{plot_x}" y1="{_n(bottom + 0.5)}" x2="{plot_x + PLOT_WIDTH}" '
        f'y2="{_n(bottom + 0.5)}" stroke="{AXIS}"/>'
    )
    for k, t in enumerate(ticks):
        x = x_of(t)
        out.append(_vline(x, bottom, bottom + 5, AXIS))
        # the first label starts at the axis' start and the last ends at its end (Vega-Lite's
        # labelFlush), so neither reaches past the chart's edges
        anchor = "start" if k == 0 else "end" if k == len(ticks) - 1 else "middle"
        out.append(
            f'<text x="{_n(x)}" y="{bottom + 15}" font-size="{TICK_SIZE}" '
            f'text-anchor="{anchor}" fill="{INK}">{percent(t, step)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def share_axis(rows: Sequence[ChartRow]) -> tuple[float, float, list[float]]:
    """The shares' axis, for this SVG and the PDF: (step, maximum, ticks) from 0.

    About four ticks, a "nice" step (``nice_step`` of a third of the largest share) and the
    maximum the first tick at or above the largest share; 5 % when every share is zero."""
    top = max(max(r.time_share, r.potential_share) for r in rows)
    step = nice_step(top / 3) if top > 0 else 0.05
    scale_max = step * max(1, math.ceil(top / step - 1e-9))
    return step, scale_max, [step * i for i in range(int(round(scale_max / step)) + 1)]


def nice_step(value: float) -> float:
    """1, 2 or 5 times a power of ten, at least ``value``: 0.043 -> 0.05 (the PDF's too)."""
    power = 10 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= value - 1e-12)


def percent(share: float, step: float) -> str:
    """An axis label: whole percents, one decimal when the step is below 1 %."""
    return f"{share * 100:.0f}%" if step >= 0.01 - 1e-12 else f"{share * 100:.1f}%"


def text_width(text: str, size: float) -> float:
    """``text``'s advance in px at ``size`` px of DejaVu Sans (no kerning, as Vega measured).

    A character the font lacks counts 0.6 em: the browser draws it in a fallback font."""
    advances, em = _advances()
    fallback = 0.6 * em
    return sum(advances.get(ord(c), fallback) for c in text) * size / em


def fit(text: str, limit: float, size: float) -> str:
    """``text`` shortened with an ellipsis to at most ``limit`` px (Vega's labelLimit)."""
    if text_width(text, size) <= limit:
        return text
    while text and text_width(text + ELLIPSIS, size) > limit:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


@cache
def _advances() -> tuple[dict[int, int], int]:
    """Advance widths of the bundled DejaVu Sans by code point, read once per process.

    fontTools comes with fpdf2; only its TrueType reader is used, so the pages that import
    the sheet's modules still do not load fpdf."""
    from fontTools.ttLib import TTFont

    path = Path(str(resources.files(__package__).joinpath("fonts", "DejaVuSans.ttf")))
    font = TTFont(path, lazy=True)
    metrics = font["hmtx"].metrics
    advances = {code: metrics[glyph][0] for code, glyph in font.getBestCmap().items()}
    em = int(font["head"].unitsPerEm)
    font.close()
    return advances, em


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _vline(x: float, y1: float, y2: float, colour: str) -> str:
    # +0.5: a 1 px line on a whole pixel, not smeared over two
    return (
        f'<line x1="{_n(x + 0.5)}" y1="{_n(y1)}" x2="{_n(x + 0.5)}" y2="{_n(y2)}" '
        f'stroke="{colour}"/>'
    )


def _n(value: float) -> str:
    """A coordinate with two decimals at most, the same text on every run."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
