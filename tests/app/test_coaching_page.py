"""The Coaching sheet page (pages/coaching_sheet.py) in Streamlit's AppTest.

It exercises the sheet and the commitments end to end through the page's widgets (every
one has an explicit key), opened through app.py as a browser session would.
"""

from __future__ import annotations

import pytest
from apptest_helpers import APP
from streamlit.testing.v1 import AppTest

from reltruth import sample
from reltruth.coaching import commitments as cm
from reltruth.workspace import Workspace

PAGE = "pages/coaching_sheet.py"


@pytest.fixture(scope="module")
def ws():  # type: ignore[no-untyped-def]
    w = Workspace.open(memory=True)
    sample.load_canonical(w)
    yield w
    w.close()


def _app(ws: Workspace, rep: str | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.session_state["_reltruth_workspace"] = ws  # what reltruth.ui.session keeps per session
    at.run()
    if rep:
        at.session_state["sidebar_rep"] = rep
    at.switch_page(PAGE)
    return at.run()


def test_the_page_follows_the_sidebar_rep_and_toggles_self_audit(ws: Workspace) -> None:
    at = _app(ws, "R05")
    assert not at.exception
    assert at.selectbox(key="sheet_rep").value == "R05"
    assert at.header[0].value == "One-on-one coaching sheet: Jonas Weber"
    assert any("Rheinstahl Anlagenbau AG" in m.value for m in at.markdown)
    at.toggle(key="sheet_self_audit").set_value(True).run()
    assert at.header[0].value == "Self-audit: Jonas Weber"
    names = " ".join(m.value for m in at.markdown)
    for colleague in ("Sofia Romano", "Mark Ellis", "Nina Petrov", "Lena Vogt"):
        assert colleague not in names


def test_record_edit_and_delete_a_commitment(ws: Workspace) -> None:
    at = _app(ws, "R05")
    at.text_area(key="sheet_commit_new_text").input("Meet Rheinstahl's plant manager monthly")
    at.selectbox(key="sheet_commit_new_kind").set_value("hours")
    at.number_input(key="sheet_commit_new_value").set_value(20.0)
    at.button(key="sheet_commit_new_save").click().run()
    assert not at.exception and not at.error
    [c] = cm.list_for_rep(ws, "R05")
    # the account defaults to the first prompt's: Rheinstahl, the neglected €1.2 M wallet
    row = ws.con.execute(
        "select account_name from accounts where account_id = $id", {"id": c.account_id}
    ).fetchone()
    assert row == ("Rheinstahl Anlagenbau AG",)
    assert c.target_kind == "hours" and c.target_value == 20.0
    assert any("Meet Rheinstahl" in m.value and "so far" in m.value for m in at.markdown)

    at.number_input(key=f"sheet_commit_{c.commitment_id}_value").set_value(25.0)
    at.button(key=f"sheet_commit_{c.commitment_id}_save").click().run()
    assert cm.get(ws, c.commitment_id).target_value == 25.0

    at.button(key=f"sheet_commit_delete_{c.commitment_id}").click().run()
    assert cm.list_for_rep(ws, "R05") == []


def test_downloads_and_team_zip_are_offered(ws: Workspace) -> None:
    at = _app(ws, "R01")
    at.button(key="sheet_zip_prepare").click().run()
    keys = {b.key for b in at.get("download_button")}
    assert {
        "sheet_download_html",
        "sheet_download_pdf",
        "sheet_download_md",
        "sheet_zip_download",
    } <= keys
