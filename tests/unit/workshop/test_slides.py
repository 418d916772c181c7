"""Charts as slides: the title, the window, the unit and the source line are text of the SVG,
and both images have exactly the requested size."""

from __future__ import annotations

import html
import re

import pytest

from reltruth import charts, metrics
from reltruth.workshop import slides
from reltruth.workspace import Workspace


@pytest.fixture(scope="module")
def m():
    from reltruth import sample

    ws = Workspace.open(memory=True)
    sample.load_canonical(ws)
    yield metrics.compute(ws)
    ws.close()


SLIDE = slides.Slide(
    title="Frank Berger: share of time against share of potential",
    window_label="12 months to 30 Sep 2026",
    unit="% of hours, % of potential",
    data_label="sample data",
)


def _svg_texts(svg: str) -> list[str]:
    """The text the image shows: <text> elements and their lines (<tspan>)."""
    return [html.unescape(t) for t in re.findall(r"<(?:text|tspan)[^>]*>([^<]+)<", svg)]


@pytest.mark.parametrize("size", slides.SIZES)
def test_svg_carries_title_window_unit_and_source_at_the_size(m, size):
    chart = charts.time_vs_potential(m.accounts[m.accounts["rep_id"] == "R01"], "EUR")
    svg = slides.svg(chart, SLIDE, size)
    width, height = size
    assert re.search(rf'<svg[^>]* width="{width}" height="{height}"', svg)
    texts = _svg_texts(svg)
    assert SLIDE.title in texts
    assert "12 months to 30 Sep 2026 · % of hours, % of potential" in texts
    assert "reltruth · sample data · 12 months to 30 Sep 2026" in texts


@pytest.mark.parametrize("size", slides.SIZES)
def test_png_has_the_requested_size(m, size):
    chart = charts.team_overview(m.reps)
    assert slides.png_size(slides.png(chart, SLIDE, size)) == size


def test_the_sample_is_named_as_such_and_anonymised_data_too(m):
    names = set(m.reps["rep_name"])
    assert slides.data_label(names, anonymised=False) == "sample data"
    assert slides.data_label(names, anonymised=True) == "anonymised data"
    assert slides.data_label({"Someone Else"}, anonymised=False) == "CRM and ERP exports"


def test_file_stem_is_safe():
    assert slides.file_stem("Frank Berger: time / potential") == "frank-berger-time-potential"
    assert slides.file_stem("../..") == "chart"
