"""Estimated potentials never read as facts: "≈" on every potential built on an estimate, a
footnote naming the rule actually used with its value, and the prompt's evidence says so."""

from __future__ import annotations

from reltruth import metrics, sample
from reltruth.coaching import build_sheet, render
from reltruth.ingest.potential import estimate_potentials
from reltruth.workspace import Workspace


def test_sheets_mark_estimated_potentials_with_the_rule_used() -> None:
    with Workspace.open(memory=True) as ws:
        sample.load_canonical(ws)
        # Frank's claim-gap lead (Hansa) and his book lose their stated potentials
        ws.con.execute("update accounts set potential = null where owner_rep_id = 'R01'")
        assert estimate_potentials(ws, "per_segment", {"Metalworking": 150_000, "*": 90_000}) > 0
        m = metrics.compute(ws)
        assert m.potential_rule == "a constant per segment (Metalworking 150,000; others 90,000)"
        for self_audit in (False, True):
            sheet = build_sheet(ws, m, "R01", self_audit=self_audit)
            note = next(n for n in sheet.notes if n.startswith("≈ Estimated potential"))
            assert "a constant per segment (Metalworking 150,000; others 90,000)" in note
            lead = sheet.prompts[0]
            assert any("is an estimate (a constant per segment" in e for e in lead.evidence)
            assert any("≈€" in e for p in sheet.prompts for e in p.evidence)
            text = render(sheet, "md").decode("utf-8")
            assert "≈" in text and "Metalworking 150,000" in text
        # a rep whose potentials are all stated has no mark and no footnote
        lena = build_sheet(ws, m, "R02", self_audit=True)
        assert not any(n.startswith("≈") for n in lena.notes)
        assert not any("≈" in e for p in lena.prompts for e in p.evidence)
