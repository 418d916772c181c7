"""What was agreed in a one-on-one, kept in the workspace, and checked against the data later.

Why: a coaching conversation only changes something if the next one starts from what was
promised. A commitment is free text plus, optionally, a measurable target by a date: hours
at an account (at least or at most), discount at an account (at most), revenue or
penetration at an account (at least), or the rep's alignment score (at least). The next
sheet shows each earlier commitment with what the data now says ("≥ 20 h at Contoso by 31
Dec: 26 h ✓"). A commitment without a measurable target gets its verdict from the manager:
done, not done or partly (``set_status``).

Measured over ``(agreed_on, min(due_date, as_of)]`` with ``reltruth.metrics.measure``:
before the due date the verdict is "on track so far" or "behind so far" (sums such as hours
and revenue against an even pace to the due date, rates against the target itself); on or
after it, kept or broken.
Stored in the ``commitments`` table of ``reltruth/sql/schema.sql``; values are always bound.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from reltruth import format as fmt
from reltruth.coaching.model import CommitmentLine
from reltruth.coaching.templates import fill, templates
from reltruth.errors import UserError
from reltruth.workspace import Workspace

KINDS = ("hours", "discount", "revenue", "penetration", "alignment")
DEFAULT_OP = {
    "hours": ">=",
    "discount": "<=",
    "revenue": ">=",
    "penetration": ">=",
    "alignment": ">=",
}
OPS = (">=", "<=")
FRACTION_KINDS = ("discount", "penetration", "alignment")  # typed as 12 or 0.12
REP_KINDS = ("alignment",)  # about the rep's whole book, not one account
# figures that add up over time: before the due date they are judged against an even pace
SUM_KINDS = ("hours", "revenue")
STATUSES = ("done", "not_done", "partly")  # the manager's verdict on a free-text commitment
# the columns of a Commitment, in field order (one literal per query: no SQL is formatted)
SELECT = (
    "select commitment_id, rep_id, agreed_on, text, target_kind, account_id, target_op, "
    "target_value, due_date from commitments "
)


@dataclass(frozen=True)
class Commitment:
    commitment_id: str
    rep_id: str
    agreed_on: date
    text: str
    target_kind: str | None = None  # one of KINDS | None (free text only)
    account_id: str | None = None
    target_op: str | None = None  # ">=" | "<="
    target_value: float | None = None  # hours, a fraction (0.12) or currency
    due_date: date | None = None

    @property
    def measurable(self) -> bool:
        return self.target_kind is not None


@dataclass(frozen=True)
class Evaluation:
    status: str  # kept | broken | open | no_target | no_data | not_started | done | ...
    measured: float | None
    period_end: date | None
    # open only: True = on track so far, False = behind so far; ``pace`` is what an even
    # pace to the due date would have reached by ``period_end`` (sums only, else None)
    on_track: bool | None = None
    pace: float | None = None


def add(
    ws: Workspace,
    rep_id: str,
    text: str,
    *,
    agreed_on: date,
    target_kind: str | None = None,
    account_id: str | None = None,
    target_value: float | None = None,
    due_date: date | None = None,
    target_op: str | None = None,
) -> Commitment:
    """Record a commitment (validated; a one-line UserError says what is missing)."""
    c = _validated(
        Commitment(
            commitment_id=uuid.uuid4().hex,
            rep_id=str(rep_id),
            agreed_on=agreed_on,
            text=text,
            target_kind=target_kind or None,
            account_id=account_id or None,
            target_op=target_op,
            target_value=target_value,
            due_date=due_date,
        )
    )
    ws.con.execute(
        "insert into commitments (commitment_id, rep_id, agreed_on, text, target_kind, "
        "account_id, target_op, target_value, due_date) values "
        "($commitment_id, $rep_id, $agreed_on, $text, $target_kind, $account_id, $target_op, "
        "$target_value, $due_date)",
        _params(c),
    )
    return c


def update(ws: Workspace, commitment_id: str, **changes: Any) -> Commitment:
    """Change fields of a recorded commitment; returns the new version."""
    current = get(ws, commitment_id)
    unknown = set(changes) - set(Commitment.__dataclass_fields__) - {"commitment_id", "rep_id"}
    if unknown:
        raise UserError(f"A commitment has no field {sorted(unknown)[0]!r}.")
    changes.pop("commitment_id", None)
    changes.pop("rep_id", None)
    c = _validated(replace(current, **changes))
    ws.con.execute(
        "update commitments set agreed_on = $agreed_on, text = $text, target_kind = $target_kind, "
        "account_id = $account_id, target_op = $target_op, target_value = $target_value, "
        "due_date = $due_date, updated_at = current_timestamp "
        "where commitment_id = $commitment_id",
        {k: v for k, v in _params(c).items() if k != "rep_id"},
    )
    return c


def delete(ws: Workspace, commitment_id: str) -> None:
    get(ws, commitment_id)  # a clear message when it is already gone
    with ws.transaction() as con:
        con.execute(
            "delete from commitment_status where commitment_id = $id", {"id": commitment_id}
        )
        con.execute("delete from commitments where commitment_id = $id", {"id": commitment_id})


def set_status(ws: Workspace, commitment_id: str, status: str | None, on: date) -> None:
    """The manager's verdict on a commitment without a measurable target: done, not done or
    partly (None clears it). A measurable one gets its verdict from the data instead."""
    c = get(ws, commitment_id)
    if c.measurable:
        raise UserError("This commitment has a measurable target: its verdict comes from the data.")
    if status is not None and status not in STATUSES:
        raise UserError(f"A commitment is done, not_done or partly (not {status!r}).")
    with ws.transaction() as con:
        con.execute(
            "delete from commitment_status where commitment_id = $id", {"id": c.commitment_id}
        )
        if status is not None:
            con.execute(
                "insert into commitment_status (commitment_id, status, set_on) "
                "values ($id, $status, $on)",
                {"id": c.commitment_id, "status": status, "on": on},
            )


def status_of(ws: Workspace, commitment_id: str) -> str | None:
    """The manager's verdict on a free-text commitment, or None when not set yet."""
    rows = ws.con.execute(
        "select status from commitment_status where commitment_id = $id", {"id": commitment_id}
    ).fetchall()
    return str(rows[0][0]) if rows else None


