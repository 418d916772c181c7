"""The Account page on the sample: opened by its address (as the other pages' links open it)
or by choosing an account, with every section of the account's story."""

from __future__ import annotations

import pytest
from apptest_helpers import charts, frame_with, open_page, texts


@pytest.fixture
def app(sample_workspace, make_app):
    # Vogel Feinmechanik GmbH: Tom Brandt's claim gap and trade candidate in the sample
    (vogel,) = sample_workspace.con.execute(
        "select account_id from accounts where account_name = 'Vogel Feinmechanik GmbH'"
    ).fetchall()[0]
    at = make_app()
    at.query_params["account"] = vogel
    return at, vogel


def test_the_address_opens_the_account_with_its_story(app):
    at, vogel = app
    open_page(at, "pages/account.py")
    assert at.title[0].value == "Account"
    assert at.selectbox(key="account_pick").value == vogel
    (flags,) = [m.value for m in at.markdown if m.value.startswith("- **claim gap**")]
    lines = flags.splitlines()
    assert [line.split("**")[1] for line in lines] == ["claim gap", "trade candidate"]
    assert "penetration 49 % < 50 %" in lines[0].replace("\\", "")
    orders = frame_with(at, "Quarter from")
    assert len(orders) == 8  # eight calendar quarters to 30 Sep 2026
    assert orders["Order lines"].sum() == 552
    assert len(charts(at)) == 3  # revenue, discount, hours
    roles = frame_with(at, "Role of the person met")
    assert roles["Role of the person met"].iloc[0] == "influencer"
    assert roles["Role of the person met"].iloc[-1] == "(not recorded)"
    assert any(t.value.startswith("Owner now: Tom Brandt since 5 May 2019") for t in at.text)
    reps = frame_with(at, "Owner now")
    assert list(reps["Rep"]) == ["Tom Brandt"] and list(reps["Owner now"]) == ["owner"]


def test_choosing_another_account_moves_the_address(app):
    at, vogel = app
    open_page(at, "pages/account.py")
    pick = at.selectbox(key="account_pick")
    assert pick.options[0] == "Adler Backwaren AG"  # by name
    other = "C10207"  # Adler Backwaren AG's id
    pick.set_value(other).run()
    assert not at.exception
    assert at.query_params["account"] in ([other], other)
    assert at.selectbox(key="account_pick").value == other
    assert "Vogel Feinmechanik GmbH" not in " ".join(texts(at))
