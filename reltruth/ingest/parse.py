"""How each mapped column is read: the field kinds and, per column, the parser chosen from a sample.

Why a module of its own: exports write the same field many ways ("1.234,50 €", "12 min",
"03/04/2025", "Excellent"). The choice of parser is made once per column from a sample of
its values and is separate from what happens to the rows (``stage``), so that a newcomer can
add a number style or a rating word without reading the load. The SQL expression builders
themselves are in ``values``.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import duckdb

from reltruth.ingest import synonyms, values
from reltruth.ingest.detect import Mapping, first_row
from reltruth.ingest.read import (
    ColumnTypes,
    RawTable,
    head_values,
)
from reltruth.ingest.values import quote_ident
from reltruth.schema import KINDS as FIELD_KINDS  # how exports write each field
from reltruth.sql import compose

KIND_WORDS = {
    "money": "an amount",
    "number": "a number",
    "date": "a valid date",
    "minutes": "a duration",
    "seconds": "a duration",
    "milliseconds": "a duration",
    "percent": "a percentage",
    "rating": "a relationship rating (1-5 or Poor / Weak / OK / Good / Excellent)",
    "bool": "yes or no",
}

# docs/ingest.md: relationship words -> 1..5.
RATING_WORDS = {
    "poor": 1,
    "weak": 2,
    "ok": 3,
    "okay": 3,
    "fair": 3,
    "average": 3,
    "good": 4,
    "strong": 4,
    "great": 5,
    "excellent": 5,
    "very good": 5,
}


class Sql:
    """Collects bound parameters while a statement is built: values never enter SQL text."""

    def __init__(self) -> None:
        self.params: dict[str, Any] = {}

    def bind(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f"${name}"


# --------------------------------------------------------------------------------------------
# Value parsing: one expression per field, chosen from a sample of the column's values.


def column_samples(
    con: duckdb.DuckDBPyConnection, relation: str, header: str, n: int = 200
) -> list[str]:
    col = quote_ident(header)
    rows = con.execute(
        compose(
            "select {col} from {relation} where nullif(trim({col}), '') is not null limit $n",
            col=col,
            relation=quote_ident(relation),
        ),
        {"n": int(n)},
    ).fetchall()
    return [str(r[0]) for r in rows]


REASON_KINDS = {
    "money": "amount",
    "number": "number",
    "date": "date",
    "percent": "percent",
    "minutes": "duration",
    "seconds": "duration",
    "milliseconds": "duration",
}


def value_sql(
    kind: str,
    col: str,
    samples: list[str],
    settings_sql: Sql,
    *,
    style: str = "point",
    unit: str = "minutes",
) -> tuple[str, str | None]:
    """The SQL expression reading raw text column ``col`` as ``kind`` (NULL when unreadable),
    and a note on how the values were read (style chosen from the sample), if worth saying.
    ``style``: the column's number style (``number_style``); ``unit``: a duration's unit
    (``duration_unit``)."""
    text = f"nullif({values.trim_sql(col)}, '')"
    if kind == "text":
        return text, None
    if kind in ("money", "number"):
        return values.number_sql(col, style), None
    if kind == "percent":
        scale = values.detect_percent_scale(samples, style)
        return values.percent_sql(col, style, scale), None
    if kind == "date":
        date_style = values.detect_date_style(samples)
        return values.date_sql(col, date_style), values.STYLE_NOTES.get(date_style)
    if kind in ("minutes", "seconds", "milliseconds"):
        return values.duration_minutes_sql(col, unit, style), values.STYLE_NOTES.get(unit)
    if kind == "rating":
        words = " ".join(f"when {settings_sql.bind(w)} then {n}" for w, n in RATING_WORDS.items())
        number = f"try_cast(replace({text}, ',', '.') as double)"
        return (
            f"case lower(regexp_replace({text}, '\\s+', ' ', 'g')) {words} else "
            f"(case when {number} between 1 and 5 then cast(round({number}) as integer) end) end",
            None,
        )
    if kind == "bool":
        return (
            f"case when lower({text}) in ('true', 't', '1', 'yes', 'y', 'won', 'x') then true "
            f"when lower({text}) in ('false', 'f', '0', 'no', 'n', 'lost', '') then false end",
            None,
        )
    raise ValueError(kind)


def _default_style(raw: RawTable, samples: list[str]) -> str:
    """The number style a column takes when none of its values decides (``1.234`` alone):
    a decimal comma in a ``;``-delimited file (what a spreadsheet set to a decimal-comma
    locale writes) or where amounts carry the euro sign after the number (``600.000 €``, as
    German, French and Spanish write them); else a decimal point."""
    if raw.delimiter == ";" or any(_SIGN_AFTER.search(v) for v in samples):
        return "comma"
    return "point"


_SIGN_AFTER = re.compile(r"[0-9]\s*€")
GROUPED = re.compile(r"[0-9]\.[0-9]{3}(?![0-9])")


def number_style(
    con: duckdb.DuckDBPyConnection, raw: RawTable, header: str, samples: list[str], whole: bool
) -> tuple[str, bool]:
    """A column's number style from all its values (``whole``: the file's text table is
    there to count them in; else the rows read with the head), the file's hints deciding
    only when no value does; and whether they did (no value decided)."""
    default = _default_style(raw, samples)
    if not whole:
        return values.detect_number_style(samples, default), False
    comma, point = values.number_votes_sql(quote_ident(header))
    row = first_row(
        con.execute(
            compose(
                "select {comma}, {point} from {relation}",
                comma=comma,
                point=point,
                relation=quote_ident(raw.relation),
            )
        )
    )
    assert row is not None
    return values.decide_number_style(int(row[0]), int(row[1]), default), row[0] == row[1]


_FIELD_UNITS = {"duration_seconds": "seconds", "duration_ms": "milliseconds"}


def _stated_unit(fld: str, header: str) -> str | None:
    """The duration unit a header states ("(min)", "InSeconds", "HH:MM", "Minutes"), or the
    unit of a field named after one system's column (HubSpot's ``hs_call_duration``: ms)."""
    head = synonyms.parse_header(header)
    if head.unit:
        return head.unit
    for word in head.words:
        if word in ("minutes", "mins", "seconds", "hours"):
            return {"mins": "minutes"}.get(word, word)
    return _FIELD_UNITS.get(fld)


def duration_unit(fld: str, header: str, samples: list[str], style: str) -> tuple[str, str | None]:
    """A duration column's unit and, where the header and the values disagree, a note.

    Values that describe themselves (``1:30``, ``1h 30m``) are read as written. Otherwise a
    unit the header states wins, checked against the values' median (a "(min)" column whose
    median is 1,800,000 is reported); with no unit stated, the values decide
    (``values.detect_duration_unit``: the median's size)."""
    from_values = values.detect_duration_unit(samples)
    if from_values in ("clock", "text"):
        return from_values, None
    stated = _stated_unit(fld, header)
    if stated is None or stated == "clock":
        return from_values, None
    looks = values.unit_contradiction(samples, stated, style)
    if looks is None:
        return stated, None
    return stated, (
        f'"{header}" says the durations are in {stated}, but its values look like {looks}; '
        f"they were read in {stated}, as the header says: check the export"
    )


def activity_type_sql(col: str) -> str:
    # visit / meeting / call / email / other (docs/ingest.md), from CRM wordings.
    low = f"lower(coalesce({col}, ''))"
    return (
        f"case when {low} similar to '.*(visit|on.?site|face.to.face|in.person|field).*' then 'visit' "
        f"when {low} similar to '.*(meeting|appointment|event|demo|presentation|lunch).*' then 'meeting' "
        f"when {low} similar to '.*(call|phone|telephone|tel).*' then 'call' "
        f"when {low} similar to '.*(e.?mail|mail|message).*' then 'email' "
        "else 'other' end"
    )


# --------------------------------------------------------------------------------------------
# Typed reading: the columns of a CSV that DuckDB's reader can parse itself.

# Exactly these shapes are typed: what DuckDB reads from them is what values/ reads.
DATE_SHAPES = {
    "%Y-%m-%d": ("iso", re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")),
    "%d.%m.%Y": ("dmy", re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{4}")),
    "%d/%m/%Y": ("dmy", re.compile(r"[0-9]{2}/[0-9]{2}/[0-9]{4}")),
    "%d-%m-%Y": ("dmy", re.compile(r"[0-9]{2}-[0-9]{2}-[0-9]{4}")),
    "%m/%d/%Y": ("mdy", re.compile(r"[0-9]{2}/[0-9]{2}/[0-9]{4}")),
    "%m-%d-%Y": ("mdy", re.compile(r"[0-9]{2}-[0-9]{2}-[0-9]{4}")),
}
_PLAIN_NUMBER = re.compile(r"-?[0-9]{1,15}([.,][0-9]{1,15})?")
_TYPED_KINDS = ("money", "number", "minutes", "seconds", "milliseconds")


def column_types(raw: RawTable, table: str, mapping: Mapping) -> ColumnTypes | None:
    """Which columns of a pending CSV DuckDB's reader should parse itself: dates in one
    plain format and plain numbers, judged on the rows read with the file's head.

    Why: parsing dates and numbers in SQL cost 3 s of a 5-million-line import; DuckDB's
    reader does it while it reads. Nothing depends on the guess: a later cell DuckDB cannot
    read makes ``materialise`` read the file again as text. Fact tables are typed only when
    the export's ids are mapped: rows without an id are keyed by a hash of their text."""
    if table in ID_FIELDS and not all(f in mapping.values() for f in ID_FIELDS[table]):
        return None
    types: dict[str, str] = {}
    dateformat: str | None = None
    decimal: str | None = None
    for header, fld in mapping.items():
        kind = FIELD_KINDS.get(fld or "")
        if kind not in ("date", *_TYPED_KINDS):
            continue
        samples = head_values(raw, header)
        if not samples or any(v != v.strip() for v in samples):
            continue  # surrounding spaces: the text parsers trim, leave it to them
        if kind == "date":
            fmt = _date_shape(samples)
            if fmt is not None and dateformat in (None, fmt):
                dateformat, types[header] = fmt, "DATE"
            continue
        if not all(_PLAIN_NUMBER.fullmatch(v) for v in samples):
            continue
        seps = {sep for sep in ".," if any(sep in v for v in samples)}
        if len(seps) > 1 or (seps and decimal is not None and seps != {decimal}):
            continue
        style = values.detect_number_style(samples, _default_style(raw, samples))
        if seps and seps != {"." if style == "point" else ","}:
            continue  # "600.000" in a ;-file is six hundred thousand: the text parsers read it
        if (
            kind in values.UNIT_FACTOR
            and duration_unit(fld or "", header, samples, style)[0] != kind
        ):
            continue  # the values or the header say another unit than the field's
        if seps:
            decimal = next(iter(seps))
        types[header] = "DOUBLE"
    if not types:
        return None
    return ColumnTypes(types, dateformat, decimal or ".")


def _date_shape(samples: list[str]) -> str | None:
    """The one strptime format all ``samples`` have, agreeing with ``detect_date_style``."""
    style = values.detect_date_style(samples)
    for fmt, (fmt_style, shape) in DATE_SHAPES.items():
        if fmt_style != style or not all(shape.fullmatch(v) for v in samples):
            continue
        try:
            for v in samples:
                datetime.strptime(v, fmt)  # noqa: DTZ007 - a calendar date, no zone
        except ValueError:
            return None
        return fmt
    return None


def few_distinct(con: duckdb.DuckDBPyConnection, relation: str, header: str) -> bool:
    """Whether a column repeats its values a lot (dates, quantities, round amounts): then
    parsing each distinct value once and joining is far cheaper than parsing every row."""
    col = quote_ident(header)
    row = first_row(
        con.execute(
            compose(
                "select count(distinct c), count(c) from (select {col} as c from {relation} limit 20000)",
                col=col,
                relation=quote_ident(relation),
            )
        )
    )
    return row is not None and row[1] >= 1000 and row[0] * 5 < row[1]


def parse_distinct(
    con: duckdb.DuckDBPyConnection, relation: str, header: str, parsed: str, lookups: list[str]
) -> str:
    """A small table value -> parsed value for ``header``; returns the expression to use."""
    name = f"__parsed_{len(lookups)}"
    col = quote_ident(header)
    con.execute(
        compose(
            "create or replace temp table {name} as select __v, {parsed} as __t from "
            "(select distinct {col} as __v from {relation} where {col} is not null)",
            name=name,
            parsed=parsed,
            col=col,
            relation=quote_ident(relation),
        )
    )
    lookups.append(f"left join {name} on {name}.__v = {quote_ident(relation)}.{col}")
    return f"{name}.__t"


def unread_notes(
    con: duckdb.DuckDBPyConnection, stored: str, fields: dict[str, str], unread: dict[str, str]
) -> list[str]:
    """One note per optional column with values that could not be read (left empty)."""
    if not unread:
        return []
    cols = ", ".join(
        f"count({quote_ident('u_' + f)}), min({quote_ident('u_' + f)})" for f in unread
    )
    row = first_row(
        con.execute(compose("select {cols} from {stored}", cols=cols, stored=quote_ident(stored)))
    )
    assert row is not None
    notes = []
    for i, fld in enumerate(unread):
        n, example = row[2 * i], row[2 * i + 1]
        if n:
            notes.append(
                f'{n:,} row{"s" if n > 1 else ""} had a value in "{fields[fld]}" that is not '
                f'{KIND_WORDS.get(FIELD_KINDS[fld], "readable")} (e.g. "{example}"): '
                f"{fld.replace('_', ' ')} left empty for {'them' if n > 1 else 'it'}; "
                "the rows loaded"
            )
    return notes


ID_FIELDS = {"activities": ["activity_id"], "deals": ["deal_id"], "orders": ["order_id", "line_no"]}
