"""The sheet's chart on the page: every account keeps its whole label, 2 to 40 accounts."""

from __future__ import annotations

from dataclasses import replace

import pytest
from coaching_helpers import inputs

from reltruth.coaching import chart
from reltruth.coaching.build import assemble
from reltruth.coaching.model import ChartRow


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
