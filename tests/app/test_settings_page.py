"""The Settings page: values shown with their defaults; a change saved on the page changes
the flags and the wording of the other pages; reset brings the defaults back."""

from __future__ import annotations

import pytest
from apptest_helpers import open_page, texts

from reltruth import settings, settings_specs
from reltruth.workspace import Workspace

PAGE = "pages/settings.py"


@pytest.fixture
def app(sample_workspace, make_app):
    return make_app()


def gap_count(app) -> int:
    open_page(app, "pages/relationship_truth.py")
    table = [df for df in app.dataframe if "Why flagged" in df.value.columns]
    return len(table[0].value) if table else 0


def test_the_page_shows_every_setting_with_its_default(app):
    open_page(app, PAGE)
    assert app.title[0].value == "Settings"
    for spec in settings_specs.SPECS:
        widget = app.get("selectbox" if spec.kind == "choice" else "number_input")
        assert any(w.key == f"setting_{spec.key}" for w in widget), spec.key
    assert "Default: 75 %" in app.number_input(key="setting_top_tier_quantile").help
    assert app.number_input(key="setting_top_tier_quantile").value == 75


def test_a_saved_setting_changes_the_flags_and_the_words(app, workspace_path):
    before = gap_count(app)
    assert any("rated 4 or 5" in t for t in texts(app))
    open_page(app, PAGE)
    app.number_input(key="setting_claim_gap_rating").set_value(5)
    app.number_input(key="setting_top_tier_quantile").set_value(90)
    app.button(key="settings_save").click().run()
    assert not app.exception
    assert any("Saved" in s.value for s in app.success)
    assert any("Changed from the default" in c.value for c in app.caption)
    after = gap_count(app)
    words = texts(app)
    assert any("rated 5," in t for t in words)
    assert not any("rated 4 or 5" in t for t in words)
    assert after < before  # only the accounts rated 5 can be claim gaps now
    open_page(app, "pages/team.py")
    assert any("top decile" in c.value for c in app.caption)
    ws = Workspace.open(workspace_path)
    try:
        s = settings.load(ws.con)
    finally:
        ws.close()
    assert (s.claim_gap_rating, s.top_tier_quantile) == (5, 0.9)


def test_a_bad_combination_is_refused_in_one_line(app):
    open_page(app, PAGE)
    app.number_input(key="setting_marginal_tier_quantile").set_value(80)
    app.button(key="settings_save").click().run()
    assert not app.exception
    assert "marginal_tier_quantile must be below" in app.error[0].value
    assert settings.load(app.session_state["_reltruth_workspace"].con) == settings.Settings()


def test_the_tier_measure_changes_the_team_page(app):
    open_page(app, "pages/team.py")
    assert any("quota attainment" in c.value for c in app.caption)  # the sample has quotas
    assert "Quota attainment" in app.dataframe(key="team_table").value.columns
    open_page(app, PAGE)
    app.selectbox(key="setting_tier_measure").set_value("growth")
    app.button(key="settings_save").click().run()
    open_page(app, "pages/team.py")
    assert any(
        "growth against the company" in c.value and "chosen in Settings" in c.value
        for c in app.caption
    )
    assert "Growth vs company" in app.dataframe(key="team_table").value.columns


def test_reset_brings_the_defaults_back(app):
    open_page(app, PAGE)
    app.number_input(key="setting_claim_gap_rating").set_value(5)
    app.button(key="settings_save").click().run()
    app.button(key="settings_reset").click().run()
    assert not app.exception
    assert app.number_input(key="setting_claim_gap_rating").value == 4
    assert settings.load(app.session_state["_reltruth_workspace"].con) == settings.Settings()
