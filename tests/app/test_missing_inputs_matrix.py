"""Every analysis page with each of its inputs missing, one at a time, on the sample: the
page names what is missing and how to get it, and never gives an all-clear that the data
could not support ("nothing to do", "time already follows potential", "no claim gaps")."""

from __future__ import annotations

import pytest
from apptest_helpers import open_page, texts

REP = "R01"
VOGEL = "Vogel Feinmechanik GmbH"  # an account of R01 with orders, hours, rating, potential

# input -> (statements that remove it, words that name it on the page)
MISSING = {
    "activities": (("delete from activities",), "activities"),
    "ratings": (("update accounts set relationship_rating = null",), "rating"),
    "list values": (
        ("update orders set list_amount = null", "delete from price_list"),
        "list",
    ),
    "potential": (("update accounts set potential = null",), "potential"),
    "orders": (("delete from orders",), "order"),
}
# the inputs each page's figures need
PAGES = {
    "pages/team.py": ("activities", "potential", "orders"),
    "pages/time_vs_potential.py": ("activities", "potential"),
    "pages/relationship_truth.py": ("ratings", "potential", "orders"),
    "pages/discounts.py": ("list values", "orders"),
    "pages/account.py": ("activities", "list values", "potential", "orders"),
    "pages/coaching_sheet.py": ("activities", "ratings", "potential", "orders"),
}
FALSE_ALL_CLEAR = (
    "nothing to do",
    "already follows potential",
    "no claim gaps:",
    "no hours to shift:",
    "no discount creep:",
)
HOW = ("data page", "upload", "load ")


CASES = [(page, missing) for page, inputs in PAGES.items() for missing in inputs]


@pytest.mark.parametrize(("page", "missing"), CASES, ids=[f"{p[6:-3]}-{m}" for p, m in CASES])
def test_the_page_says_what_is_missing_and_how_to_get_it(
    sample_workspace, make_app, page: str, missing: str
) -> None:
    statements, word = MISSING[missing]
    vogel = sample_workspace.con.execute(
        "select account_id from accounts where account_name = $n", {"n": VOGEL}
    ).fetchall()[0][0]
    with sample_workspace.transaction() as con:
        for statement in statements:
            con.execute(statement)
    app = make_app()
    app.query_params["account"] = vogel
    open_page(app, page, sidebar_rep=REP)
    shown = [t for t in texts(app) + [i.value for i in app.info]]
    lowered = [t.lower() for t in shown]
    for phrase in FALSE_ALL_CLEAR:
        assert not any(phrase in t for t in lowered), f"{page} without {missing}: {phrase!r}"
    told = [t for t in lowered if word in t and any(h in t for h in HOW)]
    assert told, f"{page} without {missing} does not say so: {shown}"
