"""Numbers as a sales manager reads them: with units, rounded, never ``nan``. The one formatter.

Why a module of its own: the pages, the sheet (HTML, PDF, Markdown and the golden files), the
flag reasons and the command line all write a number the same way, so -0.004 is "−0.4 %"
everywhere and a missing value is "–" everywhere. A non-breaking space joins a number to its
unit so a line never breaks inside "18 %"; the minus is U+2212, as in print.
"""

from __future__ import annotations

import math
from datetime import date

NBSP = "\u00a0"
CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF" + NBSP, "JPY": "¥"}
MISSING = "–"  # an en dash: "no value", never "nan"
# a rep's tier as the pages, tables and charts name it (the metrics say "top", "marginal", "core")
TIER_LABELS = {"top": "top performer", "marginal": "marginal performer", "core": "core"}


def is_missing(value: object) -> bool:
    """None, NaN, pandas' NA and NaT all mean "no value"."""
    if value is None:
        return True
    try:
        if value != value:  # NaN and NaT are the values unequal to themselves
            return True
    except TypeError:  # pandas' NA refuses to be a bool
        return True
    try:
        return bool(math.isnan(float(value)))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def currency_symbol(code: str | None) -> str:
    """The prefix for money: a symbol for the common codes, else the code and a space."""
    if not code:
        return ""
    return CURRENCY_SYMBOLS.get(code.upper(), code.upper() + NBSP)


def with_unit(label: str, currency: str | None, per: str = "") -> str:
    """A money column's label: "Revenue (EUR)", "Potential (EUR/year)"; without a known
    currency (the orders do not say) "Revenue", "Potential (per year)"."""
    code = (currency or "").upper()
    if code:
        return f"{label} ({code}{per})"
    return f"{label} (per {per.lstrip('/')})" if per else label


def money(value: float | None, symbol: str = "€") -> str:
    """€1.2 M, €85 k, €950; negative amounts keep their sign before the symbol."""
    if is_missing(value):
        return MISSING
    v = float(value)  # type: ignore[arg-type]
    sign = "−" if v < 0 else ""
    a = abs(v)
    if a >= 999_500:
        body = f"{a / 1_000_000:.1f}{NBSP}M"
    elif a >= 10_000:
        body = f"{a / 1000:.0f}{NBSP}k"
    elif a >= 1000:
        body = f"{a / 1000:.1f}{NBSP}k"
    else:
        body = f"{a:.0f}"
    return f"{sign}{symbol}{body}"


def pct(fraction: float | None, decimals: int | None = None) -> str:
    """A fraction as a percentage: 0.18 -> "18 %", 0.135 -> "13.5 %" (one decimal below 10 %
    or when asked), small shares keep a decimal so they do not read as zero."""
    # A plain float skips is_missing: flag reasons call this for every account and flag.
    if type(fraction) is not float and is_missing(fraction):
        return MISSING
    p = float(fraction) * 100  # type: ignore[arg-type]
    if p != p:  # NaN
        return MISSING
    if decimals is None:
        decimals = 1 if -10 < p < 10 else 0
    p = round(p, decimals) + 0.0  # no "−0.0 %"
    return f"{p:.{decimals}f}{NBSP}%".replace("-", "−")


def signed_pct(fraction: float | None) -> str:
    """Growth: +12 %, −3.5 %."""
    if is_missing(fraction):
        return MISSING
    text = pct(fraction)
    return text if text.startswith("−") else "+" + text


def pp(points: float | None) -> str:
    """Percentage points with a sign: +3.1 pp (the input is already in points)."""
    if is_missing(points):
        return MISSING
    v = round(float(points), 1)  # type: ignore[arg-type]
    sign = "+" if v >= 0 else "−"  # a rounded −0.04 is +0.0, not −0.0
    return f"{sign}{abs(v):.1f}{NBSP}pp"


def pp_from_fraction(fraction: float | None) -> str:
    """A difference of two fractions (0.031) in percentage points (+3.1 pp)."""
    return MISSING if is_missing(fraction) else pp(float(fraction) * 100)  # type: ignore[arg-type]


def hours(value: float | None) -> str:
    """26 h, 4.5 h (one decimal below 10 h), 1,015 h."""
    if is_missing(value):
        return MISSING
    v = float(value)  # type: ignore[arg-type]
    text = f"{v:.1f}" if abs(v) < 10 else f"{v:,.0f}"
    return f"{text}{NBSP}h".replace("-", "−")


def ratio(value: float | None) -> str:
    """An allocation ratio: 2.4×."""
    if is_missing(value):
        return MISSING
    return f"{float(value):.1f}×"  # type: ignore[arg-type]


def count(value: float | None) -> str:
    return MISSING if is_missing(value) else f"{int(round(float(value))):d}"  # type: ignore[arg-type]


def day(value: date | None) -> str:
    """31 Dec 2026."""
    if value is None:
        return MISSING
    return f"{value.day} {value.strftime('%b %Y')}"


def short_day(value: date) -> str:
    """31 Dec (for "due 31 Dec: so far 12 h")."""
    return f"{value.day} {value.strftime('%b')}"
