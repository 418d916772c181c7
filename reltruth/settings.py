"""Every threshold of docs/metrics.md as a named setting with the documented default.

Stored in the workspace (``settings`` table) so the app and the CLI agree. ``SPECS`` is the
one list of what a manager may change (label, unit, bounds); the Settings page and
``reltruth settings get|set|reset`` are both drawn from it, and the words the pages and
sheets use for a threshold ("top quartile", "bottom half", "rated 4 or 5") come from the
values in force through the wording helpers below, never from a literal.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

import duckdb

from reltruth.errors import UserError

DEFAULT_DURATIONS = {"visit": 60.0, "meeting": 45.0, "call": 10.0, "email": 5.0, "other": 15.0}
TIER_MEASURES = ("auto", "growth", "quota_attainment")
DURATION_PREFIX = "duration."


@dataclass(frozen=True)
class Settings:
    window_months: int = 12
    trap_allocation_ratio: float = 1.5  # relationship trap: allocation ratio >=
    neglect_allocation_ratio: float = 0.5  # neglected potential: allocation ratio <=
    neglect_potential_quantile: float = 0.75  # ... potential in the top quartile of the book
    demote_potential_quantile: float = 0.25  # demote: potential in the bottom quartile
    claim_gap_rating: int = 4  # claim gap: rating >= (of 5)
    claim_gap_penetration: float = 0.5  # ... and penetration <
    creep_slope_pp_per_year: float = 1.0  # discount creep: trend >= pp / year
    creep_min_quarters: int = 4  # trend needs at least this many quarters
    creep_quarters: int = 8  # trend over the last N calendar quarters (2..8)
    trade_min_tenure_years: float = 2.0  # trade candidate: owner held it >= N years
    trade_max_receivers: int = 2  # trades one receiver gets at most in one window
    excess_discount_quantile: float = (
        0.75  # discount prompt: rep's excess in the company's top quartile
    )
    min_window_coverage: float = 0.95  # a window the data cover less than this is partial
    # category white space: a category "most peers buy" = bought by at least this share of
    # the segment's other buying accounts; a segment needs this many of them to be the peers
    white_space_peer_share: float = 0.5
    white_space_min_peers: int = 5
    # key people: accounts at or above this quantile of the book are high-potential; a prompt
    # where one has had no decision-maker contact for more than this many days
    key_people_potential_quantile: float = 0.75
    key_people_max_days: int = 90
    top_tier_quantile: float = 0.75  # top performer: top quartile, both windows
    marginal_tier_quantile: float = 0.5  # marginal performer: bottom half, current
    # auto: quota attainment where every rep of the team has a quota, else relative growth
    tier_measure: str = "auto"
    default_durations: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_DURATIONS))

    def with_changes(self, **changes: Any) -> Settings:
        return replace(self, **changes)


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


def load(con: duckdb.DuckDBPyConnection) -> Settings:
    """The workspace's settings, defaults for anything not stored."""
    rows = con.execute("select key, value from settings").fetchall()
    stored = {key: json.loads(value) for key, value in rows}
    known = {f.name for f in fields(Settings)}
    values = {k: v for k, v in stored.items() if k in known}
    if "default_durations" in values:  # a type added later keeps its default
        values["default_durations"] = {**DEFAULT_DURATIONS, **values["default_durations"]}
    return Settings(**values)


