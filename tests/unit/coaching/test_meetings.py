"""Meetings: kept per rep and date, reopened exactly as they were whatever is loaded since,
their notes in that meeting's HTML, PDF and Markdown (as text, never markup)."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader

from reltruth import metrics, sample
from reltruth.coaching import build_sheet, commitments, meetings, render
from reltruth.errors import UserError
from reltruth.workspace import Workspace

MET = date(2026, 9, 30)
NOTES = 'Frank agreed to see <b>Rheinstahl</b> monthly.\n=HYPERLINK("x")\n\nAsk about the tender.'


@pytest.fixture
def ws():  # type: ignore[no-untyped-def]
    w = Workspace.open(memory=True)
    sample.load_canonical(w)
    yield w
    w.close()


def _sheet(ws: Workspace, rep: str = "R05"):  # type: ignore[no-untyped-def]
    m = metrics.compute(ws, metrics.resolve_window(ws))
    return build_sheet(ws, m, rep)


def test_a_kept_meeting_reopens_exactly_after_new_data(ws: Workspace) -> None:
    sheet = _sheet(ws)
    meetings.save(ws, sheet, met_on=MET, window_months=12, notes=NOTES)
    ws.con.execute("delete from orders where order_date > date '2026-06-30'")
    today = _sheet(ws)
    assert today.scoreboard != sheet.scoreboard  # the data did change
    kept = meetings.get(ws, "R05", MET)
    assert kept.sheet == replace(sheet, meeting_notes=NOTES.strip())
    assert kept.notes == NOTES.strip() and kept.as_of == sheet.as_of
    assert kept.window_months == 12
    for fmt in ("html", "md"):
        assert render(kept.sheet, fmt) == render(replace(sheet, meeting_notes=NOTES.strip()), fmt)


def test_notes_go_into_the_downloads_as_text(ws: Workspace) -> None:
    kept = meetings.save(ws, _sheet(ws), met_on=MET, window_months=12, notes=NOTES)
    html = render(kept.sheet, "html").decode()
    assert "&lt;b&gt;Rheinstahl&lt;/b&gt;" in html and "<b>Rheinstahl" not in html
    md = render(kept.sheet, "md").decode()
    assert "\\<b\\>Rheinstahl\\</b\\>" in md and "Ask about the tender." in md
    assert md.index("## Notes") < md.index("Ask about the tender.")
    pdf = render(kept.sheet, "pdf")
    text = " ".join(
        " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages).split()
    )
    assert "Frank agreed to see <b>Rheinstahl</b> monthly." in text
    # a sheet without kept notes is the sheet as before: an empty box
    assert "Ask about" not in render(_sheet(ws), "md").decode()


def test_history_is_latest_first_and_a_second_save_that_day_replaces(ws: Workspace) -> None:
    sheet = _sheet(ws)
    meetings.save(ws, sheet, met_on=date(2026, 6, 30), window_months=12, notes="first")
    meetings.save(ws, sheet, met_on=MET, window_months=12, notes="second")
    meetings.save(ws, sheet, met_on=MET, window_months=6, notes="second, corrected")
    past = meetings.history(ws, "R05")
    assert [(k.met_on, k.notes, k.window_months) for k in past] == [
        (MET, "second, corrected", 6),
        (date(2026, 6, 30), "first", 12),
    ]
    assert meetings.history(ws, "R01") == []
    meetings.save_notes(ws, "R05", MET, "  only the notes  ")
    assert meetings.get(ws, "R05", MET).notes == "only the notes"
    meetings.delete(ws, "R05", MET)
    with pytest.raises(UserError, match="No meeting with this rep"):
        meetings.get(ws, "R05", MET)


def test_the_commitments_agreed_at_a_meeting(ws: Workspace) -> None:
    kept = meetings.save(ws, _sheet(ws), met_on=MET, window_months=12)
    commitments.add(ws, "R05", "Call the plant manager", agreed_on=MET)
    commitments.add(ws, "R05", "Earlier promise", agreed_on=date(2026, 3, 31))
    assert [c.text for c in meetings.agreed_at(ws, kept)] == ["Call the plant manager"]


def test_overlong_notes_are_refused_and_nothing_is_kept(ws: Workspace) -> None:
    with pytest.raises(UserError, match="keep them under"):
        meetings.save(ws, _sheet(ws), met_on=MET, window_months=12, notes="x" * 20_001)
    assert meetings.history(ws, "R05") == []


def test_a_stored_sheet_of_an_older_version_still_reads() -> None:
    from reltruth.coaching.model import Sheet

    data = {f: None for f in Sheet.__dataclass_fields__ if f not in ("meeting_notes", "notes")}
    data.update(
        rep_id="R1",
        as_of="2026-09-30",
        scoreboard=[],
        prompts=[],
        commitments=[],
        chart=[],
        actions={},
        advice=[],
        self_audit=False,
        blank_commitment_lines=3,
        a_field_from_the_future=1,
    )
    sheet = meetings.sheet_from_dict(data)
    assert sheet.as_of == date(2026, 9, 30) and sheet.notes == () and sheet.meeting_notes == ""
