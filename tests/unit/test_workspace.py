"""The workspace: one database per file per process, a connection per session, writes in turn."""

from __future__ import annotations

import gc
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pytest

from reltruth import workspace as wsmod
from reltruth.errors import UserError
from reltruth.ingest.stage import NATURAL_KEYS
from reltruth.workspace import Workspace, memory_limit, name_key


def test_open_creates_the_schema(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "sub" / "ws.duckdb") as ws:
        assert ws.is_empty()
        assert set(ws.counts()) >= {"reps", "accounts", "activities", "orders", "unmatched"}
    assert (tmp_path / "sub" / "ws.duckdb").exists()


def test_sessions_of_one_file_share_data_but_not_staging(tmp_path: Path) -> None:
    a = Workspace.open(tmp_path / "ws.duckdb")
    b = Workspace.open(tmp_path / "ws.duckdb")
    try:
        assert a.con is not b.con
        assert a.staging_dir != b.staging_dir
        assert a.staging_dir.parent == b.staging_dir.parent == tmp_path / "ws.duckdb.staging"
        with a.transaction() as con:
            con.execute("insert into reps (rep_id, rep_name) values ('r1', 'Ann')")
        assert b.counts()["reps"] == 1
        a.close()
        assert b.counts()["reps"] == 1  # the other session keeps working
    finally:
        a.close()
        b.close()
    assert not wsmod.is_open(tmp_path / "ws.duckdb")  # this test's file, not every session's
    assert not (tmp_path / "ws.duckdb.staging").exists()


def test_demo_sessions_are_private(tmp_path: Path) -> None:
    with Workspace.open(memory=True) as a, Workspace.open(memory=True) as b:
        a.con.execute("insert into reps (rep_id, rep_name) values ('r1', 'Ann')")
        assert a.counts()["reps"] == 1
        assert b.counts()["reps"] == 0
        assert a.path is None
        assert a.con.execute("select current_setting('temp_directory')").fetchall() == [("",)]
        if Path("/dev/shm").is_dir():
            assert a.staging_dir.parent == Path("/dev/shm")


def test_a_failed_transaction_changes_nothing(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "ws.duckdb") as ws:
        with pytest.raises(RuntimeError), ws.transaction() as con:
            con.execute("insert into reps (rep_id) values ('r1')")
            raise RuntimeError("boom")
        assert ws.counts()["reps"] == 0
        with ws.transaction() as con:
            con.execute("insert into reps (rep_id) values ('r2')")
        assert ws.counts()["reps"] == 1


def test_close_and_garbage_collection_remove_staged_files(tmp_path: Path) -> None:
    src = tmp_path / "a.csv"
    src.write_text("x\n1\n")
    ws = Workspace.open(tmp_path / "ws.duckdb")
    staged = ws.stage_file(src)
    assert staged.parent == ws.staging_dir and staged.read_text() == "x\n1\n"
    ws.close()
    ws.close()  # twice is fine
    assert not staged.exists()
    demo = Workspace.open(memory=True)
    folder = demo.staging_dir
    del demo
    gc.collect()
    assert not folder.exists()


