"""The sheet's chart: on the page (Altair) every account keeps its whole label, 2 to 40
accounts; on paper (``chart_svg``) the SVG is the bars of the sheet's shares, in its order,
with CRM names as escaped, shortened text."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest
from coaching_helpers import inputs

from reltruth.coaching import chart, chart_svg
from reltruth.coaching.build import assemble
from reltruth.coaching.model import ChartRow
from reltruth.coaching.templates import templates


def _sheet(n: int):  # type: ignore[no-untyped-def]
    rows = tuple(
        ChartRow(
            f"Account {i:02d} Maschinenbau und Anlagentechnik GmbH & Co. KG", 0.5 / n, 1 / n, ""
        )
        for i in range(n)
    )
    return replace(assemble(inputs()), chart=rows)


@pytest.mark.parametrize("n", [2, 10, 40])
def test_every_account_label_is_in_the_chart_spec(n: int) -> None:
    sheet = _sheet(n)
    spec = chart.chart(sheet, in_app=True).to_dict()  # type: ignore[union-attr]
    data = next(iter(spec["datasets"].values()))
    assert {r["account"] for r in data} == {r.account_name for r in sheet.chart}
    axis = spec["encoding"]["y"]["axis"]
    assert axis["labelOverlap"] is False  # Vega drops no label as "overlapping"
    longest = max(len(r.account_name) for r in sheet.chart)
    # 7 px a character at 11 px (a browser drew 55 characters in ~330 px): no ellipsis
    assert axis["labelLimit"] >= 6.5 * longest
    assert spec["height"] == {"step": chart.ROW_HEIGHT // 2}  # a band per bar, any count


def test_the_printed_chart_keeps_its_compact_size() -> None:
    spec = chart.chart(_sheet(10)).to_dict()  # type: ignore[union-attr]
    assert spec["encoding"]["y"]["axis"]["labelLimit"] == chart.LABEL_LIMIT
    assert spec["height"] == 220


# --- the printed chart: SVG written by chart_svg -------------------------------------------

SVG_NS = "{http://www.w3.org/2000/svg}"


def _rows(*shares: tuple[str, float, float]) -> tuple[ChartRow, ...]:
    """ChartRows from (name, time share, potential share)."""
    return tuple(ChartRow(name, time, potential, "") for name, time, potential in shares)


def _svg(rows: tuple[ChartRow, ...]) -> ET.Element:
    text = chart.svg(replace(assemble(inputs()), chart=rows))
    assert text is not None
    return ET.fromstring(text)  # raises on anything that is not well-formed XML


def _bars(root: ET.Element) -> list[ET.Element]:
    """The bars: rects in the two bar colours that are not the legend's 10 px squares."""
    colours = {chart.POTENTIAL_COLOUR, chart.TIME_COLOUR}
    return [
        r
        for r in root.iter(f"{SVG_NS}rect")
        if r.get("fill") in colours and r.get("height") == str(chart_svg.BAR)
    ]


def _texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG_NS}text")]


def test_two_bars_per_account_in_the_sheets_order() -> None:
    rows = _rows(("Alpha", 0.10, 0.40), ("Beta", 0.30, 0.20), ("Gamma", 0.05, 0.0))
    root = _svg(rows)
    bars = _bars(root)
    assert len(bars) == 2 * len(rows)
    assert [b.get("fill") for b in bars] == [chart.POTENTIAL_COLOUR, chart.TIME_COLOUR] * 3
    ys = [float(b.get("y", "nan")) for b in bars]
    assert ys == sorted(ys)  # top to bottom: potential above time, accounts in order
    names = [t for t in _texts(root) if t in {"Alpha", "Beta", "Gamma"}]
    assert names == ["Alpha", "Beta", "Gamma"]
    labels = templates()["labels"]
    assert labels["chart_potential"] in _texts(root)
    assert labels["chart_time"] in _texts(root)


def test_bar_lengths_are_the_shares_against_the_axis_maximum() -> None:
    rows = _rows(("A", 0.125, 0.10), ("B", 0.0, 0.05))
    root = _svg(rows)
    # top share 12.5 %: step nice(12.5 % / 3) = 5 %, axis 0 to 15 %, ticks 0 5 10 15
    assert [t for t in _texts(root) if t.endswith("%")] == ["0%", "5%", "10%", "15%"]
    widths = [float(b.get("width", "nan")) for b in _bars(root)]
    expected = [s / 0.15 * chart_svg.PLOT_WIDTH for s in (0.10, 0.125, 0.05, 0.0)]
    assert widths == pytest.approx(expected, abs=0.01)


