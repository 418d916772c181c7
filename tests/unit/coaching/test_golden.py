"""Golden files: the sheets of the sample's three story reps, reviewed in diffs.

The sheet model (JSON), the HTML and the Markdown of Frank Berger (the relationship
builder), Lena Vogt (the consistent top performer) and Jonas Weber (the newcomer), on the
built-in sample (as_of 30 Sep 2026, 12 months). A change in wording or numbers shows up as
a diff in tests/golden/; after reviewing it, regenerate with

    RELTRUTH_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/unit/coaching/test_golden.py

The chart's image in the HTML is replaced by a placeholder (its data is in the JSON).
Frank has been coached since 15 Apr 2026 (a meeting kept that day, an alignment
commitment agreed), so his sheet carries the "Since coaching began" timeline.
"""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path

import pytest

from reltruth import metrics, sample
from reltruth.coaching import build_sheet, commitments, meetings, render_html, render_markdown
from reltruth.sample.cast import COMFORT_NAMES
from reltruth.workspace import Workspace

GOLDEN = Path(__file__).resolve().parents[2] / "golden"
UPDATE = bool(os.environ.get("RELTRUTH_UPDATE_GOLDEN"))
STORY_REPS = {"frank": "R01", "lena": "R02", "jonas": "R05"}
COMFORT = set(COMFORT_NAMES)
COACHED_SINCE = date(2026, 4, 15)  # Frank's first recorded meeting


@pytest.fixture(scope="module")
def sample_metrics():  # type: ignore[no-untyped-def]
    ws = Workspace.open(memory=True)
    sample.load_canonical(ws)
    first = metrics.compute(ws, metrics.Window(date(2026, 3, 31), 12))
    meetings.save(ws, build_sheet(ws, first, "R01"), met_on=COACHED_SINCE, window_months=12)
    commitments.add(
        ws,
        "R01",
        "Spend the hours where the potential is",
        agreed_on=COACHED_SINCE,
        target_kind="alignment",
        target_value=60,
        due_date=date(2026, 6, 30),
    )
    # a fixed id: the JSON golden file shows it
    ws.con.execute("update commitments set commitment_id = 'frank-golden-1'")
    m = metrics.compute(ws, metrics.resolve_window(ws))
    yield ws, m
    ws.close()


def _normalised_html(text: str) -> str:
    return re.sub(
        r"data:image/svg\+xml;base64,[A-Za-z0-9+/=]+", "data:image/svg+xml;base64,…", text
    )


def _check(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE or not path.exists():
        if not UPDATE:
            pytest.fail(f"{path} is missing: run with RELTRUTH_UPDATE_GOLDEN=1 and review it")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{name} changed: review the diff, regenerate if intended"


@pytest.mark.parametrize("who", list(STORY_REPS))
def test_golden_sheets(sample_metrics, who: str) -> None:  # type: ignore[no-untyped-def]
    ws, m = sample_metrics
    sheet = build_sheet(ws, m, STORY_REPS[who])
    _check(f"{who}.json", json.dumps(sheet.to_dict(), indent=2, ensure_ascii=False) + "\n")
    _check(f"{who}.md", render_markdown(sheet))
    _check(f"{who}.html", _normalised_html(render_html(sheet)))


@pytest.mark.parametrize("who", list(STORY_REPS))
def test_golden_self_audit_markdown(sample_metrics, who: str) -> None:  # type: ignore[no-untyped-def]
    ws, m = sample_metrics
    sheet = build_sheet(ws, m, STORY_REPS[who], self_audit=True)
    _check(f"{who}-self-audit.md", render_markdown(sheet))


def test_frank_leads_with_his_comfortable_great_relationships(sample_metrics) -> None:  # type: ignore[no-untyped-def]
    ws, m = sample_metrics
    sheet = build_sheet(ws, m, "R01")
    assert sheet.tier == "marginal" and sheet.variant == "full"
    assert 3 <= len(sheet.prompts) <= 7
    # the first two prompts are the seeds' story: claim gaps on "excellent" relationships,
    # and the comfortable small accounts that take his hours while discounts creep up
    lead = sheet.prompts[:2]
    assert [p.kind for p in lead] == ["claim_gap", "relationship_trap"]
    # Hansa buys no hydraulics, which most Machinery accounts buy (docs/sample.md, issue 20)
    assert lead[0].question.startswith("You rate Hansa Maschinenbau GmbH as excellent.")
    assert "none of our Hydraulics, which" in lead[0].question
    comfortable = lead[1]
    assert set(comfortable.account_names) == COMFORT
    assert {"discount_creep", "claim_gap"} <= set(comfortable.flags)
    # what the discount bought at Müller & Söhne: more discount, less volume at list
    assert any(
        e.startswith("Discount up") and "while volume at list fell" in e
        for e in comfortable.evidence
    )
    # Nordwerft: high potential, no decision maker met since the spring
    key = [p for p in sheet.prompts if p.kind == "key_people"]
    assert key and key[0].account_names[0] == "Nordwerft Industrieservice AG"
    # Weser: an offer open since February at an "excellent" account, past his median cycle
    stalled = [p for p in sheet.prompts if p.kind == "stalled_deal"]
    assert [p.account_names for p in stalled] == [("Weser Antriebstechnik GmbH",)]
    assert stalled[0].question == (
        "You rate Weser Antriebstechnik GmbH as excellent, and the offer has been open for "
        "239 days. Have you asked them for a decision?"
    )
    assert "longer than the rep's median of 63 days" in stalled[0].evidence[0]
    # the sample has a deals export: win rates on the scoreboard, his below his team's
    rows = {r.key: r for r in sheet.scoreboard}
    assert rows["win_rate"].text == "27\u00a0%" and rows["win_rate"].team_median_text == "38\u00a0%"
    # the receiving rep of a trade is named on the manager's sheet
    assert any(t.to_rep_name for t in sheet.actions.trades)


def test_jonas_leads_with_neglected_potential(sample_metrics) -> None:  # type: ignore[no-untyped-def]
    ws, m = sample_metrics
    sheet = build_sheet(ws, m, "R05")
    assert sheet.prompts[0].kind == "neglected_potential"
    assert sheet.prompts[0].account_names[0] == "Rheinstahl Anlagenbau AG"  # the €1.2 M wallet
    assert sheet.prompts[0].question.startswith(
        "Rheinstahl Anlagenbau AG could buy €1.2\u00a0M a year."
    )
    # he took his accounts over in autumn 2025: measured from the takeover, and told so
    assert any("Owner since 7 Jan 2026: growth is measured" in e for e in sheet.prompts[0].evidence)
    assert any(n.startswith("Taken over in this or the prior window") for n in sheet.notes)


def test_lena_gets_the_short_sheet(sample_metrics) -> None:  # type: ignore[no-untyped-def]
    ws, m = sample_metrics
    sheet = build_sheet(ws, m, "R02")
    assert sheet.tier == "top" and sheet.variant == "short"
    assert [p.question for p in sheet.prompts] == [
        "What is working, and what can the team learn from it?"
    ]


@pytest.mark.parametrize("who", list(STORY_REPS))
def test_self_audit_names_no_colleague(sample_metrics, who: str) -> None:  # type: ignore[no-untyped-def]
    ws, m = sample_metrics
    rep_id = STORY_REPS[who]
    sheet = build_sheet(ws, m, rep_id, self_audit=True)
    texts = render_markdown(sheet) + render_html(sheet, charts=False)
    others = m.reps[m.reps["rep_id"] != rep_id]["rep_name"].dropna().astype(str)
    for name in others:
        assert name not in texts