def get(ws: Workspace, commitment_id: str) -> Commitment:
    rows = ws.con.execute(SELECT + "where commitment_id = $id", {"id": commitment_id}).fetchall()
    if not rows:
        raise UserError("That commitment no longer exists; it may have been deleted.")
    return from_row(rows[0])


def list_for_rep(ws: Workspace, rep_id: str) -> list[Commitment]:
    """The rep's commitments, oldest agreement first."""
    rows = ws.con.execute(
        SELECT + "where rep_id = $rep_id order by agreed_on, created_at, commitment_id",
        {"rep_id": str(rep_id)},
    ).fetchall()
    return [from_row(r) for r in rows]


def list_for_reps(ws: Workspace, rep_ids: list[str]) -> dict[str, list[Commitment]]:
    """``list_for_rep`` of many reps from one query (the sheets of a whole team)."""
    rows = ws.con.execute(
        SELECT + "where rep_id in (select unnest($rep_ids::varchar[])) "
        "order by rep_id, agreed_on, created_at, commitment_id",
        {"rep_ids": [str(r) for r in rep_ids]},
    ).fetchall()
    out: dict[str, list[Commitment]] = {}
    for r in rows:
        c = from_row(r)
        out.setdefault(str(c.rep_id), []).append(c)
    return out


def evaluate(ws: Workspace, c: Commitment, as_of: date) -> Evaluation:
    """What the data says about ``c`` on ``as_of``."""
    if not c.measurable:
        return Evaluation(status_of(ws, c.commitment_id) or "no_target", None, None)
    assert c.due_date is not None and c.target_value is not None
    end = min(c.due_date, as_of)
    if end <= c.agreed_on:
        return Evaluation("not_started", None, end)
    from reltruth.metrics import measure, measure_rep  # the engine owns the definitions

    if c.target_kind in REP_KINDS:
        value = measure_rep(ws, str(c.target_kind), c.rep_id, c.agreed_on, end)
    else:
        assert c.account_id is not None
        value = measure(ws, str(c.target_kind), c.account_id, c.agreed_on, end)
    if value is None or fmt.is_missing(value):
        return Evaluation("no_data", None, end)
    value = float(value)
    if as_of < c.due_date:
        pace = so_far_target(c, end)
        return Evaluation(
            "open", value, end, _meets(c, value, pace), pace if c.target_kind in SUM_KINDS else None
        )
    return Evaluation("kept" if _meets(c, value, c.target_value) else "broken", value, end)