def test_small_shares_get_decimal_ticks_and_zero_shares_draw() -> None:
    root = _svg(_rows(("A", 0.006, 0.0), ("B", 0.0, 0.0)))
    assert [t for t in _texts(root) if t.endswith("%")] == ["0.0%", "0.2%", "0.4%", "0.6%"]
    assert len(_bars(root)) == 4
    assert [float(b.get("width", "nan")) for b in _bars(root)] == [0.0, chart_svg.PLOT_WIDTH, 0, 0]
    everything_zero = _svg(_rows(("A", 0.0, 0.0)))
    assert [float(b.get("width", "nan")) for b in _bars(everything_zero)] == [0.0, 0.0]
    assert [t for t in _texts(everything_zero) if t.endswith("%")] == ["0%", "5%"]


def test_the_height_rule_keeps_the_sheets_layout() -> None:
    for n, plot in ((1, 60), (2, 60), (10, 220)):
        root = _svg(_rows(*((f"A{i}", 0.1, 0.1) for i in range(n))))
        assert int(root.get("height", "0")) == plot + 34 + 17 + 5  # legend above, axis below


HOSTILE = (
    "<script>alert(1)</script>",
    '" onload="x',
    "&amp;",
    "W" * 200,
    "شركة الهندسة ذ.م.م",
    "bell\x07 and nul\x00",
)


def test_hostile_names_come_out_as_text_escaped_and_shortened() -> None:
    rows = _rows(*((name, 0.1, 0.2) for name in HOSTILE))
    text = chart.svg(replace(assemble(inputs()), chart=rows))
    assert text is not None
    root = ET.fromstring(text)
    # nothing became markup: the only elements are the drawing's own, without attributes
    # other than geometry and paint
    tags = {e.tag.removeprefix(SVG_NS) for e in root.iter()}
    assert tags == {"svg", "rect", "text", "line"}
    allowed = {"x", "y", "x1", "y1", "x2", "y2", "width", "height", "viewBox", "fill", "stroke"}
    allowed |= {"font-family", "font-size", "text-anchor"}
    for e in root.iter():
        assert set(e.attrib) <= allowed, e.attrib
    for raw in ("<script", "href", "foreignObject", 'onload="', "url("):
        assert raw not in text
    names = _texts(root)
    assert "<script>alert(1)</script>" in names  # read back as the text it was
    assert '" onload="x' in names
    assert "&amp;" in names
    assert "&amp;amp;" in text
    long = next(t for t in names if t.startswith("WWW"))
    assert long.endswith("…") and len(long) < 30
    assert chart_svg.text_width(long, chart_svg.LABEL_SIZE) <= chart.LABEL_LIMIT
    assert "شركة الهندسة ذ.م.م" in names
    assert "bell\ufffd and nul\ufffd" in names


def test_text_is_measured_with_the_bundled_font() -> None:
    # DejaVu Sans: "W" is 2025 units of 2048, "i" 569: a measure, not a character count
    assert chart_svg.text_width("W", 2048) == 2025
    assert chart_svg.text_width("i", 2048) == 569
    assert chart_svg.fit("Short", 150, 11) == "Short"
    cut = chart_svg.fit("Maschinenbau und Anlagentechnik GmbH & Co. KG", 150, 11)
    assert cut.endswith("…") and chart_svg.text_width(cut, 11) <= 150


def test_an_empty_chart_gives_none() -> None:
    assert chart.svg(replace(assemble(inputs()), chart=())) is None
    assert chart.svg_data_uri(replace(assemble(inputs()), chart=())) is None


def test_the_svg_is_the_same_on_every_run() -> None:
    rows = _rows(("Alpha & Co", 1 / 3, 2 / 7), ("Beta", 0.1, 0.2))
    sheet = replace(assemble(inputs()), chart=rows)
    first = chart.svg(sheet)
    assert first == chart.svg(sheet)
    assert first is not None
    # fixed precision: no float's full repr in the drawing
    assert not re.search(r"\d\.\d{3,}", first)
