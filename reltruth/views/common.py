"""What several views need: names for ids, the accounts of a scope, a typed figure column.

Why here: the engine's frames carry optional columns (a figure is missing when its input
was never loaded) and ids where names are missing; the views turn them into what a page
shows once, so no page defends against the engine's frames itself. No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import pandas as pd


def rep_names(reps: pd.DataFrame) -> dict[str, str]:
    """rep_id -> name (the id where a name is missing), in alphabetical order of names."""
    ids = reps["rep_id"].astype(str)
    names = reps["rep_name"] if "rep_name" in reps.columns else ids
    pairs = {
        i: (str(n) if isinstance(n, str) and n else i) for i, n in zip(ids, names, strict=True)
    }
    return dict(sorted(pairs.items(), key=lambda kv: kv[1].lower()))


def account_names(accounts: pd.DataFrame) -> dict[str, str]:
    """account_id -> name (the id where a name is missing: the name is an optional field)."""
    ids = accounts["account_id"].astype(str)
    names = accounts["account_name"] if "account_name" in accounts.columns else ids
    return {i: (str(n) if isinstance(n, str) and n else i) for i, n in zip(ids, names, strict=True)}


def in_scope(accounts: pd.DataFrame, rep_ids: Collection[str]) -> pd.DataFrame:
    """The accounts owned by one of ``rep_ids`` (the sidebar's team or rep)."""
    return accounts[accounts["rep_id"].astype(str).isin(set(rep_ids))]


def num(frame: pd.DataFrame, column: str) -> pd.Series:
    """``frame[column]`` as floats, NaN where the figure is missing (or the column is: an
    optional input that was never loaded)."""
    if column not in frame.columns:
        return pd.Series(float("nan"), index=frame.index, dtype="float64")
    return pd.to_numeric(frame[column], errors="coerce").astype("float64")


def flagged(accounts: pd.DataFrame, flag: str) -> pd.Series:
    """Whether each account carries ``flag``: the engine's ``is_<flag>`` column."""
    column = f"is_{flag}"
    if column not in accounts.columns:
        return pd.Series(False, index=accounts.index, dtype=bool)
    return accounts[column].fillna(False).astype(bool)


ESTIMATE_MARK = "≈"  # beside a potential that an estimation rule filled in, not the CRM


def with_estimate_marks(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with a ``potential_mark`` column: "≈" where the potential is estimated."""
    return frame.assign(potential_mark=_estimated(frame).map({True: ESTIMATE_MARK, False: ""}))


def estimated_count(frame: pd.DataFrame) -> int:
    """How many rows of ``frame`` have an estimated potential."""
    return int(_estimated(frame).sum())


def _estimated(frame: pd.DataFrame) -> pd.Series:
    if "potential_estimated" not in frame.columns:
        return pd.Series(False, index=frame.index, dtype=bool)
    return frame["potential_estimated"].map(lambda v: bool(v) if pd.notna(v) else False)


@dataclass(frozen=True)
class Section:
    """One part of a page: its rows, and what is missing from them and how to get it
    ("" when nothing is: rows without a note; no rows with a note says why there are none)."""

    rows: pd.DataFrame
    missing: str = ""

    @property
    def is_empty(self) -> bool:
        return self.rows.empty


def section(rows: pd.DataFrame, missing: str) -> Section:
    """``rows``, with ``missing`` only when there are none."""
    return Section(rows, "" if not rows.empty else missing)
