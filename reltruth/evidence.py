"""Evidence no one account's revenue shows: category white space, key people, win rates,
what a discount bought, and the growth of an account since its takeover.

Why a module apart from ``metrics``: these figures each come from their own mart (one query
per number, grain on the first line) and are joined onto the engine's account and rep rows;
keeping the joins and their rules here keeps ``metrics.compute`` readable. Each function
takes the query runner of the engine (``metrics.query.run`` bound to a connection), so that there
is one way to run a query file. No Streamlit here. Definitions: ``docs/metrics.md``,
"Evidence".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from reltruth.settings import Settings

# half a cent: a cancelled invoice is no revenue (the same as metrics.marts.ZERO_REVENUE)
ZERO_REVENUE = 0.005

Query = Callable[[str, dict[str, Any]], pd.DataFrame]

WHITE_SPACE_COLUMNS = (
    "categories_bought",
    "missing_categories",
    "missing_categories_detail",
    "missing_categories_share",
    "white_space_potential",
)


def white_space(query: Query, params: dict[str, Any], s: Settings) -> pd.DataFrame:
    """Per account with categorised orders in the window: the categories it buys (largest
    first), those most of its peers buy and it does not (``missing_categories``, most
    bought first, with ``missing_categories_detail``: category, peers buying, peers, peer
    segment) and the share of the peers' revenue those categories hold (the estimated share
    of the account's potential they represent)."""
    bought = query("marts/account_categories_bought", {})
    missing = query(
        "marts/account_white_space",
        {
            **params,
            "peer_share": float(s.white_space_peer_share),
            "min_peers": int(s.white_space_min_peers),
        },
    )
    columns = ["account_id", *WHITE_SPACE_COLUMNS[:-1]]
    if bought.empty:
        return pd.DataFrame(columns=columns)
    # Column-wise: each account's rows gathered by one stable sort of the rows by account
    # (first appearance, the queries' order kept within an account), then sliced. A dict per
    # account filled row by row cost a second at scale 100 (issue 19).
    ids, bought_at = _groups(bought["account_id"])
    categories = _split([str(c) for c in bought["product_category"].tolist()], bought_at)
    group = ids.get_indexer(missing["account_id"].astype(str).tolist())
    missing = missing[group >= 0]  # cannot drop: a white space needs orders (the mart's buyers)
    missing_at = _grouped(group[group >= 0], len(ids))
    names = [str(c) for c in missing["product_category"].tolist()]
    segments = missing["peer_segment"]
    details = [
        {
            "category": name,
            "peers_buying": int(buying),
            "peers": int(peers),
            "peer_segment": None if no_segment else str(segment),
            "category_share": float(share),
        }
        for name, buying, peers, segment, no_segment, share in zip(
            names,
            missing["peers_buying"].tolist(),
            missing["peers"].tolist(),
            segments.tolist(),
            segments.isna().tolist(),
            missing["category_share"].tolist(),
            strict=True,
        )
    ]
    shares = np.asarray([float(x) for x in missing["category_share"].tolist()], dtype=float)
    return pd.DataFrame(
        {
            "account_id": ids.tolist(),
            "categories_bought": categories,
            "missing_categories": _split(names, missing_at),
            "missing_categories_detail": _split(details, missing_at),
            "missing_categories_share": _sum_in_order(shares, missing_at),
        },
        columns=columns,
    )


class _Groups(NamedTuple):
    """Rows gathered by group: ``order`` lists the row positions group after group (each
    group's rows in their order), group ``g`` being ``order[starts[g]:ends[g]]``."""

    order: np.ndarray
    starts: np.ndarray
    ends: np.ndarray


def _groups(keys: pd.Series) -> tuple[pd.Index, _Groups]:
    """The distinct keys as text, in order of first appearance, and their rows."""
    codes, uniques = pd.factorize(keys.astype(str).to_numpy(dtype=object), sort=False)
    return pd.Index(uniques, dtype=object), _grouped(codes, len(uniques))


def _grouped(codes: np.ndarray, n: int) -> _Groups:
    """The rows of groups ``0 … n-1`` (``codes``: each row's group), by one stable sort."""
    counts = np.bincount(codes, minlength=n)
    ends = np.cumsum(counts)
    return _Groups(np.argsort(codes, kind="stable"), ends - counts, ends)


