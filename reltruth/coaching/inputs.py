"""SheetInputs: everything assemble needs, already read from the workspace and the metrics."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

import pandas as pd

from reltruth.coaching.cells import cell_text, records
from reltruth.coaching.model import CommitmentLine
from reltruth.coaching.templates import templates
from reltruth.settings import Settings


@dataclass(frozen=True)
class DiscountChange:
    """List-weighted discount of the earlier and the later four quarters of the trend."""

    rate_from: float | None
    rate_to: float | None
    period_from: str
    period_to: str


@dataclass(frozen=True)
class SheetInputs:
    """Everything ``assemble`` needs, already read from the workspace and the metrics."""

    rep: Mapping[str, Any]  # the rep's row of Metrics.reps
    team: pd.DataFrame  # Metrics.reps rows of the rep's team (incl. the rep)
    accounts: pd.DataFrame  # Metrics.accounts rows owned by the rep
    trades: pd.DataFrame  # Metrics.trades rows from the rep
    company_growth: float | None
    window_label: str
    as_of: date
    currency: str = "€"
    shifts: pd.DataFrame = field(default_factory=pd.DataFrame)
    discount_history: Mapping[str, DiscountChange] = field(default_factory=dict)
    commitments: tuple[CommitmentLine, ...] = ()
    key_people_share: float | None = None  # share of hours with decision makers (self-audit)
    self_audit: bool = False
    settings: Settings = field(default_factory=Settings)  # the thresholds in force, for words
    potential_rule: str = ""  # the rule behind estimated potentials, in words
    missing_fields: tuple[str, ...] = ()  # optional fields the data lack (Metrics.missing_fields)
    warnings: tuple[str, ...] = ()  # partial windows (Metrics.warnings)
    excess_discount_threshold: float | None = None  # the company's top-quartile cut
    has_deals: bool = False  # a deals export is loaded: win rates on the scoreboard

    @cached_property
    def receivers(self) -> dict[str, list[str]]:
        """Proposed receiving reps per traded account (none on the self-audit)."""
        return {
            k: [cell_text(r.get("to_rep_name"))] for k, r in self.trade_rows.items() if r["named"]
        }

    @cached_property
    def trade_rows(self) -> dict[str, dict[str, Any]]:
        """The engine's trade row per candidate account: a receiver, or why there is none."""
        out: dict[str, dict[str, Any]] = {}
        if not len(self.trades) or "account_id" not in self.trades.columns:
            return out
        for row in records(self.trades):
            named = not self.self_audit and bool(cell_text(row.get("to_rep_name")))
            out.setdefault(str(row["account_id"]), {**row, "named": named})
        return out


def potential_rule_words(inp: SheetInputs) -> str:
    return inp.potential_rule or templates()["sheet"]["rule_unknown"]
