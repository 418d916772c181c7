"""The Workshop page on the sample: the tour's stories match the metrics, its buttons open
the right page with the right rep in the sidebar, and the what-if is labelled an estimate."""

from __future__ import annotations

import pytest
from apptest_helpers import open_page, texts

from reltruth import metrics
from reltruth.workshop import stories
from reltruth.workspace import Workspace

PAGE = "pages/workshop.py"


@pytest.fixture
def app(sample_workspace, make_app):
    return make_app()


@pytest.fixture
def engine(sample_workspace: Workspace) -> metrics.Metrics:
    return metrics.compute(sample_workspace)


def test_the_tour_tells_the_samples_three_stories_with_the_metrics_numbers(app, engine):
    open_page(app, PAGE)
    assert app.title[0].value == "Workshop"
    shown_names = [t.value for t in app.text]
    metric_values = {m.label: m.value for m in app.metric}
    reps = engine.reps.set_index("rep_id")
    acc = engine.accounts.set_index("account_id")

    builder, top, newcomer = stories.tour(engine)
    # The relationship builder: most claim gaps; the number is that account's penetration.
    assert builder.rep_name == "Frank Berger"  # docs/sample.md's cast
    assert reps.loc[builder.rep_id, "n_claim_gap"] == reps["n_claim_gap"].max()
    gap = acc.loc[builder.account_id]
    assert gap["is_claim_gap"] and gap["rep_id"] == builder.rep_id
    assert gap["penetration"] < engine.settings.claim_gap_penetration
    assert builder.account_name == "Hansa Maschinenbau GmbH"
    assert (
        metric_values[builder.number_label]
        == f"{gap['penetration'] * 100:.0f}\u00a0%"
        == "23\u00a0%"
    )
    # The consistent top performer: top tier, the number is the alignment score.
    assert top.rep_name == "Lena Vogt"
    assert reps.loc[top.rep_id, "tier"] == "top"
    assert (
        metric_values[top.number_label]
        == f"{reps.loc[top.rep_id, 'alignment_score'] * 100:.0f}\u00a0%"
    )
    # The newcomer: most neglected potential; the number is the biggest one's allocation ratio.
    assert newcomer.rep_name == "Jonas Weber"
    assert reps.loc[newcomer.rep_id, "n_neglected_potential"] == reps["n_neglected_potential"].max()
    big = acc.loc[newcomer.account_id]
    assert big["is_neglected_potential"] and big["rep_id"] == newcomer.rep_id
    assert newcomer.account_name == "Rheinstahl Anlagenbau AG"
    assert metric_values[newcomer.number_label] == f"{big['allocation_ratio']:.2f}"
    for story in (builder, top, newcomer):
        assert story.rep_name in shown_names
    assert any("the result is the reason for the relationship" in t for t in texts(app))


@pytest.mark.parametrize(
    ("key", "rep_id", "title"),
    [
        ("relationship_builder", "R01", "Relationship truth"),
        ("top_performer", "R02", "Time vs potential"),
        ("newcomer", "R05", "Time vs potential"),
    ],
)
def test_a_tour_button_opens_the_page_and_rep_of_its_story(app, key, rep_id, title):
    open_page(app, PAGE)
    app.button(key=f"tour_open_{key}").click().run()
    assert not app.exception
    assert app.title[0].value == title
    assert app.selectbox(key="sidebar_rep").value == rep_id


def test_the_what_if_is_labelled_an_estimate_with_its_assumptions(app):
    open_page(app, PAGE, sidebar_rep="R05")
    assert not app.exception
    labels = [m.label for m in app.metric]
    assert {"Estimate, low", "Estimate, central", "Estimate, high"} <= set(labels)
    assert any("Estimate, not a measurement" in w.value for w in app.warning)
    assert any("open potential" in t for t in texts(app))
    app.number_input(key="whatif_hours").set_value(0.0).run()
    assert any("Choose a number of hours" in i.value for i in app.info)


def test_demo_mode_welcomes_a_visitor_and_one_click_starts_the_tour(monkeypatch):
    from apptest_helpers import APP, TIMEOUT
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("RELTRUTH_MODE", "demo")
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    welcome = " ".join(m.value for m in at.markdown)
    assert "private to this browser tab" in welcome
    assert "disappears when you close or reload the tab" in welcome
    at.button(key="welcome_tour").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Workshop"
    assert at.button(key="tour_open_relationship_builder")  # the sample is loaded, the tour on
    assert not any("private to this browser tab" in m.value for m in at.markdown)


def test_no_welcome_outside_demo_mode(app):
    assert not any("private to this browser tab" in m.value for m in app.markdown)


def _images(downloads: list[bytes]) -> tuple[list[bytes], list[str]]:
    pngs = [d for d in downloads if d.startswith(b"\x89PNG")]
    svgs = [d.decode("utf-8") for d in downloads if d.lstrip().startswith(b"<svg")]
    return pngs, svgs


def test_charts_export_as_slides_from_the_workshop_page_and_a_numbers_panel(app):
    from test_isolation import _capture_downloads

    from reltruth.workshop.slides import png_size

    monkeypatch = pytest.MonkeyPatch()
    try:
        downloads = _capture_downloads(monkeypatch)
        open_page(app, PAGE, sidebar_rep="R01")
        app.selectbox(key="workshop_slide_chart").set_value("time").run()
        pngs, svgs = _images(downloads)
        assert [png_size(p) for p in pngs][-1:] == [(1920, 1080)]
        svg = svgs[-1]
        assert 'width="1920" height="1080"' in svg
        assert "Frank Berger: share of time against share of potential" in svg
        assert "reltruth · sample data · 12 months to 30 Sep 2026" in svg
        downloads.clear()
        app.segmented_control(key="workshop_slide_size").set_value("1280×720").run()
        pngs, svgs = _images(downloads)
        assert [png_size(p) for p in pngs] == [(1280, 720)]
        assert 'width="1280" height="720"' in svgs[0]
        # The same from a chart's numbers panel on another page.
        downloads.clear()
        open_page(app, "pages/team.py")
        assert {"team_chart_png", "team_chart_svg"} <= {b.key for b in app.get("download_button")}
        pngs, svgs = _images(downloads)
        assert (1920, 1080) in [png_size(p) for p in pngs]
        assert any("Quota attainment, by tier" in s for s in svgs)
        assert any("12 months to 30 Sep 2026 · % of quota" in s for s in svgs)
    finally:
        monkeypatch.undo()
