"""What a manager may change in the settings, and each change read, checked and stored by key.

Why a module of its own: ``SPECS`` is the one list of the settings a manager may change
(label, unit, bounds); the Settings page and ``reltruth settings get|set|reset`` are both
drawn from it, so a value typed on the page and one typed in the terminal are parsed and
refused alike. The values themselves and their storage are ``settings.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import duckdb

from reltruth.errors import UserError
from reltruth.settings import DEFAULT_DURATIONS, Settings, load, pct_words, save

TIER_MEASURES = ("auto", "growth", "quota_attainment")
DURATION_PREFIX = "duration."


@dataclass(frozen=True)
class Spec:
    """What a manager may change: how it is named, typed and bounded."""

    key: str
    label: str
    group: str
    kind: str  # int | float | fraction | choice | minutes
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    help: str = ""


SPECS: tuple[Spec, ...] = (
    Spec("window_months", "Window (months)", "Window", "choice", choices=("3", "6", "12")),
    Spec(
        "min_window_coverage",
        "A window the data cover less than this is partial",
        "Window",
        "fraction",
        0.5,
        1.0,
        help="Growth against a partial window is not computed (the reason is shown).",
    ),
    Spec(
        "tier_measure",
        "Tier measure",
        "Tiers",
        "choice",
        choices=TIER_MEASURES,
        help="auto: quota attainment where every rep of the team has a quota, else growth "
        "against the company.",
    ),
    Spec(
        "top_tier_quantile",
        "Top performer: quantile of the team, this and the prior window",
        "Tiers",
        "fraction",
        0.5,
        0.99,
    ),
    Spec(
        "marginal_tier_quantile",
        "Marginal performer: below this quantile of the team",
        "Tiers",
        "fraction",
        0.01,
        0.9,
    ),
    Spec(
        "trap_allocation_ratio",
        "Relationship trap: allocation ratio at least",
        "Flags",
        "float",
        1.0,
        10.0,
    ),
    Spec(
        "neglect_allocation_ratio",
        "Neglected potential: allocation ratio at most",
        "Flags",
        "float",
        0.0,
        1.0,
    ),
    Spec(
        "neglect_potential_quantile",
        "Neglected potential: potential at least this quantile of the book",
        "Flags",
        "fraction",
        0.5,
        0.99,
    ),
    Spec(
        "demote_potential_quantile",
        "Demote: potential at most this quantile of the book",
        "Flags",
        "fraction",
        0.01,
        0.5,
    ),
    Spec("claim_gap_rating", "Claim gap: relationship rated at least (of 5)", "Flags", "int", 1, 5),
    Spec(
        "claim_gap_penetration",
        "Claim gap: penetration below",
        "Flags",
        "fraction",
        0.01,
        1.0,
    ),
    Spec(
        "creep_slope_pp_per_year",
        "Discount creep: trend at least (pp per year)",
        "Flags",
        "float",
        0.0,
        50.0,
    ),
    Spec("creep_quarters", "Discount trend over the last N quarters", "Flags", "int", 2, 8),
    Spec("creep_min_quarters", "Discount trend needs at least N quarters", "Flags", "int", 2, 8),
    Spec(
        "trade_min_tenure_years",
        "Trade candidate: owner has held it at least (years)",
        "Flags",
        "float",
        0.0,
        20.0,
    ),
    Spec("trade_max_receivers", "Trade candidate: receivers proposed", "Flags", "int", 1, 5),
    Spec(
        "excess_discount_quantile",
        "Discount prompt: rep's excess discount at least this quantile of the reps",
        "Flags",
        "fraction",
        0.5,
        0.99,
    ),
    Spec(
        "white_space_peer_share",
        "Category white space: a category most peers buy = bought by at least this share",
        "Evidence",
        "fraction",
        0.1,
        1.0,
        help="Peers: the other accounts of the segment that bought in the window.",
    ),
    Spec(
        "white_space_min_peers",
        "Category white space: fewest peers in a segment (else the whole company)",
        "Evidence",
        "int",
        1,
        1000,
    ),
    Spec(
        "key_people_potential_quantile",
        "Key people: high-potential accounts = at least this quantile of the book",
        "Evidence",
        "fraction",
        0.5,
        0.99,
    ),
    Spec(
        "key_people_max_days",
        "Key people: prompt after this many days without decision-maker contact",
        "Evidence",
        "int",
        7,
        730,
        help="Only for high-potential accounts, and only where activities carry contact roles.",
    ),
    *(
        Spec(
            DURATION_PREFIX + kind,
            f"Default duration: {kind} (minutes)",
            "Default durations",
            "minutes",
            0.0,
            24 * 60.0,
            help="Used where an activity has no duration of its own (marked estimated).",
        )
        for kind in DEFAULT_DURATIONS
    ),
)
SPEC_BY_KEY = {s.key: s for s in SPECS}


# ---------------------------------------------------------------------------------------
# Reading, checking and changing one setting by its key (the page and the CLI)


def value_of(settings: Settings, key: str) -> Any:
    spec = _spec(key)
    if spec.key.startswith(DURATION_PREFIX):
        return settings.default_durations.get(spec.key.removeprefix(DURATION_PREFIX))
    return getattr(settings, spec.key)


def text_of(key: str, value: Any) -> str:
    """A value as the CLI prints it and accepts it back."""
    spec = _spec(key)
    if spec.kind == "fraction":
        return f"{float(value):g}"
    if spec.kind in ("float", "minutes"):
        return f"{float(value):g}"
    return str(value)


def parse(key: str, text: str | float | int) -> Any:
    """``text`` as the setting's type, within its bounds; a one-line UserError otherwise.

    Fractions are accepted as 0.75 or 75 % (a bare number above 1 is read as per cent)."""
    spec = _spec(key)
    raw = str(text).strip()
    if spec.kind == "choice":
        if raw not in spec.choices:
            raise UserError(f"{key} is one of {', '.join(spec.choices)} (not {raw!r}).")
        return int(raw) if key == "window_months" else raw
    percent = raw.endswith("%")
    number_text = raw.rstrip("%").strip().replace(",", ".")
    try:
        number = float(number_text)
    except ValueError:
        raise UserError(f"{key} takes a number (not {raw!r}).") from None
    if not math.isfinite(number):
        raise UserError(f"{key} takes a finite number (not {raw!r}).")
    if spec.kind == "fraction" and (percent or number > 1):
        number = number / 100
    if spec.kind == "int":
        if number != int(number):
            raise UserError(f"{key} takes a whole number (not {raw!r}).")
        number = int(number)
    low, high = spec.low, spec.high
    if (low is not None and number < low) or (high is not None and number > high):
        raise UserError(f"{key} must be between {low:g} and {high:g} (not {raw}).")
    return number


def with_value(settings: Settings, key: str, value: Any) -> Settings:
    """``settings`` with one setting changed (checked against the others it depends on)."""
    return checked(_with(settings, key, value))


def _with(settings: Settings, key: str, value: Any) -> Settings:
    spec = _spec(key)
    if spec.key.startswith(DURATION_PREFIX):
        durations = {**settings.default_durations, spec.key.removeprefix(DURATION_PREFIX): value}
        return replace(settings, default_durations=durations)
    return replace(settings, **{spec.key: value})


def checked(changed: Settings) -> Settings:
    """``changed`` when its settings agree with each other; a one-line UserError if not."""
    if changed.creep_min_quarters > changed.creep_quarters:
        raise UserError(
            "creep_min_quarters cannot exceed creep_quarters "
            f"({changed.creep_min_quarters} > {changed.creep_quarters})."
        )
    if changed.marginal_tier_quantile >= changed.top_tier_quantile:
        raise UserError("marginal_tier_quantile must be below top_tier_quantile.")
    return changed


def set_value(con: duckdb.DuckDBPyConnection, key: str, text: str | float | int) -> Settings:
    """Parse, check and store one setting; returns the settings now in force."""
    changed = with_value(load(con), key, parse(key, text))
    save(con, changed)
    return changed


def reset(con: duckdb.DuckDBPyConnection, key: str | None = None) -> Settings:
    """Back to the default: one setting, or every one when ``key`` is None."""
    if key is None:
        con.execute("delete from settings")
        return load(con)
    default = value_of(Settings(), key)
    changed = with_value(load(con), key, default)
    save(con, changed)
    return changed


def is_default(settings: Settings, key: str) -> bool:
    return bool(value_of(settings, key) == value_of(Settings(), key))


def form_value(settings: Settings, key: str) -> Any:
    """The value as the Settings page edits it: fractions in per cent (75, not 0.75)."""
    value = value_of(settings, key)
    if _spec(key).kind == "fraction":
        return round(float(value) * 100, 4)
    return str(value) if _spec(key).kind == "choice" else value


def from_form(settings: Settings, values: dict[str, Any]) -> Settings:
    """``settings`` with the page's edited values (per cent for fractions), each checked;
    the first bad value raises a one-line UserError naming the setting."""
    changed = settings
    for key, value in values.items():
        text = f"{value}%" if _spec(key).kind == "fraction" else value
        parsed = parse(key, text)
        if parsed != value_of(changed, key):
            changed = _with(changed, key, parsed)
    return checked(changed)


def changed_keys(settings: Settings) -> list[str]:
    """The settings that differ from their default."""
    return [s.key for s in SPECS if not is_default(settings, s.key)]


def _spec(key: str) -> Spec:
    spec = SPEC_BY_KEY.get(key)
    if spec is None:
        raise UserError(f"There is no setting {key!r}; `reltruth settings get` lists them.")
    return spec


def describe_value(key: str, value: Any) -> str:
    """A value for a person: fractions as per cent, minutes with their unit."""
    spec = _spec(key)
    if spec.kind == "fraction":
        return pct_words(float(value))
    if spec.kind == "minutes":
        return f"{float(value):g} min"
    return str(value)
