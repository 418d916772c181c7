"""`reltruth commitments list|add|done`: recorded from the shell, judged by the data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reltruth.cli import main
from reltruth.workspace import Workspace


@pytest.fixture
def ws_path(tmp_path: Path) -> Path:
    path = tmp_path / "ws.duckdb"
    ws = Workspace.open(path)
    ws.con.execute(
        "insert into reps (rep_id, rep_name) values ('R01', 'Frank Berger');"
        "insert into accounts (account_id, account_name, owner_rep_id, potential) values "
        "('A1', 'Müller GmbH', 'R01', 100000);"
        "insert into activities (row_key, activity_id, activity_date, rep_id, account_id, "
        "activity_type, duration_minutes, travel_minutes) values "
        "('a1', 'a1', date '2026-10-10', 'R01', 'A1', 'visit', 1800, 0),"
        "('a2', 'a2', date '2026-11-10', 'R01', 'A1', 'visit', 1800, 0)"
    )
    ws.close()
    return path


def cli(ws: Path, *args: str) -> int:
    return main(["commitments", *args, "--workspace", str(ws)])


def test_add_list_and_done(ws_path: Path, capsys) -> None:
    assert (
        cli(
            ws_path,
            "add",
            "--rep",
            "frank berger",
            "--text",
            "Cut the hours at Müller",
            "--kind",
            "hours",
            "--op",
            "at-most",
            "--account",
            "Müller GmbH",
            "--value",
            "40",
            "--due",
            "2026-12-31",
            "--agreed-on",
            "2026-09-30",
        )
        == 0
    )
    assert (
        cli(
            ws_path,
            "add",
            "--rep",
            "R01",
            "--text",
            "Bring the playbook",
            "--agreed-on",
            "2026-09-30",
        )
        == 0
    )
    ids = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert len(ids) == 2 and all(len(i) == 8 for i in ids)

    assert cli(ws_path, "list", "--rep", "R01", "--as-of", "2026-12-31") == 0
    out = capsys.readouterr().out
    # 30 h + 30 h = 60 h at Müller: more than the 40 h at most agreed
    assert "Cut the hours at Müller — ≤ 40\u00a0h at Müller GmbH by 31 Dec 2026: 60\u00a0h ✗" in out
    assert "Bring the playbook (no measurable target: ask how it went)" in out

    assert cli(ws_path, "done", ids[1][:5], "--status", "not_done") == 0
    capsys.readouterr()
    assert cli(ws_path, "list", "--json", "--as-of", "2026-11-30") == 0
    rows = {r["text"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["Bring the playbook"]["status"] == "not_done"
    # before the due date: both visits are before 30 Nov, 60 h so far, while an even pace
    # to at most 40 h allows 40 h x 61 / 92 days = 26.5 h by then
    assert rows["Cut the hours at Müller"]["status"] == "open"
    assert rows["Cut the hours at Müller"]["line"].endswith(
        "behind so far, 60\u00a0h (27\u00a0h at an even pace by now)"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "--rep", "Nobody", "--text", "x"), "No rep 'Nobody'"),
        (
            (
                "add",
                "--rep",
                "R01",
                "--text",
                "x",
                "--kind",
                "hours",
                "--account",
                "Nowhere",
                "--value",
                "3",
                "--due",
                "2026-12-31",
            ),
            "No account 'Nowhere'",
        ),
        (
            (
                "add",
                "--rep",
                "R01",
                "--text",
                "x",
                "--kind",
                "hours",
                "--account",
                "A1",
                "--value",
                "3",
            ),
            "needs a date",
        ),
        (("add", "--rep", "R01", "--text", "x", "--due", "31/12/2026"), "YYYY-MM-DD"),
        (("done", "ffff"), "No commitment with the id 'ffff'"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(ws_path: Path, capsys, args, message) -> None:
    assert cli(ws_path, *args) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert cli(ws_path, "list") == 0
    assert "No commitments recorded." in capsys.readouterr().out
