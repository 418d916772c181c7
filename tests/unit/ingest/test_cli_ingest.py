"""`reltruth ingest`: exit codes, one-line messages, the --json shape, workspace unchanged."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from reltruth.cli import main

DATA = Path(__file__).parents[2] / "data"
ROOT = Path(__file__).parents[3]
TABLES = (
    "reps",
    "accounts",
    "activities",
    "orders",
    "pipeline",
    "price_list",
    "unmatched",
    "mappings",
    "imports",
)


def table_counts(path: Path) -> dict[str, int]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {t: int(con.execute(f"select count(*) from {t}").fetchall()[0][0]) for t in TABLES}
    finally:
        con.close()


def test_json_report_has_the_spec_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = tmp_path / "ws.duckdb"
    code = main(
        [
            "ingest",
            str(DATA / "unmatched_accounts/activities.csv"),
            str(DATA / "unmatched_accounts/accounts_first.csv"),
            "--workspace",
            str(ws),
            "--json",
        ]
    )
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out) == ["files"]
    acts = out["files"][1]
    assert list(acts) == [
        "file",
        "table",
        "rows_read",
        "rows_loaded",
        "rows_duplicate",
        "rows_rejected",
        "rejects",
        "unmatched_accounts",
    ]
    assert (acts["file"], acts["table"], acts["rows_read"], acts["rows_loaded"]) == (
        "activities.csv",
        "activities",
        4,
        4,
    )
    assert len(acts["unmatched_accounts"]) == 3


def test_human_report_and_map_override(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = tmp_path / "ws.duckdb"
    weather = DATA / "unrecognisable/weather.csv"
    code = main(
        [
            "ingest",
            str(weather),
            "--workspace",
            str(ws),
            "--table",
            "accounts",
            "--map",
            "city=account_name",
            "--map",
            "temperature=ignore",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert (
        "weather.csv -> accounts: 2 rows read, 2 loaded, 0 already loaded (skipped), 0 rejected"
        in out
    )
    assert table_counts(ws)["accounts"] == 2


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("empty_file/accounts.csv", "empty"),
        ("header_only/accounts.csv", "no data rows"),
        ("binary_csv/data.csv", "binary"),
        ("fake_xlsx/accounts.xlsx", "not a valid Excel file"),
        ("unrecognisable/weather.csv", "could not tell what kind of export weather.csv is"),
    ],
)
def test_unusable_files_exit_non_zero_with_one_line_and_change_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], path: str, message: str
) -> None:
    ws = tmp_path / "ws.duckdb"
    assert main(["ingest", str(DATA / "identical_lines/accounts.csv"), "--workspace", str(ws)]) == 0
    before = table_counts(ws)
    capsys.readouterr()
    code = main(
        [
            "ingest",
            str(DATA / path),
            str(DATA / "identical_lines/activities.csv"),
            "--workspace",
            str(ws),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert table_counts(ws) == before


def test_too_many_bad_rows_refused_unless_accept_partial(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = tmp_path / "ws.duckdb"
    files = [
        str(DATA / "too_many_bad_rows/accounts.csv"),
        str(DATA / "too_many_bad_rows/invoices.csv"),
    ]
    assert main(["ingest", *files, "--workspace", str(ws)]) == 2
    captured = capsys.readouterr()
    assert "line 3:" in captured.out and "tbd" in captured.out
    assert "--accept-partial" in captured.err
    assert table_counts(ws)["orders"] == 0 and table_counts(ws)["accounts"] == 0
    assert main(["ingest", *files, "--workspace", str(ws), "--accept-partial"]) == 0
    assert table_counts(ws)["orders"] == 3


def test_subprocess_no_traceback(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "reltruth",
            "ingest",
            str(DATA / "fake_xlsx/accounts.xlsx"),
            "--workspace",
            str(tmp_path / "ws.duckdb"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert proc.returncode != 0
    assert proc.stderr.strip().count("\n") == 0 and "Traceback" not in proc.stderr


def test_json_lists_each_reject_with_line_and_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = tmp_path / "ws.duckdb"
    files = [
        str(DATA / "too_many_bad_rows/accounts.csv"),
        str(DATA / "too_many_bad_rows/invoices.csv"),
    ]
    assert main(["ingest", *files, "--workspace", str(ws), "--json", "--accept-partial"]) == 0
    report = json.loads(capsys.readouterr().out)
    invoices = report["files"][1]
    assert invoices["rejects"] == [
        {"line": 3, "reason": '"tbd" is not a valid amount (column "Net Value")'}
    ]
    assert (
        invoices["rows_read"]
        == invoices["rows_loaded"] + invoices["rows_duplicate"] + invoices["rows_rejected"]
    )


def test_the_ingest_command_opens_its_workspace_with_the_ingest_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A load streams its files once: the command keeps DuckDB's memory small (peak under
    1 GB at scale 100, docs/performance.md); the app's shared workspaces keep theirs."""
    from reltruth.ingest import cli as ingest_cli
    from reltruth.workspace import Workspace

    opened: list[int | None] = []
    real_open = Workspace.open

    def spy(path: object = None, **kwargs: object) -> Workspace:
        opened.append(kwargs.get("memory_limit"))  # type: ignore[arg-type]
        return real_open(path, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Workspace, "open", spy)
    code = main(
        [
            "ingest",
            str(DATA / "unmatched_accounts/accounts_first.csv"),
            "--workspace",
            str(tmp_path / "w"),
        ]
    )
    assert code == 0
    assert opened == [ingest_cli.INGEST_MEMORY_LIMIT]
    assert ingest_cli.INGEST_MEMORY_LIMIT <= 640 * 1024**2
