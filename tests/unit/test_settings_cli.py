"""`reltruth settings get|set|reset`: output, exit codes, one-line messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reltruth import settings, settings_specs
from reltruth.cli import main
from reltruth.workspace import Workspace


def run(ws: Path, *args: str) -> int:
    return main(["settings", *args[:1], *args[1:], "--workspace", str(ws)])


def stored(ws: Path) -> settings.Settings:
    w = Workspace.open(ws)
    try:
        return settings.load(w.con)
    finally:
        w.close()


def test_get_lists_every_setting_with_its_default(tmp_path: Path, capsys) -> None:
    ws = tmp_path / "ws.duckdb"
    assert run(ws, "get") == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["setting", "value", "default", "meaning"]
    for spec in settings_specs.SPECS:
        assert spec.key in out
    assert run(ws, "get", "--json") == 0
    values = json.loads(capsys.readouterr().out)
    assert values["top_tier_quantile"] == 0.75 and values["duration.visit"] == 60.0


def test_set_then_get_then_reset(tmp_path: Path, capsys) -> None:
    ws = tmp_path / "ws.duckdb"
    assert run(ws, "set", "top_tier_quantile", "80%") == 0
    assert capsys.readouterr().out.strip() == "top_tier_quantile = 0.8"
    assert run(ws, "set", "duration.visit", "90") == 0
    assert run(ws, "set", "tier_measure", "quota_attainment") == 0
    capsys.readouterr()
    assert run(ws, "get", "top_tier_quantile") == 0
    assert capsys.readouterr().out.strip() == "0.8"
    assert run(ws, "get") == 0
    assert "0.8 *" in capsys.readouterr().out  # marked as changed
    s = stored(ws)
    assert s.top_tier_quantile == 0.8 and s.default_durations["visit"] == 90.0
    assert s.tier_measure == "quota_attainment"
    assert run(ws, "reset", "top_tier_quantile") == 0
    assert "0.75 (default)" in capsys.readouterr().out
    assert stored(ws).tier_measure == "quota_attainment"
    assert run(ws, "reset", "--all") == 0
    assert stored(ws) == settings.Settings()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("set", "claim_gap_rating", "9"), "between 1 and 5"),
        (("set", "nonsense", "1"), "no setting 'nonsense'"),
        (("get", "nonsense"), "no setting 'nonsense'"),
        (("reset",), "Name the setting to reset, or --all"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_changes_nothing(
    tmp_path: Path, capsys, args, message
) -> None:
    ws = tmp_path / "ws.duckdb"
    assert run(ws, "set", "claim_gap_rating", "5") == 0
    capsys.readouterr()
    assert run(ws, *args) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert stored(ws).claim_gap_rating == 5
