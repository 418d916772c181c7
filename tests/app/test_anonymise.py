"""Anonymise on: every page, every download (CSV, Excel, the sheet as HTML / Markdown / PDF
and the team ZIP) shows aliases only, never a real rep, manager or account name, and no real
(unscaled) revenue or quota; the same name has the same alias everywhere and in a new session;
the real workspace is untouched."""

from __future__ import annotations

import html
import io
import re
import zipfile

import pytest
from apptest_helpers import PAGES, open_page, texts
from pypdf import PdfReader
from test_isolation import _capture_downloads, _everything_shown

from reltruth import metrics
from reltruth.workshop import anonymise
from reltruth.workspace import Workspace

PAGE = "pages/workshop.py"


def _turn_on(at) -> None:
    open_page(at, PAGE)
    at.toggle(key="workshop_anonymise").set_value(True).run()
    assert not at.exception, at.exception


def _readable(blob: bytes) -> str:
    """A download as text: ZIPs (the team's sheets, Excel files) member by member, PDFs
    through a reader, the rest decoded (XML entities undone)."""
    if blob.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(blob)) as zf:
            return "\n".join(_readable(zf.read(n)) for n in zf.namelist())
    if blob.startswith(b"%PDF"):
        return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(blob)).pages)
    return html.unescape(blob.decode("utf-8", "replace"))


def _real_names(ws: Workspace) -> set[str]:
    rows = ws.con.execute(
        "select rep_name from reps union select manager from reps "
        "union select account_name from accounts"
    ).fetchall()
    return {str(r[0]) for r in rows if r[0]}


def _real_amounts(ws: Workspace) -> set[str]:
    """Each rep's revenue and quota as a page, sheet or CSV would write them."""
    m = metrics.compute(ws)
    out: set[str] = set()
    for value in [*m.reps["revenue"], *m.reps["quota"], m.company_revenue]:
        whole = round(float(value))
        out |= {f"{whole:,}", f"{whole}", f"{whole:,}".replace(",", ".")}
    return out


@pytest.mark.slow
def test_nothing_real_on_any_page_download_or_sheet(sample_workspace, make_app):
    real_names = _real_names(sample_workspace)
    real_amounts = _real_amounts(sample_workspace)
    aliases = anonymise.aliases(sample_workspace)
    frank = aliases.real_names["Frank Berger"]
    frank_id = aliases.rep_ids["R01"]
    monkeypatch = pytest.MonkeyPatch()
    try:
        downloads = _capture_downloads(monkeypatch)
        at = make_app()
        _turn_on(at)
        assert any("Anonymised for projecting" in w.value for w in at.warning)
        seen: dict[str, str] = {}
        for page in (*PAGES, PAGE):
            downloads.clear()
            open_page(at, page, sidebar_rep=frank_id)
            if page == "pages/coaching_sheet.py":  # the team ZIP of every rep's sheet too
                at.button(key="sheet_zip_prepare").click().run()
                assert not at.exception, at.exception
            shown = _everything_shown(at).decode("utf-8", "replace")
            offered = [_readable(d) for d in downloads]
            seen[page] = "\n".join([shown, *texts(at), *offered])
            if page != "pages/data.py":
                assert offered, f"{page}: no download captured"
    finally:
        monkeypatch.undo()
    everything = "\n".join(seen.values())
    for name in real_names:
        assert name not in everything, f"a real name is shown: {name!r}"
    for amount in real_amounts:
        assert not re.search(rf"(?<![\d.,]){re.escape(amount)}(?![\d])", everything), amount
    # The same alias for the same rep on every page about them, downloads included.
    for page in ("pages/team.py", "pages/time_vs_potential.py", "pages/coaching_sheet.py", PAGE):
        assert frank in seen[page], f"{page} does not show Frank's alias {frank!r}"
    sheet_downloads = seen["pages/coaching_sheet.py"]
    assert sheet_downloads.count(frank) >= 3  # page, HTML, Markdown, PDF


def test_the_aliases_are_the_same_in_a_new_session_and_the_real_data_is_untouched(
    sample_workspace, make_app
):
    before = sample_workspace.con.execute("select rep_id, rep_name from reps order by 1").fetchall()
    names = []
    for _ in range(2):
        at = make_app()
        _turn_on(at)
        open_page(at, "pages/team.py")
        names.append(list(at.dataframe(key="team_table").value["Rep"]))
    assert names[0] == names[1]
    assert "Frank Berger" not in names[0]
    after = sample_workspace.con.execute("select rep_id, rep_name from reps order by 1").fetchall()
    assert before == after


def test_turning_it_off_shows_the_real_names_again(sample_workspace, make_app):
    at = make_app()
    _turn_on(at)
    open_page(at, "pages/data.py")
    assert any("Anonymise is on" in i.value for i in at.info)
    open_page(at, PAGE)
    at.toggle(key="workshop_anonymise").set_value(False).run()
    assert not any("Anonymised for projecting" in w.value for w in at.warning)
    open_page(at, "pages/team.py")
    assert "Frank Berger" in list(at.dataframe(key="team_table").value["Rep"])
