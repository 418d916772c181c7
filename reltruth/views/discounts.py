"""The Discounts page's figures: is the price of the "great relationship" a discount that
creeps up every year?

Why a view: the page used to pick the priced accounts, re-derive the creep list from the
flag lists and sum the excess discount per rep itself; here they are computed once from the
engine's frames (``is_discount_creep``, ``excess_discount``) and handed over as named,
typed columns. No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

import pandas as pd

from reltruth import empty_states
from reltruth import metrics as engine
from reltruth.metrics import Metrics
from reltruth.views.common import account_names, flagged, in_scope, num, rep_names
from reltruth.workspace import Workspace

MAX_OPTIONS = 2000  # a picker with tens of thousands of names is unusable (and slow to send)
DEFAULT_TREND_ACCOUNTS = 8  # the steepest creepers drawn when the page opens
TOP_ACCOUNTS = 15  # the excess-discount bars by account


@dataclass(frozen=True)
class DiscountsView:
    """What the page shows; ``empty`` says why there is nothing ("" when there is)."""

    empty: str
    creep_accounts: int = 0
    excess_discount: float = 0.0
    excess_at_creep: float = 0.0
    # account_id -> name of every priced account, and the picker's offer: the accounts with
    # the most list value (at most MAX_OPTIONS) plus the creep list, by name
    names: dict[str, str] = field(default_factory=dict)
    options: list[str] = field(default_factory=list)
    default_accounts: list[str] = field(default_factory=list)  # creep list, steepest first
    # one row per priced account, steepest discount trend first: account_id, account_name,
    # rep_name, segment, discount_rate, discount_trend_pp_per_year, excess_discount,
    # revenue, flags
    trends: pd.DataFrame = field(default_factory=pd.DataFrame)
    by_rep: pd.DataFrame = field(default_factory=pd.DataFrame)  # rep_id, rep_name, excess
    # account_id, account_name, label, rep_name, excess_discount; largest first
    by_account: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def more_than_offered(self) -> bool:
        return len(self.names) > MAX_OPTIONS


TREND_COLUMNS = (
    "account_id",
    "account_name",
    "rep_name",
    "segment",
    "discount_rate",
    "discount_trend_pp_per_year",
    "excess_discount",
    "revenue",
    "flags",
)
FIGURES = ("discount_rate", "discount_trend_pp_per_year", "excess_discount", "revenue")


def discounts_view(
    m: Metrics, rep_ids: Collection[str], counts: dict[str, int], reps: pd.DataFrame
) -> DiscountsView:
    """The accounts of ``rep_ids`` with a discount rate in the window of ``m``; ``counts`` is
    what the workspace holds (for the empty state), ``reps`` names the reps."""
    accounts = in_scope(m.accounts, rep_ids)
    priced = accounts[num(accounts, "discount_rate").notna()]
    if priced.empty:
        return DiscountsView(empty=empty_states.discounts(counts))
    priced = priced.assign(
        **{c: num(priced, c) for c in (*FIGURES, "list_amount")},
        **{c: priced.get(c) for c in ("account_name", "rep_name", "segment")},
        flags=priced["flags"] if "flags" in priced else [[] for _ in range(len(priced))],
    )
    names = account_names(priced)
    creep = priced[flagged(priced, "discount_creep")]
    steepest = creep.sort_values("discount_trend_pp_per_year", ascending=False)
    default = steepest["account_id"].astype(str).head(DEFAULT_TREND_ACCOUNTS).tolist()
    by_value = priced.sort_values("list_amount", ascending=False)
    offered = set(by_value["account_id"].astype(str).head(MAX_OPTIONS)) | set(default)
    who = rep_names(reps)
    by_rep = (
        priced.assign(excess=priced["excess_discount"])
        .groupby("rep_id", as_index=False)["excess"]
        .sum()
    )
    by_rep = by_rep.assign(rep_name=by_rep["rep_id"].astype(str).map(lambda i: who.get(i, i)))
    by_account = priced.assign(label=priced["account_id"].astype(str).map(names))
    return DiscountsView(
        empty="",
        creep_accounts=len(creep),
        excess_discount=float(priced["excess_discount"].sum()),
        excess_at_creep=float(creep["excess_discount"].sum()),
        names=names,
        options=sorted(offered, key=lambda i: names[i].lower()),
        default_accounts=default,
        trends=priced.sort_values(
            "discount_trend_pp_per_year", ascending=False, na_position="last"
        )[list(TREND_COLUMNS)],
        by_rep=by_rep.sort_values("excess", ascending=False),
        by_account=by_account.sort_values("excess_discount", ascending=False)[
            ["account_id", "account_name", "label", "rep_name", "excess_discount"]
        ],
    )


def discount_quarters(
    ws: Workspace, m: Metrics, account_ids: list[str], names: dict[str, str]
) -> pd.DataFrame:
    """account_id, account_name, quarter_start, list_amount, net_amount, discount_rate per
    calendar quarter of the creep trend's span, for the chosen accounts."""
    quarters = engine.discount_quarters(
        ws, account_ids, m.window.as_of, quarters=m.settings.creep_quarters
    )
    return quarters.assign(account_name=quarters["account_id"].astype(str).map(names))
