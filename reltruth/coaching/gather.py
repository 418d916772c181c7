"""``build_sheet``: reads what one rep's sheet needs from the metrics and the workspace.

Why apart from ``build``: this is the only coaching code that talks to the metrics engine
and the database (hours to shift, discount history per quarter, key-people time,
commitments, the reporting currency); ``build.assemble`` turns it into words.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pandas as pd

from reltruth import format as fmt
from reltruth.coaching import commitments as commitments_store
from reltruth.coaching import effect as coaching_effect
from reltruth.coaching.build import assemble
from reltruth.coaching.inputs import DiscountChange, SheetInputs
from reltruth.coaching.model import Sheet
from reltruth.errors import UserError
from reltruth.workspace import Workspace, name_key


def _engine() -> Any:
    # Imported when a sheet is built, not when the package is: ``import reltruth.coaching``
    # (the CLI parser, the renderers' tests) must not pay for the metrics engine.
    from reltruth import metrics

    return metrics


def build_sheet(ws: Workspace, m: Any, rep_id: str, *, self_audit: bool = False) -> Sheet:
    """The coaching sheet (or self-audit) for ``rep_id`` over the metrics' window."""
    metrics_engine = _engine()
    rep = find_rep(m, rep_id)
    rid = str(rep["rep_id"])
    reps = m.reps
    team_value = rep.get("team")
    if "team" in reps.columns and not fmt.is_missing(team_value) and team_value:
        team = reps[reps["team"] == team_value]
    else:
        team = reps
    accounts = m.accounts[m.accounts["rep_id"].astype(str) == rid]
    trades = m.trades
    if len(trades) and "from_rep_id" in trades.columns:
        trades = trades[trades["from_rep_id"].astype(str) == rid]
    currency = fmt.currency_symbol(reporting_currency(ws))
    creep_ids = [
        str(a["account_id"])
        for a in accounts.to_dict("records")
        if "discount_creep" in _flag_list(a.get("flags"))
    ]
    key_share = _key_people_share(ws, rid, m.window) if self_audit else None
    inputs = SheetInputs(
        rep=rep,
        team=team,
        accounts=accounts,
        trades=trades,
        company_growth=None if fmt.is_missing(m.company_growth) else float(m.company_growth),
        window_label=m.window.label,
        as_of=m.window.as_of,
        currency=currency,
        shifts=metrics_engine.hours_to_shift(m, rid, metrics_engine.MIN_SHIFT_HOURS_PER_MONTH),
        discount_history=discount_history(ws, creep_ids, m.window.as_of, m.settings.creep_quarters),
        commitments=commitments_store.lines_for_rep(ws, rid, m.window.as_of, currency),
        key_people_share=key_share,
        self_audit=self_audit,
        settings=m.settings,
        potential_rule=getattr(m, "potential_rule", ""),
        missing_fields=tuple(getattr(m, "missing_fields", ())),
        warnings=tuple(getattr(m, "warnings", ())),
        excess_discount_threshold=getattr(m, "excess_discount_threshold", None),
        has_deals=bool(getattr(m, "has_deals", False)),
    )
    effect, since = coaching_effect.timeline(ws, rid, m.window.as_of)
    return replace(assemble(inputs), effect=effect, effect_since=since)


def find_rep(m: Any, rep: str) -> dict[str, Any]:
    """The rep's metrics row by id, or by name ignoring case and spaces."""
    reps = m.reps
    hit = reps[reps["rep_id"].astype(str) == str(rep)]
    if hit.empty and "rep_name" in reps.columns:
        keys = reps["rep_name"].map(lambda n: name_key(n) if isinstance(n, str) else None)
        hit = reps[keys == name_key(str(rep))]
    if hit.empty:
        raise UserError(f"No rep {rep!r} in this workspace's data for {m.window.label}.")
    return dict(hit.iloc[0].to_dict())


def reporting_currency(ws: Workspace) -> str | None:
    """The one currency of the orders, if they say; mixed currencies are refused at load."""
    rows = ws.con.execute(
        "select upper(currency), count(*) from orders where currency is not null "
        "group by 1 order by 2 desc limit 2"
    ).fetchall()
    return str(rows[0][0]) if len(rows) == 1 else None


def discount_history(
    ws: Workspace, account_ids: list[str], as_of: date, quarters: int = 8
) -> dict[str, DiscountChange]:
    """Per account, the list-weighted discount of the earlier and the later half of the
    trend's quarters ("rose from 8.0 % to 14.0 %")."""
    if not account_ids:
        return {}
    q = _engine().discount_quarters(ws, account_ids, as_of, quarters=quarters)
    if q is None or q.empty:
        return {}
    last_q = pd.Timestamp(as_of).to_period("Q")
    half = quarters // 2
    split = (last_q - (half - 1)).start_time
    first_label = _quarter_span(last_q - (quarters - 1), last_q - half)
    last_label = _quarter_span(last_q - (half - 1), last_q)
    q = q.assign(_start=pd.to_datetime(q["quarter_start"]))
    out = {}
    for account_id, rows in q.groupby("account_id"):
        early, late = rows[rows["_start"] < split], rows[rows["_start"] >= split]
        out[str(account_id)] = DiscountChange(_rate(early), _rate(late), first_label, last_label)
    return out


def _rate(rows: pd.DataFrame) -> float | None:
    lst = pd.to_numeric(rows["list_amount"], errors="coerce").sum()
    net = pd.to_numeric(rows["net_amount"], errors="coerce").sum()
    return None if not lst or lst <= 0 else float(1 - net / lst)


def _quarter_span(a: pd.Period, b: pd.Period) -> str:
    return f"Q{a.quarter} {a.year}–Q{b.quarter} {b.year}"


def _key_people_share(ws: Workspace, rep_id: str, window: Any) -> float | None:
    """Share of the rep's hours spent with decision makers, None without contact roles."""
    frame = _engine().key_people_time(ws, rep_id, window)
    if frame is None or frame.empty:
        return None
    roles = frame["contact_role"].astype(str).str.lower()
    total = pd.to_numeric(frame["hours"], errors="coerce").sum()
    if not total:
        return None
    decision = pd.to_numeric(
        frame.loc[roles.str.contains("decision"), "hours"], errors="coerce"
    ).sum()
    return float(decision / total)


def _flag_list(flags: object) -> list[str]:
    if flags is None or isinstance(flags, float):
        return []
    if isinstance(flags, str):
        return [f.strip() for f in flags.split(",")]
    return [str(f) for f in flags]  # type: ignore[attr-defined]
