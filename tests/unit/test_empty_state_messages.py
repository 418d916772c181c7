"""reltruth.empty_states: each message names what is missing, in the words in force."""

from __future__ import annotations

import pandas as pd

from reltruth import empty_states
from reltruth.settings import Settings


def test_hours_to_shift_names_the_missing_input() -> None:
    accounts = pd.DataFrame({"potential": [1.0, 2.0]})
    no_hours = empty_states.hours_to_shift(pd.Series({"hours": None}), accounts)
    assert "no activities" in no_hours
    no_potential = empty_states.hours_to_shift(
        pd.Series({"hours": 10.0}), pd.DataFrame({"potential": [1.0, None]})
    )
    assert "potential" in no_potential and "Data page" in no_potential
    fine = empty_states.hours_to_shift(pd.Series({"hours": 10.0}), accounts)
    assert fine.startswith("No hours to shift:")


def test_claim_gaps_reads_the_thresholds_in_force() -> None:
    accounts = pd.DataFrame({"relationship_rating": [5, 3], "penetration": [None, 0.1]})
    text = empty_states.claim_gaps(
        accounts, Settings(claim_gap_rating=5, claim_gap_penetration=0.4)
    )
    assert "rated 5 " in text and "40 % of its potential" in text
    assert "1 of them have no potential" in text
    assert "rated 4 or 5" in empty_states.claim_gap_rule(Settings())
    unrated = empty_states.claim_gaps(pd.DataFrame({"relationship_rating": [None]}), Settings())
    assert "no account has a relationship rating" in unrated


def test_discounts_tells_a_loaded_price_list_from_a_missing_one() -> None:
    assert "Upload order" in empty_states.discounts({"orders": 0})
    assert "A price list is loaded" in empty_states.discounts({"orders": 5, "price_list": 3})
    assert "price list of list prices" in empty_states.discounts({"orders": 5, "price_list": 0})


def test_missing_inputs_name_each_missing_input_and_where_to_get_it() -> None:
    full = pd.DataFrame({"potential": [1.0], "relationship_rating": [4], "list_amount": [10.0]})
    loaded = {"accounts": 1, "activities": 1, "orders": 1}
    assert empty_states.missing_inputs(loaded, full) == []
    bare = pd.DataFrame({"potential": [None], "relationship_rating": [None], "list_amount": [None]})
    lines = empty_states.missing_inputs({"accounts": 1}, bare)
    assert [line.split(":")[0] for line in lines] == [
        "No activities are loaded",
        "No orders are loaded",
        "No account has a potential",
        "No account has a relationship rating",
    ]  # no list-value line without orders: the orders line says it all
    assert all("Data page" in line for line in lines)
    lines = empty_states.missing_inputs(loaded, full.assign(list_amount=[None]))
    assert lines == [
        empty_states.missing_inputs({"orders": 1}, full.assign(list_amount=[None]))[-1]
    ]
    assert lines[0].startswith("No order line has a list value")
