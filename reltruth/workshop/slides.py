"""Charts as slides: PNG and SVG at slide size, with the title, the window, the unit and a
source line on the image itself, through ``vl-convert`` (no browser).

Why a module of its own: the chart toolbar's PNG has no title, window or source, and its
size is the screen's. A slide needs all three written on it and a fixed 16:9 size, whatever
the chart. Every chart of ``reltruth.charts`` is a single or layered view, so Vega-Lite's
``autosize: fit`` (padding included) makes the image exactly the requested size.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any

import altair as alt

SIZES: tuple[tuple[int, int], ...] = ((1920, 1080), (1280, 720))
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"


@dataclass(frozen=True)
class Slide:
    title: str
    window_label: str
    unit: str  # what the chart measures, e.g. "Revenue (EUR)", "pp", "% of hours"
    data_label: str  # "sample data", "anonymised data", "CRM and ERP exports"

    @property
    def source(self) -> str:
        return f"reltruth · {self.data_label} · {self.window_label}"

    @property
    def subtitle(self) -> list[str]:
        first = self.window_label + (f" · {self.unit}" if self.unit else "")
        return [first, self.source]


def data_label(rep_names: set[str], *, anonymised: bool) -> str:
    """What the source line calls the data: the built-in sample is recognised by its cast."""
    from reltruth.sample.cast import CAST

    if anonymised:
        return "anonymised data"
    if {p.name for p in CAST} <= rep_names:
        return "sample data"
    return "CRM and ERP exports"


def slide_spec(
    chart: alt.TopLevelMixin | dict[str, Any], slide: Slide, size: tuple[int, int]
) -> dict[str, Any]:
    """The chart's Vega-Lite spec sized to ``size`` with the slide's title block and
    fonts large enough to read from the back of a room."""
    spec = dict(chart if isinstance(chart, dict) else chart.to_dict())
    width, height = size
    k = width / 1280  # fonts grow with the slide
    for key in ("width", "height", "autosize", "padding", "title"):
        spec.pop(key, None)
    config = dict(spec.pop("config", {}) or {})
    config.update(
        font=FONT,
        axis={
            **(config.get("axis") or {}),
            "labelFontSize": round(13 * k),
            "titleFontSize": round(15 * k),
        },
        legend={
            **(config.get("legend") or {}),
            "labelFontSize": round(12 * k),
            "titleFontSize": round(13 * k),
        },
        view={**(config.get("view") or {}), "stroke": None},
    )
    spec.update(
        width=width,
        height=height,
        autosize={"type": "fit", "contains": "padding"},
        padding=round(32 * k),
        background="white",
        title={
            "text": slide.title,
            "subtitle": slide.subtitle,
            "anchor": "start",
            "fontSize": round(30 * k),
            "subtitleFontSize": round(17 * k),
            "subtitleColor": "#555555",
            "offset": round(14 * k),
        },
        config=config,
    )
    return spec


def svg(chart: alt.TopLevelMixin | dict[str, Any], slide: Slide, size: tuple[int, int]) -> str:
    import vl_convert

    # allowed_base_urls=[]: a chart never fetches anything while it is drawn.
    text: str = vl_convert.vegalite_to_svg(slide_spec(chart, slide, size), allowed_base_urls=[])
    return text


def png(chart: alt.TopLevelMixin | dict[str, Any], slide: Slide, size: tuple[int, int]) -> bytes:
    import vl_convert

    data: bytes = vl_convert.vegalite_to_png(
        slide_spec(chart, slide, size), scale=1, allowed_base_urls=[]
    )
    return data


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header (IHDR), without an image library."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def file_stem(title: str) -> str:
    keep = "".join(c.lower() if c.isalnum() else "-" for c in title)
    return "-".join(p for p in keep.split("-") if p) or "chart"
