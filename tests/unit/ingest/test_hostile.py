"""Issue 13: small files shaped to cost a reader far more than their size (tests/hostile_files)
go through the real ingestion: each loads or is refused with one line naming the file, within
a time and memory budget; the process running ingestion survives; a refusal changes nothing."""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reltruth.errors import UserError
from reltruth.ingest import ingest_files, sandbox
from reltruth.ingest.read import read_table
from reltruth.workspace import Workspace

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import hostile_files  # noqa: E402

SECONDS = 30.0  # per file, worker start included
SERVER_GROWTH_MB = 300  # what reading one file may add to this process's peak memory


@pytest.fixture(scope="module")
def ws() -> Iterator[Workspace]:
    with Workspace.open(memory=True) as opened:
        report = ingest_files(
            opened, [Path(__file__).resolve().parents[3] / "sample_data" / "users.csv"]
        )
        assert not report.refused
        yield opened


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.parametrize("key", sorted(hostile_files.CORPUS))
def test_a_hostile_file_loads_or_is_refused_within_budget(
    key: str, ws: Workspace, tmp_path: Path
) -> None:
    name, make = hostile_files.CORPUS[key]
    path = tmp_path / f"staged-{key}.bin"  # the staged name differs from the user's name
    path.write_bytes(make())
    before = ws.counts()
    peak = _peak_mb()
    started = time.perf_counter()
    try:
        report = ingest_files(ws, [path], names={str(path): name})
        outcome = report.refused
    except UserError as exc:
        outcome = str(exc)
    elapsed = time.perf_counter() - started
    assert elapsed < SECONDS, f"{key}: {elapsed:.1f} s"
    assert _peak_mb() - peak < SERVER_GROWTH_MB, key
    if outcome is not None:
        assert "\n" not in outcome and name in outcome, outcome
        assert path.name not in outcome, outcome  # the user's name, never the staged one
        assert ws.counts() == before, key
    ws.con.execute("select 1").fetchall()  # the connection is still usable


@pytest.mark.parametrize(
    "key, why",
    [
        ("far_cell", "column 16,384"),
        ("sparse", "holds only"),
        ("ragged", "columns"),
        ("many_columns", "20,000 columns"),
        ("nested", "nested 30 levels deep"),
    ],
)
def test_the_shapes_of_issue_13_are_refused_before_reading(
    key: str, why: str, ws: Workspace, tmp_path: Path
) -> None:
    name, make = hostile_files.CORPUS[key]
    path = tmp_path / name
    path.write_bytes(make())
    with pytest.raises(UserError, match="too complex to read safely") as err:
        read_table(ws, path)
    assert why in str(err.value)


def test_a_ragged_csv_under_the_column_bound_is_refused_in_the_worker(
    ws: Workspace, tmp_path: Path
) -> None:
    # 900 columns, then thousands of short rows: each short row would cost DuckDB ~17 ms.
    path = tmp_path / "ragged.csv"
    path.write_bytes(hostile_files.ragged_csv(wide=900, short_rows=6_000))
    with pytest.raises(UserError, match="6,000 of its lines do not have the 900 fields"):
        read_table(ws, path)


def test_readable_cousins_read(ws: Workspace, tmp_path: Path) -> None:
    # A header over 64 KB, and a <dimension> that claims the whole sheet, still read.
    for name, data in (
        ("long.csv", hostile_files.long_header_csv()),
        ("dim.xlsx", hostile_files.lying_dimension_xlsx()),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        raw = read_table(ws, path)
        assert raw.rows_read >= 1
        assert raw.headers[:2] == ["Account ID", "Account Name"]


def test_a_damaged_parquet_file_is_one_line(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "x.parquet"
    path.write_bytes(hostile_files.damaged_parquet())
    with pytest.raises(UserError, match=r"^orders\.parquet could not be read as a Parquet file"):
        read_table(ws, path, name="orders.parquet")


def test_a_worker_over_its_time_is_killed(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RELTRUTH_READ_SECONDS", "1")
    path = tmp_path / "big.csv"
    row = ",".join(["Northwind"] * 20) + "\n"
    path.write_text(
        "Account ID,Account Name," + ",".join(f"c{i}" for i in range(18)) + "\n" + row * 2_000_000
    )
    with pytest.raises(
        UserError,
        match=r"^big\.csv is too complex to read safely: reading it took longer than 1 s\.$",
    ):
        read_table(ws, path)
    ws.con.execute("select 1").fetchall()


def test_a_worker_over_its_memory_is_refused(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RELTRUTH_READ_MEMORY_MB", "300")
    path = tmp_path / "wide.xlsx"
    cells = {(r, c): f"v{r}-{c}" for r in range(1, 3_000) for c in range(1, 40)}
    path.write_bytes(hostile_files.xlsx(cells))
    with pytest.raises(UserError, match=r"^wide\.xlsx is too complex to read safely: .*memory"):
        read_table(ws, path)


def test_limits_are_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RELTRUTH_READ_CPU_SECONDS", "7")
    assert sandbox.limits().cpu_seconds == 7
    monkeypatch.setenv("RELTRUTH_READ_MEMORY_MB", "lots")
    with pytest.raises(UserError, match="RELTRUTH_READ_MEMORY_MB must be a whole number"):
        sandbox.limits()


def test_a_workspace_out_of_memory_is_one_line_naming_the_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A fuzz run filled a demo workspace's memory limit and got a raw OutOfMemoryException;
    # any database error during an import is one line naming the user's file, and nothing
    # of the call is kept.
    monkeypatch.setenv("RELTRUTH_MEMORY_LIMIT", "8MB")
    sample = Path(__file__).resolve().parents[3] / "sample_data"
    staged = tmp_path / "staged-1.csv"
    staged.write_bytes((sample / "activities.csv").read_bytes())
    with Workspace.open(memory=True) as small:
        with pytest.raises(UserError) as info:
            ingest_files(
                small, [sample / "users.csv", staged], names={str(staged): "my activities.csv"}
            )
        message = str(info.value)
        assert "\n" not in message and "ran out of memory" in message
        assert "my activities.csv" in message and "staged-1" not in message
        assert small.is_empty()
