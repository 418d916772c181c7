"""Numbers with units, as printed on the sheet (NBSP between number and unit)."""

from __future__ import annotations

import math

import pytest

from reltruth.coaching import fmt

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
