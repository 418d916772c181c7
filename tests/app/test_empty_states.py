"""An empty workspace: every page says what to upload and offers the sample, none breaks."""

from __future__ import annotations

import pytest
from apptest_helpers import ANALYSIS_PAGES, open_page


@pytest.fixture
def app(empty_workspace, make_app):
    return make_app()


def test_first_visit_explains_what_to_upload_and_offers_the_sample(app):
    assert not app.exception
    assert app.title[0].value == "Data"
    intro = app.info[0].value
    assert "Upload your CRM and ERP exports" in intro
    assert intro.count(". ") + intro.endswith(".") == 2  # two sentences
    assert app.button(key="data_load_sample_first").label == "Load the sample data"
    assert app.file_uploader(key="data_upload").accept_multiple_files


@pytest.mark.parametrize("page", ANALYSIS_PAGES)
def test_analysis_pages_stop_with_a_friendly_note(app, page):
    open_page(app, page)
    assert "needs data" in app.info[0].value
    assert app.button(key="empty_load_sample").label == "Load the sample data"
    assert not app.get("vega_lite_chart")


def test_the_sample_button_loads_the_sample(app):
    open_page(app, "pages/team.py")
    app.button(key="empty_load_sample").click().run()
    assert not app.exception
    assert app.title[0].value == "Team"
    assert len(app.dataframe(key="team_table").value) == 8
