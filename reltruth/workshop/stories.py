"""The sample's stories, found in the metrics rather than written down.

Why a module of its own: the tour on the Workshop page must stay true when the sample (or
the metrics engine) changes, so each story names the rule that picks its rep from the
metrics and the one number that proves it; nothing here is a hard-coded name or figure.
The texts stay free of CRM text (names are returned separately, for the page to show as
plain text).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from reltruth import format as fmt

# The pages a story's button opens (paths as st.navigation routes them).
PAGE_TIME = "pages/time_vs_potential.py"
PAGE_RELATIONSHIP = "pages/relationship_truth.py"


@dataclass(frozen=True)
class Story:
    """One stop of the tour: who, what the seeds would say, and the number that proves it."""

    key: str  # relationship_builder | top_performer | newcomer
    title: str
    rep_id: str
    rep_name: str
    paragraph: str  # the seeds' language; no CRM text in it
    number_label: str
    number: float  # a fraction (penetration, alignment, allocation ratio)
    number_kind: str  # pct | ratio
    account_id: str | None
    account_name: str | None
    page: str
    button: str


def _num(value: Any) -> float | None:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(out) else out


def _name(row: pd.Series, column: str, fallback: str) -> str:
    value = row.get(column)
    return str(value) if isinstance(value, str) and value else fallback


def _flagged(m: Any, rep_id: str, column: str) -> pd.DataFrame:
    acc = m.accounts
    own = acc[(acc["rep_id"].astype(str) == rep_id) & acc[column].fillna(False).astype(bool)]
    return own.sort_values(["potential", "account_id"], ascending=[False, True])


def _ranked(reps: pd.DataFrame, column: str, *, ascending: bool) -> pd.DataFrame:
    """Reps by ``column`` (ties: the rep to coach first), missing values last."""
    by = [column, "coaching_priority"] if "coaching_priority" in reps else [column]
    asc = [ascending, True][: len(by)]
    return reps.sort_values(by, ascending=asc, na_position="last", kind="stable")


def relationship_builder(m: Any) -> Story | None:
    """The rep with the most claim gaps (rated high, buying little or not growing); the number:
    the penetration of the biggest of those accounts that buys under the claim-gap threshold
    (the seeds' question is about penetration), else of the biggest claim gap."""
    reps = m.reps[pd.to_numeric(m.reps.get("n_claim_gap"), errors="coerce").fillna(0) > 0]
    if reps.empty:
        return None
    rep = _ranked(reps, "n_claim_gap", ascending=False).iloc[0]
    rep_id = str(rep["rep_id"])
    gaps = _flagged(m, rep_id, "is_claim_gap")
    gaps = gaps[gaps["penetration"].notna()]
    if gaps.empty:
        return None
    low = gaps[gaps["penetration"] < m.settings.claim_gap_penetration]
    account = (low if not low.empty else gaps).iloc[0]
    n = int(rep["n_claim_gap"])
    return Story(
        key="relationship_builder",
        title="The relationship builder",
        rep_id=rep_id,
        rep_name=_name(rep, "rep_name", rep_id),
        paragraph=(
            f"Rates {n} accounts as great relationships that buy little of their wallet or do "
            "not grow. The relationship has become the end instead of a means to an end. "
            "Measure it by the cold hard reality of account penetration: the result is the "
            "reason for the relationship. Ask: “If your relationships are so great, why "
            "aren't they buying everything from you?”"
        ),
        number_label="Penetration of the biggest of these accounts",
        number=float(account["penetration"]),
        number_kind="pct",
        account_id=str(account["account_id"]),
        account_name=_name(account, "account_name", str(account["account_id"])),
        page=PAGE_RELATIONSHIP,
        button="Open Relationship truth",
    )


def top_performer(m: Any) -> Story | None:
    """A consistently good performer (the engine's top tier: top of the team in both windows);
    of several, the one whose hours follow potential best. The number: the alignment score."""
    reps = m.reps[m.reps.get("tier") == "top"]
    reps = reps[pd.to_numeric(reps.get("alignment_score"), errors="coerce").notna()]
    if reps.empty:
        return None
    rep = _ranked(reps, "alignment_score", ascending=False).iloc[0]
    rep_id = str(rep["rep_id"])
    return Story(
        key="top_performer",
        title="The consistent top performer",
        rep_id=rep_id,
        rep_name=_name(rep, "rep_name", rep_id),
        paragraph=(
            "Top of the team in this window and the one before. If the salesperson is a "
            "consistently good performer, leave them alone: their relationships are working "
            "for them. Their hours follow potential; the question for them is what is working, "
            "and what the team can learn from it."
        ),
        number_label="Alignment score (100 % = hours in proportion to potential)",
        number=float(rep["alignment_score"]),
        number_kind="pct",
        account_id=None,
        account_name=None,
        page=PAGE_TIME,
        button="Open Time vs potential",
    )


def newcomer(m: Any) -> Story | None:
    """The rep with the most neglected-potential accounts (ties: lowest alignment); the number:
    the allocation ratio of the biggest of them (its share of time ÷ its share of potential)."""
    reps = m.reps[pd.to_numeric(m.reps.get("n_neglected_potential"), errors="coerce").fillna(0) > 0]
    if reps.empty:
        return None
    reps = reps.assign(_neg_alignment=-pd.to_numeric(reps["alignment_score"], errors="coerce"))
    rep = reps.sort_values(
        ["n_neglected_potential", "_neg_alignment"], ascending=[False, False], kind="stable"
    ).iloc[0]
    rep_id = str(rep["rep_id"])
    neglected = _flagged(m, rep_id, "is_neglected_potential")
    neglected = neglected[neglected["allocation_ratio"].notna()]
    if neglected.empty:
        return None
    account = neglected.iloc[0]
    n = int(rep["n_neglected_potential"])
    return Story(
        key="newcomer",
        title="Time where it is comfortable, not where the money is",
        rep_id=rep_id,
        rep_name=_name(rep, "rep_name", rep_id),
        paragraph=(
            f"{n} of the biggest accounts in this book get a fraction of their fair share of "
            "time, while small ones get several times theirs. Analyse accounts not in terms of "
            "the relationship but of their potential for future sales, and invest time more "
            "highly in the higher-potential accounts: the focus on the account comes first, "
            "the relationship follows."
        ),
        number_label="Share of fair time the biggest neglected account gets (allocation ratio)",
        number=float(account["allocation_ratio"]),
        number_kind="ratio",
        account_id=str(account["account_id"]),
        account_name=_name(account, "account_name", str(account["account_id"])),
        page=PAGE_TIME,
        button="Open Time vs potential",
    )


def tour(m: Any) -> list[Story]:
    """The stories the data tells, in the order a workshop tells them; a story whose rule
    finds no rep (no claim gaps, no top tier, nothing neglected) is left out."""
    stories = [relationship_builder(m), top_performer(m), newcomer(m)]
    return [s for s in stories if s is not None]


def number_text(story: Story) -> str:
    if story.number_kind == "pct":
        return fmt.pct(story.number, 0)
    return f"{story.number:.2f}"
