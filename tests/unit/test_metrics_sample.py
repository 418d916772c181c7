"""The sample's stories come out of the metrics (docs/sample.md), and the CLI prints them.

The relationship builder (R01) has comfortable accounts flagged as claim gaps and
relationship traps with discount creep; the newcomer's (R05) big accounts are neglected
potential; the top performer (R02) is the top tier and last in coaching priority.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from reltruth import metrics, sample
from reltruth.workspace import Workspace


@pytest.fixture(scope="module")
def m() -> Iterator[metrics.Metrics]:
    ws = Workspace.open(memory=True)
    sample.load_canonical(ws, scale=1)
    yield metrics.compute(ws, metrics.resolve_window(ws))
    ws.close()


def test_window_is_the_sample_year(m: metrics.Metrics) -> None:
    assert m.window == metrics.Window(date(2026, 9, 30), 12)
    assert m.window.label == "12 months to 30 Sep 2026"


def test_relationship_builder(m: metrics.Metrics) -> None:
    frank = m.accounts[m.accounts["rep_id"] == "R01"]
    story = frank[
        frank["flags"].map(lambda f: {"claim_gap", "relationship_trap", "discount_creep"} <= set(f))
    ]
    assert len(story) >= 3
    # comfortable: small accounts rated 4-5 that take far more than their share of time
    assert (story["relationship_rating"] >= 4).all()
    assert (story["allocation_ratio"] >= 1.5).all()
    rep = m.reps.set_index("rep_id").loc["R01"]
    assert rep["tier"] == "marginal"
    assert rep["coaching_priority"] <= 2
    assert rep["discount_trend_pp_per_year"] >= 1.0


def test_newcomer_neglects_big_accounts(m: metrics.Metrics) -> None:
    jonas = m.accounts[m.accounts["rep_id"] == "R05"].sort_values("potential", ascending=False)
    biggest = jonas.head(5)
    assert biggest["is_neglected_potential"].sum() >= 3


def test_top_performer_is_left_alone(m: metrics.Metrics) -> None:
    reps = m.reps.set_index("rep_id")
    assert reps.loc["R02", "tier"] == "top"
    assert reps.loc["R02", "coaching_priority"] == len(reps)


def test_every_flag_carries_its_numbers(m: metrics.Metrics) -> None:
    for flags, reasons in zip(m.accounts["flags"], m.accounts["flag_reasons"], strict=True):
        assert [r.split(":")[0] for r in reasons if not r.startswith("potential_too_low")] == flags


def test_cli_json_and_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ws.duckdb"
    ws = Workspace.open(path)
    sample.load_canonical(ws, scale=1)
    ws.close()
    args = argparse.Namespace(
        workspace=path, as_of="2026-09-30", window_months=6, level="account", format="json"
    )
    assert metrics.cli_metrics(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["as_of"] == "2026-09-30" and data["window_start"] == "2026-03-30"
    assert data["window_months"] == 6
    assert list(data["reps"][0]) == list(metrics.REP_KEYS)
    assert 0 < data["reps"][0]["alignment_score"] <= 1  # a fraction, not a percentage
    args.format, args.level = "table", "rep"
    assert metrics.cli_metrics(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("6 months to 30 Sep 2026")
    assert "Frank Berger" in out
