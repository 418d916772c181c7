"""Each analysis page with one input missing says what is missing and how to get it, and
never reassures ("nothing to do") where the data to judge was never loaded."""

from __future__ import annotations

from apptest_helpers import open_page, texts

REP = "R01"


def app_without(sample_workspace, make_app, *statements: str):
    with sample_workspace.transaction() as con:
        for statement in statements:
            con.execute(statement)
    return make_app()


def infos(at) -> list[str]:
    return [i.value for i in at.info]


def test_time_page_without_activities(sample_workspace, make_app):
    app = app_without(sample_workspace, make_app, "delete from activities")
    open_page(app, "pages/time_vs_potential.py", sidebar_rep=REP)
    shown = " ".join(infos(app))
    assert "no activities" in shown and "Upload activities" in shown
    assert "already follows potential" not in shown


def test_time_page_without_potentials(sample_workspace, make_app):
    app = app_without(sample_workspace, make_app, "update accounts set potential = null")
    open_page(app, "pages/time_vs_potential.py", sidebar_rep=REP)
    shown = " ".join(infos(app))
    assert "potential" in shown and "Data page" in shown
    assert "already follows potential" not in shown


def test_truth_page_without_ratings(sample_workspace, make_app):
    app = app_without(sample_workspace, make_app, "update accounts set relationship_rating = null")
    open_page(app, "pages/relationship_truth.py")
    shown = " ".join(infos(app))
    assert "no account has a relationship rating" in shown
    assert "No claim gaps:" not in shown  # no false all-clear


def test_truth_page_without_the_prior_window(sample_workspace, make_app):
    app = app_without(
        sample_workspace, make_app, "delete from orders where order_date < date '2025-10-01'"
    )
    open_page(app, "pages/relationship_truth.py")
    assert any("orders reaching back two windows" in t for t in infos(app))


def test_discounts_page_without_list_values_but_with_a_price_list(sample_workspace, make_app):
    app = app_without(
        sample_workspace,
        make_app,
        "update orders set list_amount = null",
        "insert into price_list (product, list_price) values ('NO-SUCH-SKU', 10)",
    )
    open_page(app, "pages/discounts.py")
    shown = " ".join(infos(app))
    assert "A price list is loaded" in shown
    assert "upload" not in shown.lower().split("price list is loaded")[1][:40]


def test_discounts_page_without_list_values_or_price_list(sample_workspace, make_app):
    app = app_without(sample_workspace, make_app, "update orders set list_amount = null")
    open_page(app, "pages/discounts.py")
    assert any("price list of list prices per product" in t for t in infos(app))


def test_team_and_sheet_without_orders_say_so_and_name_no_top_performer(sample_workspace, make_app):
    app = app_without(sample_workspace, make_app, "delete from orders")
    open_page(app, "pages/team.py")
    assert any("Upload orders" in t for t in texts(app))
    tiers = set(app.dataframe(key="team_table").value["Tier"])
    assert tiers == {"core"}  # nobody is a top performer on no revenue at all
    open_page(app, "pages/coaching_sheet.py", sidebar_rep=REP)
    assert any("no orders in this window" in t for t in texts(app))
