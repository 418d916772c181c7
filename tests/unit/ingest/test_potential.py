"""`reltruth estimate-potentials`: the estimation step of docs/ingest.md on the command line.

The rules themselves are tested with loading (test_load.py::test_estimate_potentials_rules);
here: the command's arguments, its one-line errors and what it prints.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reltruth.cli import main
from reltruth.errors import UserError
from reltruth.ingest import ingest_files
from reltruth.ingest.potential import parse_segments, segments
from reltruth.workspace import Workspace

ACCOUNTS = (
    "Account Name,Annual Potential,Annual Revenue,Employees,Industry\n"
    "A,500,1000000,10,Retail\nB,,2000000,20,Retail\nC,,,30,Food\nD,,,,\n"
)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    path = tmp_path / "accounts.csv"
    path.write_text(ACCOUNTS, encoding="utf-8")
    db = tmp_path / "w.duckdb"
    with Workspace.open(db) as ws:
        ingest_files(ws, [path])
    return db


def potentials(db: Path) -> list[tuple[object, ...]]:
    with Workspace.open(db) as ws:
        return ws.con.execute(
            "select account_id, potential, potential_estimated from accounts order by 1"
        ).fetchall()


def test_share_of_company_revenue(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["estimate-potentials", "--workspace", str(workspace)]
    assert main([*args, "--rule", "share_of_company_revenue", "--value", "0.01"]) == 0
    out = capsys.readouterr().out
    assert out.strip() == (
        "1 accounts got an estimated potential (share_of_company_revenue); "
        "2 still have none (the rule's column is empty for them)."
    )
    assert potentials(workspace) == [
        ("a", 500.0, False),  # stated: never changed
        ("b", 20_000.0, True),
        ("c", None, False),
        ("d", None, False),
    ]


def test_per_segment_with_a_default(workspace: Path) -> None:
    args = ["estimate-potentials", "--workspace", str(workspace), "--rule", "per_segment"]
    assert main([*args, "--segment", "Retail=7,000", "--segment", "*=3000"]) == 0
    assert potentials(workspace) == [
        ("a", 500.0, False),
        ("b", 7_000.0, True),
        ("c", 3_000.0, True),
        ("d", 3_000.0, True),
    ]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--rule", "per_segment", "--value", "3"], "per_segment takes --segment"),
        (["--rule", "per_employee", "--segment", "x=1"], "per_employee takes one --value"),
        (["--rule", "per_employee"], "per_employee takes one --value"),
        (["--rule", "per_segment", "--segment", "Retail"], '"Retail" is not Segment=amount'),
        (["--rule", "per_employee", "--value", "-5"], "must be a positive number"),
    ],
)
def test_bad_arguments_are_one_line_and_change_nothing(
    workspace: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    before = potentials(workspace)
    assert main(["estimate-potentials", "--workspace", str(workspace), *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert potentials(workspace) == before


def test_segments_lists_what_an_estimate_would_fill(workspace: Path) -> None:
    with Workspace.open(workspace) as ws:
        assert segments(ws) == [("", 1), ("Food", 1), ("Retail", 1)]


def test_parse_segments() -> None:
    assert parse_segments(["Food & Beverage=1,500", "*=10"]) == {"Food & Beverage": 1500, "*": 10}
    with pytest.raises(UserError):
        parse_segments(["=10"])
