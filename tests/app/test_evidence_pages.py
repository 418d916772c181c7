"""Issue 20's evidence where a manager looks for it: category white space and key people on
the Relationship truth page, win rates on the Team page once a deals export is loaded (the
sample has one)."""

from __future__ import annotations

from datetime import date

import pytest
from apptest_helpers import frame_with, open_page


@pytest.fixture
def app(sample_workspace, make_app):
    return make_app()


def test_white_space_and_key_people_on_the_relationship_truth_page(app):
    open_page(app, "pages/relationship_truth.py", sidebar_rep="R01")
    white = frame_with(app, "Does not buy (most peers do)")
    hansa = white[white["Account"] == "Hansa Maschinenbau GmbH"]
    # the sample's story: Hansa buys no hydraulics, which most Machinery accounts buy
    assert "Hydraulics" in str(hansa["Does not buy (most peers do)"].iloc[0])
    assert hansa.filter(like="White space").iloc[0, 0] > 0
    people = frame_with(app, "Last decision-maker contact")
    nordwerft = people[people["Account"] == "Nordwerft Industrieservice AG"]
    assert nordwerft["More than 90 days"].iloc[0] == "no contact"
    assert str(nordwerft["Last decision-maker contact"].iloc[0])[:10] == "2026-03-18"


def test_win_rates_on_the_team_page_only_with_deals(sample_workspace, make_app):
    at = make_app()
    open_page(at, "pages/team.py")
    # the sample's opportunities export: the builder closes the fewest, the top performer most
    table = at.dataframe(key="team_table").value.set_index("Rep")
    assert table.loc["Frank Berger", "Win rate"] == pytest.approx(100 * 14 / 51)
    assert table["Win rate"].idxmax() == "Lena Vogt"
    with sample_workspace.transaction() as con:  # without a deals export: no 0 %
        con.execute("delete from pipeline")
        con.execute("delete from orders where source = 'deals'")
        sample_workspace.bump_data_version()
    at = make_app()
    open_page(at, "pages/team.py")
    assert "Win rate" not in at.dataframe(key="team_table").value.columns
    with sample_workspace.transaction() as con:
        con.execute(
            "insert into pipeline (row_key, deal_id, account_id, rep_id, stage, engage_date, "
            "close_date, value) values "
            "('d1', 'd1', 'C10035', 'R01', 'won', $a, $b, 1000), "
            "('d2', 'd2', 'C10035', 'R01', 'lost', $a, $b, 3000)",
            {"a": date(2026, 1, 5), "b": date(2026, 2, 5)},
        )
        sample_workspace.bump_data_version()
    at = make_app()
    open_page(at, "pages/team.py")
    table = at.dataframe(key="team_table").value
    frank = table[table["Rep"] == "Frank Berger"].iloc[0]
    # one won, one lost: 50 % by count, 1,000 of 4,000 = 25 % by value
    assert frank["Win rate"] == pytest.approx(50.0)
    assert frank["Win rate (value)"] == pytest.approx(25.0)


def _account_id(ws, name: str) -> str:
    rows = ws.con.execute(
        "select account_id from accounts where account_name = $n", {"n": name}
    ).fetchall()
    return str(rows[0][0])


def test_the_account_page_shows_white_space_and_key_people(sample_workspace, make_app):
    at = make_app()
    at.query_params["account"] = _account_id(sample_workspace, "Hansa Maschinenbau GmbH")
    open_page(at, "pages/account.py")
    white = frame_with(at, "Category it does not buy")
    assert white["Category it does not buy"].tolist() == ["Hydraulics"]
    assert (white["Peers buying it"].iloc[0], white["Peers"].iloc[0]) == (68, 71)
    at = make_app()
    at.query_params["account"] = _account_id(sample_workspace, "Nordwerft Industrieservice AG")
    open_page(at, "pages/account.py")
    labels = {mt.label: mt.value for mt in at.metric}
    assert labels["Last decision-maker contact"] == "18 Mar 2026"
    assert any("No decision maker met for more than 90 days" in w.value for w in at.warning)
