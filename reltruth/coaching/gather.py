"""``build_sheet``: reads what one rep's sheet needs from the metrics and the workspace.

Why apart from ``build``: this is the only coaching code that talks to the metrics engine
and the database (hours to shift, discount history per quarter, key-people time,
commitments, the reporting currency); ``build.assemble`` turns it into words.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from reltruth import format as fmt
from reltruth.coaching import commitments as commitments_store
from reltruth.coaching import effect as coaching_effect
from reltruth.coaching.build import assemble
from reltruth.coaching.cells import cell_num
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
    return build_sheets(ws, m, [rep_id], self_audit=self_audit)[0]


def build_sheets(
    ws: Workspace, m: Any, reps: Iterable[str], *, self_audit: bool = False
) -> list[Sheet]:
    """The sheets of ``reps`` (ids or names), in that order, from one pass over the team.

    Why one pass: a whole team's sheets (``sheet --all``, the team ZIP) used to read per rep
    what is the same for every rep or splits by rep: the reporting currency, the discount
    history, the commitments, the first meetings (one query each here, whatever the number
    of reps), and a filter of every account and trade of the company per rep (split by rep
    once here). Per rep remain the measures of a coached rep's timeline and of each
    commitment, which are about that rep's own periods (docs/performance.md)."""
    return list(iter_sheets(ws, m, reps, self_audit=self_audit))


def iter_sheets(
    ws: Workspace, m: Any, reps: Iterable[str], *, self_audit: bool = False
) -> Iterator[Sheet]:
    """``build_sheets`` one sheet at a time: ``sheet --all`` hands each sheet to the worker
    processes that render it while the next ones are still being built."""
    engine = _engine()
    rows = _rep_rows(m, list(reps))
    team = _Team.read(ws, m, [str(r["rep_id"]) for r in rows])
    for rep in rows:
        yield _sheet(ws, m, engine, team, rep, self_audit)


@dataclass(frozen=True)
class _Team:
    """What the sheets of many reps read once: the frames split by rep, the queries' rows."""

    currency: str
    accounts: dict[str, pd.DataFrame]  # Metrics.accounts rows by rep_id
    no_accounts: pd.DataFrame
    trades: dict[str, pd.DataFrame] | None  # Metrics.trades rows by from_rep_id
    no_trades: pd.DataFrame
    discount_history: dict[str, DiscountChange]  # every creep account of these reps
    commitments: dict[str, list[commitments_store.Commitment]]
    account_names: dict[str, str]  # of the accounts the commitments are about
    first_meetings: dict[str, date]
    teams: dict[Any, pd.DataFrame] = field(default_factory=dict)  # filled as teams come up
    company_revenue: dict[tuple[date, date], float] = field(default_factory=dict)

    @classmethod
    def read(cls, ws: Workspace, m: Any, rep_ids: list[str]) -> _Team:
        accounts = split_by(m.accounts, "rep_id")
        trades = None
        if len(m.trades) and "from_rep_id" in m.trades.columns:
            trades = split_by(m.trades, "from_rep_id")
        creep_ids = [a for r in rep_ids if r in accounts for a in _creep_ids(accounts[r])]
        made = commitments_store.list_for_reps(ws, rep_ids)
        return cls(
            currency=fmt.currency_symbol(reporting_currency(ws)),
            accounts=accounts,
            no_accounts=m.accounts.take(_NONE),
            trades=trades,
            no_trades=m.trades.take(_NONE),
            discount_history=discount_history(
                ws, creep_ids, m.window.as_of, m.settings.creep_quarters
            ),
            commitments=made,
            account_names=commitments_store.account_names(
                ws, [c for cs in made.values() for c in cs]
            ),
            first_meetings=coaching_effect.first_meetings(ws),
        )

    def team_of(self, reps: pd.DataFrame, rep: dict[str, Any]) -> pd.DataFrame:
        """The rep's team's rows of Metrics.reps (all reps when the rep has no team)."""
        value = rep.get("team")
        if "team" not in reps.columns or fmt.is_missing(value) or not value:
            return reps
        if value not in self.teams:
            self.teams[value] = reps[reps["team"] == value]
        return self.teams[value]


_NONE = np.array([], dtype=np.intp)  # no row: what a filter matching nothing takes


def split_by(frame: pd.DataFrame, column: str) -> dict[str, pd.DataFrame]:
    """``frame``'s rows per value of ``column`` as text, each in ``frame``'s order: what
    ``frame[frame[column].astype(str) == key]`` gives for every key, in one pass."""
    positions: dict[str, list[int]] = {}
    for i, key in enumerate(frame[column].astype(str)):
        if isinstance(key, str):  # a missing id equals no rep
            positions.setdefault(key, []).append(i)
    return {k: frame.take(np.array(v, dtype=np.intp)) for k, v in positions.items()}


def _sheet(
    ws: Workspace, m: Any, engine: Any, team: _Team, rep: dict[str, Any], self_audit: bool
) -> Sheet:
    rid = str(rep["rep_id"])
    accounts = team.accounts.get(rid, team.no_accounts)
    trades = m.trades if team.trades is None else team.trades.get(rid, team.no_trades)
    creep_ids = set(_creep_ids(accounts))
    made = team.commitments.get(rid, [])
    inputs = SheetInputs(
        rep=rep,
        team=team.team_of(m.reps, rep),
        accounts=accounts,
        trades=trades,
        company_growth=None if fmt.is_missing(m.company_growth) else float(m.company_growth),
        window_label=m.window.label,
        as_of=m.window.as_of,
        currency=team.currency,
        shifts=engine.hours_to_shift_in(
            accounts,
            cell_num(rep.get("hours")) or 0.0,
            m.window.months,
            engine.MIN_SHIFT_HOURS_PER_MONTH,
        ),
        discount_history={a: h for a, h in team.discount_history.items() if a in creep_ids},
        commitments=commitments_store.lines_of(
            ws, made, m.window.as_of, team.currency, team.account_names
        ),
        key_people_share=_key_people_share(ws, rid, m.window) if self_audit else None,
        self_audit=self_audit,
        settings=m.settings,
        potential_rule=getattr(m, "potential_rule", ""),
        missing_fields=tuple(getattr(m, "missing_fields", ())),
        warnings=tuple(getattr(m, "warnings", ())),
        excess_discount_threshold=getattr(m, "excess_discount_threshold", None),
        has_deals=bool(getattr(m, "has_deals", False)),
    )
    effect, since = coaching_effect.timeline_from(
        ws, rid, team.first_meetings.get(rid), m.window.as_of, made, team.company_revenue
    )
    return replace(assemble(inputs), effect=effect, effect_since=since)


def _rep_rows(m: Any, reps: list[str]) -> list[dict[str, Any]]:
    """``find_rep`` of each of ``reps``, the ids looked up in one pass over Metrics.reps."""
    first: dict[str, int] = {}
    for i, rep_id in enumerate(m.reps["rep_id"].astype(str)):
        first.setdefault(rep_id, i)
    return [
        dict(m.reps.iloc[first[str(r)]].to_dict()) if str(r) in first else find_rep(m, r)
        for r in reps
    ]


def _creep_ids(accounts: pd.DataFrame) -> list[str]:
    """The accounts flagged with discount creep (their discount history is read)."""
    if "flags" not in accounts.columns:
        return []
    return [
        str(a)
        for a, f in zip(accounts["account_id"], accounts["flags"], strict=True)
        if "discount_creep" in _flag_list(f)
    ]


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
