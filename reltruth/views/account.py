"""One account's own story, for the Account page: orders and discount by quarter, hours by
month and type, the roles of the people met, its flags with their numbers, who owned and
worked it.

Why a view of its own: a chart or a table of the other pages says *that* an account is a
relationship trap or creeps on discount; a manager then asks what happened there. The page
stays a thin script over ``account_view``; every section is one field of ``AccountView``
holding its rows and, when there are none, the sentence that says which input is missing and
how to get it (docs/app.md, "Account page"). A later section is one more field.

The time series cover the eight calendar quarters to the window's end (the span of the
discount trend), so orders, hours and people line up on one stretch of time; the headline
figures and the flags are the window's, as on every other page. No Streamlit here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from reltruth import settings as settings_store
from reltruth.metrics import Metrics
from reltruth.metrics.query import prepare, run
from reltruth.metrics.window import trend_start
from reltruth.views.common import Section, section
from reltruth.workspace import Workspace

QUARTERS = 8  # two years: the span of the discount trend's widest setting
NO_ACCOUNTS = (
    "No accounts in this window: upload accounts (or orders and activities that name them) "
    "on the Data page."
)
WHITE_SPACE_NOTE = (
    "The product categories most of its peers (the other accounts of its segment that bought "
    "in this window) buy and it does not; ≈ the value is its potential × the category's share "
    "of the peers' revenue, an estimate."
)
REPS_NOTE = (
    "The exports carry only today's owner; the reps below logged hours or sold here in the "
    "two years to the window's end, which shows who worked the account before."
)


@dataclass(frozen=True)
class Owner:
    rep_id: str | None
    rep_name: str | None
    since: date | None
    inferred_from: str | None  # None = named by the accounts export; revenue | hours

    @property
    def text(self) -> str:
        """Who owns the account now and how reltruth knows, in one line."""
        if not self.rep_id:
            return "No owner: the accounts export names none and no rep sold or logged hours here."
        since = (
            f" since {self.since:%-d %b %Y}"
            if self.since is not None and pd.notna(self.since)
            else ""
        )
        basis = _BASIS.get(self.inferred_from, self.inferred_from)
        return f"Owner now: {self.rep_name}{since} ({basis})"


_BASIS = {
    None: "as the accounts export names it",
    "revenue": "inferred by reltruth: the rep with the most revenue here",
    "hours": "inferred by reltruth: the rep with the most hours here",
}


@dataclass(frozen=True)
class KeyPeople:
    """The key-people figures in words where the page shows words."""

    share: float | None  # of the owner's hours here, with decision makers
    share_help: str
    last_contact: str  # "1 May 2026", or "none"
    high_potential: str  # "yes" | "no"
    high_potential_help: str
    warning: str  # no decision maker met for too long at a high-potential account ("": fine)


@dataclass(frozen=True)
class AccountView:
    account_id: str
    account_name: str
    span_start: date  # the time series' first day (eight quarters to the window's end)
    as_of: date
    headline: dict[str, Any]  # the window's figures of Metrics.accounts for this account
    owner: Owner
    orders: Section = field(default_factory=lambda: Section(pd.DataFrame()))
    hours: Section = field(default_factory=lambda: Section(pd.DataFrame()))
    contact_roles: Section = field(default_factory=lambda: Section(pd.DataFrame()))
    flags: Section = field(default_factory=lambda: Section(pd.DataFrame()))
    reps: Section = field(default_factory=lambda: Section(pd.DataFrame()))
    # issue 20 (docs/metrics.md, "Evidence"): the categories most peers buy and it does not,
    # and the owner's time with decision makers
    white_space: Section = field(default_factory=lambda: Section(pd.DataFrame()))
    key_people: Section = field(default_factory=lambda: Section(pd.DataFrame()))
    # what this account lacks that the figures above need, and how to get it
    notes: tuple[str, ...] = ()
    key_people_words: KeyPeople | None = None  # None: the key_people section is empty


def account_choices(m: Metrics) -> dict[str, str]:
    """account_id -> name for the picker: the window's accounts, by name."""
    a = m.accounts
    if a.empty:
        return {}
    names = a["account_name"].where(a["account_name"].notna(), a["account_id"]).astype(str)
    pairs = sorted(zip(a["account_id"].astype(str), names, strict=True), key=lambda p: p[1].lower())
    return dict(pairs)


