"""What the Coaching sheet page shows around the sheet model, computed without drawing it: the
rep picker's choices, the kept meetings and what their commitments came to, the scoreboard
and action lists as the page lays them out, the commitments with who gives their verdict,
the accounts a commitment can be about, and the commitment form's defaults and result
(due by the next quarter end).

Why a view of its own: the sheet itself is ``reltruth.coaching.build_sheet``; what the page
did between its widgets (filtering reps, ordering accounts, quarter-end arithmetic, reading
a form back) is here, where a unit test reaches it. ``pages/coaching_sheet.py`` draws
widgets (through ``reltruth.ui.coaching_sheet_page``) and renders these. No Streamlit here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from reltruth import coaching
from reltruth.coaching import commitments as cm
from reltruth.coaching import meetings as mt
from reltruth.coaching.model import Sheet
from reltruth.views.common import account_names, in_scope, rep_names
from reltruth.workspace import Workspace

KIND_LABELS: dict[str | None, str] = {
    None: "free text (you mark it done, not done or partly)",
    "hours": "hours at an account",
    "discount": "discount at an account (%)",
    "revenue": "revenue at an account",
    "penetration": "penetration at an account (%)",
    "alignment": "the rep's alignment score (%)",
}
OP_LABELS: dict[str | None, str] = {None: "the usual way", ">=": "at least", "<=": "at most"}
STATUS_LABELS: dict[str | None, str] = {
    None: "not marked yet",
    "done": "done",
    "not_done": "not done",
    "partly": "partly",
}


@dataclass(frozen=True)
class RepChoices:
    """The reps the page offers (the selected team's), labelled "name · tier"; when there are
    none, why."""

    ids: tuple[str, ...]
    labels: dict[str, str]
    empty: str = ""


def rep_choices(reps: pd.DataFrame, team: str | None) -> RepChoices:
    if team and "team" in reps.columns:
        reps = reps[reps["team"] == team]
    if reps.empty:
        return RepChoices((), {}, "No reps in the selected team for this window.")
    ids = [str(r) for r in reps["rep_id"]]
    names = rep_names(reps)  # the id where a name is missing
    tiers = reps["tier"] if "tier" in reps.columns else pd.Series([None] * len(reps))
    # a rep without a tier (no revenue to rank in the window) is labelled by name alone
    labels = {
        r: f"{names[r]} · {t}" if isinstance(t, str) and t else names[r]
        for r, t in zip(ids, tiers, strict=True)
    }
    return RepChoices(tuple(ids), labels)


# --- meetings kept -------------------------------------------------------------------------


@dataclass(frozen=True)
class History:
    """The rep's kept meetings, the last one first, and the one kept on today's meeting date
    (whose notes the notes box starts from)."""

    past: tuple[mt.Meeting, ...]
    today: mt.Meeting | None

    @property
    def labels(self) -> dict[date, str]:
        return {k.met_on: k.label for k in self.past}

    def meeting(self, met_on: date) -> mt.Meeting:
        return next(k for k in self.past if k.met_on == met_on)


def history(ws: Workspace, rep_id: str, met_on: date) -> History:
    past = tuple(mt.history(ws, rep_id))
    return History(past, next((k for k in past if k.met_on == met_on), None))


@dataclass(frozen=True)
class Agreed:
    """A commitment agreed at a kept meeting and what the data says of it now: ``line`` is
    the verdict sentence; a measurable one is shown after its own words."""

    text: str
    line: str
    measurable: bool


def agreed_then(
    ws: Workspace, meeting: mt.Meeting, as_of: date, currency: str
) -> tuple[Agreed, ...]:
    out = []
    for c in mt.agreed_at(ws, meeting):
        kept = cm.line(c, cm.evaluate(ws, c, as_of), cm.account_name(ws, c.account_id), currency)
        out.append(Agreed(c.text, kept.line, c.measurable))
    return tuple(out)


def meeting_file_name(meeting: mt.Meeting, fmt: str) -> str:
    """A kept meeting's sheet as a download: today's name with the meeting's date."""
    return coaching.file_name(meeting.sheet, fmt).replace(
        f".{fmt}", f"-meeting-{meeting.met_on.isoformat()}.{fmt}"
    )


def zip_file_name(team: str | None, as_of: date) -> str:
    return f"sheets-{team or 'all'}-{as_of.isoformat()}.zip".replace(" ", "-")


# --- the sheet as the page lays it out -------------------------------------------------------


def scoreboard(sheet: Sheet, labels: dict[str, str]) -> pd.DataFrame:
    """One row per scoreboard line: the stat (with the company's value where it applies),
    the rep's value (or "you" in a self-audit) and the team median, headed as printed."""
    who = labels["rep_value_self_audit"] if sheet.self_audit else labels["rep_value"]
    return pd.DataFrame(
        {
            labels["stat"]: [
                s.label + (f" (company {s.company_text})" if s.company_text else "")
                for s in sheet.scoreboard
            ],
            who: [s.text for s in sheet.scoreboard],
            labels["team_median"]: [s.team_median_text for s in sheet.scoreboard],
        }
    )


def action_lists(sheet: Sheet, labels: dict[str, str]) -> list[tuple[str, list[str]]]:
    """The action plan's headed lists, the empty ones left out."""
    a = sheet.actions
    lists = (
        (labels["shifts"], [s.text for s in a.shifts]),
        (labels["demotions"], [d.text for d in a.demotions]),
        (labels["trades"], [t.text for t in a.trades]),
        (labels["training"], [f"{t.topic}: {t.reason}" for t in a.training]),
    )
    return [(heading, items) for heading, items in lists if items]


# --- commitments -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CommitmentRow:
    """A commitment on today's sheet. ``verdict`` is what the data says after the words of a
    measurable one ("" for free text, whose ``line`` is all there is); ``marked`` is the
    manager's verdict of a free-text one (None for measurable ones: the data gives theirs)."""

    commitment_id: str
    agreed_on: date
    text: str
    line: str
    verdict: bool
    free_text: bool
    marked: str | None = None


def commitment_rows(ws: Workspace, sheet: Sheet, rep_id: str) -> tuple[CommitmentRow, ...]:
    free_text = {c.commitment_id for c in cm.list_for_rep(ws, rep_id) if not c.measurable}
    return tuple(
        CommitmentRow(
            item.commitment_id,
            item.agreed_on,
            item.text,
            item.line,
            bool(item.target_text),
            item.commitment_id in free_text,
            cm.status_of(ws, item.commitment_id) if item.commitment_id in free_text else None,
        )
        for item in sheet.commitments
    )


def commitment_accounts(accounts: pd.DataFrame, rep_id: str, sheet: Sheet) -> dict[str, str]:
    """account_id -> name of the rep's accounts: the ones the prompts are about first (that is
    what commitments are made on), in prompt order, then the rest by name."""
    names = account_names(in_scope(accounts, [rep_id]))
    prompted = list(dict.fromkeys(a for p in sheet.prompts for a in p.account_ids if a in names))
    rest = sorted(set(names) - set(prompted), key=lambda i: names[i].lower())
    return {i: names[i] for i in prompted + rest}


def next_quarter_end(as_of: date) -> date:
    """The default due date of a new commitment: the first quarter end after ``as_of`` (the
    end of its own quarter; on a quarter's last day, the end of the next one)."""
    return (pd.Timestamp(as_of) + pd.offsets.QuarterEnd(1)).date()


@dataclass(frozen=True)
class FormDefaults:
    """What the commitment form starts from: an existing commitment's values (a fraction
    shown as a percent), or a blank one due by the next quarter end."""

    text: str
    kind: str | None
    account_id: str | None
    op: str | None
    value: float
    due: date
    agreed_on: date


def form_defaults(existing: cm.Commitment | None, as_of: date) -> FormDefaults:
    e = existing
    if e is None:
        return FormDefaults("", None, None, None, 0.0, next_quarter_end(as_of), as_of)
    percent = e.target_kind in cm.FRACTION_KINDS
    return FormDefaults(
        text=e.text,
        kind=e.target_kind,
        account_id=e.account_id,
        op=e.target_op if e.target_op in OP_LABELS else None,
        value=float(e.target_value or 0) * (100 if percent else 1),
        due=e.due_date or next_quarter_end(as_of),
        agreed_on=e.agreed_on,
    )


def commitment_fields(
    *,
    text: str,
    kind: str | None,
    account_id: str | None,
    op: str | None,
    value: float,
    due: date,
    agreed_on: date,
) -> dict[str, Any]:
    """The submitted form as ``commitments.add`` / ``update`` take it: a free-text commitment
    carries no target, an account or due date; a rep-wide kind no account."""
    return {
        "text": text,
        "target_kind": kind,
        "account_id": account_id if kind and kind not in cm.REP_KINDS else None,
        "target_op": op if kind else None,
        "target_value": value if kind else None,
        "due_date": due if kind else None,
        "agreed_on": agreed_on,
    }
