"""Rep and account names containing HTML or spreadsheet formulas show as plain text."""

from __future__ import annotations

import re

import pytest
from apptest_helpers import PAGES, open_page, texts

NASTY = {
    "R01": "<b>x</b>",
    "R02": "<script>alert(1)</script>",
    "R03": '=HYPERLINK("http://evil","x")',
}


@pytest.fixture
def app(sample_workspace, make_app):
    with sample_workspace.transaction() as con:
        for rep_id, name in NASTY.items():
            con.execute(
                "update reps set rep_name = $n where rep_id = $id", {"n": name, "id": rep_id}
            )
        con.execute(
            "update accounts set account_name = '<img src=x onerror=alert(1)>' "
            "where account_id = (select min(account_id) from accounts where owner_rep_id = 'R01')"
        )
    return make_app()


# A tag that reaches Markdown unescaped (an escaped one reads "\\<b\\>" and shows as text).
UNESCAPED_TAG = re.compile(r"(?<!\\)<\s*(b|script|img)\b", re.IGNORECASE)


@pytest.mark.parametrize("page", PAGES)
def test_no_page_renders_crm_text_as_markup(app, page):
    open_page(app, page, sidebar_rep="R02")
    for text in texts(app):
        assert not UNESCAPED_TAG.search(text), f"{page} renders {text!r} through Markdown"


def test_the_names_show_as_typed_in_tables_and_pickers(app):
    assert set(NASTY.values()) <= set(app.selectbox(key="sidebar_rep").options)
    open_page(app, "pages/team.py")
    shown = set(app.dataframe(key="team_table").value["Rep"])
    assert set(NASTY.values()) <= shown
    open_page(app, "pages/time_vs_potential.py", sidebar_rep="R02")
    assert any(t.value == NASTY["R02"] for t in app.text)