def test_two_sessions_writing_at_once_lose_nothing_and_load_nothing_twice(tmp_path: Path) -> None:
    # Each session loads overlapping batches with the anti-join de-duplication ingestion
    # uses. Without writers taking turns, both would miss the other's uncommitted rows
    # (duplicates) or abort on a conflict.
    path = tmp_path / "ws.duckdb"
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def load(offset: int) -> None:
        with Workspace.open(path) as ws:
            start.wait()
            try:
                for batch in range(15):
                    with ws.transaction() as con:
                        con.execute(
                            "insert into activities (row_key, activity_date, rep_id, account_id) "
                            "select 'k' || i, date '2026-01-01', 'r', 'a' "
                            "from range($lo, $hi) t(i) "
                            "where 'k' || i not in (select row_key from activities)",
                            {"lo": offset + batch * 500, "hi": offset + batch * 500 + 1000},
                        )
            except BaseException as exc:  # reported below; a thread cannot fail the test
                errors.append(exc)

    threads = [threading.Thread(target=load, args=(o,)) for o in (0, 250)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Workspace.open(path) as ws:
        total, distinct = ws.con.execute(
            "select count(*), count(distinct row_key) from activities"
        ).fetchall()[0]
    # keys 0 .. 250 + 14*500 + 1000 - 1
    assert distinct == 250 + 14 * 500 + 1000
    assert total == distinct


HOLDER = """
import sys, time
from reltruth.workspace import Workspace
ws = Workspace.open(sys.argv[1])
print("open", flush=True)
sys.stdin.read()
"""


def test_a_workspace_held_by_another_process_gives_one_line(tmp_path: Path) -> None:
    path = tmp_path / "ws.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(UserError) as info:
            Workspace.open(path)
        message = str(info.value)
        assert "open in another reltruth process" in message
        assert "\n" not in message
        assert not wsmod.is_open(path)
        cli = subprocess.run(
            [sys.executable, "-m", "reltruth", "ingest", str(tmp_path / "x.csv"),
             "--workspace", str(path)],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parents[2],
        )  # fmt: skip
        assert cli.returncode == 2
        assert cli.stderr.count("\n") == 1
        assert cli.stderr.startswith("reltruth: The workspace ")
        assert "open in another reltruth process" in cli.stderr
    finally:
        holder.communicate("")
    with Workspace.open(path) as ws:  # usable once the other process is gone
        assert ws.is_empty()


def test_a_file_that_is_not_a_workspace_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("a,b\n1,2\n" * 100)
    with pytest.raises(UserError, match="not a reltruth workspace"):
        Workspace.open(path)
    assert path.read_text().startswith("a,b")


def test_memory_limit_is_half_of_what_is_available_within_bounds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gib = 1024**3
    monkeypatch.setattr(wsmod, "_available_memory", lambda: 2 * gib)
    assert memory_limit() == 1 * gib
    monkeypatch.setattr(wsmod, "_available_memory", lambda: 6 * gib)
    assert memory_limit() == 1.5 * gib
    assert memory_limit(memory=True) == 1 * gib
    monkeypatch.setattr(wsmod, "_available_memory", lambda: 64 * gib)
    assert memory_limit() == 1.5 * gib
    monkeypatch.setattr(wsmod, "_available_memory", lambda: 100 * 1024**2)
    assert memory_limit() == 256 * 1024**2


def test_the_memory_limit_can_be_set_by_an_administrator(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RELTRUTH_MEMORY_LIMIT", "700MB")
    with Workspace.open(memory=True) as ws:
        limit = ws.con.execute("select current_setting('memory_limit')").fetchall()[0][0]
    assert limit in {"667.5 MiB", "700.0 MB", "667.5MiB"}


def _limit(ws: Workspace) -> str:
    return str(ws.con.execute("select current_setting('memory_limit')").fetchall()[0][0])


def test_a_command_can_open_a_workspace_with_less_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(wsmod, "_available_memory", lambda: 6 * 1024**3)
    with Workspace.open(tmp_path / "a.duckdb", memory_limit=640 * 1024**2) as ws:
        assert _limit(ws) in {"640.0 MiB", "640.0MiB"}
    # never more than the usual limit, and an administrator's setting still wins
    with Workspace.open(tmp_path / "b.duckdb", memory_limit=8 * 1024**3) as ws:
        assert _limit(ws) in {"1.5 GiB", "1.5GiB"}
    monkeypatch.setenv("RELTRUTH_MEMORY_LIMIT", "700MB")
    with Workspace.open(tmp_path / "c.duckdb", memory_limit=640 * 1024**2) as ws:
        assert _limit(ws) in {"667.5 MiB", "700.0 MB", "667.5MiB"}


def test_connections_are_plain_duckdb(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "ws.duckdb") as ws:
        assert isinstance(ws.con, duckdb.DuckDBPyConnection)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("  Northwind   Traders ", "northwind traders"),
        ("ACME", "acme"),
        ("   ", None),
        (None, None),
    ],
)
def test_name_key(name: str | None, key: str | None) -> None:
    assert name_key(name) == key


def test_staging_keeps_names_inside_the_folder(tmp_path: Path) -> None:
    src = tmp_path / "a.csv"
    src.write_text("x\n1\n")
    with Workspace.open(memory=True) as ws:
        for evil in ("../../escape.csv", "..\\..\\escape.csv", "/etc/escape.csv", "..", ""):
            staged = ws.stage_file(src, name=evil)
            assert staged.parent == ws.staging_dir
            staged = ws.stage_bytes(b"x\n2\n", evil)
            assert staged.parent == ws.staging_dir
        assert not (tmp_path / "escape.csv").exists()


def test_staging_a_staged_file_again_keeps_it(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "ws.duckdb") as ws:
        staged = ws.stage_bytes(b"x\n1\n", "orders.csv")
        assert ws.stage_file(staged) == staged
        assert staged.read_bytes() == b"x\n1\n"
        assert staged.stat().st_mode & 0o077 == 0  # only this user can read an upload
        got = ws.con.execute("select x from read_csv($p)", {"p": str(staged)}).fetchall()
        assert got == [(1,)]


