"""Data health for the Data page: is what was loaded complete enough to trust the numbers?

Why apart from the metrics: it describes the loaded rows (date ranges, rows kept aside as
unmatched, estimated durations and potentials), not a window, so it is shown even before
the first metric can be computed. No Streamlit here; the query is ``sql/ui/data_health.sql``.
Part of the Data page's view (``reltruth.views.data``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from reltruth import sql
from reltruth.workspace import Workspace


@dataclass(frozen=True)
class Health:
    tables: pd.DataFrame  # one row per table, see data_health.sql
    activities_matched_share: float | None  # activities matched to an account / all activity rows
    durations_estimated_share: float | None
    potentials_estimated_share: float | None
    reps: int
    accounts: int
    accounts_without_potential: int
    orders_without_list_value: int


def data_health(ws: Workspace) -> Health:
    frame = ws.con.execute(sql.load("ui/data_health")).df()
    rows = {str(r["table_name"]): r for r in frame.to_dict("records")}
    act = rows["activities"]
    total = int(act["row_count"]) + int(act["unmatched_rows"])
    return Health(
        tables=frame,
        activities_matched_share=int(act["row_count"]) / total if total else None,
        durations_estimated_share=_share(act),
        potentials_estimated_share=_share(rows["accounts"]),
        reps=int(rows["reps"]["row_count"]),
        accounts=int(rows["accounts"]["row_count"]),
        accounts_without_potential=int(rows["accounts"]["incomplete_rows"]),
        orders_without_list_value=int(rows["orders"]["incomplete_rows"]),
    )


def _share(row: dict[str, object]) -> float | None:
    value = row["estimated_share"]
    return None if value is None or pd.isna(value) or not row["row_count"] else float(value)  # type: ignore[arg-type]


def date_range(row: dict[str, object]) -> str:
    first, last = row.get("first_date"), row.get("last_date")
    if first is None or pd.isna(first):  # type: ignore[arg-type]
        return "–"
    return f"{_d(first)} – {_d(last)}"


def _d(value: object) -> str:
    return (
        pd.Timestamp(value).date().strftime("%-d %b %Y")
        if isinstance(value, (date, pd.Timestamp))
        else str(value)
    )


@dataclass(frozen=True)
class CheckItem:
    """One line of the Data page checklist: what a part of the data unlocks, whether it is
    there, and how to get it when it is not."""

    name: str
    ok: bool
    have: str  # what is loaded, in numbers
    unlocks: str
    how: str  # what to load or do when it is missing (empty when ok)


def checklist(ws: Workspace) -> list[CheckItem]:
    """Owners, potentials, activities, list values, ratings, teams: loaded or missing."""
    rows = ws.con.execute(sql.load("ui/data_checklist")).fetchall()
    c = dict(zip(CHECK_FIELDS, rows[0], strict=True)) if rows else dict.fromkeys(CHECK_FIELDS, 0)
    acc = c["accounts"]
    potentials = c["potentials_stated"] + c["potentials_estimated"]
    return [
        CheckItem(
            "Account owners",
            bool(acc) and c["accounts_with_owner"] == acc,
            f"{c['accounts_with_owner']:,} of {acc:,} accounts"
            + (
                f" ({c['owners_inferred']:,} inferred from revenue or hours)"
                if c["owners_inferred"]
                else ""
            ),
            "whose accounts each rep's hours and revenue belong to (Team, coaching sheet)",
            ""
            if acc and c["accounts_with_owner"] == acc
            else "an accounts export with an owner column (Account Owner)",
        ),
        CheckItem(
            "Potentials",
            bool(acc) and potentials == acc,
            f"{c['potentials_stated']:,} stated, {c['potentials_estimated']:,} estimated, of {acc:,} accounts",
            "penetration and time vs potential",
            ""
            if acc and potentials == acc
            else "a potential column in the accounts export, or Estimate potentials below",
        ),
        CheckItem(
            "Activities",
            c["activities"] > 0,
            f"{c['activities']:,} activities",
            "hours per account, time vs potential, the allocation flags",
            ""
            if c["activities"]
            else "an activities export (calls, visits, meetings with date, rep and account)",
        ),
        CheckItem(
            "List values",
            bool(c["orders"]) and c["orders_with_list_value"] == c["orders"],
            f"{c['orders_with_list_value']:,} of {c['orders']:,} order lines",
            "discounts against list price",
            ""
            if c["orders"] and c["orders_with_list_value"] == c["orders"]
            else "a price list (product + list price), or order lines with a list value or discount column",
        ),
        CheckItem(
            "Relationship ratings",
            c["accounts_with_rating"] > 0,
            f"{c['accounts_with_rating']:,} of {acc:,} accounts",
            "relationship truth (the claim against hours and revenue)",
            ""
            if c["accounts_with_rating"]
            else "a Relationship column in the accounts export (1-5 or Poor ... Excellent)",
        ),
        CheckItem(
            "Teams",
            bool(c["reps"]) and c["reps_with_team"] == c["reps"],
            f"{c['reps_with_team']:,} of {c['reps']:,} reps",
            "the Team page's comparison of reps within their team",
            ""
            if c["reps"] and c["reps_with_team"] == c["reps"]
            else "a users export with a Team or Manager column",
        ),
    ]


CHECK_FIELDS = (
    "accounts",
    "accounts_with_owner",
    "owners_inferred",
    "potentials_stated",
    "potentials_estimated",
    "activities",
    "orders",
    "orders_with_list_value",
    "accounts_with_rating",
    "reps",
    "reps_with_team",
)