def account_view(ws: Workspace, m: Metrics, account_id: str) -> AccountView:
    """Everything the Account page shows about ``account_id`` for the window of ``m``."""
    prepare(ws, settings_store.load(ws.con))
    as_of = m.window.as_of
    span_start = trend_start(as_of, QUARTERS)
    params: dict[str, Any] = {
        "account_id": str(account_id),
        "span_start": span_start,
        "as_of": as_of,
    }
    row = m.accounts[m.accounts["account_id"].astype(str) == str(account_id)]
    headline = row.iloc[0].to_dict() if not row.empty else {}
    name = headline.get("account_name")
    counts = ws.counts()
    key_people = _key_people(headline, m)
    return AccountView(
        account_id=str(account_id),
        account_name=str(name) if isinstance(name, str) and name else str(account_id),
        span_start=span_start,
        as_of=as_of,
        headline=headline,
        owner=_owner(ws, params),
        orders=_orders(ws, params, counts),
        hours=section(
            run(ws.con, "marts/account_hours_by_month", params).df(),
            "No activities with this account in the two years to the window's end."
            if counts.get("activities")
            else "No activities are loaded: upload activities (visits, calls, meetings, "
            "emails) on the Data page to see the hours spent here.",
        ),
        contact_roles=_roles(ws, params, counts),
        flags=_flags(headline),
        reps=_reps(ws, params),
        white_space=_white_space(headline, counts),
        key_people=key_people,
        key_people_words=_key_people_words(key_people, m),
        notes=_notes(headline),
    )


def _notes(headline: dict[str, Any]) -> tuple[str, ...]:
    notes = []
    if headline and pd.isna(headline.get("potential")):
        notes.append(
            "This account has no potential: its penetration, open potential and the flags "
            "that compare time with potential cannot be judged. Upload accounts with their "
            "potential, or estimate potentials, on the Data page."
        )
    taken = headline.get("takeover_date")
    if headline.get("is_takeover") is True and taken is not None and pd.notna(taken):
        notes.append(
            f"Taken over on {pd.Timestamp(taken):%-d %b %Y}: its growth is measured over the "
            f"{int(headline['held_days'])} days since, against as many days before, not over "
            "the predecessor's year."
        )
    return tuple(notes)


def _key_people_words(part: Section, m: Metrics) -> KeyPeople | None:
    if part.is_empty:
        return None
    row = part.rows.iloc[0]
    share = pd.to_numeric(pd.Series([row["decision_maker_hours_share"]]), errors="coerce").iloc[0]
    last = row["last_decision_maker_contact"]
    return KeyPeople(
        share=None if pd.isna(share) else float(share),
        share_help="The owner's hours here with a decision maker ÷ all the owner's hours here, "
        f"{m.window.label}.",
        last_contact=f"{pd.Timestamp(last):%-d %b %Y}"
        if last is not None and pd.notna(last)
        else "none",
        high_potential="yes" if _true(row["is_high_potential"]) else "no",
        high_potential_help=f"In the {settings_store.top_words(m.settings.key_people_potential_quantile)} "
        "of the owner's book by potential.",
        warning=(
            f"No decision maker met for more than {m.settings.key_people_max_days} days at "
            "this high-potential account: build relationships with the key people in the "
            "higher-potential accounts."
            if _true(row["no_decision_maker_contact"])
            else ""
        ),
    )


def _true(value: object) -> bool:
    """A flag that may be missing (None / NA): missing is not set."""
    return value is not None and bool(pd.notna(value)) and bool(value)


def _white_space(headline: dict[str, Any], counts: dict[str, int]) -> Section:
    """One row per category most of the account's peers buy and it does not: peers buying,
    peers, the peers' segment (or the company), the category's share of their revenue and
    that share of the account's potential (an estimate)."""
    detail = headline.get("missing_categories_detail")
    rows = pd.DataFrame(
        detail if isinstance(detail, list) else [],
        columns=["category", "peers_buying", "peers", "peer_segment", "category_share"],
    )
    potential = pd.to_numeric(pd.Series([headline.get("potential")]), errors="coerce").iloc[0]
    rows["estimated_value"] = rows["category_share"].astype(float) * potential
    rows["peer_segment"] = rows["peer_segment"].where(rows["peer_segment"].notna(), "(company)")
    if not rows.empty:
        return Section(rows)
    if not counts.get("orders"):
        why = "No orders are loaded: upload invoice or order lines on the Data page."
    elif not isinstance(headline.get("categories_bought"), list):
        why = (
            "No order line of this account in the window carries a product category: export "
            "the invoice lines with their product group (e.g. Product Group) to compare it "
            "with its peers."
        )
    else:
        why = "It buys every category most of its peers buy in this window."
    return Section(rows, why)


