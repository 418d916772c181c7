"""Numbers with units, as printed on the sheet (NBSP between number and unit)."""

from __future__ import annotations

import math

import pytest

from reltruth import format as fmt

N = "\u00a0"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1_200_000, f"€1.2{N}M"),
        (999_600, f"€1.0{N}M"),
        (85_400, f"€85{N}k"),
        (1_260, f"€1.3{N}k"),
        (950, "€950"),
        (-12_000, f"−€12{N}k"),
        (None, "–"),
        (math.nan, "–"),
    ],
)
def test_money(value: float | None, text: str) -> None:
    assert fmt.money(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.18, f"18{N}%"),
        (0.135, f"14{N}%"),
        (0.06, f"6.0{N}%"),
        (-0.0004, f"0.0{N}%"),
        (-0.05, f"−5.0{N}%"),
        (None, "–"),
    ],
)
def test_pct(value: float | None, text: str) -> None:
    assert fmt.pct(value) == text


def test_discounts_keep_a_decimal() -> None:
    assert fmt.pct(0.135, 1) == f"13.5{N}%"


@pytest.mark.parametrize(
    ("value", "text"),
    [(3.14, f"+3.1{N}pp"), (-0.04, f"+0.0{N}pp"), (-2.25, f"−2.2{N}pp"), (None, "–")],
)
def test_pp(value: float | None, text: str) -> None:
    assert fmt.pp(value) == text


def test_growth_and_hours() -> None:
    assert fmt.signed_pct(0.072) == f"+7.2{N}%"
    assert fmt.signed_pct(-0.12) == f"−12{N}%"
    assert fmt.pp_from_fraction(-0.066) == f"−6.6{N}pp"
    assert fmt.hours(26) == f"26{N}h" and fmt.hours(4.46) == f"4.5{N}h"
    assert fmt.currency_symbol("usd") == "$" and fmt.currency_symbol("SEK") == f"SEK{N}"


def test_one_number_is_written_one_way_on_pages_sheets_and_reasons() -> None:
    """Issue 15: -0.004 was "-0 %" on the pages, "−0.4 %" on the sheet and "-0.4 %" in the
    flag reasons; a missing value was "–" or "n/a"."""
    from reltruth.ui import format as ui_format

    nbsp = "\u00a0"
    assert fmt.pct(-0.004) == ui_format.pct_text(-0.004) == f"−0.4{nbsp}%"
    assert fmt.pct(None) == ui_format.pct_text(float("nan")) == fmt.MISSING == "–"
    assert ui_format.pp_text(-0.021) == fmt.pp_from_fraction(-0.021) == f"−2.1{nbsp}pp"
    assert ui_format.hours_text(1015.4) == fmt.hours(1015.4) == f"1,015{nbsp}h"


def test_flag_and_tier_reasons_use_the_one_formatter() -> None:
    import re

    from reltruth import metrics, sample
    from reltruth.workspace import Workspace

    with Workspace.open(memory=True) as ws:
        sample.load_canonical(ws)
        m = metrics.compute(ws)
    reasons = [r for rs in m.accounts["flag_reasons"] for r in rs]
    reasons += [r for r in m.reps["tier_reason"] if isinstance(r, str)]
    assert len(reasons) > 50
    text = "\n".join(reasons)
    assert "n/a" not in text
    assert not re.search(r"[0-9] (%|pp)\b", text)  # a number and its unit: a non-breaking space
    assert not re.search(r"(?<![\w])-[0-9]", text)  # a negative number: U+2212, as printed
    assert re.search(f"[0-9]{N}%", text)
