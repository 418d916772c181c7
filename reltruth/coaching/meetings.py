"""The one-on-ones a manager has held: per rep and date, the window, the sheet as it was,
the notes, and the commitments agreed that day.

Why: a manager meets each rep again and again, and the next conversation should start from
the last one. The sheet is stored as ``Sheet.to_dict()`` and read back into the same frozen
model (``sheet_from_dict``), so an old meeting reopens exactly as it was printed, whatever
data has been loaded since; its notes go into that meeting's HTML, PDF and Markdown. The
commitments agreed at a meeting are those of the rep whose ``agreed_on`` is the meeting
date (``reltruth.coaching.commitments``). Stored in the ``meetings`` table; values bound.
"""

from __future__ import annotations

import json
import math
import types
import typing
from dataclasses import MISSING, asdict, dataclass, fields, is_dataclass, replace
from datetime import date
from typing import Any

from reltruth.coaching import model
from reltruth.coaching.commitments import Commitment, list_for_rep
from reltruth.coaching.model import Sheet
from reltruth.errors import UserError
from reltruth.workspace import Workspace

MAX_NOTES = 20_000  # characters: a page of notes, not a document store


@dataclass(frozen=True)
class Meeting:
    rep_id: str
    met_on: date
    as_of: date
    window_months: int
    notes: str
    sheet: Sheet  # with the notes in ``meeting_notes``

    @property
    def label(self) -> str:
        return f"{self.met_on:%-d %b %Y} (data to {self.as_of:%-d %b %Y})"


def save(
    ws: Workspace, sheet: Sheet, *, met_on: date, window_months: int, notes: str = ""
) -> Meeting:
    """Keep the meeting of ``sheet``'s rep on ``met_on``: the sheet as it is now and the
    notes. Saving again on the same date replaces both (the last word of that day)."""
    text = _checked_notes(notes)
    stored = replace(sheet, meeting_notes="")  # the notes live in their own column
    with ws.transaction() as con:
        con.execute(
            "delete from meetings where rep_id = $rep_id and met_on = $met_on",
            {"rep_id": sheet.rep_id, "met_on": met_on},
        )
        con.execute(
            "insert into meetings (rep_id, met_on, as_of, window_months, sheet, notes) "
            "values ($rep_id, $met_on, $as_of, $months, $sheet, $notes)",
            {
                "rep_id": sheet.rep_id,
                "met_on": met_on,
                "as_of": sheet.as_of,
                "months": int(window_months),
                "sheet": json.dumps(_plain(asdict(stored)), ensure_ascii=False),
                "notes": text,
            },
        )
    return get(ws, sheet.rep_id, met_on)


def save_notes(ws: Workspace, rep_id: str, met_on: date, notes: str) -> Meeting:
    """Change the notes of a kept meeting (the sheet stays as it was)."""
    get(ws, rep_id, met_on)  # a clear message when there is no such meeting
    ws.con.execute(
        "update meetings set notes = $notes, saved_at = current_timestamp "
        "where rep_id = $rep_id and met_on = $met_on",
        {"notes": _checked_notes(notes), "rep_id": str(rep_id), "met_on": met_on},
    )
    return get(ws, rep_id, met_on)


def get(ws: Workspace, rep_id: str, met_on: date) -> Meeting:
    rows = ws.con.execute(
        "select rep_id, met_on, as_of, window_months, notes, sheet from meetings "
        "where rep_id = $rep_id and met_on = $met_on",
        {"rep_id": str(rep_id), "met_on": met_on},
    ).fetchall()
    if not rows:
        raise UserError(f"No meeting with this rep was kept on {met_on:%-d %b %Y}.")
    return _meeting(rows[0])


def history(ws: Workspace, rep_id: str) -> list[Meeting]:
    """The rep's kept meetings, the latest first."""
    rows = ws.con.execute(
        "select rep_id, met_on, as_of, window_months, notes, sheet from meetings "
        "where rep_id = $rep_id order by met_on desc",
        {"rep_id": str(rep_id)},
    ).fetchall()
    return [_meeting(r) for r in rows]


def delete(ws: Workspace, rep_id: str, met_on: date) -> None:
    get(ws, rep_id, met_on)
    ws.con.execute(
        "delete from meetings where rep_id = $rep_id and met_on = $met_on",
        {"rep_id": str(rep_id), "met_on": met_on},
    )


def agreed_at(ws: Workspace, meeting: Meeting) -> list[Commitment]:
    """The commitments agreed at ``meeting`` (same rep, agreed on the meeting's date)."""
    return [c for c in list_for_rep(ws, meeting.rep_id) if c.agreed_on == meeting.met_on]


# ---------------------------------------------------------------------------------------
# the stored sheet back into the model


def _plain(value: Any) -> Any:
    """JSON-ready without rounding (``Sheet.to_dict`` rounds floats for the golden files;
    a kept meeting must come back bit for bit). NaN, which JSON lacks, is stored as null."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def sheet_from_dict(data: dict[str, Any]) -> Sheet:
    """A stored sheet read back into the model: ``sheet_from_dict(_plain(asdict(s))) == s``
    (``Sheet.to_dict()`` reads back too, floats to six decimals). Keys a later version does
    not know are ignored and fields it added take their defaults, so old meetings stay
    readable."""
    return typing.cast(Sheet, _value(Sheet, data))


def _value(kind: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(kind) if a is not type(None)]
        return _value(options[0], data) if len(options) == 1 else data
    if origin is tuple:
        (item, *_rest) = typing.get_args(kind)
        return tuple(_value(item, v) for v in data)
    if isinstance(kind, type) and is_dataclass(kind):
        hints = typing.get_type_hints(kind, vars(model))
        values = {}
        for f in fields(kind):
            if f.name in data:
                values[f.name] = _value(hints[f.name], data[f.name])
            elif f.default is MISSING and f.default_factory is MISSING:
                raise ValueError(f"stored sheet lacks {f.name!r}")
        return kind(**values)
    if kind is date:
        return date.fromisoformat(str(data))
    if kind is float:
        return float(data)
    return data


def _meeting(row: tuple[Any, ...]) -> Meeting:
    rep_id, met_on, as_of, months, notes, sheet = row
    stored = sheet_from_dict(json.loads(sheet) if isinstance(sheet, str) else sheet)
    return Meeting(
        rep_id=str(rep_id),
        met_on=met_on,
        as_of=as_of,
        window_months=int(months),
        notes=str(notes or ""),
        sheet=replace(stored, meeting_notes=str(notes or "")),
    )


def _checked_notes(notes: str | None) -> str:
    text = (notes or "").strip()
    if len(text) > MAX_NOTES:
        raise UserError(
            f"The notes are {len(text):,} characters long; keep them under {MAX_NOTES:,}."
        )
    return text
