"""The DuckDB lock-down: what a connection of the app (file or demo) can never do.

Each test states an attack a query could attempt if a bug ever let user text reach SQL:
read a system file, write outside the workspace, undo the settings, load an extension.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pytest

from reltruth.workspace import Workspace

LOCKED_SETTINGS = {
    "enable_external_access": "true",
    "lock_configuration": "false",
    "threads": "8",
    "memory_limit": "'100GB'",
    "allowed_directories": "['/']",
    "allowed_paths": "['/etc/passwd']",
    "autoload_known_extensions": "true",
    "autoinstall_known_extensions": "true",
    "allow_unsigned_extensions": "true",
    "python_enable_replacements": "true",
    "temp_directory": "'/tmp'",
}


@pytest.fixture(params=["file", "memory", "second_session"])
def ws(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Workspace]:
    """Every kind of connection the app makes: a file, a demo session, a second session."""
    if request.param == "memory":
        opened = [Workspace.open(memory=True)]
    else:
        opened = [Workspace.open(tmp_path / "ws.duckdb")]
        if request.param == "second_session":
            opened.append(Workspace.open(tmp_path / "ws.duckdb"))
    yield opened[-1]
    for w in reversed(opened):
        w.close()


def _refused(con: duckdb.DuckDBPyConnection, query: str, params: dict | None = None) -> str:
    with pytest.raises(duckdb.Error) as info:
        con.execute(query, params or {}).fetchall()
    return str(info.value)


@pytest.mark.parametrize(
    "query",
    [
        "select * from read_csv('/etc/passwd')",
        "select * from read_text('/etc/passwd')",
        "select * from read_blob('/etc/passwd')",
        "select * from '/etc/passwd'",
        "select * from glob('/etc/*')",
        "select * from read_parquet('/etc/passwd')",
        "attach '/etc/passwd' as other",
    ],
)
def test_cannot_read_system_files(ws: Workspace, query: str) -> None:
    message = _refused(ws.con, query)
    # A bare file name is not even looked up as a file (replacement scans are off).
    assert "disabled by configuration" in message or "does not exist" in message


def test_cannot_read_outside_through_the_staging_folder(ws: Workspace, tmp_path: Path) -> None:
    # A path that starts inside the staging folder but climbs out, and a symlink planted there.
    climb = f"{ws.staging_dir}/../../../../../../etc/passwd"
    assert "disabled by configuration" in _refused(
        ws.con, "select * from read_text($p)", {"p": climb}
    )
    link = ws.staging_dir / "passwd.csv"
    link.symlink_to("/etc/passwd")
    assert "disabled by configuration" in _refused(
        ws.con, "select * from read_text($p)", {"p": str(link)}
    )


def test_a_sibling_folder_with_the_same_prefix_is_not_allowed(tmp_path: Path) -> None:
    # allowed_directories holds prefixes: "/x/ws.duckdb.staging" must not allow "/x/ws.duckdb.staging-evil".
    with Workspace.open(tmp_path / "ws.duckdb") as ws:
        evil = Path(str(ws.staging_dir.parent) + "-evil")
        evil.mkdir()
        (evil / "x.csv").write_text("a\n1\n")
        assert "disabled by configuration" in _refused(
            ws.con, "select * from read_csv($p)", {"p": str(evil / "x.csv")}
        )


@pytest.mark.parametrize(
    "query",
    [
        "copy (select 42) to '/tmp/reltruth-escape.csv'",
        "export database '/tmp/reltruth-escape'",
        "attach '/tmp/reltruth-escape.duckdb' as other",
    ],
)
def test_cannot_write_outside(ws: Workspace, query: str) -> None:
    _refused(ws.con, query)
    assert not os.path.exists("/tmp/reltruth-escape.csv")
    assert not os.path.exists("/tmp/reltruth-escape.duckdb")


@pytest.mark.parametrize("setting", sorted(LOCKED_SETTINGS))
def test_cannot_change_locked_settings(ws: Workspace, setting: str) -> None:
    before = ws.con.execute("select current_setting($s)::varchar", {"s": setting}).fetchone()
    message = _refused(ws.con, f"set {setting} = {LOCKED_SETTINGS[setting]}")
    assert "locked" in message
    _refused(ws.con, f"reset {setting}")
    after = ws.con.execute("select current_setting($s)::varchar", {"s": setting}).fetchone()
    assert after == before


def test_settings_are_as_intended(ws: Workspace) -> None:
    got = dict(
        ws.con.execute(
            "select name, value from duckdb_settings() where name in ("
            "'enable_external_access', 'lock_configuration', 'autoload_known_extensions', "
            "'autoinstall_known_extensions', 'allow_community_extensions', 'threads')"
        ).fetchall()
    )
    assert got == {
        "enable_external_access": "false",
        "lock_configuration": "true",
        "autoload_known_extensions": "false",
        "autoinstall_known_extensions": "false",
        "allow_community_extensions": "false",
        "threads": str(max(1, min(os.cpu_count() or 2, 2))),
    }
    limit = ws.con.execute("select current_setting('memory_limit')").fetchone()[0]
    assert "GiB" in limit or "MiB" in limit


@pytest.mark.parametrize(
    "query",
    [
        "load httpfs",
        "install httpfs",
        "install spatial from community",
        "load '/tmp/x.duckdb_extension'",
    ],
)
def test_cannot_load_or_install_extensions(ws: Workspace, query: str) -> None:
    assert "disabled" in _refused(ws.con, query)


def test_no_extension_is_autoloaded_by_a_query(ws: Workspace) -> None:
    # Reading a URL would autoload httpfs on a default connection.
    _refused(ws.con, "select * from read_csv('https://example.com/data.csv')")


def test_python_variables_are_not_scanned(ws: Workspace) -> None:
    secret_frame = pd.DataFrame({"x": [1]})  # noqa: F841 - the point is that SQL cannot see it
    _refused(ws.con, "select * from secret_frame")


def test_staged_files_can_be_read(ws: Workspace, tmp_path: Path) -> None:
    src = tmp_path / "orders.csv"
    src.write_text("id,amount\n1,10\n2,20\n")
    staged = ws.stage_file(src)
    rows = ws.con.execute("select sum(amount) from read_csv($p)", {"p": str(staged)}).fetchone()
    assert rows == (30,)
    pd.DataFrame({"a": [1, 2, 3]}).to_parquet(ws.staging_dir / "x.parquet")
    rows = ws.con.execute(
        "select sum(a) from read_parquet($p)", {"p": str(ws.staging_dir / "x.parquet")}
    ).fetchone()
    assert rows == (6,)


def test_python_objects_are_scanned_when_registered(ws: Workspace) -> None:
    # The way ingestion hands Excel rows to DuckDB: register a frame / Arrow table by name.
    ws.con.register("excel_rows", pa.table({"name": ["a", "b"], "n": [1, 2]}))
    assert ws.con.execute("select sum(n) from excel_rows").fetchall() == [(3,)]
    ws.con.unregister("excel_rows")
    ws.con.register("frame_rows", pd.DataFrame({"n": [5, 6]}))
    assert ws.con.execute("select sum(n) from frame_rows").fetchall() == [(11,)]
    assert ws.con.from_df(pd.DataFrame({"n": [1]})).fetchall() == [(1,)]


def test_large_sorts_still_work_within_the_limits(ws: Workspace) -> None:
    got = ws.con.execute(
        "select count(distinct s) from (select md5(i::varchar) s from range(300000) t(i))"
    ).fetchone()
    assert got == (300000,)
