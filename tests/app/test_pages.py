"""Every page on the sample data: no exception, the headline metrics and charts present,
and the stories of the sample visible where a manager looks for them."""

from __future__ import annotations

import pytest
from apptest_helpers import PAGES, charts, frame_with, open_page, texts


@pytest.fixture
def app(sample_workspace, make_app):
    return make_app()


def metric_labels(at) -> set[str]:
    return {m.label for m in at.metric}


def test_the_sidebar_shows_the_window_and_the_workspace(app):
    assert not app.exception
    assert app.date_input(key="sidebar_as_of").value.isoformat() == "2026-09-30"
    assert any("12 months to 30 Sep 2026" in c.value for c in app.sidebar.caption)
    assert app.selectbox(key="sidebar_team").options[:1] == ["All teams"]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_the_sample(app, page):
    open_page(app, page)
    assert app.title[0].value


def test_team_page_ranks_marginal_performers_first_and_top_performers_last(app):
    open_page(app, "pages/team.py")
    assert {"Reps", "Marginal performers", "Top performers", "Money at stake"} <= metric_labels(app)
    assert len(charts(app)) >= 1
    table = app.dataframe(key="team_table").value
    # money first, so a 1,280 px screen shows what is at stake without scrolling
    assert list(table.columns[:2]) == ["Priority", "Rep"]
    assert table.columns[2].startswith("Money at stake") and table.columns[3].startswith("Revenue")
    assert table.columns[-1] == "Why this tier"
    assert "rep_name" not in table.columns  # human labels only
    tiers = table["Tier"].tolist()
    assert tiers[0] == "marginal performer"
    assert tiers[-1] == "top performer"
    # Frank Berger, the relationship builder, is among the reps to coach first.
    first_half = table["Rep"].tolist()[: len(table) // 2]
    assert "Frank Berger" in first_half
    assert "Lena Vogt" not in first_half


def test_team_link_opens_the_time_page_for_that_rep(app):
    app.segmented_control(key="sidebar_months").set_value(6).run()
    open_page(app, "pages/team.py")
    table = app.dataframe(key="team_table").value
    first = table["Rep"].iloc[0]
    app.button(key="team_open_time").click().run()
    assert not app.exception
    assert app.title[0].value == "Time vs potential"
    assert any(t.value == first for t in app.text)
    assert app.segmented_control(key="sidebar_months").value == 6  # the window survives


def test_time_page_headlines_chart_and_shift_table(app):
    open_page(app, "pages/time_vs_potential.py", sidebar_rep="R01")
    assert {"Alignment score", "Misallocated hours"} <= metric_labels(app)
    assert len(charts(app)) >= 2  # the scatter and the hours by activity type
    assert any(t.value == "Frank Berger" for t in app.text)
    assert any("12 months to 30 Sep 2026" in c.value for c in app.caption)
    alignment = next(m for m in app.metric if m.label == "Alignment score").value
    assert alignment.endswith("%")


def test_relationship_truth_names_great_relationships_that_do_not_buy(app):
    open_page(app, "pages/relationship_truth.py")
    assert any("why aren't they buying everything" in t for t in texts(app))
    gaps = frame_with(app, "Why flagged")
    assert len(gaps) > 0
    assert set(gaps["Claimed rating (1–5)"].dropna()) <= {4, 5}
    assert "Frank Berger" in set(gaps["Rep"])
    assert len(charts(app)) >= 2


def test_discounts_page_shows_the_creep_list_by_default(app):
    open_page(app, "pages/discounts.py")
    assert "Accounts with discount creep" in metric_labels(app)
    assert app.multiselect(key="discount_accounts").value  # the creep list is preselected
    assert len(charts(app)) >= 1
    slopes = frame_with(app, "Trend")
    assert "Trend" in slopes.columns


def test_the_sidebar_window_and_rep_follow_to_other_pages(app):
    app.segmented_control(key="sidebar_months").set_value(6).run()
    app.selectbox(key="sidebar_rep").set_value("R05").run()
    open_page(app, "pages/time_vs_potential.py")
    assert any(t.value == "Jonas Weber" for t in app.text)
    assert any("6 months to 30 Sep 2026" in c.value for c in app.caption)
    assert app.segmented_control(key="sidebar_months").value == 6


@pytest.mark.parametrize("page", PAGES[1:])
def test_a_smaller_window_is_respected_by_every_page(app, page):
    open_page(app, page, sidebar_months=6)
    shown = texts(app) + [c.value for c in app.caption]
    assert any("6 months to 30 Sep 2026" in t for t in shown)


def test_every_page_goes_through_the_entry_point_first() -> None:
    """A direct page URL on a fresh server runs the page's script without app.py; the page's
    first call into Streamlit must be ``lifetime.require_entrypoint()`` (docs/app.md)."""
    import ast
    from pathlib import Path

    pages = sorted((Path(__file__).resolve().parents[2] / "pages").glob("*.py"))
    assert pages
    for path in pages:
        nodes = [
            node
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Call)
        ]
        nodes.sort(key=lambda n: (n.lineno, n.col_offset))  # ast.walk is breadth first
        calls = [ast.unparse(node.func) for node in nodes]
        first = min(
            (
                i
                for i, c in enumerate(calls)
                if c.startswith(("st.", "lifetime.", "session.", "widgets."))
            ),
            default=None,
        )
        assert first is not None and calls[first] == "lifetime.require_entrypoint", path.name
