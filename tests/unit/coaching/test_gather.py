"""build_sheets: a whole team's sheets from one pass, the same sheets as one rep at a time.

Issue 19: the sheets of a team read per rep what is the same for every rep (the reporting
currency, the discount history, the commitments, the first meetings) and filtered every
account of the company per rep. These tests fail if that per-rep work comes back: the
queries a team's sheets run do not grow with the number of reps, and the sheets are those
``build_sheet`` makes one rep at a time.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb
import pandas as pd
import pytest

from reltruth import metrics, sample
from reltruth.coaching import build_sheet, build_sheets, commitments, gather, meetings
from reltruth.workspace import Workspace

AS_OF = date(2026, 9, 30)


class CountingConnection:
    """The workspace's DuckDB connection, counting the statements run through it."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con
        self.statements: list[str] = []

    def execute(self, query: str, *args: Any, **kwargs: Any) -> Any:
        self.statements.append(query)
        return self._con.execute(query, *args, **kwargs)

    def executemany(self, query: str, *args: Any, **kwargs: Any) -> Any:
        self.statements.append(query)
        return self._con.executemany(query, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)


@pytest.fixture(scope="module")
def team():  # type: ignore[no-untyped-def]
    ws = Workspace.open(memory=True)
    sample.load_canonical(ws)
    m = metrics.compute(ws, metrics.resolve_window(ws, AS_OF))
    yield ws, m
    ws.close()


def _statements(ws: Workspace, m: Any, rep_ids: list[str], **kwargs: Any) -> list[str]:
    real = ws.con
    counting = CountingConnection(real)
    ws.con = counting  # type: ignore[assignment]
    try:
        build_sheets(ws, m, rep_ids, **kwargs)
    finally:
        ws.con = real
    return counting.statements


def test_queries_do_not_grow_with_the_number_of_reps(team) -> None:  # type: ignore[no-untyped-def]
    ws, m = team
    reps = [str(r) for r in m.reps["rep_id"]]
    assert len(reps) == 8
    one = _statements(ws, m, reps[:1])
    every = _statements(ws, m, reps)
    assert one, "the sheets read the workspace (currency, discount history, commitments)"
    assert len(every) == len(one), "a query runs per rep again"


def test_the_discount_history_is_read_once_for_every_rep(team, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ws, m = team
    calls: list[list[str]] = []
    read = metrics.discount_quarters

    def counted(ws_: Workspace, account_ids: list[str], *args: Any, **kw: Any) -> pd.DataFrame:
        calls.append(list(account_ids))
        return read(ws_, account_ids, *args, **kw)

    monkeypatch.setattr(metrics, "discount_quarters", counted)
    sheets = build_sheets(ws, m, [str(r) for r in m.reps["rep_id"]])
    creeping = {
        str(a)
        for a, f in zip(m.accounts["account_id"], m.accounts["flags"], strict=True)
        if "discount_creep" in gather._flag_list(f)
    }
    assert creeping, "the sample has discount creep (else this test proves nothing)"
    assert len(calls) == 1 and set(calls[0]) == creeping
    assert any(p.kind == "discount_creep" for s in sheets for p in s.prompts)


def test_a_team_in_one_pass_gives_each_rep_the_sheet_of_build_sheet() -> None:
    ws = Workspace.open(memory=True)
    try:
        sample.load_canonical(ws)
        first = metrics.compute(ws, metrics.Window(date(2026, 3, 31), 12))
        for rep_id, met_on in (("R01", date(2026, 4, 15)), ("R05", date(2025, 11, 3))):
            meetings.save(ws, build_sheet(ws, first, rep_id), met_on=met_on, window_months=12)
            commitments.add(
                ws,
                rep_id,
                "Spend the hours where the potential is",
                agreed_on=met_on,
                target_kind="alignment",
                target_value=60,
                due_date=date(2026, 6, 30),
            )
        account = str(first.accounts.loc[first.accounts["rep_id"] == "R05", "account_id"].iloc[0])
        commitments.add(
            ws,
            "R05",
            "Visit the buyer",
            agreed_on=date(2026, 5, 2),
            target_kind="hours",
            account_id=account,
            target_value=20,
            due_date=date(2026, 12, 31),
        )
        for self_audit in (False, True):
            m = metrics.compute(ws, metrics.resolve_window(ws, AS_OF))
            reps = [str(r) for r in m.reps["rep_id"]]
            one_by_one = [build_sheet(ws, m, r, self_audit=self_audit) for r in reps]
            together = build_sheets(ws, m, reps, self_audit=self_audit)
            # compared as the golden files are (floats to six decimals): DuckDB's parallel
            # sums may differ in the last bit between two runs of the same measure
            assert [s.to_dict() for s in together] == [s.to_dict() for s in one_by_one]
        coached = {s.rep_id: s for s in together}
        assert coached["R01"].effect and coached["R05"].effect
        assert [c.target_text for c in coached["R05"].commitments][1].startswith("≥ 20\xa0h at")
    finally:
        ws.close()


def test_reps_are_found_by_name_as_build_sheet_finds_them(team) -> None:  # type: ignore[no-untyped-def]
    ws, m = team
    by_name = build_sheets(ws, m, ["frank berger", "R02"])
    assert [s.rep_id for s in by_name] == ["R01", "R02"]
    with pytest.raises(Exception, match="No rep 'nobody'"):
        build_sheets(ws, m, ["nobody"])


def test_split_by_gives_what_a_filter_per_key_gives() -> None:
    frame = pd.DataFrame(
        {
            "rep_id": ["B", "A", None, "B", "C", "A"],
            "value": [1.0, 2.0, 3.0, 4.0, float("nan"), 6.0],
        },
        index=[10, 11, 12, 13, 14, 15],
    )
    parts = gather.split_by(frame, "rep_id")
    assert sorted(parts) == ["A", "B", "C"]
    for key, part in parts.items():
        pd.testing.assert_frame_equal(part, frame[frame["rep_id"].astype(str) == key])