def so_far_target(c: Commitment, end: date) -> float:
    """What the target asks for by ``end``: for a sum (hours, revenue) the share of the target
    an even pace from the agreement to the due date reaches by then ("≥ 20 h by 31 Dec" asks
    for 10 h half-way; "≤ 20 h" allows 10 h); for a rate (discount, penetration, alignment)
    the target itself, since a rate does not grow with time."""
    assert c.target_value is not None and c.due_date is not None
    if c.target_kind not in SUM_KINDS:
        return float(c.target_value)
    elapsed = (end - c.agreed_on).days / (c.due_date - c.agreed_on).days
    return float(c.target_value) * min(max(elapsed, 0.0), 1.0)


def _meets(c: Commitment, value: float, target: float | None) -> bool:
    assert target is not None
    return value >= target if c.target_op == ">=" else value <= target


def lines_for_rep(
    ws: Workspace, rep_id: str, as_of: date, currency: str = "€"
) -> tuple[CommitmentLine, ...]:
    """The sheet's commitments section: every commitment agreed on or before ``as_of``."""
    made = list_for_rep(ws, rep_id)
    return lines_of(ws, made, as_of, currency, account_names(ws, made))


def lines_of(
    ws: Workspace,
    made: list[Commitment],
    as_of: date,
    currency: str,
    names: dict[str, str],
) -> tuple[CommitmentLine, ...]:
    """``lines_for_rep`` from commitments already read, with ``account_names`` of them."""
    out = []
    for c in made:
        if c.agreed_on > as_of:
            continue
        name = names.get(c.account_id, c.account_id) if c.account_id else ""
        out.append(line(c, evaluate(ws, c, as_of), name, currency))
    return tuple(out)


def line(c: Commitment, ev: Evaluation, account_name: str, currency: str = "€") -> CommitmentLine:
    """The printed sentence for one commitment and its verdict."""
    t = templates()["commitments"]
    if not c.measurable:
        status = ev.status if ev.status in STATUSES else "no_target"
        return CommitmentLine(
            c.commitment_id,
            c.agreed_on,
            c.text,
            "",
            status,
            {"done": "✓", "not_done": "✗", "partly": "½"}.get(status, ""),
            "",
            fill(t[status], {"text": c.text}),
        )
    target = target_text(c, account_name, currency)
    measured = _value_text(c.target_kind, ev.measured, currency)
    due = fmt.short_day(c.due_date) if c.due_date else ""
    values = {"target": target, "measured": measured, "due": due, "text": c.text}
    status = "open" if ev.status == "not_started" else ev.status
    if status == "open" and ev.measured is None:
        values["measured"] = _value_text(
            c.target_kind, 0.0 if c.target_kind != "discount" else None, currency
        )
    key = {"kept": "kept", "broken": "broken", "open": "open", "no_data": "no_data"}[status]
    if status == "open" and ev.on_track is not None:  # not on the day it was agreed: no pace yet
        key = "on_track" if ev.on_track else "behind"
        values["pace"] = (
            fill(t["pace"], {"pace": _value_text(c.target_kind, ev.pace, currency)})
            if ev.pace is not None
            else ""
        )
    mark = {"kept": "✓", "broken": "✗"}.get(status, "…" if status == "open" else "")
    return CommitmentLine(
        commitment_id=c.commitment_id,
        agreed_on=c.agreed_on,
        text=c.text,
        target_text=target,
        status=status,
        mark=mark,
        measured_text=values["measured"],
        line=fill(t[key], values),
    )


