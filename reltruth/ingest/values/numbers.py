"""Numbers, money and percentages: their SQL parsers and the detection of their style."""

from __future__ import annotations

import re
from collections.abc import Iterable

from reltruth.ingest.values.cells import blank_sql, check, lazy, lit, text_sql

NUMBER_STYLES = ("point", "comma")  # decimal point (1,234.50) or decimal comma (1.234,50)
PERCENT_SCALES = ("percent", "fraction")  # bare 12.5 means 12.5 % / bare 0.125 means 12.5 %

# Shared patterns (RE2 syntax for DuckDB; the Python twins below are for detection only).

_CUR = r"(?:US\$|R\$|C\$|A\$|[$€£¥₹₩₽]|[A-Z]{3}|Fr\.|kr|zł)"
_SPACES = r"[ '’\x{00A0}\x{202F}]"
_MULT = r"(bn|Bn|BN|mio|Mio|MIO|mn|Mn|MM|mm|k|K|m|M|b|B)"
# open ( , sign, currency, sign, number, multiplier, currency, %, trailing minus, close )
_NUMBER_RE = (
    r"^(\()?\s*([-+−])?\s*" + _CUR + r"?\s*([-−])?\s*"
    r"([.,]?[0-9][0-9.,'’ \x{00A0}\x{202F}]*?)\s*"
    + _MULT
    + r"?\s*"
    + _CUR
    + r"?\s*(%)?\s*(-)?\s*(\))?$"
)
_NUMBER_PARTS = ("open", "sign", "sign2", "num", "mult", "pct", "tsign", "close")
# The digits of a number once spaces/apostrophes are gone, per style: thousands groups must
# be groups of three, so 1,234.5 in a decimal-comma column fails instead of reading 1.2345.
_DIGITS_RE = {
    "point": r"^([0-9]{1,3}(,[0-9]{3})+|[0-9]*)(\.[0-9]+)?$",
    "comma": r"^([0-9]{1,3}(\.[0-9]{3})+|[0-9]*)(,[0-9]+)?$",
}
# Thousands-grouped numbers skip the big pattern (1,234,567.89 / 1.234.567,89).
_GROUPED_RE = {
    "point": r"^-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$",
    "comma": r"^-?[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?$",
}
_MULTIPLIERS = (
    ("k", 1e3),
    ("K", 1e3),
    ("m", 1e6),
    ("M", 1e6),
    ("mm", 1e6),
    ("MM", 1e6),
    ("mn", 1e6),
    ("Mn", 1e6),
    ("mio", 1e6),
    ("Mio", 1e6),
    ("MIO", 1e6),
    ("b", 1e9),
    ("B", 1e9),
    ("bn", 1e9),
    ("Bn", 1e9),
    ("BN", 1e9),
)


def number_sql(expr: str, style: str = "point") -> str:
    """DOUBLE from text such as ``1.234,50 €``, ``USD 1,250,000.00``, ``(12)``, ``12-``,
    ``45k``, ``1.2M``, ``12%`` (= 0.12); NULL when missing or unreadable."""
    check(style, NUMBER_STYLES, "number style")
    raw = f"cast({expr} as varchar)"
    # Three paths, each tried only where the one before gave nothing (most cells of a big
    # file take the first): a plain number DuckDB reads itself (a decimal comma turned
    # into a point where the column uses one and there is no point in the cell); a
    # thousands-grouped one; everything else (currency, brackets, 45k, %) in a lambda.
    if style == "point":
        plain = f"try_cast({raw} as double)"
        grouped_value = f"try_cast(replace({raw}, ',', '') as double)"
    else:
        plain = f"case when not contains({raw}, '.') then try_cast(replace({raw}, ',', '.') as double) end"
        grouped_value = f"try_cast(replace(replace({raw}, '.', ''), ',', '.') as double)"
    plain = f"case when isfinite({plain}) then {plain} end"
    grouped = (
        f"case when regexp_full_match({raw}, {lit(_GROUPED_RE[style])}) then {grouped_value} end"
    )
    return f"coalesce({plain}, {grouped}, {lazy(raw, _number_slow('__rt_c', style), '__rt_c')})"


def _number_slow(c: str, style: str) -> str:
    """The full reading of one cell ``c`` (a lambda parameter): currency, sign, brackets,
    multipliers, percent; the pattern match runs once, its parts are read in a lambda."""
    m = "__rt_m"
    digits = f"regexp_replace({m}.num, {lit(_SPACES)}, '', 'g')"
    if style == "point":
        digits_value = f"try_cast(replace({digits}, ',', '') as double)"
    else:
        digits_value = f"try_cast(replace(replace({digits}, '.', ''), ',', '.') as double)"
    negative = (
        f"(({m}.open <> '' and {m}.close <> '') or {m}.sign in ('-', '−')"
        f" or {m}.sign2 <> '' or {m}.tsign <> '')"
    )
    mult = "case " + f"{m}.mult " + " ".join(f"when '{k}' then {v:g}" for k, v in _MULTIPLIERS)
    mult += " else 1 end"
    parts = "[" + ", ".join(lit(p) for p in _NUMBER_PARTS) + "]"
    value = (
        f"case when {m}.num = '' or ({m}.open = '') <> ({m}.close = '')"
        f" or not regexp_full_match({digits}, {lit(_DIGITS_RE[style])})"
        f" or not regexp_matches({digits}, '[0-9]') then null"
        f" else (case when {negative} then -1 else 1 end) * {digits_value} * {mult}"
        f" * (case when {m}.pct <> '' then 0.01 else 1 end) end"
    )
    match = f"regexp_extract({text_sql(c)}, {lit(_NUMBER_RE)}, {parts})"
    return f"case when {blank_sql(c)} then null else {lazy(match, value, m)} end"


