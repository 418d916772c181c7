"""prompts.toml: every placeholder a trainer can use is one the sheet fills."""

from __future__ import annotations

import pytest
from coaching_helpers import inputs

from reltruth.coaching.templates import fill, placeholders, strings, templates
from reltruth.coaching.values import account_values, rep_values
from reltruth.errors import UserError


def _known_names() -> set[str]:
    inp = inputs()
    common = rep_values(inp)
    acc = account_values(inp, inp.accounts.to_dict("records")[0], common)
    extra = {
        # filled by their own sections
        "flags",
        "n",
        "share",
        "misallocated_hours",
        "top_potential",
        "key_people",
        "top_time",
        "top_time_share",
        "top_time_potential_share",
        "demote_list",
        "accounts",
        "hours_per_month",
        "from_account",
        "to_account",
        "value",
        "account",
        "due",
        "target",
        "measured",
        "text",
        "since",
        "pace",
        # the excess-discount prompt, the estimate line, the trade lines
        "rep_excess",
        "threshold",
        "n_accounts",
        "excess_accounts",
        "top_account",
        "rule",
        "why",
        "now",
        "after",
    }
    return set(common) | set(acc) | extra


def test_every_placeholder_is_known() -> None:
    known = _known_names()
    unknown = {
        name for text in strings(templates()) for name in placeholders(text) if name not in known
    }
    assert unknown == set()


def test_every_flag_has_the_parts_of_a_prompt() -> None:
    t = templates()
    for flag in t["order"]["flags"]:
        for part in ("title", "evidence", "question", "follow_up", "action"):
            assert t["flags"][flag][part], (flag, part)
        assert flag in t["flag_names"]


def test_a_typo_in_a_placeholder_is_a_clear_error() -> None:
    with pytest.raises(UserError, match="acount"):
        fill("Why is {acount} not buying?", {"account": "Northwind"})


def test_values_are_inserted_verbatim() -> None:
    assert fill("Hello {account}", {"account": "{rep} {0}"}) == "Hello {rep} {0}"


def test_the_seeds_central_question_is_on_the_sheet() -> None:
    # "If your relationships are so great, why aren't they buying everything from you?"
    q = templates()["flags"]["claim_gap"]["question"]
    assert "Why are they buying only" in q and "{penetration}" in q


def test_a_name_ending_in_a_dot_gets_no_second_dot() -> None:
    assert (
        fill("Move 2 h to {to}.", {"to": "Jung Feinmechanik e.K."})
        == "Move 2 h to Jung Feinmechanik e.K."
    )
    assert fill("Move 2 h to {to}.", {"to": "Contoso"}) == "Move 2 h to Contoso."
