"""The coaching sheet as plain frozen values: what the renderers draw and the golden files pin.

Why a model between the metrics and the renderers: HTML, PDF, Markdown and the Streamlit
page must say exactly the same thing. Everything a reader sees is decided once, here
(numbers already formatted with their units), and each renderer only lays it out. CRM text
in these values is raw: escaping is the renderer's job, because each format escapes
differently.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Stat:
    """One scoreboard line: the rep's value, the team median, the company where it applies."""

    key: str
    label: str
    value: float | None
    text: str
    team_median_text: str
    company_text: str = ""


@dataclass(frozen=True)
class Prompt:
    """One conversation starter: evidence, the question, a follow-up, and what to do."""

    rank: int
    kind: str  # the flag the question comes from (or "team_learning" ...)
    flags: tuple[str, ...]  # every flag of the account(s), strongest first
    account_ids: tuple[str, ...]
    account_names: tuple[str, ...]
    money_at_stake: float
    money_text: str
    title: str
    evidence: tuple[str, ...]
    question: str
    follow_up: str
    action: str


@dataclass(frozen=True)
class Shift:
    from_account: str
    to_account: str
    hours_per_month: float
    text: str


@dataclass(frozen=True)
class Demotion:
    account_id: str
    account_name: str
    text: str


@dataclass(frozen=True)
class Trade:
    account_id: str
    account_name: str
    to_rep_name: str | None  # None on the self-audit sheet: no colleague is named
    text: str


@dataclass(frozen=True)
class Training:
    topic: str
    reason: str


@dataclass(frozen=True)
class Actions:
    shifts: tuple[Shift, ...] = ()
    demotions: tuple[Demotion, ...] = ()
    trades: tuple[Trade, ...] = ()
    training: tuple[Training, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.shifts or self.demotions or self.trades or self.training)


@dataclass(frozen=True)
class CommitmentLine:
    """An earlier commitment and what the data says now."""

    commitment_id: str
    agreed_on: date
    text: str
    target_text: str  # "≥ 20 h at Contoso by 31 Dec 2026" or ""
    status: str  # kept | broken | open | no_target | no_data
    mark: str  # ✓ ✗ … or ""
    measured_text: str  # "26 h", "so far 12 h", ""
    line: str  # the whole sentence as printed


@dataclass(frozen=True)
class EffectRow:
    """One calendar quarter of the rep's coaching timeline (``coaching/effect.py``)."""

    label: str  # "Q2 2026", "Q3 2026 to 15 Aug", "Q1 2026 (before)"
    start: date  # the period is (start, end], as every measure
    end: date
    before: bool  # the quarter before the first meeting: where coaching started from
    alignment: float | None
    weighted_penetration: float | None
    relative_growth: float | None  # against the same days a year earlier, minus the company's
    discount_rate: float | None
    commitments_made: int  # agreed in this quarter
    commitments_kept: int  # of those, kept (measured) or done (the manager's verdict)
    texts: tuple[
        str, ...
    ] = ()  # the row as printed: alignment, penetration, growth, discount, kept


@dataclass(frozen=True)
class ChartRow:
    """One account in the time share vs potential share chart."""

    account_name: str
    time_share: float
    potential_share: float
    flag: str  # the strongest flag or "" (colours the label)


@dataclass(frozen=True)
class Sheet:
    rep_id: str
    rep_name: str
    manager: str
    team: str
    window_label: str
    as_of: date
    currency: str  # symbol prefix for money, e.g. "€"
    tier: str  # top | marginal | core
    tier_label: str
    tier_reason: str
    variant: str  # full | short
    self_audit: bool
    title: str
    intro: str
    scoreboard: tuple[Stat, ...]
    prompts: tuple[Prompt, ...]
    actions: Actions
    advice: tuple[str, ...]  # the seeds' advice to reps (self-audit)
    commitments: tuple[CommitmentLine, ...]
    chart: tuple[ChartRow, ...]
    chart_title: str
    footer: str
    notes: tuple[str, ...] = field(default=())  # caveats (estimated durations, potentials)
    blank_commitment_lines: int = 3
    # the notes kept with a saved meeting (reltruth.coaching.meetings): printed in the notes
    # box of that meeting's HTML / PDF / Markdown; "" leaves the box empty to write in
    meeting_notes: str = ""
    # the coaching timeline since the rep's first recorded meeting (empty before it)
    effect: tuple[EffectRow, ...] = ()
    effect_since: date | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (dates as ISO strings) for golden files and machine use. The notes of a
        kept meeting appear only on a meeting's sheet (a fresh sheet has none)."""
        data = _jsonable(asdict(self))
        if not self.meeting_notes:
            data.pop("meeting_notes")
        if not self.effect:  # no meeting recorded yet: no timeline
            data.pop("effect")
            data.pop("effect_since")
        return data  # type: ignore[no-any-return]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 6)
    return value