def save(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    for key, value in asdict(settings).items():
        con.execute(
            "insert or replace into settings (key, value) values ($key, $value)",
            {"key": key, "value": json.dumps(value)},
        )


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


# ---------------------------------------------------------------------------------------
# Wording: the thresholds in force, in words


_PARTS = {2: "half", 3: "third", 4: "quartile", 5: "fifth", 10: "decile"}
# The sheet speaks to a rep, not to an analyst: "top quarter", not "top quartile".
_PLAIN_PARTS = {**_PARTS, 4: "quarter", 5: "fifth", 10: "tenth"}
_NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight"}


def share_words(side: str, share: float, *, plain: bool = False) -> str:
    """``side`` ("top" / "bottom") and the share of a group it covers, in words:
    ("top", 0.25) -> "top quartile", ("bottom", 0.5) -> "bottom half", ("top", 0.3) -> "top 30 %"."""
    for n, word in (_PLAIN_PARTS if plain else _PARTS).items():
        if abs(share * n - 1) < 1e-9:
            return f"{side} {word}"
    return f"{side} {_pct_words(share)}"


def top_words(quantile: float, *, plain: bool = False) -> str:
    """At or above the ``quantile``: 0.75 -> "top quartile"."""
    return share_words("top", 1 - quantile, plain=plain)


def bottom_words(quantile: float, *, plain: bool = False) -> str:
    """At or below the ``quantile``: 0.5 -> "bottom half"."""
    return share_words("bottom", quantile, plain=plain)


def number_words(n: int) -> str:
    """8 -> "eight" (the counts a sentence spells out), 12 -> "12"."""
    return _NUMBER_WORDS.get(n, str(n))


def rating_words(rating: int) -> str:
    """The ratings a claim gap starts at: 4 -> "rated 4 or 5", 3 -> "rated 3 to 5"."""
    if rating >= 5:
        return "rated 5"
    if rating == 4:
        return "rated 4 or 5"
    return f"rated {rating} to 5"


def fraction_words(value: float) -> str:
    """0.5 -> "half", 0.25 -> "a quarter", 0.4 -> "40 %"."""
    named = {0.5: "half", 0.25: "a quarter", 0.75: "three quarters", 1.0: "all"}
    for v, word in named.items():
        if abs(value - v) < 1e-9:
            return word
    return _pct_words(value)


def tier_measure_words(measure: str) -> str:
    """The measure a tier was ranked on, in words (a rep's ``tier_measure``)."""
    return {
        "quota_attainment": "quota attainment",
        "quota attainment": "quota attainment",
        "growth": "growth against the company",
        "relative growth": "growth against the company",
        "auto": "quota attainment where every rep has a quota, else growth against the company",
    }.get(measure, measure)


def _pct_words(value: float) -> str:
    text = f"{value * 100:.1f}".rstrip("0").rstrip(".")
    return f"{text} %"


def describe_value(key: str, value: Any) -> str:
    """A value for a person: fractions as per cent, minutes with their unit."""
    spec = _spec(key)
    if spec.kind == "fraction":
        return _pct_words(float(value))
    if spec.kind == "minutes":
        return f"{float(value):g} min"
    return str(value)


# ---------------------------------------------------------------------------------------
# reltruth settings get|set|reset


def table(settings: Settings) -> str:
    """Every setting with its value in force and its default, one line each."""
    default = Settings()
    rows = [
        (
            spec.key,
            text_of(spec.key, value_of(settings, spec.key)),
            text_of(spec.key, value_of(default, spec.key)),
            spec.label,
        )
        for spec in SPECS
    ]
    heads = ("setting", "value", "default", "meaning")
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(heads)]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    marked = [r if r[1] == r[2] else (r[0], r[1] + " *", r[2], r[3]) for r in rows]
    widths[1] = max(widths[1], *(len(r[1]) for r in marked))
    return "\n".join(
        [line(heads), line(tuple("-" * w for w in widths)), *(line(r) for r in marked)]
        + ["", "* changed from the default"]
    )


def cli_settings(args: Any) -> int:
    """``reltruth settings get [KEY] | set KEY VALUE | reset [KEY|--all]``."""
    from reltruth.workspace import Workspace  # the CLI opens the workspace; the store does not

    ws = Workspace.open(getattr(args, "workspace", None))
    try:
        action = args.action
        if action == "get":
            current = load(ws.con)
            if args.key:
                print(text_of(args.key, value_of(current, args.key)))
            elif getattr(args, "json", False):
                print(json.dumps({s.key: value_of(current, s.key) for s in SPECS}, indent=2))
            else:
                print(table(current))
            return 0
        if action == "set":
            current = set_value(ws.con, args.key, args.value)
            print(f"{args.key} = {text_of(args.key, value_of(current, args.key))}")
            return 0
        if args.key is None and not args.all:
            raise UserError("Name the setting to reset, or --all for every setting.")
        current = reset(ws.con, None if args.all else args.key)
        if args.all:
            print("Every setting is back to its default.")
        else:
            print(f"{args.key} = {text_of(args.key, value_of(current, args.key))} (default)")
        return 0
    finally:
        ws.close()