def _split(values: list[Any], at: _Groups) -> list[list[Any]]:
    """``values`` gathered per group, in each group's row order."""
    ordered = [values[i] for i in at.order.tolist()]
    return [ordered[s:e] for s, e in zip(at.starts.tolist(), at.ends.tolist(), strict=True)]


def _sum_in_order(values: np.ndarray, at: _Groups) -> np.ndarray:
    """Per group, 0.0 + its values one after another in row order: the float a running total
    gives, to the last bit (numpy's sums pair values up, which can round differently)."""
    total = np.zeros(len(at.starts), dtype=float)
    ordered = values[at.order]
    lengths = at.ends - at.starts
    for k in range(int(lengths.max(initial=0))):  # the k-th value of every group at once
        longer = lengths > k
        total[longer] += ordered[at.starts[longer] + k]
    return total


def add_white_space(accounts: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """The white-space columns on the account rows; ``white_space_potential`` = potential ×
    the missing categories' share (an estimate from the peers' mix, never a CRM figure).
    Accounts without categorised orders in the window get no lists (null), not empty ones."""
    out = accounts.drop(columns=[c for c in WHITE_SPACE_COLUMNS if c in accounts.columns])
    out = out.merge(frame, on="account_id", how="left")
    potential = pd.to_numeric(out["potential"], errors="coerce")
    out["white_space_potential"] = potential * out["missing_categories_share"].astype(float)
    return out


def key_people(
    query: Query,
    params: dict[str, Any],
    accounts: pd.DataFrame,
    s: Settings,
    as_of: date,
    roles_known: bool,
) -> pd.DataFrame:
    """Per account row: the share of the owner's hours there spent with decision makers (of
    the hours in the window; null without any contact role on the account in the window), the
    last decision-maker contact, the days since, whether the account is high-potential (at or
    above the ``key_people_potential_quantile`` of the owner's book) and whether it has gone
    longer than ``key_people_max_days`` without a decision maker (``no_decision_maker_contact``;
    never where the data have no contact roles at all)."""
    dm = query("marts/account_decision_makers", params)
    out = accounts.drop(
        columns=[c for c in _KEY_PEOPLE_COLUMNS if c in accounts.columns], errors="ignore"
    ).merge(dm, on="account_id", how="left")
    owner_hours = pd.to_numeric(out["owner_hours"], errors="coerce").astype(float)
    role_hours = pd.to_numeric(out["role_hours"], errors="coerce").astype(float)
    dm_hours = pd.to_numeric(out["decision_maker_hours"], errors="coerce").astype(float)
    out["decision_maker_hours"] = dm_hours.fillna(0.0)
    out["decision_maker_hours_share"] = (dm_hours / owner_hours).where(
        (role_hours > 0) & (owner_hours > 0)
    )
    last = pd.to_datetime(out["last_decision_maker_contact"], errors="coerce")
    out["last_decision_maker_contact"] = last.dt.date.where(last.notna(), None)
    out["days_without_decision_maker"] = (pd.Timestamp(as_of) - last).dt.days.astype("Float64")
    pot = pd.to_numeric(out["potential"], errors="coerce")
    grouped = pot.groupby(out["rep_id"])
    cut = out["rep_id"].map(grouped.quantile(s.key_people_potential_quantile)).astype(float)
    enough = out["rep_id"].map(grouped.count()).astype(float) >= 2
    high = (pot >= cut.where(enough)) & out["rep_id"].notna()
    out["is_high_potential"] = high.fillna(False).astype(bool)
    days = out["days_without_decision_maker"].astype(float)
    quiet = last.isna() | (days > s.key_people_max_days)
    out["no_decision_maker_contact"] = (out["is_high_potential"] & quiet & roles_known).astype(bool)
    return out.drop(columns=["owner_hours", "role_hours"])


_KEY_PEOPLE_COLUMNS = (
    "decision_maker_hours",
    "decision_maker_hours_share",
    "last_decision_maker_contact",
    "days_without_decision_maker",
    "is_high_potential",
    "no_decision_maker_contact",
)


def takeover(query: Query, params: dict[str, Any], accounts: pd.DataFrame) -> pd.DataFrame:
    """Accounts taken over in the window or the prior window are measured from the takeover:
    ``growth`` = revenue per day since ``owner_since`` ÷ revenue per day over as many days
    before it − 1 (equal spans, so the ratio of the sums), ``relative_growth`` against the
    company over the same two spans. The window's own figures stay in ``growth_window`` /
    ``relative_growth_window``; ``hours_since_takeover`` and ``time_share_since_takeover``
    (÷ the owner's hours since the takeover) say what the new owner did with their days."""
    t = query("marts/account_takeover", params)
    # shallow: pandas copies a column on write; a deep copy consolidated and copied every
    # block of the wide account frame (a fifth of a second at scale 100, issue 19)
    out = accounts.copy(deep=False)
    out["growth_window"] = out["growth"]
    out["relative_growth_window"] = out["relative_growth"]
    t = t.assign(account_id=t["account_id"].astype(str))
    t = t[t["revenue_before_takeover"].astype(float).abs() >= ZERO_REVENUE]
    if t.empty:
        for col in _TAKEOVER_COLUMNS:
            out[col] = np.nan if col != "is_takeover" else False
        out["takeover_date"] = None
        return out
    # an account created by its owner (no revenue before owner_since) had no predecessor whose
    # year could be blamed on the new owner: it keeps the window's growth
    since = t["revenue_since_takeover"].astype(float)
    before = t["revenue_before_takeover"].astype(float)
    c_since = t["company_revenue_since_takeover"].astype(float)
    c_before = t["company_revenue_before_takeover"].astype(float)
    growth = since / before - 1
    company = (c_since / c_before - 1).where(c_before.abs() >= ZERO_REVENUE)
    rep_hours = t["rep_hours_since_takeover"].astype(float)
    t = t.assign(
        growth_since_takeover=growth,
        relative_growth_since_takeover=growth - company,
        company_growth_since_takeover=company,
        time_share_since_takeover=(t["hours_since_takeover"].astype(float) / rep_hours).where(
            rep_hours > 0
        ),
        is_takeover=True,
    )
    keep = ["account_id", "takeover_date", "held_days", *_TAKEOVER_COLUMNS]
    out = out.merge(t[[c for c in keep if c in t.columns]], on="account_id", how="left")
    taken = out["is_takeover"].fillna(False).astype(bool)
    out["is_takeover"] = taken
    out["growth"] = out["growth_since_takeover"].where(taken, out["growth"])
    out["relative_growth"] = out["relative_growth_since_takeover"].where(
        taken, out["relative_growth"]
    )
    return out


_TAKEOVER_COLUMNS = (
    "revenue_since_takeover",
    "revenue_before_takeover",
    "growth_since_takeover",
    "relative_growth_since_takeover",
    "company_growth_since_takeover",
    "hours_since_takeover",
    "time_share_since_takeover",
    "is_takeover",
)


WIN_COLUMNS = ("deals_won", "deals_lost", "won_value", "lost_value", "open_deals", "open_pipeline")


def win_rates(query: Query, params: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per rep, per account): deals won and lost in the window, by count and value,
    ``win_rate`` = won ÷ (won + lost), ``win_rate_value`` = won value ÷ (won + lost value),
    null where nothing closed; open deals and their value. Reps also have
    ``median_cycle_days``. Both frames are empty without a deals export."""
    deals = query("marts/rep_account_deals", params)
    cycles = query("marts/rep_deal_cycles", params)
    out = []
    for key in ("rep_id", "account_id"):
        rows = deals.dropna(subset=[key])
        frame = rows.groupby(rows[key].astype(str), sort=True)[list(WIN_COLUMNS)].sum()
        frame = frame.reset_index()
        won, lost = frame["deals_won"].astype(float), frame["deals_lost"].astype(float)
        won_v, lost_v = frame["won_value"].astype(float), frame["lost_value"].astype(float)
        frame["win_rate"] = (won / (won + lost)).where(won + lost > 0)
        frame["win_rate_value"] = (won_v / (won_v + lost_v)).where(won_v + lost_v > 0)
        out.append(frame)
    reps = out[0].merge(cycles.assign(rep_id=cycles["rep_id"].astype(str)), on="rep_id", how="left")
    return reps, out[1]


def add_win_rates(frame: pd.DataFrame, wins: pd.DataFrame, key: str = "account_id") -> pd.DataFrame:
    """Win-rate columns on rep or account rows: no deal closed or open counts 0, rates null."""
    out = frame.merge(wins, on=key, how="left")
    for col in ("deals_won", "deals_lost", "open_deals"):
        out[col] = out[col].fillna(0).astype("int64")
    for col in ("won_value", "lost_value", "open_pipeline"):
        out[col] = out[col].fillna(0.0).astype(float)
    return out


def stalled_deals(
    query: Query,
    params: dict[str, Any],
    accounts: pd.DataFrame,
    reps: pd.DataFrame,
    s: Settings,
) -> pd.DataFrame:
    """Per account row: the owner's open deals there, open longer than the owner's median won
    cycle (``stalled_deals``, their value, the oldest one's days open and the median) and
    ``is_stalled_great_relationship`` where the account is rated at least the claim-gap
    rating (the seeds' builder who "never closes or asks for a resolution of an offer")."""
    out = accounts.drop(
        columns=[c for c in _STALLED_COLUMNS if c in accounts.columns], errors="ignore"
    )
    frame = query("marts/open_deals", params) if "median_cycle_days" in reps else pd.DataFrame()
    if not frame.empty:
        cycles = reps.dropna(subset=["median_cycle_days"])[["rep_id", "median_cycle_days"]]
        frame = frame.assign(account_id=frame["account_id"].astype(str))
        frame = frame.merge(cycles, on="rep_id", how="inner")
        frame = frame[frame["days_open"].astype(float) > frame["median_cycle_days"].astype(float)]
    if frame.empty:
        out["stalled_deals"] = 0
        for col in _STALLED_COLUMNS[1:-1]:
            out[col] = np.nan
        out["is_stalled_great_relationship"] = False
        return out
    # the owner's deals only: the account row is the owner's book
    per = frame.groupby(["account_id", "rep_id"], sort=True).agg(
        stalled_deals=("deal_id", "count"),
        stalled_value=("value", "sum"),
        stalled_days_open=("days_open", "max"),
        median_cycle_days=("median_cycle_days", "max"),
    )
    out = out.merge(per.reset_index(), on=["account_id", "rep_id"], how="left")
    out["stalled_deals"] = out["stalled_deals"].fillna(0).astype("int64")
    # An unrated account is not a "great relationship" (its comparison is NA, not False).
    rating = pd.to_numeric(out["relationship_rating"], errors="coerce")
    great = rating.ge(s.claim_gap_rating).fillna(False).astype(bool)
    out["is_stalled_great_relationship"] = (out["stalled_deals"] > 0) & great
    return out


_STALLED_COLUMNS = (
    "stalled_deals",
    "stalled_value",
    "stalled_days_open",
    "median_cycle_days",
    "is_stalled_great_relationship",
)


def discount_bought(
    query: Query, accounts: pd.DataFrame, trend_start: date, split: date, as_of: date
) -> pd.DataFrame:
    """For each discount-creep account, what the earlier and the later half of the trend's
    quarters bought: ``discount_change`` (list-weighted rate later − earlier, a fraction),
    ``volume_at_list_change`` (list value later ÷ earlier − 1), orders and categories in
    each half. Other accounts get nulls."""
    out = accounts.drop(
        columns=[c for c in DISCOUNT_BOUGHT_COLUMNS if c in accounts.columns], errors="ignore"
    )
    ids = out.loc[out["is_discount_creep"].astype(bool), "account_id"].astype(str).tolist()
    frame = pd.DataFrame(columns=["account_id"])
    if ids:
        frame = query(
            "marts/account_discount_exchange",
            {"account_ids": ids, "trend_start": trend_start, "split": split, "as_of": as_of},
        )
    if frame.empty:
        for col in DISCOUNT_BOUGHT_COLUMNS:
            out[col] = np.nan
        return out
    list_e, list_l = frame["list_early"].astype(float), frame["list_late"].astype(float)
    net_e, net_l = frame["listed_net_early"].astype(float), frame["listed_net_late"].astype(float)
    rate_e = (1 - net_e / list_e).where(list_e != 0)
    rate_l = (1 - net_l / list_l).where(list_l != 0)
    frame = frame.assign(
        discount_early=rate_e,
        discount_late=rate_l,
        discount_change=rate_l - rate_e,
        volume_at_list_early=list_e,
        volume_at_list_late=list_l,
        volume_at_list_change=(list_l / list_e - 1).where(list_e > 0),
    )
    keep = ["account_id", *DISCOUNT_BOUGHT_COLUMNS]
    return out.merge(frame[keep], on="account_id", how="left")


DISCOUNT_BOUGHT_COLUMNS = (
    "discount_early",
    "discount_late",
    "discount_change",
    "volume_at_list_early",
    "volume_at_list_late",
    "volume_at_list_change",
    "orders_early",
    "orders_late",
    "categories_early",
    "categories_late",
)
