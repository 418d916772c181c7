"""One money at stake (issue 14): the Team page, the sheet model and the JSON show the same
figure for every sample rep, and the sheet's prompts never add up to more."""

from __future__ import annotations

from apptest_helpers import open_page

from reltruth import coaching, metrics


def test_team_page_sheet_and_json_agree_for_every_rep(sample_workspace, make_app) -> None:
    app = open_page(make_app(), "pages/team.py")
    table = app.dataframe(key="team_table").value
    money_col = next(c for c in table.columns if c.startswith("Money at stake"))
    on_page = dict(zip(table["Rep"], table[money_col], strict=True))

    m = metrics.compute(sample_workspace)
    data = metrics.to_json(m)
    in_json = {r["rep_name"]: r["money_at_stake"] for r in data["reps"]}
    assert set(on_page) == set(in_json) and len(in_json) == 8
    for rep in m.reps.to_dict("records"):
        name = rep["rep_name"]
        sheet = coaching.build_sheet(sample_workspace, m, rep["rep_id"])
        stat = next(s for s in sheet.scoreboard if s.key == "money_at_stake")
        assert stat.value == in_json[name]
        assert round(float(on_page[name])) == round(in_json[name])  # the page rounds to units
        assert sum(p.money_at_stake for p in sheet.prompts) <= in_json[name] + 1e-6
    # Frank's €1.82 M is the Team page's and the sheet's, not the €2.34 M his prompts claimed
    assert round(in_json["Frank Berger"], -4) == 1_820_000
