"""The Coaching sheet page opens on the rep's history: a meeting saved with its notes and
commitments, reopened in a later session with its notes and its sheet as it was."""

from __future__ import annotations

import pytest
from apptest_helpers import sheet_page

from reltruth import sample
from reltruth.coaching import meetings, render_markdown
from reltruth.workspace import Workspace

NOTES_KEY = "sheet_notes_R05_2026-09-30"


@pytest.fixture
def ws():  # type: ignore[no-untyped-def]
    w = Workspace.open(memory=True)
    sample.load_canonical(w)
    yield w
    w.close()


def test_a_meeting_saved_then_reopened_with_its_notes_and_sheet(ws: Workspace) -> None:
    at = sheet_page(ws, "R05")
    assert not at.exception
    assert any("No meeting with this rep kept yet" in c.value for c in at.caption)
    assert at.segmented_control(key="sheet_paper").options == ["A4", "Letter"]
    at.text_area(key=NOTES_KEY).input("Jonas will call <b>Rheinstahl</b>'s plant manager.")
    at.text_area(key="sheet_commit_new_text").input("Call the plant manager")
    at.button(key="sheet_commit_new_save").click().run()
    at.button(key="sheet_meeting_save").click().run()
    assert not at.exception and not at.error
    [kept] = meetings.history(ws, "R05")
    assert kept.notes == "Jonas will call <b>Rheinstahl</b>'s plant manager."
    assert any("Kept: the meeting of 30 Sep 2026" in c.value for c in at.caption)

    # later: new data, a new session; the page opens on the last meeting
    ws.con.execute("delete from orders where order_date > date '2026-06-30'")
    at = sheet_page(ws, "R05")
    assert not at.exception
    assert at.subheader[0].value == "History"
    history = at.get("selectbox")
    assert any(s.key == "sheet_meeting_R05" for s in history)
    assert any(t.value == kept.notes for t in at.text)  # as plain text, never Markdown
    assert any("Call the plant manager" in m.value for m in at.markdown)
    assert {"sheet_meeting_download_html", "sheet_meeting_download_pdf"} <= {
        b.key for b in at.get("download_button")
    }
    at.toggle(key="sheet_meeting_show").set_value(True).run()
    assert any(m.value.strip() == render_markdown(kept.sheet).strip() for m in at.markdown)
    # the notes box of today's sheet starts from the kept notes of the same date
    assert at.text_area(key=NOTES_KEY).value == kept.notes