def percent_sql(expr: str, style: str = "point", scale: str = "percent") -> str:
    """A percentage as a fraction (0.125): ``12.5%`` always; a bare ``12.5`` when ``scale``
    is "percent"; a bare ``0.125`` when it is "fraction" (see ``detect_percent_scale``)."""
    check(scale, PERCENT_SCALES, "percent scale")
    value = number_sql(expr, style)
    if scale == "fraction":
        return value
    return f"(case when contains({text_sql(expr)}, '%') then {value} else {value} / 100 end)"


def detect_number_style(values: Iterable[str | None], default: str = "point") -> str:
    """ "comma" when the sample writes decimals with a comma (1.234,50 / 12,5), else "point".

    Each value votes by its last separator: both kinds present -> the last is the decimal;
    one comma followed by other than three digits -> decimal comma; two or more groups of
    the same separator -> that one is for thousands. ``1,234`` or ``1.234`` alone are
    ambiguous; when every value is, ``default`` wins (pass "comma" for ;-delimited files).
    """
    check(default, NUMBER_STYLES, "number style")
    point = comma = 0
    for raw in values:
        n = _py_digits(raw)
        if not n:
            continue
        has_dot, has_comma = "." in n, "," in n
        if has_dot and has_comma:
            if n.rfind(",") > n.rfind("."):
                comma += 1
            else:
                point += 1
        elif has_comma:
            if n.count(",") > 1:
                point += 1
            elif not re.fullmatch(r"[0-9]{1,3},[0-9]{3}", n):
                comma += 1
        elif has_dot:
            if n.count(".") > 1:
                comma += 1
            elif not re.fullmatch(r"[0-9]{1,3}\.[0-9]{3}", n):
                point += 1
    if comma > point:
        return "comma"
    if point > comma:
        return "point"
    return default


def number_votes_sql(expr: str) -> tuple[str, str]:
    """Two aggregates over a column (decimal-comma votes, decimal-point votes), counted as
    ``detect_number_style`` counts a sample, so that a column's style is decided by all
    its values rather than by the rows that happen to come first."""
    digits = (
        f"regexp_replace(regexp_extract({text_sql(expr)}, {lit(r'[0-9][0-9.,]*')}), "
        f"{lit(r'[.,]+$')}, '')"
    )
    commas = f"(length({digits}) - length(replace({digits}, ',', '')))"
    dots = f"(length({digits}) - length(replace({digits}, '.', '')))"
    last_comma = f"regexp_full_match({digits}, {lit(r'.*,[0-9]*')})"
    group_comma, group_point = lit(r"[0-9]{1,3},[0-9]{3}"), lit(r"[0-9]{1,3}\.[0-9]{3}")
    comma = (
        f"({commas} > 0 and {dots} > 0 and {last_comma}) "
        f"or ({commas} = 1 and {dots} = 0 and not regexp_full_match({digits}, {group_comma})) "
        f"or ({dots} > 1 and {commas} = 0)"
    )
    point = (
        f"({commas} > 0 and {dots} > 0 and not {last_comma}) "
        f"or ({dots} = 1 and {commas} = 0 and not regexp_full_match({digits}, {group_point})) "
        f"or ({commas} > 1 and {dots} = 0)"
    )
    return f"count(*) filter (where {comma})", f"count(*) filter (where {point})"


def decide_number_style(comma: int, point: int, default: str = "point") -> str:
    """The style the votes give; a tie (no value decides) takes ``default``."""
    check(default, NUMBER_STYLES, "number style")
    if comma > point:
        return "comma"
    if point > comma:
        return "point"
    return default


def detect_percent_scale(values: Iterable[str | None], style: str = "point") -> str:
    """ "percent" when bare values go above 1 (12.5) or any value carries a % sign,
    "fraction" when every bare value is within 0..1 (0.125)."""
    bare: list[float] = []
    for raw in values:
        if raw is None or not str(raw).strip():
            continue
        if "%" in str(raw):
            return "percent"
        number = py_number(str(raw), style)
        if number is not None:
            bare.append(abs(number))
    if bare and max(bare) <= 1:
        return "fraction"
    return "percent"


# Python twins for detection (sample-sized lists only).
_PY_NUMBER = re.compile(_NUMBER_RE.replace(r"\x{00A0}", "\u00a0").replace(r"\x{202F}", "\u202f"))


def _py_digits(raw: str | None) -> str:
    if raw is None:
        return ""
    found = _PY_NUMBER.match(str(raw).strip())
    if not found:
        return ""
    return re.sub(r"[ '’\u00a0\u202f]", "", found.group(4))


def py_number(raw: str, style: str) -> float | None:
    n = _py_digits(raw)
    if not n or not re.fullmatch(_DIGITS_RE[style], n) or not re.search("[0-9]", n):
        return None
    n = n.replace(",", "") if style == "point" else n.replace(".", "").replace(",", ".")
    try:
        return float(n)
    except ValueError:
        return None
