"""The rep's coaching timeline on the rep's pages once a meeting is kept (issue 16, item 3)."""

from __future__ import annotations

from datetime import date

import pytest
from apptest_helpers import frame_with, open_page, texts

from reltruth import metrics
from reltruth.coaching import build_sheet, meetings


@pytest.mark.parametrize("page", ["pages/coaching_sheet.py", "pages/time_vs_potential.py"])
def test_the_timeline_starts_at_the_first_kept_meeting(sample_workspace, make_app, page):
    app = make_app()
    open_page(app, page, sidebar_rep="R01")
    assert any("The timeline starts with the first meeting" in t for t in texts(app))
    then = metrics.compute(sample_workspace, metrics.Window(date(2026, 3, 31), 12))
    meetings.save(
        sample_workspace,
        build_sheet(sample_workspace, then, "R01"),
        met_on=date(2026, 4, 15),
        window_months=12,
    )
    app = make_app()
    open_page(app, page, sidebar_rep="R01")
    assert any(t.startswith("First meeting 15 Apr 2026.") for t in texts(app))
    numbers = frame_with(app, "Commitments kept")
    assert list(numbers["Quarter"]) == ["Q1 2026 (before)", "Q2 2026", "Q3 2026"]
    assert numbers["Alignment score"].round(0).tolist() == [62, 69, 59]  # as Frank's golden