@pytest.mark.slow
def test_two_sessions_importing_different_files_at_once(tmp_path: Path) -> None:
    # Two browser sessions of one local workspace each load half of the activities while
    # the other is loading: every row arrives once, and the reports add up.
    from reltruth.ingest import ingest_files

    sample = Path(__file__).resolve().parents[2] / "sample_data"
    lines = (sample / "activities.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    half = len(lines) // 2
    parts = [tmp_path / "first.csv", tmp_path / "second.csv"]
    parts[0].write_text("".join(lines[:half]), encoding="utf-8")
    parts[1].write_text(lines[0] + "".join(lines[half:]), encoding="utf-8")
    path = tmp_path / "ws.duckdb"
    with Workspace.open(path) as ws:
        ingest_files(ws, [sample / "users.csv", sample / "accounts.csv"])
    start = threading.Barrier(2)
    reports: list[object] = []
    errors: list[BaseException] = []

    def load(part: Path) -> None:
        try:
            with Workspace.open(path) as ws:
                start.wait()
                reports.append(ingest_files(ws, [part]))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=load, args=(p,)) for p in parts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    files = [f for r in reports for f in r.files]  # type: ignore[attr-defined]
    assert sum(f.rows_read for f in files) == len(lines) - 1
    for f in files:
        assert f.rows_read == f.rows_loaded + f.rows_duplicate + f.rows_rejected
    with Workspace.open(path) as ws:
        counts = ws.counts()
        loaded = counts["activities"] + counts["unmatched"]
        assert loaded == sum(f.rows_loaded for f in files)
        keys = ws.con.execute(
            f"select count(*) = count(distinct {NATURAL_KEYS['activities']}) from activities"
        ).fetchall()
        assert keys == [(True,)]


def test_uploads_left_by_a_dead_process_are_deleted_on_open(tmp_path: Path) -> None:
    path = tmp_path / "ws.duckdb"
    Workspace.open(path).close()
    stale = tmp_path / "ws.duckdb.staging" / "session-dead"
    stale.mkdir(parents=True)
    (stale / "orders.csv").write_text("secret\n")
    with Workspace.open(path) as ws:
        assert not stale.exists()
        assert ws.staging_dir.exists()


def test_counts_leave_no_result_half_read() -> None:
    # DuckDB 2.0: register() fails while a result is only partly fetched.
    import pandas as pd

    with Workspace.open(memory=True) as ws:
        ws.counts()
        ws.is_empty()
        ws.con.register("frame", pd.DataFrame({"a": [1]}))
        assert ws.con.execute("select a from frame").fetchall() == [(1,)]


def test_a_mistyped_memory_limit_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RELTRUTH_MEMORY_LIMIT", "lots")
    with pytest.raises(UserError, match="RELTRUTH_MEMORY_LIMIT must be a size like 2GB"):
        Workspace.open(memory=True)


def test_a_workspace_from_before_optional_row_keys_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute(  # the two tables as earlier versions created them
        "create table activities (row_key varchar not null, activity_id varchar, "
        "activity_date date not null, rep_id varchar not null, account_id varchar not null, "
        "activity_type varchar, duration_minutes double, duration_estimated boolean default false, "
        "travel_minutes double, contact_role varchar, source_file varchar); "
        "create table orders (row_key varchar not null, order_id varchar, order_date date not null, "
        "account_id varchar not null, rep_id varchar, net_amount double not null, "
        "list_amount double, product varchar, product_category varchar, quantity double, "
        "currency varchar, source varchar default 'orders', source_file varchar); "
        "insert into orders (row_key, order_id, order_date, account_id, net_amount) "
        "values ('id:INV-1/1', 'INV-1', date '2024-05-02', 'A1', 100)"
    )
    con.close()
    with Workspace.open(path) as ws:
        nullable = ws.con.execute(
            "select table_name, is_nullable from information_schema.columns "
            "where column_name = 'row_key' and table_name in ('activities', 'orders') order by 1"
        ).fetchall()
        assert nullable == [("activities", "YES"), ("orders", "YES")]
        assert ws.con.execute("select row_key, line_no from orders").fetchall() == [
            ("id:INV-1/1", None)
        ]


def test_every_change_of_the_data_bumps_the_version_another_session_sees(tmp_path: Path) -> None:
    from reltruth import sample
    from reltruth.ingest import ingest_files
    from reltruth.ingest.potential import estimate_potentials

    a = Workspace.open(tmp_path / "ws.duckdb")
    b = Workspace.open(tmp_path / "ws.duckdb")
    try:
        seen = [b.data_version()]
        sample.load_canonical(a)
        seen.append(b.data_version())
        estimate_potentials(a, "per_segment", {"*": 50_000.0})
        seen.append(b.data_version())
        a.clear()
        seen.append(b.data_version())
        ingest_files(a, [sample.SAMPLE_DIR / "accounts.csv"])
        seen.append(b.data_version())
        assert seen == sorted(set(seen)), seen  # each change a new, higher version
    finally:
        a.close()
        b.close()


def test_a_failed_change_keeps_the_version(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "ws.duckdb") as ws:
        before = ws.data_version()
        with pytest.raises(RuntimeError, match="boom"), ws.transaction() as con:
            con.execute("insert into reps (rep_id) values ('r1')")
            ws.bump_data_version()
            raise RuntimeError("boom")
        assert ws.data_version() == before
        with pytest.raises(RuntimeError, match="inside"):
            ws.bump_data_version()  # outside a transaction it could commit without its change
