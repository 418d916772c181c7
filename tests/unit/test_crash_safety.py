"""An import killed at any point (SIGKILL: no cleanup runs) leaves the workspace as it was.

Why this holds: every import is one DuckDB transaction (``Workspace.transaction``); rows a
transaction writes before its commit are not part of the database until the commit is in
the write-ahead log, so a process killed midway leaves nothing behind but unused space.
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reltruth.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]

WRITER = """
import sys
from reltruth.workspace import Workspace
ws = Workspace.open(sys.argv[1])
with ws.transaction() as con:
    con.execute("insert into reps (rep_id, rep_name) values ('r-new', 'Half Loaded')")
    con.execute(
        "insert into activities (row_key, activity_date, rep_id, account_id) "
        "select 'new' || i, date '2026-01-01', 'r-new', 'a1' from range(1000) t(i)"
    )
    print("inside", flush=True)
    con.execute(
        "insert into activities (row_key, activity_date, rep_id, account_id, source_file) "
        "select 'big' || i, date '2026-01-01' + (i % 900)::int, 'r-new', 'a' || (i % 300), "
        "md5(i::varchar) from range(60000000) t(i)"
    )
print("committed", flush=True)
"""


def _snapshot(path: Path) -> tuple[dict[str, int], list[tuple[object, ...]]]:
    with Workspace.open(path) as ws:
        rows = ws.con.execute(
            "select rep_id, count(*), min(row_key), max(row_key) from activities "
            "group by rep_id order by rep_id"
        ).fetchall()
        imports = ws.con.execute("select count(*) from imports").fetchall()
        return ws.counts(), rows + imports


def _seed(path: Path) -> None:
    with Workspace.open(path) as ws, ws.transaction() as con:
        con.execute("insert into reps (rep_id, rep_name) values ('r1', 'Lena Vogt')")
        con.execute(
            "insert into activities (row_key, activity_date, rep_id, account_id) "
            "select 'old' || i, date '2025-01-01', 'r1', 'a1' from range(500) t(i)"
        )


def _kill_once_writing(proc: subprocess.Popen[str], path: Path, timeout: float = 60) -> None:
    """SIGKILL ``proc`` as soon as its uncommitted rows reach the workspace file.

    DuckDB writes a large transaction's row groups into the file before the commit, so a
    growing file means the import is midway; polling for that avoids guessing with sleeps.
    """
    base = path.stat().st_size
    deadline = time.monotonic() + timeout
    while path.stat().st_size < base + 1024 * 1024:
        assert proc.poll() is None, "the import ended before it could be killed"
        assert time.monotonic() < deadline, "the import never started writing"
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL


def _assert_usable(path: Path) -> None:
    with Workspace.open(path) as ws:
        with ws.transaction() as con:
            con.execute("insert into reps (rep_id, rep_name) values ('r-after', 'After')")
        assert ws.con.execute("select count(*) from reps where rep_id = 'r-after'").fetchall() == [
            (1,)
        ]
        ws.con.execute("checkpoint")


@pytest.mark.slow
def test_a_transaction_killed_midway_leaves_the_workspace_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "ws.duckdb"
    _seed(path)
    before = _snapshot(path)
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "inside"
    _kill_once_writing(proc, path)
    assert _snapshot(path) == before
    _assert_usable(path)


def _big_activities(path: Path, lines: int) -> None:
    """An activity export of ``lines`` rows on the sample's accounts (about 60 bytes a row)."""
    with (ROOT / "sample_data" / "accounts.csv").open(encoding="utf-8") as fh:
        accounts = [row["Account Name"] for row in csv.DictReader(fh)]
    types = ("Call", "Visit", "Meeting", "Email")
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(
            ["Activity ID", "Date", "Assigned", "Company / Account", "Activity Type",
             "Duration (min)", "Travel Time (min)", "Contact Role"]
        )  # fmt: skip
        writer.writerows(
            (f"K{i:08d}", f"{1 + i % 12:02d}/{1 + i % 28:02d}/2026", "Lena Vogt",
             accounts[i % len(accounts)], types[i % 4], 10 + i % 50, 0, "Buyer")
            for i in range(lines)
        )  # fmt: skip


@pytest.mark.slow
def test_a_cli_import_killed_midway_leaves_the_workspace_unchanged(tmp_path: Path) -> None:
    from reltruth.ingest import ingest_files

    path = tmp_path / "ws.duckdb"
    with Workspace.open(path) as ws:
        ingest_files(
            ws, [ROOT / "sample_data" / "users.csv", ROOT / "sample_data" / "accounts.csv"]
        )
    before = _snapshot(path)
    big = tmp_path / "activities.csv"
    _big_activities(big, 1_000_000)
    proc = subprocess.Popen(
        [sys.executable, "-m", "reltruth", "ingest", str(big), "--workspace", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    _kill_once_writing(proc, path)
    assert _snapshot(path) == before
    _assert_usable(path)
    with Workspace.open(path) as ws:  # and an import runs to the end afterwards
        report = ingest_files(ws, [ROOT / "sample_data" / "activities.csv"])
        assert report.files[0].rows_loaded > 0
