"""The real-format export corpus (tests/data/exports/): every file loads with no hand
mapping, with the mapping and the canonical values its ``.expected.json`` states."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reltruth.ingest import detect, ingest_files
from reltruth.ingest.read import read_table
from reltruth.workspace import Workspace

CORPUS = Path(__file__).parents[2] / "data" / "exports"
FILES = sorted(p for p in CORPUS.glob("*/*") if p.suffix in (".csv", ".xlsx"))


def test_every_system_has_at_least_two_files() -> None:
    per_system: dict[str, int] = {}
    for path in FILES:
        per_system[path.parent.name] = per_system.get(path.parent.name, 0) + 1
    assert len(per_system) >= 11 and min(per_system.values()) >= 2, per_system


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_export_loads_without_hand_mapping(path: Path) -> None:
    expected = json.loads(path.with_name(path.name + ".expected.json").read_text("utf-8"))
    with Workspace.open(memory=True) as ws:
        raw = read_table(ws, path)
        found = detect.detect(raw.headers, source=path.name)
        assert found.table == expected["table"]
        assert {h: f for h, f in found.mapping.items() if f} == expected["mapping"]
        assert not found.needs_confirmation
        # The folder loads as a user would load it: all its files in one call, no --map.
        folder = sorted(p for p in FILES if p.parent == path.parent)
        report = ingest_files(ws, folder)
        assert report.refused is None
        mine = next(f for f in report.files if f.file == path.name)
        assert (mine.table, mine.rows_rejected) == (expected["table"], 0), mine
        assert mine.rows_loaded == mine.rows_read > 0
        got = [list(r) for r in ws.con.execute(expected["query"]).fetchall()]
        assert got == expected["rows"]
