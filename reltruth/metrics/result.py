"""The engine's result: Metrics (frames, window, notes) and the names of its flags and tiers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from reltruth.metrics.window import Window
from reltruth.settings import Settings

FLAGS = (
    "relationship_trap",
    "neglected_potential",
    "claim_gap",
    "discount_creep",
    "demote",
    "trade_candidate",
)
TIERS = ("marginal", "core", "top")


@dataclass(frozen=True)
class Metrics:
    window: Window
    settings: Settings
    company_revenue: float
    company_revenue_prior: float
    company_growth: float | None
    reps: pd.DataFrame
    accounts: pd.DataFrame
    trades: pd.DataFrame
    company_growth_prior: float | None = None
    penetration_median: float | None = None
    potential_median: float | None = None
    # per window (current, prior, prior2): bounds, covered part and its share (``coverage``)
    coverage: dict[str, dict[str, Any]] | None = None
    # why growth (or growth in the prior window) is null for everyone, "" when it is not
    growth_note: str = ""
    growth_prior_note: str = ""
    # optional fields no row of the data carries (OPTIONAL_FIELDS), for "could not show" notes
    missing_fields: tuple[str, ...] = ()
    # the rule that estimated the potentials marked potential_estimated, in words, or ""
    potential_rule: str = ""
    excess_discount_threshold: float | None = None  # the reps' top-quartile cut
    has_deals: bool = False  # a deals export is loaded: win rates are shown

    @property
    def warnings(self) -> tuple[str, ...]:
        """What a reader must know before trusting the numbers (partial windows)."""
        out = []
        cov = self.coverage or {}
        for name, label in (("current", "this window"), ("prior", "the prior window")):
            c = cov.get(name)
            if c and c["share"] < self.settings.min_window_coverage:
                out.append(
                    f"The data cover {c['share'] * 100:.0f} % of {label} "
                    f"({c['start']} to {c['end']}): "
                    + (
                        "its figures are partial."
                        if name == "current"
                        else "growth needs it whole."
                    )
                )
        if self.growth_note:
            out.append(self.growth_note)
        elif self.growth_prior_note:
            out.append(self.growth_prior_note)
        return tuple(out)
