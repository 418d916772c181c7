"""Data health for the Data page: is what was loaded complete enough to trust the numbers?

Why apart from the metrics: it describes the loaded rows (date ranges, rows kept aside as
unmatched, estimated durations and potentials), not a window, so it is shown even before
the first metric can be computed. No Streamlit here; the query is ``sql/ui/data_health.sql``.
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
