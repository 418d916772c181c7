"""Every threshold of spec section 4 as a named setting with the spec's default.

Stored in the workspace (``settings`` table) so the app and the CLI agree.
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
    trade_max_receivers: int = 2
    top_tier_quantile: float = 0.75  # top performer: top quartile, both windows
    marginal_tier_quantile: float = 0.5  # marginal performer: bottom half, current
    default_durations: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_DURATIONS))

    def with_changes(self, **changes: Any) -> Settings:
        return replace(self, **changes)


def load(con: duckdb.DuckDBPyConnection) -> Settings:
    """The workspace's settings, defaults for anything not stored."""
    rows = con.execute("select key, value from settings").fetchall()
    stored = {key: json.loads(value) for key, value in rows}
    known = {f.name for f in fields(Settings)}
    return Settings(**{k: v for k, v in stored.items() if k in known})


def save(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    for key, value in asdict(settings).items():
        con.execute(
            "insert or replace into settings (key, value) values ($key, $value)",
            {"key": key, "value": json.dumps(value)},
        )
