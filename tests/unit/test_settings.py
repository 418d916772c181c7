"""reltruth.settings and settings_specs: parsing and bounds, set / reset in the workspace,
the words in force."""

from __future__ import annotations

import pytest

from reltruth import settings, settings_specs
from reltruth.errors import UserError
from reltruth.settings import Settings
from reltruth.workspace import Workspace


@pytest.mark.parametrize(
    ("key", "text", "expected"),
    [
        ("top_tier_quantile", "0.8", 0.8),
        ("top_tier_quantile", "80%", 0.8),
        ("top_tier_quantile", "80 %", 0.8),
        ("top_tier_quantile", "80", 0.8),  # a bare number above 1 is per cent
        ("claim_gap_penetration", "0,4", 0.4),
        ("claim_gap_rating", "5", 5),
        ("window_months", "6", 6),
        ("tier_measure", "quota_attainment", "quota_attainment"),
        ("duration.visit", "90", 90.0),
    ],
)
def test_parse_accepts_the_ways_a_person_types_a_value(key, text, expected) -> None:
    assert settings_specs.parse(key, text) == expected


@pytest.mark.parametrize(
    ("key", "text", "message"),
    [
        ("claim_gap_rating", "7", "between 1 and 5"),
        ("claim_gap_rating", "4.5", "whole number"),
        ("trap_allocation_ratio", "lots", "takes a number"),
        ("trap_allocation_ratio", "nan", "finite"),
        ("tier_measure", "revenue", "one of auto, growth, quota_attainment"),
        ("window_months", "5", "one of 3, 6, 12"),
        ("no_such_setting", "1", "no setting 'no_such_setting'"),
    ],
)
def test_parse_rejects_with_one_line_naming_the_setting(key, text, message) -> None:
    with pytest.raises(UserError, match=message):
        settings_specs.parse(key, text)


def test_settings_that_depend_on_each_other_are_checked_together() -> None:
    with pytest.raises(UserError, match="creep_min_quarters cannot exceed creep_quarters"):
        settings_specs.with_value(Settings(), "creep_quarters", 3)
    with pytest.raises(UserError, match="marginal_tier_quantile must be below"):
        settings_specs.with_value(Settings(), "marginal_tier_quantile", 0.8)
    # both at once from the page: each alone would fail against the old values
    both = settings_specs.from_form(
        Settings(), {"marginal_tier_quantile": 80, "top_tier_quantile": 90}
    )
    assert (both.marginal_tier_quantile, both.top_tier_quantile) == (0.8, 0.9)


def test_set_get_and_reset_in_the_workspace(empty_workspace: Workspace) -> None:
    con = empty_workspace.con
    assert settings.load(con) == Settings()
    settings_specs.set_value(con, "claim_gap_rating", "5")
    settings_specs.set_value(con, "duration.call", "20")
    settings_specs.set_value(con, "tier_measure", "growth")
    now = settings.load(con)
    assert now.claim_gap_rating == 5 and now.tier_measure == "growth"
    assert now.default_durations == {**settings.DEFAULT_DURATIONS, "call": 20.0}
    assert settings_specs.changed_keys(now) == ["tier_measure", "claim_gap_rating", "duration.call"]
    settings_specs.reset(con, "duration.call")
    assert settings.load(con).default_durations == settings.DEFAULT_DURATIONS
    assert settings.load(con).claim_gap_rating == 5
    settings_specs.reset(con)
    assert settings.load(con) == Settings()


def test_a_rejected_value_changes_nothing(empty_workspace: Workspace) -> None:
    con = empty_workspace.con
    settings_specs.set_value(con, "trap_allocation_ratio", "2")
    with pytest.raises(UserError):
        settings_specs.set_value(con, "trap_allocation_ratio", "-1")
    assert settings.load(con).trap_allocation_ratio == 2.0


def test_every_setting_of_the_dataclass_can_be_changed() -> None:
    keys = {s.key for s in settings_specs.SPECS}
    plain = {f for f in Settings.__dataclass_fields__ if f != "default_durations"}
    assert plain <= keys
    assert {f"duration.{k}" for k in settings.DEFAULT_DURATIONS} <= keys


@pytest.mark.parametrize(
    ("quantile", "top", "bottom"),
    [
        (0.75, "top quartile", "bottom 75 %"),
        (0.5, "top half", "bottom half"),
        (0.25, "top 75 %", "bottom quartile"),
        (0.9, "top decile", "bottom 90 %"),
        (0.8, "top fifth", "bottom 80 %"),
        (0.7, "top 30 %", "bottom 70 %"),
    ],
)
def test_quantiles_in_words(quantile, top, bottom) -> None:
    assert settings.top_words(quantile) == top
    assert settings.bottom_words(quantile) == bottom


def test_plain_words_for_the_sheet_and_other_wording() -> None:
    assert settings.top_words(0.75, plain=True) == "top quarter"
    assert settings.rating_words(4) == "rated 4 or 5"
    assert settings.rating_words(3) == "rated 3 to 5"
    assert settings.rating_words(5) == "rated 5"
    assert settings.fraction_words(0.5) == "half"
    assert settings.fraction_words(0.4) == "40 %"
    assert settings.number_words(8) == "eight"
