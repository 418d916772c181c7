"""Every threshold of docs/metrics.md as a named setting with the documented default.

Stored in the workspace (``settings`` table) so the app and the CLI agree. What a manager
may change, and how a value is checked, is ``settings_specs.py``; the words the pages and
sheets use for a threshold ("top quartile", "bottom half", "rated 4 or 5") come from the
values in force through the wording helpers below, never from a literal.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

import duckdb

DEFAULT_DURATIONS = {"visit": 60.0, "meeting": 45.0, "call": 10.0, "email": 5.0, "other": 15.0}


@dataclass(frozen=True)
class Settings:
    window_months: int = 12
    trap_allocation_ratio: float = 1.5  # relationship trap: allocation ratio >=
    neglect_allocation_ratio: float = 0.5  # neglected potential: allocation ratio <=
    neglect_potential_quantile: float = 0.75  # ... potential in the top quartile of the book
    demote_potential_quantile: float = 0.25  # demote: potential in the bottom quartile
    claim_gap_rating: int = 4  # claim gap: rating >= (of 5)
    claim_gap_penetration: float = 0.5  # ... and penetration <
    creep_slope_pp_per_year: float = 1.0  # discount creep: trend >= pp / year
    creep_min_quarters: int = 4  # trend needs at least this many quarters
    creep_quarters: int = 8  # trend over the last N calendar quarters (2..8)
    trade_min_tenure_years: float = 2.0  # trade candidate: owner held it >= N years
    trade_max_receivers: int = 2  # trades one receiver gets at most in one window
    excess_discount_quantile: float = (
        0.75  # discount prompt: rep's excess in the company's top quartile
    )
    min_window_coverage: float = 0.95  # a window the data cover less than this is partial
    # category white space: a category "most peers buy" = bought by at least this share of
    # the segment's other buying accounts; a segment needs this many of them to be the peers
    white_space_peer_share: float = 0.5
    white_space_min_peers: int = 5
    # key people: accounts at or above this quantile of the book are high-potential; a prompt
    # where one has had no decision-maker contact for more than this many days
    key_people_potential_quantile: float = 0.75
    key_people_max_days: int = 90
    top_tier_quantile: float = 0.75  # top performer: top quartile, both windows
    marginal_tier_quantile: float = 0.5  # marginal performer: bottom half, current
    # auto: quota attainment where every rep of the team has a quota, else relative growth
    tier_measure: str = "auto"
    default_durations: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_DURATIONS))

    def with_changes(self, **changes: Any) -> Settings:
        return replace(self, **changes)


def load(con: duckdb.DuckDBPyConnection) -> Settings:
    """The workspace's settings, defaults for anything not stored."""
    rows = con.execute("select key, value from settings").fetchall()
    stored = {key: json.loads(value) for key, value in rows}
    known = {f.name for f in fields(Settings)}
    values = {k: v for k, v in stored.items() if k in known}
    if "default_durations" in values:  # a type added later keeps its default
        values["default_durations"] = {**DEFAULT_DURATIONS, **values["default_durations"]}
    return Settings(**values)


def save(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    for key, value in asdict(settings).items():
        con.execute(
            "insert or replace into settings (key, value) values ($key, $value)",
            {"key": key, "value": json.dumps(value)},
        )


# ---------------------------------------------------------------------------------------
# Wording: the thresholds in force, in words


_PARTS = {2: "half", 3: "third", 4: "quartile", 5: "fifth", 10: "decile"}
# The sheet speaks to a rep, not to an analyst: "top quarter", not "top quartile".
_PLAIN_PARTS = {**_PARTS, 4: "quarter", 5: "fifth", 10: "tenth"}
_NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight"}


def share_words(side: str, share: float, *, plain: bool = False) -> str:
    """``side`` ("top" / "bottom") and the share of a group it covers, in words:
    ("top", 0.25) -> "top quartile", ("bottom", 0.5) -> "bottom half", ("top", 0.3) -> "top 30 %"."""
    for n, word in (_PLAIN_PARTS if plain else _PARTS).items():
        if abs(share * n - 1) < 1e-9:
            return f"{side} {word}"
    return f"{side} {pct_words(share)}"


def top_words(quantile: float, *, plain: bool = False) -> str:
    """At or above the ``quantile``: 0.75 -> "top quartile"."""
    return share_words("top", 1 - quantile, plain=plain)


def bottom_words(quantile: float, *, plain: bool = False) -> str:
    """At or below the ``quantile``: 0.5 -> "bottom half"."""
    return share_words("bottom", quantile, plain=plain)


def number_words(n: int) -> str:
    """8 -> "eight" (the counts a sentence spells out), 12 -> "12"."""
    return _NUMBER_WORDS.get(n, str(n))


def rating_words(rating: int) -> str:
    """The ratings a claim gap starts at: 4 -> "rated 4 or 5", 3 -> "rated 3 to 5"."""
    if rating >= 5:
        return "rated 5"
    if rating == 4:
        return "rated 4 or 5"
    return f"rated {rating} to 5"


def fraction_words(value: float) -> str:
    """0.5 -> "half", 0.25 -> "a quarter", 0.4 -> "40 %"."""
    named = {0.5: "half", 0.25: "a quarter", 0.75: "three quarters", 1.0: "all"}
    for v, word in named.items():
        if abs(value - v) < 1e-9:
            return word
    return pct_words(value)


def tier_measure_words(measure: str) -> str:
    """The measure a tier was ranked on, in words (a rep's ``tier_measure``)."""
    return {
        "quota_attainment": "quota attainment",
        "quota attainment": "quota attainment",
        "growth": "growth against the company",
        "relative growth": "growth against the company",
        "auto": "quota attainment where every rep has a quota, else growth against the company",
    }.get(measure, measure)


def pct_words(value: float) -> str:
    text = f"{value * 100:.1f}".rstrip("0").rstrip(".")
    return f"{text} %"
