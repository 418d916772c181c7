"""Pages mark estimated potentials ("≈") and name the rule actually used in a footnote."""

from __future__ import annotations

from apptest_helpers import frame_with, open_page

from reltruth.ingest.potential import estimate_potentials


def test_pages_mark_estimated_potentials(sample_workspace, make_app) -> None:
    sample_workspace.con.execute("update accounts set potential = null where owner_rep_id = 'R01'")
    estimate_potentials(sample_workspace, "share_of_company_revenue", 0.02)
    app = make_app()
    for page in ("pages/time_vs_potential.py", "pages/relationship_truth.py"):
        open_page(app, page, sidebar_rep="R01")
        table = frame_with(app, "≈")
        assert (table["≈"] == "≈").any(), page
        captions = " ".join(str(c.value) for c in app.caption)
        assert "estimated potentials: 2 % of the customer's company revenue" in captions, page
