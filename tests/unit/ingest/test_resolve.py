"""Rows already loaded are found by joins on the stored columns, priced by the file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from reltruth.ingest import ingest_files, resolve
from reltruth.workspace import Workspace

DATA = Path(__file__).parents[2] / "data"


@pytest.fixture
def ws() -> Iterator[Workspace]:
    with Workspace.open(memory=True) as workspace:
        yield workspace


def _stored_scans(node: dict[str, object], parent: dict[str, object] | None = None) -> list[str]:
    """Every scan of a stored table (main schema) in a JSON plan, with its parent's name."""
    found = []
    info = node.get("extra_info") or {}
    table = str(info.get("Table", "")) if isinstance(info, dict) else ""
    if node["name"] == "SEQ_SCAN" and ".main." in table and '"temp"' not in table:
        found.append(f"{table} under {parent['name'] if parent else None}")
    for child in node.get("children", []):  # type: ignore[attr-defined]
        found += _stored_scans(child, node)
    return found


@pytest.mark.parametrize(
    ("files", "again"),
    [
        (["identical_lines/accounts.csv", "identical_lines/activities.csv"], "activities"),
        (["bad_rows/accounts.csv", "bad_rows/invoices.csv"], "orders"),
    ],
)
def test_already_loaded_check_joins_stored_columns_never_rebuilds_their_keys(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch, files: list[str], again: str
) -> None:
    """Issue 19: the check's plan reads the stored tables straight into a semi join on
    their columns; a projection over a stored scan would be keys rebuilt as text for every
    loaded row (what made a month's import cost as much as the whole workspace)."""
    paths = [DATA / f for f in files]
    ingest_files(ws, paths)
    plans: list[list[str]] = []
    statement = resolve.loaded_rows_sql

    def explained(stage: object, table: str) -> str:
        sql = statement(stage, table)  # type: ignore[arg-type]
        plan = json.loads(ws.con.execute(f"explain (format json) {sql}").fetchall()[0][1])
        plans.append([s for node in plan for s in _stored_scans(node)])
        return sql

    monkeypatch.setattr(resolve, "loaded_rows_sql", explained)
    report = ingest_files(ws, [paths[1]])
    assert report.files[0].rows_loaded == 0
    assert (
        report.files[0].rows_duplicate == report.files[0].rows_read - report.files[0].rows_rejected
    )
    assert len(plans) == 1
    assert any(again in scan for scan in plans[0])
    assert all(scan.endswith("under HASH_JOIN") for scan in plans[0]), plans[0]
