"""The sample's stories come out of the metrics (docs/sample.md), and the CLI prints them.

The relationship builder (R01) has comfortable accounts flagged as claim gaps and
relationship traps with discount creep; the newcomer's (R05) big accounts are neglected
potential; the top performer (R02) is the top tier and last in coaching priority.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from reltruth import metrics, sample
from reltruth.metrics.cli import cli_metrics
from reltruth.metrics.output import clean, records
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


def test_the_stalled_deal_and_the_win_rates(m: metrics.Metrics) -> None:
    # the sample's opportunities export (docs/sample.md): one offer at a "great relationship"
    # account open past its owner's median cycle, and win rates for every rep
    stalled = m.accounts[m.accounts["is_stalled_great_relationship"]]
    assert list(stalled["account_name"]) == ["Weser Antriebstechnik GmbH"]
    weser = stalled.iloc[0]
    assert weser["rep_id"] == "R01" and weser["relationship_rating"] == 5
    assert (weser["stalled_deals"], weser["stalled_days_open"]) == (1, 239)
    assert weser["median_cycle_days"] == 63
    assert m.has_deals
    reps = m.reps.set_index("rep_id")
    assert (reps.loc["R01", "deals_won"], reps.loc["R01", "deals_lost"]) == (14, 37)
    assert reps["win_rate"].idxmax() == "R02"
    # the deals add no revenue: every account they name is invoiced (docs/metrics.md)
    assert reps.loc["R01", "revenue"] == pytest.approx(1_352_003.15)


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
    assert cli_metrics(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["as_of"] == "2026-09-30" and data["window_start"] == "2026-03-30"
    assert data["window_months"] == 6
    assert list(data["reps"][0]) == list(metrics.REP_KEYS)
    assert 0 < data["reps"][0]["alignment_score"] <= 1  # a fraction, not a percentage
    args.format, args.level = "table", "rep"
    assert cli_metrics(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("6 months to 30 Sep 2026")
    assert "Frank Berger" in out


def test_trades_spread_over_receivers_and_teams(m: metrics.Metrics) -> None:
    trades = m.trades
    candidates = set(m.accounts.loc[m.accounts["is_trade_candidate"], "account_id"])
    assert set(trades["account_id"]) == candidates  # every candidate has a row: a receiver or why
    given = trades[trades["to_rep_id"].notna()]
    assert given["to_rep_id"].value_counts().max() <= m.settings.trade_max_receivers
    assert (given["to_rep_id"] != given["from_rep_id"]).all()
    team = m.reps.set_index("rep_id")["team"]
    teams_with = set(team.loc[given["from_rep_id"]])
    teams_with_candidates = set(team.loc[trades["from_rep_id"]])
    assert teams_with == teams_with_candidates  # no team left without a receiver
    hours = m.reps.set_index("rep_id")["hours"]
    medians = m.reps.groupby("team")["hours"].median()
    for rep_id in given["to_rep_id"]:
        assert hours[rep_id] < medians[team[rep_id]]  # receivers have time
    left = trades[trades["to_rep_id"].isna()]
    assert left["reason"].str.contains("already receives").all()
    top = given[given["to_rep_tier"] == "top"]
    assert (top["to_rep_hours"].notna() & top["account_hours"].notna()).all()


def test_the_company_top_quartile_of_excess_discount(m: metrics.Metrics) -> None:
    reps = m.reps.set_index("rep_id")
    assert reps["excess_discount"].idxmax() == "R01"  # Frank, about 66 k
    assert bool(reps.loc["R01", "excess_discount_top_quartile"])
    assert m.excess_discount_threshold is not None
    flagged = reps[reps["excess_discount_top_quartile"].astype(bool)]
    assert (flagged["excess_discount"] >= m.excess_discount_threshold).all()
    assert len(flagged) == 2  # a quarter of eight reps


@pytest.mark.slow
def test_the_same_data_give_byte_identical_json_and_csv(tmp_path: Path) -> None:
    path = tmp_path / "ws.duckdb"
    ws = Workspace.open(path)
    sample.load_canonical(ws, scale=10)
    ws.close()
    outputs = []
    for _ in range(2):
        run = []
        for args in (["--format", "json"], ["--format", "csv", "--level", "account"]):
            proc = subprocess.run(
                [sys.executable, "-m", "reltruth", "metrics", "--workspace", str(path), *args],
                capture_output=True,
                check=True,
                timeout=600,
            )
            run.append(proc.stdout)
        outputs.append(run)
    assert len(outputs[0][0]) > 1_000_000
    assert outputs[0] == outputs[1]


def test_cli_refuses_an_as_of_outside_the_data(tmp_path: Path) -> None:
    path = tmp_path / "ws.duckdb"
    ws = Workspace.open(path)
    sample.load_canonical(ws, scale=1)
    ws.close()
    for day, word in (("2030-01-01", "after"), ("2020-01-01", "before")):
        proc = subprocess.run(
            [sys.executable, "-m", "reltruth", "metrics", "--workspace", str(path), "--as-of", day],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert proc.returncode != 0 and proc.stdout == ""
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and f"is {word} the" in lines[0]
        assert "2023-10-02 to 2026-09-30" in lines[0]


def test_json_records_are_built_column_wise_with_the_values_of_the_per_value_cleaning(
    m: metrics.Metrics,
) -> None:
    """Issue 19: the column-wise conversion gives exactly what cleaning each value did
    (NaN and infinities -> None, dates -> YYYY-MM-DD, numpy numbers -> Python ones)."""
    frames = [(m.reps, metrics.REP_KEYS), (m.accounts, metrics.ACCOUNT_KEYS)]
    # Missing and infinite values of every kind the frames can hold.
    odd = m.accounts.head(3).copy()
    odd.loc[odd.index[0], "potential"] = float("inf")
    odd.loc[odd.index[1], "owner_since"] = None
    odd.loc[odd.index[2], "account_name"] = None
    frames.append((odd, metrics.ACCOUNT_KEYS))
    for frame, keys in frames:
        rows = frame.reindex(columns=list(keys)).to_dict("records")
        expected = [{k: clean(row[k]) for k in keys} for row in rows]
        got = records(frame, keys)
        assert got == expected
        assert [list(r) for r in got] == [list(keys)] * len(got)
        # equal as values and as types (1 == 1.0 == True would hide a change)
        assert [[type(v) for v in r.values()] for r in got] == [
            [type(v) for v in r.values()] for r in expected
        ]
    assert records(odd, metrics.ACCOUNT_KEYS)[0]["potential"] is None


def test_cli_json_is_one_write_the_same_bytes_whatever_pythonunbuffered(tmp_path: Path) -> None:
    """Issue 19: compact JSON written in one piece, byte-identical with PYTHONUNBUFFERED=1
    (json.dump to an unbuffered stdout made one system call per token); --pretty indents
    the same values."""
    path = tmp_path / "ws.duckdb"
    ws = Workspace.open(path)
    sample.load_canonical(ws, scale=1)
    ws.close()

    def run(*extra: str, unbuffered: bool = False) -> bytes:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
        if unbuffered:
            env["PYTHONUNBUFFERED"] = "1"
        cmd = [sys.executable, "-m", "reltruth", "metrics", "--workspace", str(path)]
        proc = subprocess.run(
            [*cmd, "--format", "json", *extra], capture_output=True, check=True, env=env
        )
        return proc.stdout

    buffered, unbuffered = run(), run(unbuffered=True)
    assert buffered == unbuffered
    assert buffered.count(b"\n") == 1 and buffered.endswith(b"}\n")  # compact: one line
    pretty = run("--pretty", unbuffered=True)
    assert b'\n  "reps": [' in pretty
    assert json.loads(pretty) == json.loads(buffered)
    data = json.loads(buffered)
    assert list(data["reps"][0]) == list(metrics.REP_KEYS)
    assert list(data["accounts"][0]) == list(metrics.ACCOUNT_KEYS)


class _CountingRaw(io.RawIOBase):
    """A raw stream counting its writes, as an unbuffered stdout is (PYTHONUNBUFFERED=1)."""

    def __init__(self) -> None:
        self.writes, self.data = 0, bytearray()

    def writable(self) -> bool:
        return True

    def write(self, b: bytes) -> int:  # type: ignore[override]
        self.writes += 1
        self.data += bytes(b)
        return len(b)


def test_cli_json_to_an_unbuffered_stdout_is_one_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ws.duckdb"
    ws = Workspace.open(path)
    sample.load_canonical(ws, scale=1)
    ws.close()
    raw = _CountingRaw()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(raw, write_through=True))  # type: ignore[arg-type]
    args = argparse.Namespace(workspace=path, as_of=None, window_months=None, format="json")
    assert cli_metrics(args) == 0
    assert raw.writes == 1
    assert json.loads(bytes(raw.data))["window_months"] == 12