def target_text(c: Commitment, account_name: str, currency: str = "€") -> str:
    """ "≥ 20 h at Contoso by 31 Dec 2026"."""
    if not c.measurable:
        return ""
    t = templates()["commitments"]
    value = _value_text(c.target_kind, c.target_value, currency)
    text = fill(t["target_" + str(c.target_kind)], {"value": value, "account": account_name})
    if c.target_op and c.target_op != DEFAULT_OP[str(c.target_kind)]:
        # the templates are written for the usual direction; flip the sign when asked
        text = text.replace("≥", "≤") if c.target_op == "<=" else text.replace("≤", "≥")
    if c.due_date:
        text += " " + fill(t["by"], {"due": fmt.day(c.due_date)})
    return text


# ---------------------------------------------------------------------------------------


def _value_text(kind: str | None, value: float | None, currency: str) -> str:
    if kind == "hours":
        return fmt.hours(value)
    if kind in FRACTION_KINDS:
        return fmt.pct(value, 1)
    if kind == "revenue":
        return fmt.money(value, currency)
    return ""


def _validated(c: Commitment) -> Commitment:
    if not c.text or not c.text.strip():
        raise UserError("Write down what was agreed before saving the commitment.")
    if c.target_kind is None:
        return replace(
            c,
            text=c.text.strip(),
            account_id=None,
            target_op=None,
            target_value=None,
            due_date=c.due_date,
        )
    if c.target_kind not in KINDS:
        raise UserError(
            "A measurable target is hours, discount, revenue or penetration at one account, "
            "or the rep's alignment score."
        )
    if c.target_kind in REP_KINDS:
        c = replace(c, account_id=None)
    elif not c.account_id:
        raise UserError("A measurable target needs the account it is about.")
    if c.target_value is None or fmt.is_missing(c.target_value):
        raise UserError("A measurable target needs a number (hours, per cent or an amount).")
    if c.due_date is None:
        raise UserError("A measurable target needs a date by which it should be met.")
    if c.due_date <= c.agreed_on:
        raise UserError("The target date must come after the day it was agreed.")
    value = float(c.target_value)
    if c.target_kind in FRACTION_KINDS and value > 1:
        value = value / 100  # typed as 12 (percent) rather than 0.12
    if value < 0:
        raise UserError("A target cannot be negative.")
    op = c.target_op or DEFAULT_OP[str(c.target_kind)]
    if op not in OPS:
        raise UserError("A target is either at least (≥) or at most (≤) a value.")
    return replace(c, text=c.text.strip(), target_value=value, target_op=op)


def _params(c: Commitment) -> dict[str, Any]:
    return {
        "commitment_id": c.commitment_id,
        "rep_id": c.rep_id,
        "agreed_on": c.agreed_on,
        "text": c.text,
        "target_kind": c.target_kind,
        "account_id": c.account_id,
        "target_op": c.target_op,
        "target_value": c.target_value,
        "due_date": c.due_date,
    }


def from_row(row: tuple[Any, ...]) -> Commitment:
    return Commitment(
        commitment_id=row[0],
        rep_id=row[1],
        agreed_on=row[2],
        text=row[3],
        target_kind=row[4],
        account_id=row[5],
        target_op=row[6],
        target_value=row[7],
        due_date=row[8],
    )


def account_names(ws: Workspace, made: list[Commitment]) -> dict[str, str]:
    """``account_name`` of every account the commitments ``made`` are about, one query."""
    ids = sorted({c.account_id for c in made if c.account_id})
    if not ids:
        return {}
    rows = ws.con.execute(
        "select account_id, account_name from accounts "
        "where account_id in (select unnest($ids::varchar[]))",
        {"ids": ids},
    ).fetchall()
    names = {str(a): str(n) for a, n in rows if n}
    return {a: names.get(a, a) for a in ids}


def account_name(ws: Workspace, account_id: str | None) -> str:
    """The account's name for a commitment line (its id when it has none)."""
    if not account_id:
        return ""
    rows = ws.con.execute(
        "select account_name from accounts where account_id = $id", {"id": account_id}
    ).fetchall()
    return str(rows[0][0]) if rows and rows[0][0] else account_id
