"""SQL expression builders that turn exported text into numbers, dates and durations.

Why a module of its own: every export writes values its own way (`1.234,50 €`,
`USD 1,250,000.00`, `(12)`, `45k`, `03/15/2026`, `15.03.2026`, epoch milliseconds, `1:30`,
HubSpot milliseconds...). Parsing them row by row in Python would make a 5-million-line
import crawl, so each parser here is a DuckDB SQL *expression* applied to a whole column.

Two halves:
- ``detect_*`` look at a sample of a column's text values (a Python list) and pick a style
  from a fixed allow-list (``NUMBER_STYLES``, ``DATE_STYLES``, ``DURATION_UNITS``...).
- ``*_sql`` builders take an already quoted column expression (use ``quote_ident``) and a
  style from that allow-list and return an SQL expression string. No data is ever formatted
  into SQL: only the column expression and constant patterns chosen by the style.

Every parser returns NULL for a missing value (``blank_sql``) *and* for a value it cannot
read; ``failed_sql`` tells the two apart so the loader can reject the row with
``reason_sql``'s text, e.g. ``"31.02.2024" is not a valid date``.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable

# Re-exported: the ingest modules take it from here with the parsers.
from reltruth.sql import quote_ident as quote_ident

NUMBER_STYLES = ("point", "comma")  # decimal point (1,234.50) or decimal comma (1.234,50)
DATE_STYLES = ("iso", "mdy", "dmy", "text_month", "epoch_ms", "epoch_s", "excel_serial")
DURATION_UNITS = ("minutes", "seconds", "milliseconds", "hours", "clock", "text")
PERCENT_SCALES = ("percent", "fraction")  # bare 12.5 means 12.5 % / bare 0.125 means 12.5 %
REASON_WORDS = {
    "number": "number",
    "amount": "amount",
    "date": "date",
    "duration": "duration",
    "percent": "percentage",
}

# What each style means, for the notes the Data page shows.
STYLE_NOTES = {
    "point": "numbers use a decimal point (1,234.50)",
    "comma": "numbers use a decimal comma (1.234,50)",
    "iso": "dates are year-month-day (2026-03-15)",
    "mdy": "dates are month/day/year (US: 03/15/2026)",
    "dmy": "dates are day.month.year (European: 15.03.2026)",
    "text_month": "dates spell the month (15 Mar 2026)",
    "epoch_ms": "dates are epoch milliseconds",
    "epoch_s": "dates are epoch seconds",
    "excel_serial": "dates are Excel day numbers",
    "minutes": "durations are in minutes",
    "seconds": "durations are in seconds (e.g. Salesforce CallDurationInSeconds)",
    "milliseconds": "durations look like milliseconds (HubSpot)",
    "hours": "durations are in hours",
    "clock": "durations are hours:minutes (e.g. Pipedrive 1:30)",
    "text": "durations are written out (1h 30m)",
    "percent": "percentages are on a 0-100 scale (12.5 = 12.5 %)",
    "fraction": "percentages are fractions (0.125 = 12.5 %)",
}

# Values that mean "nothing here" in exports; they load as missing, not as errors.
_BLANK_WORDS = ("", "-", "--", "—", "–", "n/a", "na", "#n/a", "null", "none", "nan")
_BLANK_RE = "(?:" + "|".join(re.escape(w) for w in _BLANK_WORDS) + ")"

# ---------------------------------------------------------------------------------------
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


def _lit(pattern: str) -> str:
    """A constant pattern from this module as an SQL string literal (never data)."""
    return "'" + pattern.replace("'", "''") + "'"


def trim_sql(expr: str) -> str:
    """``expr`` without surrounding spaces (as ``trim()``), for columns of millions of cells.

    Why not plain ``trim()``: it copies every string, 0.3-0.6 s per column of 4 million
    names. Only cells that start or end with a space, or hold a no-break space (U+00A0,
    Excel and web copies; U+202F) anywhere, are trimmed; clean cells pass as they are.
    """
    return (
        f"(case when starts_with({expr}, ' ') or ends_with({expr}, ' ') then trim({expr})"
        f" when contains({expr}, chr(160)) or contains({expr}, chr(8239)) then trim({expr})"
        f" else {expr} end)"
    )


def _text(expr: str) -> str:
    return f"trim(cast({expr} as varchar))"


def _check(value: str, allowed: Iterable[str], what: str) -> None:
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r}; expected one of {tuple(allowed)}")


# ---------------------------------------------------------------------------------------
# Missing values and failures


def blank_sql(expr: str) -> str:
    """TRUE when the cell is missing: NULL, empty, or a placeholder like "-" or "N/A"."""
    # A pattern, not IN (...) or list_contains: DuckDB turns those into a join that runs on
    # every row, even inside a CASE branch only unreadable cells reach (~0.8 s per column
    # of 5 million cells).
    return f"coalesce(regexp_full_match(lower({_text(expr)}), {_lit(_BLANK_RE)}), true)"


def failed_sql(expr: str, parsed: str) -> str:
    """TRUE when the cell holds a value but the parser (``parsed``) could not read it.

    The cell's text is looked at only where the parse gave nothing: trimming and
    lower-casing every cell of a 5-million-row column costs seconds.
    """
    return f"(case when ({parsed}) is null then not {blank_sql(expr)} else false end)"


def reason_sql(expr: str, kind: str) -> str:
    """The reject reason for one cell: ``"31.02.2024" is not a valid date``.

    ``kind`` is one of ``REASON_WORDS``; the loader adds the line and the column name.
    """
    _check(kind, REASON_WORDS, "reason kind")
    return f"""('"' || {_text(expr)} || '" is not a valid {REASON_WORDS[kind]}')"""


# ---------------------------------------------------------------------------------------
# Numbers, money, percentages


def _lazy(value: str, body: str, param: str) -> str:
    """``body`` (an expression of ``param``) applied to ``value`` inside a lambda.

    Why: DuckDB hoists an expression that appears more than once in a query and computes
    it for every row, even when it sits in a CASE branch only a few rows reach. The slow
    parsing paths repeat their pattern match many times; inside a lambda they stay out of
    reach of that rewrite and run only for the cells that need them.
    """
    return f"list_transform([{value}], lambda {param}: {body})[1]"


def number_sql(expr: str, style: str = "point") -> str:
    """DOUBLE from text such as ``1.234,50 €``, ``USD 1,250,000.00``, ``(12)``, ``12-``,
    ``45k``, ``1.2M``, ``12%`` (= 0.12); NULL when missing or unreadable."""
    _check(style, NUMBER_STYLES, "number style")
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
        f"case when regexp_full_match({raw}, {_lit(_GROUPED_RE[style])}) then {grouped_value} end"
    )
    return f"coalesce({plain}, {grouped}, {_lazy(raw, _number_slow('__rt_c', style), '__rt_c')})"


def _number_slow(c: str, style: str) -> str:
    """The full reading of one cell ``c`` (a lambda parameter): currency, sign, brackets,
    multipliers, percent; the pattern match runs once, its parts are read in a lambda."""
    m = "__rt_m"
    digits = f"regexp_replace({m}.num, {_lit(_SPACES)}, '', 'g')"
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
    parts = "[" + ", ".join(_lit(p) for p in _NUMBER_PARTS) + "]"
    value = (
        f"case when {m}.num = '' or ({m}.open = '') <> ({m}.close = '')"
        f" or not regexp_full_match({digits}, {_lit(_DIGITS_RE[style])})"
        f" or not regexp_matches({digits}, '[0-9]') then null"
        f" else (case when {negative} then -1 else 1 end) * {digits_value} * {mult}"
        f" * (case when {m}.pct <> '' then 0.01 else 1 end) end"
    )
    match = f"regexp_extract({_text(c)}, {_lit(_NUMBER_RE)}, {parts})"
    return f"case when {blank_sql(c)} then null else {_lazy(match, value, m)} end"


def percent_sql(expr: str, style: str = "point", scale: str = "percent") -> str:
    """A percentage as a fraction (0.125): ``12.5%`` always; a bare ``12.5`` when ``scale``
    is "percent"; a bare ``0.125`` when it is "fraction" (see ``detect_percent_scale``)."""
    _check(scale, PERCENT_SCALES, "percent scale")
    value = number_sql(expr, style)
    if scale == "fraction":
        return value
    return f"(case when contains({_text(expr)}, '%') then {value} else {value} / 100 end)"


def detect_number_style(values: Iterable[str | None], default: str = "point") -> str:
    """ "comma" when the sample writes decimals with a comma (1.234,50 / 12,5), else "point".

    Each value votes by its last separator: both kinds present -> the last is the decimal;
    one comma followed by other than three digits -> decimal comma; two or more groups of
    the same separator -> that one is for thousands. ``1,234`` or ``1.234`` alone are
    ambiguous; when every value is, ``default`` wins (pass "comma" for ;-delimited files).
    """
    _check(default, NUMBER_STYLES, "number style")
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
        f"regexp_replace(regexp_extract({_text(expr)}, {_lit(r'[0-9][0-9.,]*')}), "
        f"{_lit(r'[.,]+$')}, '')"
    )
    commas = f"(length({digits}) - length(replace({digits}, ',', '')))"
    dots = f"(length({digits}) - length(replace({digits}, '.', '')))"
    last_comma = f"regexp_full_match({digits}, {_lit(r'.*,[0-9]*')})"
    group_comma, group_point = _lit(r"[0-9]{1,3},[0-9]{3}"), _lit(r"[0-9]{1,3}\.[0-9]{3}")
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
    _check(default, NUMBER_STYLES, "number style")
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
        number = _py_number(str(raw), style)
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


def _py_number(raw: str, style: str) -> float | None:
    n = _py_digits(raw)
    if not n or not re.fullmatch(_DIGITS_RE[style], n) or not re.search("[0-9]", n):
        return None
    n = n.replace(",", "") if style == "point" else n.replace(".", "").replace(",", ".")
    try:
        return float(n)
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------
# Dates

_DATE_PART = r"^([^ T]+)"  # the date before a time ("03/15/2026 14:30", "2026-03-15T14:30Z")
_SHORT_YEAR = r"^[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{2}$"
_DATE_FORMATS = {
    "iso": ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d"],
    "mdy": ["%m/%d/%Y", "%m-%d-%Y", "%m.%d.%Y"],
    "dmy": ["%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y"],
    "text_month": [  # two-digit years first: "%Y" would read "26" as the year 26
        "%d-%b-%y",
        "%d %b %y",
        "%d %b %Y",
        "%d-%b-%Y",
        "%d %B %Y",
        "%d. %B %Y",
        "%d. %b %Y",
        "%b %d, %Y",
        "%B %d, %Y",
        "%b %d %Y",
        "%B %d %Y",
    ],
}
# Dates outside this range are taken as misread, not as history or science fiction.
_MIN_YEAR, _MAX_YEAR = 1900, 2200


def _formats(fmts: list[str]) -> str:
    return "[" + ", ".join(_lit(f) for f in fmts) + "]"


def date_sql(expr: str, style: str) -> str:
    """DATE from text in ``style`` (one of ``DATE_STYLES``); a time of day is dropped,
    impossible dates (31.02.2024) and years outside 1900-2200 give NULL."""
    _check(style, DATE_STYLES, "date style")
    raw = f"cast({expr} as varchar)"
    slow = _lazy(raw, _date_slow("__rt_d", style), "__rt_d")
    if style in ("mdy", "dmy", "iso"):
        # Fast path for the usual full-length cell ("15.03.2026", "2026-03-15"): no trim,
        # no regex; everything else (times, short years, spaces) takes the slow path.
        fast = (
            f"try_cast({raw} as date)"
            if style == "iso"
            else f"try_strptime({raw}, {_formats(_DATE_FORMATS[style])})::date"
        )
        return f"coalesce(case when length({raw}) = 10 then {_in_range(fast)} end, {slow})"
    return slow


def _date_slow(c: str, style: str) -> str:
    """The full reading of one date cell ``c`` (a lambda parameter, see ``_lazy``)."""
    t = _text(c)
    if style in ("mdy", "dmy"):
        part = f"regexp_extract({t}, {_lit(_DATE_PART)}, 1)"
        long_fmts = _DATE_FORMATS[style]
        short_fmts = [f.replace("%Y", "%y") for f in long_fmts]
        value = (
            f"(case when regexp_full_match({part}, {_lit(_SHORT_YEAR)})"
            f" then try_strptime({part}, {_formats(short_fmts)})"
            f" else try_strptime({part}, {_formats(long_fmts)}) end)::date"
        )
    elif style == "iso":
        part = f"regexp_extract({t}, {_lit(_DATE_PART)}, 1)"
        value = f"try_strptime({part}, {_formats(_DATE_FORMATS['iso'])})::date"
    elif style == "text_month":
        # The whole text minus a trailing time ("15 Mar 2026 14:30").
        part = f"regexp_replace({t}, '\\s+[0-9]{{1,2}}:[0-9]{{2}}.*$', '')"
        value = f"try_strptime({part}, {_formats(_DATE_FORMATS['text_month'])})::date"
    else:
        n = f"try_cast({t} as double)"
        if style == "epoch_ms":
            value = f"epoch_ms(try_cast({n} as bigint))::date"
        elif style == "epoch_s":
            value = f"epoch_ms(try_cast({n} * 1000 as bigint))::date"
        else:  # Excel serial day: day 1 = 1900-01-01, with Excel's 1900 leap-year slip
            value = f"(date '1899-12-30' + try_cast(floor({n}) as integer))"
    return f"(case when {blank_sql(c)} then null else {_in_range(value)} end)"


def _in_range(value: str) -> str:
    return f"(case when year({value}) between {_MIN_YEAR} and {_MAX_YEAR} then {value} end)"


_ISO = re.compile(r"^[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}([T ].*)?$")
_DMY_LIKE = re.compile(r"^([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{2}|[0-9]{4})([ T].*)?$")
_TEXT_MONTH = re.compile(
    r"^([0-9]{1,2}[ .-]+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[ ,-]+",
    re.IGNORECASE,
)
_NUMERIC = re.compile(r"^[0-9]+(\.[0-9]+)?$")


def detect_date_style(values: Iterable[str | None], default: str = "mdy") -> str:
    """The date style of a sample (``default`` when nothing decides; see ``looks_like_dates``).

    Day/month order: a first number above 12 means day first, a second number above 12
    means month first. When no value decides, dots mean day first (15.03.2026 is European);
    slashes and dashes take ``default`` ("mdy": US exports, e.g. Salesforce and HubSpot).
    """
    _check(default, ("mdy", "dmy"), "default day/month order")
    return _date_vote(values, default) or default


def looks_like_dates(values: Iterable[str | None]) -> bool:
    """True when at least half of the present values of a sample read as dates."""
    return _date_vote(values, "mdy") is not None


def _date_vote(values: Iterable[str | None], default: str) -> str | None:
    sample = [str(v).strip() for v in values if v is not None and str(v).strip()]
    sample = [v for v in sample if v.lower() not in _BLANK_WORDS]
    if not sample:
        return None
    votes: dict[str, int] = {}
    day_first = month_first = 0
    dots = 0
    for v in sample:
        style: str | None = None
        if _ISO.match(v):
            style = "iso"
        elif m := _DMY_LIKE.match(v):
            style = "dm"
            first, second = int(m.group(1)), int(m.group(3))
            day_first += first > 12
            month_first += second > 12
            dots += m.group(2) == "."
        elif _TEXT_MONTH.match(v):
            style = "text_month"
        elif _NUMERIC.match(v):
            number = float(v)
            if 1e11 <= number < 1e14:
                style = "epoch_ms"
            elif 1e8 <= number < 1e11:
                style = "epoch_s"
            elif 10_000 <= number < 100_000:
                style = "excel_serial"
        if style:
            votes[style] = votes.get(style, 0) + 1
    if not votes:
        return None
    best = max(votes, key=lambda s: votes[s])
    if votes[best] * 2 < len(sample):
        return None
    if best != "dm":
        return best
    if day_first > month_first:
        return "dmy"
    if month_first > day_first:
        return "mdy"
    return "dmy" if dots * 2 > votes["dm"] else default


# ---------------------------------------------------------------------------------------
# Durations

_CLOCK_RE = r"^([0-9]+):([0-5][0-9])(?::([0-5][0-9]))?$"
_TEXT_DURATION_RE = (
    r"(?i)^(?:([0-9]+(?:[.,][0-9]+)?)\s*h(?:ours?|rs?|r)?\.?)?\s*"
    r"(?:([0-9]+(?:[.,][0-9]+)?)\s*m(?:in(?:ute)?s?)?\.?)?\s*"
    r"(?:([0-9]+)\s*s(?:ec(?:ond)?s?)?\.?)?$"
)
UNIT_FACTOR = {"minutes": 1, "seconds": 1 / 60, "milliseconds": 1 / 60000, "hours": 60}


def duration_minutes_sql(expr: str, unit: str, style: str = "point") -> str:
    """Minutes (DOUBLE) from a duration in ``unit`` (one of ``DURATION_UNITS``):
    plain numbers in minutes/seconds/milliseconds/hours, ``clock`` = ``H:MM`` or
    ``H:MM:SS`` (Pipedrive), ``text`` = ``1h 30m`` / ``90 min`` / ``45m``."""
    _check(unit, DURATION_UNITS, "duration unit")
    if unit in UNIT_FACTOR:
        return f"({number_sql(expr, style)} * {UNIT_FACTOR[unit]!r})"
    t = _text(expr)
    if unit == "clock":
        m = f"regexp_extract({t}, {_lit(_CLOCK_RE)}, ['h', 'm', 's'])"
        value = (
            f"(case when {m}.h = '' then null else {m}.h::double * 60 + {m}.m::double"
            f" + coalesce(try_cast(nullif({m}.s, '') as double), 0) / 60 end)"
        )
    else:
        m = f"regexp_extract({t}, {_lit(_TEXT_DURATION_RE)}, ['h', 'm', 's'])"
        value = (
            f"(case when regexp_full_match({t}, '[0-9]+([.,][0-9]+)?')"
            f" then try_cast(replace({t}, ',', '.') as double)"
            f" when {m}.h = '' and {m}.m = '' and {m}.s = '' then null"
            f" else coalesce(try_cast(replace(nullif({m}.h, ''), ',', '.') as double), 0) * 60"
            f" + coalesce(try_cast(replace(nullif({m}.m, ''), ',', '.') as double), 0)"
            f" + coalesce(try_cast(nullif({m}.s, '') as double), 0) / 60 end)"
        )
    return f"(case when {blank_sql(expr)} then null else {value} end)"


_HEADER_UNITS = (
    (re.compile(r"milli|\bms\b|\(ms\)|_ms\b|hs_.*duration|hubspot", re.I), "milliseconds"),
    (re.compile(r"second|\bsecs?\b|\(s\)|insec", re.I), "seconds"),
    (re.compile(r"hour|\bhrs?\b|\(h\)", re.I), "hours"),
    (re.compile(r"minute|\bmins?\b|\(min\)|inminutes", re.I), "minutes"),
)


# What a single activity plausibly lasts, per unit: outside it the values contradict the unit.
_PLAUSIBLE_MEDIAN = {
    "minutes": (0.5, 480.0),
    "seconds": (5.0, 20_000.0),
    "milliseconds": (1_000.0, float("inf")),
    "hours": (0.0, 12.0),
}


def unit_contradiction(values: Iterable[str | None], unit: str, style: str = "point") -> str | None:
    """The unit the values look like when their median is implausible in ``unit`` (a
    header's "(min)" over values of 1,800,000 looks like milliseconds), else None."""
    if unit not in _PLAUSIBLE_MEDIAN:
        return None
    numbers = [n for v in values if v is not None and (n := _py_number(str(v), style)) is not None]
    if not numbers:
        return None
    median = statistics.median(numbers)
    low, high = _PLAUSIBLE_MEDIAN[unit]
    if low <= median <= high or median == 0:
        return None
    looks = detect_duration_unit([str(median)])
    return looks if looks != unit else None


def detect_duration_unit(values: Iterable[str | None], header: str | None = None) -> str:
    """The unit of a duration column, from its values first, then its header, then size.

    ``1:30`` -> clock; ``1h 30m`` -> text; otherwise the header decides
    (``CallDurationInSeconds`` -> seconds, ``Duration (ms)`` -> milliseconds, ``DurationInMinutes``
    -> minutes); with no hint, the median decides: 20,000 or more can only be milliseconds
    (5.5 hours in seconds), 480 or more seconds (no activity lasts 8 hours in minutes), else
    minutes.
    """
    sample = [str(v).strip() for v in values if v is not None and str(v).strip()]
    if any(re.fullmatch(_CLOCK_RE.replace("^", "").replace("$", ""), v) for v in sample):
        return "clock"
    if any(re.search(r"[0-9]\s*(h|m|min|s|sec|hrs?|hours?|minutes?)\b", v, re.I) for v in sample):
        return "text"
    if header:
        for pattern, unit in _HEADER_UNITS:
            if pattern.search(header):
                return unit
    numbers = [n for v in sample if (n := _py_number(v, "point")) is not None]
    if not numbers:
        return "minutes"
    median = statistics.median(numbers)
    if median >= 20_000:
        return "milliseconds"
    if median >= 480:
        return "seconds"
    return "minutes"