def _key_people(headline: dict[str, Any], m: Metrics) -> Section:
    """One row: the owner's share of hours here with decision makers, the last decision-maker
    contact and the days since, whether the account is high-potential and has gone longer
    than the setting without one."""
    if "contact_role" in m.missing_fields:
        return Section(
            pd.DataFrame(),
            "No contact roles in the activities: export the contact role of each visit, call "
            "or meeting (e.g. Decision maker) to see the time with decision makers.",
        )
    keys = (
        "is_high_potential",
        "decision_maker_hours_share",
        "last_decision_maker_contact",
        "days_without_decision_maker",
        "no_decision_maker_contact",
    )
    if not headline:
        return Section(pd.DataFrame(), "This account has no figures in the window.")
    return Section(pd.DataFrame([{k: headline.get(k) for k in keys}]))


def _reps(ws: Workspace, params: dict[str, Any]) -> Section:
    """One row per rep who logged hours or sold here in the two years; ``owner_now`` marks
    today's owner in words for the table."""
    rows = run(ws.con, "marts/account_reps", params).df()
    rows = rows.assign(owner_now=rows["is_owner"].map({True: "owner", False: ""}))
    return section(rows, "No rep logged hours or sold here in the two years to the window's end.")


def _owner(ws: Workspace, params: dict[str, Any]) -> Owner:
    rows = run(ws.con, "marts/account_owner", {"account_id": params["account_id"]})
    found = rows.fetchall()
    if not found:
        return Owner(None, None, None, None)
    rep_id, rep_name, since, inferred = found[0]
    return Owner(
        str(rep_id) if rep_id is not None else None,
        str(rep_name) if rep_name is not None else None,
        since,
        str(inferred) if inferred is not None else None,
    )


def _orders(ws: Workspace, params: dict[str, Any], counts: dict[str, int]) -> Section:
    rows = run(ws.con, "marts/account_orders_by_quarter", params).df()
    # the discount chart's columns (charts.discount_trend draws one line per account)
    rows = rows.assign(account_id=params["account_id"], net_amount=rows["revenue"])
    if not counts.get("orders"):
        why = "No orders are loaded: upload invoice or order lines on the Data page."
    else:
        why = "No orders from this account in the two years to the window's end."
    if not rows.empty and rows["list_amount"].isna().all():
        # revenue is there, the discount is not: say what would show it
        why = (
            "The discount needs the value at list price: upload order lines with their list "
            "value, or a price list, on the Data page."
        )
        return Section(rows, why)
    return Section(rows, "" if not rows.empty else why)


def _roles(ws: Workspace, params: dict[str, Any], counts: dict[str, int]) -> Section:
    rows = run(ws.con, "marts/account_contact_roles", params).df()
    if rows.empty:
        return Section(
            rows,
            "No activities with this account in the two years to the window's end."
            if counts.get("activities")
            else "No activities are loaded: upload activities with the contact's role "
            "(decision maker, buyer, user …) on the Data page.",
        )
    if rows["contact_role"].isna().all():
        return Section(
            rows.iloc[0:0],
            "The activities here carry no contact role: map the export's contact role column "
            "on the Data page to see who was met.",
        )
    return Section(rows.assign(contact_role=rows["contact_role"].fillna("(not recorded)")))


def _flags(headline: dict[str, Any]) -> Section:
    """One row per flag (and the too-low potential note) with the numbers that raised it:
    ``flag_reasons`` reads "relationship_trap: time share 50 % ÷ potential share 21 % …"."""
    reasons = headline.get("flag_reasons")
    items = list(reasons) if isinstance(reasons, list | tuple) else []
    rows = pd.DataFrame(
        [tuple(str(r).split(": ", 1)) if ": " in str(r) else (str(r), "") for r in items],
        columns=["flag", "why"],
    )
    if not headline:
        why = "This account has no figures in the window (no orders, activities or potential)."
    elif pd.isna(headline.get("potential")):
        why = (
            "No flag can be judged without the account's potential: upload accounts with "
            "their potential, or estimate potentials, on the Data page."
        )
    else:
        why = "No flag in this window: the account's figures raise none of the flags."
    return Section(rows, "" if not rows.empty else why)
