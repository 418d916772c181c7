"""RawTable + mapping -> canonical rows: parse, validate, match, de-duplicate, keep aside, count.

Why a module of its own: this is where "nothing lost silently" is kept. Every row of a file
ends as loaded, duplicate or rejected (with its line and a reason a sales manager reads),
rows whose account is unknown wait in ``unmatched`` until the account arrives, and the same
rows loaded twice load once. All of it is set-based SQL over the file's TEMP table (one
parsing pass into a resolved TEMP table, then one INSERT per target), because a 5-million-line
invoice export must load about as fast as DuckDB can read it.

Row keys (de-duplication): the export's own id where it has one (activity id, opportunity id,
invoice number + line); otherwise a hash of the row's text plus the occurrence number of that
text within the file, so two identical lines in one file both load (they may be two real
calls), while loading the same file again adds nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import duckdb
import numpy as np

from reltruth.errors import UserError
from reltruth.ingest import synonyms, undo, values
from reltruth.ingest.detect import Mapping, _one, missing_required
from reltruth.ingest.read import (
    ColumnTypes,
    RawTable,
    broken_csv,
    csv_rows,
    csv_source,
    drop_relation,
    head_values,
    materialise,
    needs_blank_check,
    rows_view,
    typed_values_ok,
)
from reltruth.ingest.synonyms import REQUIRED
from reltruth.ingest.values import quote_ident
from reltruth.settings import Settings
from reltruth.workspace import NAME_KEY_SQL

# How each canonical field is written in exports, i.e. which parser reads it.
FIELD_KINDS: dict[str, str] = {
    "rep_id": "text",
    "rep_name": "text",
    "manager": "text",
    "team": "text",
    "region": "text",
    "email": "text",
    "quota": "money",
    "account_id": "text",
    "account_name": "text",
    "owner_rep_id": "text",
    "owner_rep_name": "text",
    "potential": "money",
    "segment": "text",
    "relationship_rating": "rating",
    "owner_since": "date",
    "company_revenue": "money",
    "employees": "number",
    "activity_id": "text",
    "activity_date": "date",
    "activity_type": "text",
    "duration_minutes": "minutes",
    "duration_seconds": "seconds",
    "duration_ms": "milliseconds",
    "travel_minutes": "minutes",
    "contact_role": "text",
    "order_id": "text",
    "line_no": "text",
    "order_date": "date",
    "net_amount": "money",
    "list_amount": "money",
    "discount_amount": "money",
    "discount_pct": "percent",
    "product": "text",
    "product_category": "text",
    "quantity": "number",
    "currency": "text",
    "deal_id": "text",
    "stage": "text",
    "is_won": "bool",
    "engage_date": "date",
    "close_date": "date",
    "value": "money",
    "list_price": "money",
    "series": "text",
}

_KIND_WORDS = {
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

# Product names match a price list ignoring case, spaces and punctuation ("GTXPro" = "GTX Pro").
PRODUCT_KEY_SQL = "nullif(lower(regexp_replace({col}, '[^[:alnum:]]', '', 'g')), '')"


def name_key_sql(col: str) -> str:
    return NAME_KEY_SQL.format(col=col)


def product_key_sql(col: str) -> str:
    return PRODUCT_KEY_SQL.format(col=col)


@dataclass
class FileResult:
    """What loading one file did; becomes a FileReport."""

    table: str
    rows_read: int
    rows_loaded: int = 0
    rows_duplicate: int = 0
    rows_rejected: int = 0
    rejects: list[tuple[int, str]] = field(default_factory=list)
    unmatched_accounts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class _Sql:
    """Collects bound parameters while a statement is built: values never enter SQL text."""

    def __init__(self) -> None:
        self.params: dict[str, Any] = {}

    def bind(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f"${name}"


# --------------------------------------------------------------------------------------------
# Value parsing: one expression per field, chosen from a sample of the column's values.


def _samples(con: duckdb.DuckDBPyConnection, relation: str, header: str, n: int = 200) -> list[str]:
    col = quote_ident(header)
    rows = con.execute(
        f"select {col} from {quote_ident(relation)} where nullif(trim({col}), '') is not null "  # noqa: S608
        f"limit {int(n)}"
    ).fetchall()
    return [str(r[0]) for r in rows]


_REASON_KINDS = {
    "money": "amount",
    "number": "number",
    "date": "date",
    "percent": "percent",
    "minutes": "duration",
    "seconds": "duration",
    "milliseconds": "duration",
}


def _typed(
    kind: str,
    col: str,
    samples: list[str],
    settings_sql: _Sql,
    *,
    style: str = "point",
    unit: str = "minutes",
) -> tuple[str, str | None]:
    """The SQL expression reading raw text column ``col`` as ``kind`` (NULL when unreadable),
    and a note on how the values were read (style chosen from the sample), if worth saying.
    ``style``: the column's number style (``_number_style``); ``unit``: a duration's unit
    (``_duration_unit``)."""
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
_GROUPED = re.compile(r"[0-9]\.[0-9]{3}(?![0-9])")


def _number_style(
    con: duckdb.DuckDBPyConnection, raw: RawTable, header: str, samples: list[str], whole: bool
) -> tuple[str, bool]:
    """A column's number style from all its values (``whole``: the file's text table is
    there to count them in; else the rows read with the head), the file's hints deciding
    only when no value does; and whether they did (no value decided)."""
    default = _default_style(raw, samples)
    if not whole:
        return values.detect_number_style(samples, default), False
    comma, point = values.number_votes_sql(quote_ident(header))
    row = _one(con.execute(f"select {comma}, {point} from {quote_ident(raw.relation)}"))  # noqa: S608
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


def _duration_unit(fld: str, header: str, samples: list[str], style: str) -> tuple[str, str | None]:
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


def _activity_type_sql(col: str) -> str:
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

# Exactly these shapes are typed: what DuckDB reads from them is what values.py reads.
_DATE_SHAPES = {
    "%Y-%m-%d": ("iso", re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")),
    "%d.%m.%Y": ("dmy", re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{4}")),
    "%d/%m/%Y": ("dmy", re.compile(r"[0-9]{2}/[0-9]{2}/[0-9]{4}")),
    "%d-%m-%Y": ("dmy", re.compile(r"[0-9]{2}-[0-9]{2}-[0-9]{4}")),
    "%m/%d/%Y": ("mdy", re.compile(r"[0-9]{2}/[0-9]{2}/[0-9]{4}")),
    "%m-%d-%Y": ("mdy", re.compile(r"[0-9]{2}-[0-9]{2}-[0-9]{4}")),
}
_PLAIN_NUMBER = re.compile(r"-?[0-9]{1,15}([.,][0-9]{1,15})?")
_TYPED_KINDS = ("money", "number", "minutes", "seconds", "milliseconds")


def _column_types(raw: RawTable, table: str, mapping: Mapping) -> ColumnTypes | None:
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
            and _duration_unit(fld or "", header, samples, style)[0] != kind
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
    for fmt, (fmt_style, shape) in _DATE_SHAPES.items():
        if fmt_style != style or not all(shape.fullmatch(v) for v in samples):
            continue
        try:
            for v in samples:
                datetime.strptime(v, fmt)  # noqa: DTZ007 - a calendar date, no zone
        except ValueError:
            return None
        return fmt
    return None


# --------------------------------------------------------------------------------------------
# Staging: parse every mapped column once, with the first reason a row cannot load.


@dataclass
class _Stage:
    relation: str  # a view: the stored table plus the columns computed from it
    fields: dict[str, str]  # canonical field -> file header
    params: dict[str, Any]
    notes: list[str]
    table: str = ""  # the stored table behind ``relation`` (for UPDATEs)
    key_text: str = "__key"  # over the stored table: equal exactly when the row keys are
    rows: str = ""  # the stage without its references resolved ("": ``relation`` is that)
    refs: dict[str, str] = field(default_factory=dict)  # reference field -> its lookup table
    replace: bool = False  # rows of this file's keys replace loaded ones (reps, accounts)

    @property
    def base(self) -> str:
        """What to read for the stored columns alone (cheaper than ``relation``)."""
        return self.rows or self.relation


def drop_stage(con: duckdb.DuckDBPyConnection, stage: _Stage) -> None:
    for view in (stage.relation, stage.rows):
        if view:
            con.execute(f"drop view if exists {quote_ident(view)}")
    con.execute(f"drop table if exists {quote_ident(stage.table)}")
    con.execute(f"drop table if exists {quote_ident(stage.table + '_lines')}")


def _stage(
    con: duckdb.DuckDBPyConnection,
    raw: RawTable,
    table: str,
    mapping: Mapping,
    settings: Settings,
    *,
    extra: Sequence[str] = (),
    q: _Sql | None = None,
    ids_complete: bool = False,
    source: tuple[str, dict[str, Any]] | None = None,
) -> _Stage:
    """A TEMP table with ``__line``, one typed column ``f_<field>`` per mapped field,
    ``__reason`` (NULL when the row is fine) and ``extra`` columns (over ``s``, the parsed
    row), and a view of it adding ``__row`` and ``__key``. A key made of the row's ids is
    computed when read, not stored: keeping a 5-million-row stage within the memory limit
    mattered more than recomputing it (a content-hash key needs the raw row: stored).

    ``source``: a query over DuckDB's CSV reader (``read.csv_source``) to read instead of the
    file's text table: one pass over the file, no lookups (see ``_direct_fact_stage``)."""
    fields = {fld: header for header, fld in mapping.items() if fld}
    q = q or _Sql()
    lookups: list[str] = []  # LEFT JOINs of columns parsed once per distinct value
    typed: list[str] = []
    rawcols: list[str] = []
    checks: list[str] = []
    notes: list[str] = []
    unread: dict[str, str] = {}  # optional field -> its unreadable text (NULL when fine)
    for fld, header in fields.items():
        kind = FIELD_KINDS[fld]
        col = quote_ident(header)
        if header in raw.typed:  # DuckDB's reader parsed it (see _column_types)
            value = f"({col} * {values.UNIT_FACTOR[kind]!r})" if kind in values.UNIT_FACTOR else col
            typed.append(f"{value} as {quote_ident('f_' + fld)}")
            # The note the text path gives for the style it would have chosen.
            style = _DATE_SHAPES[raw.dateformat][0] if kind == "date" and raw.dateformat else kind
            if kind == "date" or kind in values.UNIT_FACTOR:
                notes.append(f'"{header}": {values.STYLE_NOTES[style]}')
            continue
        if kind == "text":
            samples = []
        elif source is not None:
            samples = head_values(raw, header)
        else:
            samples = _samples(con, raw.relation, header)
        style, unit = "point", "minutes"
        if kind in ("money", "number", "percent", *values.UNIT_FACTOR):
            style, by_hint = _number_style(con, raw, header, samples, whole=source is None)
            if by_hint and style == "comma" and any(_GROUPED.search(v) for v in samples):
                notes.append(
                    f'"{header}": no value decides between 1.234 = 1234 and 1.234 = 1.234; '
                    "read with a decimal comma, as the file's ; delimiter or € signs say"
                )
        if kind in values.UNIT_FACTOR:
            unit, conflict = _duration_unit(fld, header, samples, style)
            if conflict:
                notes.append(conflict)
        expr, style_note = _typed(kind, col, samples, q, style=style, unit=unit)
        if kind in _REASON_KINDS and source is None and _few_distinct(con, raw.relation, header):
            expr = _parse_distinct(
                con,
                raw.relation,
                header,
                _typed(kind, '"__v"', samples, q, style=style, unit=unit)[0],
                lookups,
            )
        typed.append(f"{expr} as {quote_ident('f_' + fld)}")
        if style_note:
            notes.append(f'"{header}": {style_note}')
        if kind != "text":
            # The raw text is looked at only where the value did not parse (failed_sql).
            r, f = quote_ident("r_" + fld), quote_ident("f_" + fld)
            rawcols.append(f"{col} as {r}")
            if kind in _REASON_KINDS:  # values.py: a placeholder like "n/a" is blank, not wrong
                bad, why = values.failed_sql(r, f), values.reason_sql(r, _REASON_KINDS[kind])
            else:
                bad, why = (
                    f"(case when {f} is null then nullif(trim({r}), '') is not null else false end)",
                    f"""'"' || trim({r}) || '" is not {_KIND_WORDS[kind]}'""",
                )
            if any(fld in group for group in REQUIRED[table]):
                checks.append(
                    f"case when {bad} then {why} || ' (column \"' || {q.bind(header)} || '\")' end"
                )
            else:
                # An optional field that cannot be read stays empty for the row (counted in a
                # note): a rating of "Neutral" must not cost the account.
                unread[fld] = f"case when {bad} then trim({r}) end"
    for group in REQUIRED[table]:
        present = [f for f in group if f in fields]
        if table == "deals" and group == ("value",):
            continue  # only won deals need a value (see _table_checks)
        if not present:
            continue
        cond = " and ".join(f"{quote_ident('f_' + f)} is null" for f in present)
        shown = " or ".join(f'"{fields[f]}"' for f in present)
        checks.append(
            f"case when {cond} then 'missing required value (column ' || {q.bind(shown)} || ')' end"
        )
    checks.extend(_table_checks(table, fields, q))
    reason = f"coalesce({', '.join(checks)})" if checks else "null::varchar"
    key, needs_occurrence = _row_key_sql(table, fields, ids_complete)
    relation = f"{raw.relation}__stage"
    inner = ", ".join(
        [
            "__line",
            *typed,
            *rawcols,
            *([f"{_content_hash(raw.headers)} as __hash"] if needs_occurrence else []),
        ]
    )
    occ = (
        ", row_number() over (partition by __hash order by __line) as __occ"
        if needs_occurrence
        else ""
    )
    keep = ", ".join(["s.__line", *[f"s.{quote_ident('f_' + f)}" for f in fields]])
    more = "".join(f", {e}" for e in extra) + "".join(
        f", {e} as {quote_ident('u_' + f)}" for f, e in unread.items()
    )
    # A key made of the row's own fields is recomputed when read; a content-hash key needs
    # the raw row, so it is stored.
    stored_key = ", s.__key" if needs_occurrence else ""
    stored = f"{relation}_t"
    rel = quote_ident(raw.relation)
    origin = f"({source[0]}) {rel}" if source is not None else rel
    con.execute(
        f"create or replace temp table {quote_ident(stored)} as "  # noqa: S608 - quoted names
        f"select {keep}, {reason} as __reason{stored_key}{more} from ("
        f"select *, {key} as __key from (select *{occ} from (select {inner} "
        f"from {origin} {' '.join(lookups)}))) s",
        {**q.params, **(source[1] if source is not None else {})},
    )
    computed = [] if needs_occurrence else [f"{key} as __key"]
    # __row: the stored row, for UPDATEs (a row's line is not stored on every path).
    con.execute(
        f"create or replace temp view {quote_ident(relation)} as select s.rowid as __row, s.*"  # noqa: S608
        f"{''.join(', ' + c for c in computed)} from {quote_ident(stored)} s"
    )
    for i in range(len(lookups)):
        con.execute(f"drop table if exists {quote_ident(f'__parsed_{i}')}")
    notes.extend(_unread_notes(con, stored, fields, unread))
    # The id key without its constant prefix: DuckDB's string hash collided for one key in
    # ten with the prefix on real invoice numbers, and for none without it.
    key_text = key.removeprefix("'id:' || ") if not needs_occurrence else "__key"
    return _Stage(relation, fields, q.params, notes, stored, key_text)


def _unread_notes(
    con: duckdb.DuckDBPyConnection, stored: str, fields: dict[str, str], unread: dict[str, str]
) -> list[str]:
    """One note per optional column with values that could not be read (left empty)."""
    if not unread:
        return []
    cols = ", ".join(
        f"count({quote_ident('u_' + f)}), min({quote_ident('u_' + f)})" for f in unread
    )
    row = _one(con.execute(f"select {cols} from {quote_ident(stored)}"))  # noqa: S608
    assert row is not None
    notes = []
    for i, fld in enumerate(unread):
        n, example = row[2 * i], row[2 * i + 1]
        if n:
            notes.append(
                f'{n:,} row{"s" if n > 1 else ""} had a value in "{fields[fld]}" that is not '
                f'{_KIND_WORDS.get(FIELD_KINDS[fld], "readable")} (e.g. "{example}"): '
                f"{fld.replace('_', ' ')} left empty for {'them' if n > 1 else 'it'}; "
                "the rows loaded"
            )
    return notes


def _few_distinct(con: duckdb.DuckDBPyConnection, relation: str, header: str) -> bool:
    """Whether a column repeats its values a lot (dates, quantities, round amounts): then
    parsing each distinct value once and joining is far cheaper than parsing every row."""
    col = quote_ident(header)
    row = _one(
        con.execute(
            f"select count(distinct c), count(c) from (select {col} as c from {quote_ident(relation)} limit 20000)"  # noqa: S608
        )
    )
    return row is not None and row[1] >= 1000 and row[0] * 5 < row[1]


def _parse_distinct(
    con: duckdb.DuckDBPyConnection, relation: str, header: str, parsed: str, lookups: list[str]
) -> str:
    """A small table value -> parsed value for ``header``; returns the expression to use."""
    name = f"__parsed_{len(lookups)}"
    col = quote_ident(header)
    con.execute(
        f"create or replace temp table {name} as select __v, {parsed} as __t from "  # noqa: S608
        f"(select distinct {col} as __v from {quote_ident(relation)} where {col} is not null)"
    )
    lookups.append(f"left join {name} on {name}.__v = {quote_ident(relation)}.{col}")
    return f"{name}.__t"


def _table_checks(table: str, fields: dict[str, str], q: _Sql) -> list[str]:
    checks = []
    if table == "deals":
        won = _won_sql(fields)
        if "close_date" in fields:
            checks.append(
                f"case when {won} and f_close_date is null then 'won deal without a close date' end"
            )
        else:
            checks.append(f"case when {won} then 'won deal without a close date' end")
        checks.append(
            f"case when {won} and f_value is null then 'won deal without a close value' end"
        )
        if "account_id" in fields or "account_name" in fields:
            acct = " and ".join(
                f"f_{f} is null" for f in ("account_id", "account_name") if f in fields
            )
            checks.append(f"case when {won} and {acct} then 'won deal without an account' end")
        else:
            checks.append(f"case when {won} then 'won deal without an account' end")
    if table == "accounts" and "potential" in fields:
        checks.append("case when f_potential < 0 then 'potential is negative' end")
    if table == "accounts" and "employees" in fields:
        # Loaded as a whole number: 10^20 would fail the cast (and the whole import) later.
        checks.append(
            "case when f_employees < 0 or f_employees >= 1e12 "
            "then 'employees is not a plausible head count' end"
        )
    return checks


def _won_sql(fields: dict[str, str]) -> str:
    """True for a won deal: an IsWon flag, else a stage that says won (not lost)."""
    parts = []
    if "is_won" in fields:
        parts.append("coalesce(f_is_won, false)")
    if "stage" in fields:
        parts.append(
            "(lower(coalesce(f_stage, '')) like '%won%' and lower(f_stage) not like '%lost%')"
        )
    return "(" + " or ".join(parts) + ")" if parts else "false"


def _stage_sql(fields: dict[str, str]) -> str:
    won = _won_sql(fields)
    lost = "false"
    if "stage" in fields:
        lost = "lower(coalesce(f_stage, '')) similar to '.*(lost|cancel|disqualif|closed).*'"
    if "is_won" in fields and "stage" not in fields:
        lost = "f_is_won = false"
    return f"case when {won} then 'won' when {lost} then 'lost' else 'open' end"


def _content_hash(headers: list[str]) -> str:
    cols = ", ".join(f"coalesce({quote_ident(h)}, '')" for h in headers)
    return f"md5(concat_ws(chr(31), {cols}))"


ID_FIELDS = {"activities": ["activity_id"], "deals": ["deal_id"], "orders": ["order_id", "line_no"]}
# A loaded row's key (schema.sql): row_key where stored, else rebuilt from the export's id.
NATURAL_KEYS = {
    "activities": "coalesce(row_key, 'id:' || activity_id)",
    "orders": "coalesce(row_key, 'id:' || order_id || '/' || line_no)",
    "pipeline": "row_key",
}


def _stored_key(stage: _Stage, table: str) -> str:
    """``row_key`` as written: null where the export's own id is the key (NATURAL_KEYS
    rebuilds it), the stage's key (a content hash) otherwise."""
    ids = ID_FIELDS[table]
    if not all(f in stage.fields for f in ids):
        return "s.__key"
    if stage.key_text != "__key":  # every row has its id (the stage was keyed by ids alone)
        return "null::varchar"
    missing = " or ".join(f"s.f_{f} is null" for f in ids)
    return f"case when {missing} then s.__key end"


def _row_key_sql(table: str, fields: dict[str, str], ids_complete: bool) -> tuple[str, bool]:
    """The row key expression and whether it needs the occurrence number (hash keys)."""
    hashed = "'h:' || __hash || ':' || __occ"
    ids = ID_FIELDS.get(table)
    if ids and all(f in fields for f in ids):
        idexpr = " || '/' || ".join(f"f_{f}" for f in ids)
        if ids_complete:
            return f"'id:' || {idexpr}", False
        return f"coalesce('id:' || {idexpr}, {hashed})", True
    if table in ("activities", "orders", "deals"):
        return hashed, True
    return "null::varchar", False


# --------------------------------------------------------------------------------------------
# Lookups: ids and names of what is already loaded.


# What the lookups are built from; equal fingerprints spare rebuilding them (0.15 s each
# for 30,000 accounts, three or four times per import).
_LOOKUP_FINGERPRINT = (
    "select (select count(*) || ':' || coalesce(bit_xor(hash(account_id, account_name)), 0) "
    "from accounts) || '|' || (select count(*) || ':' || coalesce(bit_xor(hash(rep_id, rep_name)), 0) "
    "from reps) || '|' || (select count(*) || ':' || coalesce(bit_xor(hash(product, list_price)), 0) "
    "from price_list)"
)


def _refresh_lookups(con: duckdb.DuckDBPyConnection) -> None:
    """Name keys of loaded accounts and reps (one id per key, ids before names)."""
    row = _one(con.execute(_LOOKUP_FINGERPRINT))
    fingerprint = str(row[0]) if row else ""
    con.execute("create temp table if not exists __lookup_state (fingerprint varchar)")
    if _exists(con, "select 1 from __lookup_state where fingerprint = $f", {"f": fingerprint}):
        return
    con.execute(
        "create or replace temp table __acct_keys as "  # noqa: S608
        "select k, account_id from ("
        f"  select {name_key_sql('account_id')} as k, account_id, 0 as prio from accounts "
        f"  union all select {name_key_sql('account_name')}, account_id, 1 from accounts"
        ") where k is not null "
        "qualify row_number() over (partition by k order by prio, account_id) = 1"
    )
    con.execute(
        "create or replace temp table __rep_keys as "  # noqa: S608
        "select k, rep_id from ("
        f"  select {name_key_sql('rep_id')} as k, rep_id, 0 as prio from reps "
        f"  union all select {name_key_sql('rep_name')}, rep_id, 1 from reps"
        ") where k is not null "
        "qualify row_number() over (partition by k order by prio, rep_id) = 1"
    )
    con.execute(
        "create or replace temp table __price_keys as "  # noqa: S608
        f"select {product_key_sql('product')} as k, any_value(product) as product, "
        "any_value(list_price) as list_price from price_list group by all"
    )
    con.execute("delete from __lookup_state")
    con.execute("insert into __lookup_state values ($f)", {"f": fingerprint})


def _ref_joins(
    fields: dict[str, str], id_field: str, name_field: str, alias: str, keys: str, base: str
) -> tuple[str, str]:
    """LEFT JOINs resolving an id-or-name reference; returns (joins, resolved id expr)."""
    joins, picks = [], []
    if id_field in fields:
        joins.append(f"left join {base} {alias}1 on {alias}1.{_id_col(base)} = s.f_{id_field}")
        joins.append(f"left join {keys} {alias}2 on {alias}2.k = {name_key_sql('s.f_' + id_field)}")
        picks += [f"{alias}1.{_id_col(base)}", f"{alias}2.{_id_col(base)}"]
    if name_field in fields:
        joins.append(
            f"left join {keys} {alias}3 on {alias}3.k = {name_key_sql('s.f_' + name_field)}"
        )
        picks.append(f"{alias}3.{_id_col(base)}")
    expr = f"coalesce({', '.join(picks)})" if picks else "null::varchar"
    return " ".join(joins), expr


def _id_col(base: str) -> str:
    return "account_id" if base == "accounts" else "rep_id"


def _ref_text(fields: dict[str, str], id_field: str, name_field: str) -> str:
    """The reference as the file wrote it (name preferred: it is what the user recognises)."""
    parts = [f"s.f_{f}" for f in (name_field, id_field) if f in fields]
    return f"coalesce({', '.join(parts)})" if parts else "null::varchar"


def _new_rep_id(fields: dict[str, str], id_field: str, name_field: str) -> str:
    """The id an implicitly created rep gets: the id given, else the name's key."""
    parts = []
    if id_field in fields:
        parts.append(f"s.f_{id_field}")
    if name_field in fields:
        parts.append(name_key_sql(f"s.f_{name_field}"))
    return f"coalesce({', '.join(parts)})" if parts else "null::varchar"


# --------------------------------------------------------------------------------------------
# Loading one file.


def load_raw(
    con: duckdb.DuckDBPyConnection,
    raw: RawTable,
    table: str,
    mapping: Mapping,
    settings: Settings,
    *,
    replace: bool = False,
) -> FileResult:
    """Load one read file into its canonical table(s); the caller holds the transaction.
    ``replace``: what earlier imports of a file of the same name loaded is replaced, not
    skipped as already loaded (a re-import with a corrected mapping)."""
    missing = missing_required(table, mapping)
    if missing:
        need = "; ".join(" or ".join(group) for group in missing)
        raise UserError(
            f"{raw.source} cannot load as {table}: no column gives {need}; map a column to it."
        )
    replaced = _forget_file(con, raw.source) if replace else 0
    _refresh_lookups(con)
    pending = raw if raw.pending is not None else None
    stage: _Stage | None = None
    if pending is not None:
        types = _column_types(pending, table, mapping)
        if _direct_eligible(pending, table, mapping):
            direct = _direct_fact_stage(con, pending, table, mapping, settings, types)
            if direct is not None:
                raw, stage = direct
            types = None  # the file needs its text table after all
        if stage is None:
            raw = materialise(con, pending, types)
    if stage is not None:
        pass  # read straight into its stage
    elif table in ("activities", "orders", "deals"):
        stage = _fact_stage(con, raw, table, mapping, settings)
        if stage is None and pending is not None:
            # Rows without their id are keyed by a hash of their text: read it as text.
            raw = materialise(con, pending)
            stage = _fact_stage(con, raw, table, mapping, settings)
        assert stage is not None
    else:
        stage = _stage(con, raw, table, mapping, settings)
    # The stage holds everything from here on: the file's text (a gigabyte for 5 million
    # lines) goes now, before the canonical tables are written, not after.
    drop_relation(con, raw.relation)
    if table in ("activities", "orders", "deals"):
        _flag_repeated_ids(con, stage)
    result = FileResult(table=table, rows_read=raw.rows_read, rejects=list(raw.rejects))
    result.notes.extend(stage.notes)
    stage.replace = replace
    if replaced:
        result.notes.append(
            f"{replaced:,} rows an earlier import of {raw.source} loaded were removed: this "
            "import replaces them"
        )
    loader = {
        "reps": _load_reps,
        "accounts": _load_accounts,
        "price_list": _load_price_list,
        "activities": _load_activities,
        "orders": _load_orders,
        "deals": _load_deals,
    }[table]
    loader(con, stage, raw, settings, result)
    drop_stage(con, stage)
    con.execute(f"drop table if exists {quote_ident(stage.relation + '__res')}")
    for ref in _REFS:
        con.execute(f"drop table if exists {quote_ident(ref)}")
    result.rejects.sort()
    result.rows_rejected = len(result.rejects)
    total = result.rows_loaded + result.rows_duplicate + result.rows_rejected
    # Nothing lost silently (docs/ingest.md, 'The load report'). A mismatch is a bug, never a
    # user error: raised, not asserted, so that `python -O` keeps the check, and inside the
    # import's transaction, so the import changes nothing.
    if total != result.rows_read:
        raise RuntimeError(
            f"row accounting of {raw.source}: {result.rows_read} read, {result.rows_loaded} "
            f"loaded + {result.rows_duplicate} duplicate + {result.rows_rejected} rejected"
        )
    return result


def _forget_file(con: duckdb.DuckDBPyConnection, source: str) -> int:
    """Remove the activities, order lines, deals and kept-aside rows earlier imports of a
    file of this name loaded (they carry its name); returns how many."""
    removed = 0
    for table in ("activities", "orders", "pipeline", "unmatched"):
        where = f"from {quote_ident(table)} where source_file = $f"  # fixed names
        # A won deal is in pipeline and in orders: count it once.
        only = " and source = 'orders'" if table == "orders" else ""
        row = _one(con.execute(f"select count(*) {where}{only}", {"f": source}))  # noqa: S608
        removed += int(row[0]) if row else 0
        if _exists(con, f"select 1 {where}", {"f": source}):  # noqa: S608
            undo.before_change(con, table)
            con.execute(f"delete {where}", {"f": source})  # noqa: S608
    return removed


def _collect_rejects(con: duckdb.DuckDBPyConnection, stage: _Stage, result: FileResult) -> None:
    rows = con.execute(
        f"select __line, __reason from {quote_ident(stage.base)} where __reason is not null "  # noqa: S608
        "order by __line"
    ).fetchall()
    result.rejects.extend((int(line), str(reason)) for line, reason in rows)


def _counts(con: duckdb.DuckDBPyConnection, res: str) -> tuple[int, int]:
    row = _one(
        con.execute(
            f"select count(*) filter (where __reason is null and not __dup), "  # noqa: S608
            f"count(*) filter (where __reason is null and __dup) from {quote_ident(res)}"
        )
    )
    assert row is not None
    return int(row[0]), int(row[1])


def _f(stage: _Stage, fld: str, cast: str = "varchar") -> str:
    """The typed column for a field, or a typed NULL when the file does not have it."""
    return f"s.f_{fld}" if fld in stage.fields else f"null::{cast}"


def _load_reps(
    con: duckdb.DuckDBPyConnection,
    stage: _Stage,
    raw: RawTable,
    settings: Settings,
    result: FileResult,
) -> None:
    _collect_rejects(con, stage, result)
    res = stage.relation + "__res"
    rep_id = _new_rep_id(stage.fields, "rep_id", "rep_name")
    if stage.replace:  # the file's reps replace the loaded ones of the same id
        con.execute(
            f"update reps set is_implicit = true where rep_id in (select {rep_id} "  # noqa: S608
            f"from {quote_ident(stage.relation)} where __reason is null)"
        )
    con.execute(
        f"create temp table {quote_ident(res)} as select s.*, {rep_id} as __id, "  # noqa: S608
        "(coalesce(not r.is_implicit, false) "
        f"or row_number() over (partition by {rep_id} order by s.__line) > 1) as __dup "
        f"from {quote_ident(stage.relation)} s left join reps r on r.rep_id = {rep_id}"
    )
    cols = ["rep_name", "manager", "team", "region", "email", "quota"]
    sel = ", ".join(_f(stage, c, "double" if c == "quota" else "varchar") for c in cols)
    con.execute(
        f"insert or replace into reps (rep_id, {', '.join(cols)}, is_implicit) "  # noqa: S608
        f"select s.__id, {sel}, false from {quote_ident(res)} s where s.__reason is null and not s.__dup"
    )
    # A rep created earlier from a name ("frank berger") who now arrives with an id (R01):
    # point everything at the real id and drop the placeholder.
    merged = _merge_implicit_reps(con)
    if merged:
        result.notes.append(
            f"{merged} reps created earlier from names now use their ids from this file"
        )
    result.rows_loaded, result.rows_duplicate = _counts(con, res)


def _merge_implicit_reps(con: duckdb.DuckDBPyConnection) -> int:
    con.execute(
        "create or replace temp table __rep_merge as "  # noqa: S608
        "select i.rep_id as old_id, min(r.rep_id) as new_id from reps i join reps r "
        f"on i.is_implicit and not r.is_implicit and r.rep_id <> i.rep_id and i.rep_id = {name_key_sql('r.rep_name')} "
        "group by i.rep_id"
    )
    row = _one(con.execute("select count(*) from __rep_merge"))
    n = int(row[0]) if row else 0
    if n:
        for table in undo.APPENDED:
            undo.before_change(con, table)
        for table, col in (
            ("activities", "rep_id"),
            ("orders", "rep_id"),
            ("pipeline", "rep_id"),
            ("accounts", "owner_rep_id"),
        ):
            con.execute(
                f"update {table} set {col} = m.new_id from __rep_merge m where {table}.{col} = m.old_id"  # noqa: S608
            )
        con.execute("delete from reps where rep_id in (select old_id from __rep_merge)")
    return n


def _ensure_reps(
    con: duckdb.DuckDBPyConnection, res: str, id_col: str, name_col: str | None
) -> None:
    """Reps named by other tables and not loaded yet are created (spec: implicit reps)."""
    name = f"any_value(s.{name_col})" if name_col else "null::varchar"
    con.execute(
        "insert into reps (rep_id, rep_name, is_implicit) "  # noqa: S608
        f"select s.{id_col}, {name}, true from {quote_ident(res)} s "
        f"where s.{id_col} is not null and s.__reason is null and not s.__dup "
        f"and s.{id_col} not in (select rep_id from reps) group by s.{id_col}"
    )


def _load_accounts(
    con: duckdb.DuckDBPyConnection,
    stage: _Stage,
    raw: RawTable,
    settings: Settings,
    result: FileResult,
) -> None:
    _collect_rejects(con, stage, result)
    res = stage.relation + "__res"
    acct_id = f"coalesce({_f(stage, 'account_id')}, {name_key_sql(_f(stage, 'account_name'))})"
    joins, owner = _ref_joins(
        stage.fields, "owner_rep_id", "owner_rep_name", "o", "__rep_keys", "reps"
    )
    new_owner = _new_rep_id(stage.fields, "owner_rep_id", "owner_rep_name")
    owner_name = _f(stage, "owner_rep_name")
    if stage.replace:  # the file's accounts replace the loaded ones of the same id
        con.execute(
            f"delete from accounts where account_id in (select {acct_id} "  # noqa: S608
            f"from {quote_ident(stage.relation)} where __reason is null)"
        )
    con.execute(
        f"create temp table {quote_ident(res)} as select s.*, {acct_id} as __id, "  # noqa: S608
        f"coalesce({owner}, {new_owner}) as __owner, {owner_name} as __owner_name, "
        f"(a.account_id is not null or row_number() over (partition by {acct_id} order by s.__line) > 1) as __dup "
        f"from {quote_ident(stage.relation)} s {joins} left join accounts a on a.account_id = {acct_id}"
    )
    _ensure_reps(con, res, "__owner", "__owner_name")
    cols = {
        "account_name": "varchar",
        "potential": "double",
        "segment": "varchar",
        "region": "varchar",
        "relationship_rating": "integer",
        "owner_since": "date",
        "company_revenue": "double",
        "employees": "bigint",
    }
    name = "coalesce(s.f_account_name, s.__id)" if "account_name" in stage.fields else "s.__id"
    sel = ", ".join(
        name if c == "account_name" else f"cast({_f(stage, c, t)} as {t})" for c, t in cols.items()
    )
    con.execute(
        f"insert into accounts (account_id, {', '.join(cols)}, owner_rep_id, potential_estimated) "  # noqa: S608
        f"select s.__id, {sel}, s.__owner, false from {quote_ident(res)} s "
        "where s.__reason is null and not s.__dup"
    )
    result.rows_loaded, result.rows_duplicate = _counts(con, res)


def _load_price_list(
    con: duckdb.DuckDBPyConnection,
    stage: _Stage,
    raw: RawTable,
    settings: Settings,
    result: FileResult,
) -> None:
    _collect_rejects(con, stage, result)
    res = stage.relation + "__res"
    con.execute(
        f"create temp table {quote_ident(res)} as select s.*, "  # noqa: S608
        "(p.product is not null and p.list_price = s.f_list_price "
        " or row_number() over (partition by s.f_product order by s.__line desc) > 1) as __dup, "
        "p.product is not null as __update "
        f"from {quote_ident(stage.relation)} s left join price_list p on p.product = s.f_product"
    )
    con.execute(
        "delete from price_list where product in "  # noqa: S608
        f"(select f_product from {quote_ident(res)} where __reason is null and not __dup and __update)"
    )
    con.execute(
        "insert into price_list (product, list_price, series) "  # noqa: S608
        f"select s.f_product, s.f_list_price, {_f(stage, 'series')} from {quote_ident(res)} s "
        "where s.__reason is null and not s.__dup"
    )
    result.rows_loaded, result.rows_duplicate = _counts(con, res)
    _refresh_lookups(con)
    # Orders and deals loaded before this price list get their list values now.
    filled = _backfill_list_amounts(con)
    if filled:
        result.notes.append(
            f"list values added to {filled:,} earlier order lines from this price list"
        )


def _backfill_list_amounts(con: duckdb.DuckDBPyConnection) -> int:
    # A price list fills list values of orders loaded before it: undo needs them as they were.
    undo.before_change(con, "orders")
    row = _one(
        con.execute(
            "update orders set list_amount = coalesce(orders.quantity, 1) * p.list_price from __price_keys p "  # noqa: S608
            f"where orders.list_amount is null and p.k = {product_key_sql('orders.product')}"
        )
    )
    con.execute(
        "update pipeline set list_amount = p.list_price from __price_keys p "  # noqa: S608
        f"where pipeline.list_amount is null and p.k = {product_key_sql('pipeline.product')}"
    )
    return int(row[0]) if row else 0


_REFS = (
    "__ref_account_id",
    "__ref_account_name",
    "__ref_rep_id",
    "__ref_rep_name",
    "__ref_type",
    "__ref_product",
)


def _distinct_raw(relation: str, column: str) -> str:
    """Each distinct raw text of a column with its trimmed form (``__v``, ``__t``): the
    distinct values come first and only they are trimmed (trimming every cell of a
    5-million-row column costs more than the whole lookup)."""
    col = quote_ident(column)
    return (
        f"(select __v, nullif(trim(__v), '') as __t from (select distinct {col} as __v "  # noqa: S608
        f"from {quote_ident(relation)} where {col} is not null)) d"
    )


def _ref_table(con: duckdb.DuckDBPyConnection, relation: str, column: str, fld: str) -> str:
    """Distinct values of a reference column resolved once (a few hundred names, not millions
    of rows): account -> loaded account id (or NULL); rep -> loaded rep id, else a new id.
    Keyed by the text as the stage holds it (``__v``; ``__t`` trimmed once more)."""
    name = f"__ref_{fld}"
    if fld.startswith("account"):
        exact = "left join accounts a on a.account_id = d.__t " if fld == "account_id" else ""
        pick = "coalesce(a.account_id, k.account_id)" if exact else "k.account_id"
        keys = "__acct_keys"
    else:
        exact = "left join reps a on a.rep_id = d.__t " if fld == "rep_id" else ""
        new = "d.__t" if fld == "rep_id" else name_key_sql("d.__t")
        pick = f"coalesce(a.rep_id, k.rep_id, {new})" if exact else f"coalesce(k.rep_id, {new})"
        keys = "__rep_keys"
    con.execute(
        f"create or replace temp table {name} as select d.__v, d.__t, {pick} as __x "  # noqa: S608
        f"from {_distinct_raw(relation, column)} {exact}left join {keys} k on k.k = {name_key_sql('d.__t')}"
    )
    return name


def _exists(
    con: duckdb.DuckDBPyConnection, query: str, params: dict[str, Any] | None = None
) -> bool:
    row = _one(con.execute(f"select exists ({query})", params or {}))  # noqa: S608
    return bool(row and row[0])


def _type_ref(con: duckdb.DuckDBPyConnection, relation: str, column: str) -> str:
    """Each distinct activity type text -> visit / meeting / call / email / other."""
    con.execute(
        "create or replace temp table __ref_type as select d.__v, d.__t, "  # noqa: S608
        f"{_activity_type_sql('d.__t')} as __x from {_distinct_raw(relation, column)}"
    )
    return "__ref_type"


def _product_ref(con: duckdb.DuckDBPyConnection, relation: str, column: str) -> bool:
    """Each distinct product text with its price list entry; False (no table) when no
    price list is loaded."""
    if not _exists(con, "select 1 from __price_keys"):
        return False
    con.execute(
        "create or replace temp table __ref_product as select distinct d.__t as v, "  # noqa: S608
        f"pk.product, pk.list_price from {_distinct_raw(relation, column)} "
        f"join __price_keys pk on pk.k = {product_key_sql('d.__t')}"
    )
    return True


def _targets(table: str) -> list[str]:
    return ["pipeline"] if table == "deals" else [table]


def _loaded(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether rows of this kind are loaded (or kept aside): on a first import there are
    none, and building and joining every row's key (a second for 5 million rows) is skipped."""
    return any(
        _exists(con, f"select 1 from {t}")  # noqa: S608 - a fixed table name
        or _exists(con, "select 1 from unmatched where target_table = $t", {"t": t})
        for t in _targets(table)
    )


# The stored columns a row's key is made of where ``row_key`` is null (NATURAL_KEYS), as
# the stage names them (``f_<column>``).
ID_COLUMNS = {"activities": ["activity_id"], "orders": ["order_id", "line_no"]}


def _loaded_rows_sql(stage: _Stage, table: str) -> str:
    """The stage's rows (``__row``) loaded before, or kept aside: semi joins on the stored
    columns, never on keys rebuilt from them.

    Why: rebuilding every stored key as text (``coalesce(row_key, 'id:' || order_id ...)``
    over 5 million rows, then distinct) made a month's import cost as much as the whole
    workspace did. A semi join builds its table from the stage (the file's rows) and only
    reads the stored id columns, whose zone maps let DuckDB skip row groups outside the
    file's id range. Rows stored with their key (hashes, deals, older workspaces) match on
    ``row_key`` itself: a plain column, null for id-keyed rows."""
    base = quote_ident(stage.relation)
    parts = []
    for t in _targets(table):
        ids = ID_COLUMNS.get(t, [])
        if ids and all(c in stage.fields for c in ids):
            on = " and ".join(f"o.{c} = s.f_{c}::varchar" for c in ids)
            parts.append(
                f"select s.__row from {base} s semi join {t} o on o.row_key is null and {on}"  # noqa: S608
            )
        parts.append(f"select s.__row from {base} s semi join {t} o on o.row_key = s.__key")  # noqa: S608
        parts.append(
            f"select s.__row from {base} s semi join unmatched u "  # noqa: S608
            f"on u.target_table = '{t}' and u.row_key = s.__key"
        )
    return " union all ".join(parts)


def _direct_eligible(raw: RawTable, table: str, mapping: Mapping) -> bool:
    return (
        table in ID_FIELDS
        and all(f in mapping.values() for f in ID_FIELDS[table])
        and not needs_blank_check(raw)
    )


def _direct_fact_stage(
    con: duckdb.DuckDBPyConnection,
    raw: RawTable,
    table: str,
    mapping: Mapping,
    settings: Settings,
    types: ColumnTypes | None,
) -> tuple[RawTable, _Stage] | None:
    """A fact CSV read straight into its stage, one pass over the file.

    Why: the file's text table cost as much as reading the file did (3-4 s for 5 million
    lines), only to be read once into the stage. Here DuckDB's reader feeds the stage; the
    stage stores the references' text, and accounts, reps, activity types and prices are
    resolved through small tables of its distinct values, joined in the stage's view (a
    join in the pass itself would give up the file's row order, and with it the lines).

    None, with nothing left behind, when the file needs the text table after all: a typed
    cell DuckDB could not read, bytes that are not UTF-8, or rows without their id (their
    keys hash the row's text)."""
    fields = {fld: header for header, fld in mapping.items() if fld}
    typed_raw = replace(
        raw,
        typed=dict(types.types) if types else {},
        dateformat=types.dateformat if types else None,
    )
    try:
        stage = _stage(
            con,
            typed_raw,
            table,
            mapping,
            settings,
            extra=["false as __dup"],
            ids_complete=True,
            source=csv_source(con, raw, types),
        )
    except duckdb.InvalidInputException as exc:
        if "CSV" in str(exc):  # quotes the strict parser cannot make sense of
            raise broken_csv(raw.source) from exc
        raise
    rows = csv_rows(con, raw, stage.table)
    missing = " or ".join(f"{quote_ident('f_' + f)} is null" for f in ID_FIELDS[table])
    if (
        rows is None
        or not typed_values_ok(
            con, stage.table, {f"f_{f}": typed_raw.typed.get(h) for f, h in fields.items()}
        )
        or _exists(con, f"select 1 from {quote_ident(stage.table)} where {missing}")  # noqa: S608
    ):
        drop_stage(con, stage)
        return None
    # The stage's view: lines from the row order, and the id key.
    rows_view(
        con,
        stage.relation,
        stage.table,
        rows,
        f"t.rowid as __row, t.* exclude (__line), {_row_key_sql(table, fields, True)[0]} as __key",
        same_transaction=True,
    )
    done = replace(typed_raw, pending=None, rows_read=rows.rows_read, rejects=rows.rejects)
    return done, _resolve_references(con, stage, table)


def _resolve_references(con: duckdb.DuckDBPyConnection, stage: _Stage, table: str) -> _Stage:
    """A fact stage's accounts, reps, activity types and list prices, and its rows already
    loaded: the returned stage's ``relation`` is a view of ``stage.relation`` (which keeps
    the stored columns, ``__line``, ``__row`` and ``__key``) joined to small tables of its
    distinct texts. Resolving in the stage's own pass would take a join there, and on the
    one-pass path a join gives up the file's row order, which is its line numbers."""
    fields = stage.fields
    base = stage.relation
    # The distinct texts of every reference column, in one pass over the stage.
    looked_up = [
        f"f_{f}"
        for f in ("account_id", "account_name", "rep_id", "rep_name", "activity_type", "product")
        if f in fields and (f != "activity_type" or table == "activities")
    ]
    distinct = base + "_distinct"
    if looked_up:
        sets = ", ".join(f"({quote_ident(c)})" for c in looked_up)
        con.execute(
            f"create or replace temp table {quote_ident(distinct)} as select "  # noqa: S608
            f"{', '.join(quote_ident(c) for c in looked_up)} from {quote_ident(base)} "
            f"group by grouping sets ({sets})"
        )
    joins: list[str] = []
    resolved: dict[str, str] = {}
    refs: dict[str, str] = {}
    for fld in ("account_id", "account_name", "rep_id", "rep_name"):
        if fld in fields:
            ref = refs[fld] = _ref_table(con, distinct, f"f_{fld}", fld)
            joins.append(f"left join {ref} on {ref}.__v = s.f_{fld}")
            resolved[fld] = f"{ref}.__x"
    acct = [resolved[f] for f in ("account_id", "account_name") if f in resolved]
    reps = [resolved[f] for f in ("rep_id", "rep_name") if f in resolved]
    cols = [
        f"{'coalesce(' + ', '.join(acct) + ')' if acct else 'null::varchar'} as __acct",
        f"{_ref_text(fields, 'account_id', 'account_name')} as __acct_ref",
        f"{'coalesce(' + ', '.join(reps) + ')' if reps else 'null::varchar'} as __rep",
        f"{'s.f_rep_name' if 'rep_name' in fields else 'null::varchar'} as __rep_name",
    ]
    if table == "activities":
        if "activity_type" in fields:
            _type_ref(con, distinct, "f_activity_type")
            joins.append("left join __ref_type on __ref_type.__v = s.f_activity_type")
            cols.append("coalesce(__ref_type.__x, 'other') as __type")
        else:
            cols.append("'other' as __type")
    if table == "deals":
        cols.append(f"{_stage_sql(fields)} as __stage_norm")
    if "product" in fields and _product_ref(con, distinct, "f_product"):
        joins.append("left join __ref_product on __ref_product.v = s.f_product")
        cols.append("__ref_product.list_price as __list_price")
    else:
        cols.append("null::double as __list_price")
    con.execute(f"drop table if exists {quote_ident(distinct)}")
    view = base + "_resolved"
    con.execute(
        f"create or replace temp view {quote_ident(view)} as select s.*, "  # noqa: S608
        f"{', '.join(cols)} from {quote_ident(base)} s {' '.join(joins)}"
    )
    if _loaded(con, table):
        # Rows loaded before: an UPDATE of those rows only (none of a new file's).
        con.execute(
            f"update {quote_ident(stage.table)} set __dup = true where rowid in ("  # noqa: S608
            f"{_loaded_rows_sql(stage, table)})"
        )
    return replace(stage, relation=view, rows=base, refs=refs)


def _fact_stage(
    con: duckdb.DuckDBPyConnection, raw: RawTable, table: str, mapping: Mapping, settings: Settings
) -> _Stage | None:
    """The stage of a fact file read into its text table, references resolved; None when
    some rows lack their id and the file was read typed (their keys hash its text)."""
    fields = {fld: header for header, fld in mapping.items() if fld}
    # Optimistic: keys from the export's ids alone. Only if some row lacks its id is the
    # stage rebuilt with content-hash keys (hashing every row costs a second or more per
    # million rows).
    has_ids = all(f in fields for f in ID_FIELDS[table])

    def build(ids_complete: bool) -> _Stage:
        return _stage(
            con, raw, table, mapping, settings, extra=["false as __dup"], ids_complete=ids_complete
        )

    stage = build(has_ids)
    if has_ids:
        # The id key is null exactly where an id field is (read from the stored table: the
        # view would build every key to answer).
        missing = " or ".join(f"{quote_ident('f_' + f)} is null" for f in ID_FIELDS[table])
        if _exists(con, f"select 1 from {quote_ident(stage.table)} where {missing}"):  # noqa: S608
            drop_stage(con, stage)
            if raw.typed:
                return None
            stage = build(False)
    return _resolve_references(con, stage, table)


def _flag_repeated_ids(con: duckdb.DuckDBPyConnection, stage: _Stage) -> None:
    """The same id twice in one file: the first row counts, the others are duplicates."""
    view, table = quote_ident(stage.relation), quote_ident(stage.table)
    # Exports almost never repeat an id: first a cheap check that the keys' hashes are all
    # different (which proves the keys are). Sorting the hashes in numpy took 0.25 s for
    # 5 million rows, DuckDB's count(distinct) 0.75-1.1 s and grouping the key strings
    # 1.7-2.7 s. Hashes of different keys can collide: equal hashes only mean the exact
    # check below runs.
    hashes = con.execute(
        f"select hash({stage.key_text}) as h from {table} where __reason is null"  # noqa: S608
    ).fetchnumpy()["h"]
    hashes.sort()
    if not np.any(hashes[1:] == hashes[:-1]):
        return
    con.execute(
        "create or replace temp table __repeated as select __key, min(__line) as first_line "  # noqa: S608
        f"from {view} where __reason is null group by __key having count(*) > 1"
    )
    row = _one(con.execute("select count(*) from __repeated"))
    if row and row[0]:
        con.execute(
            f"update {table} set __dup = true where rowid in ("  # noqa: S608
            f"select s.__row from {view} s join __repeated r on r.__key = s.__key "
            "where s.__reason is null and s.__line <> r.first_line)"
        )
    con.execute("drop table __repeated")


def _fact_res(con: duckdb.DuckDBPyConnection, stage: _Stage) -> str:
    """The resolved stage of a fact file; reps it names are created now."""
    # Reading the whole stage for reps is skipped when every rep it names is loaded.
    unknown = [
        f"select 1 from {quote_ident(t)} r where r.__x is not null "  # noqa: S608
        "and r.__x not in (select rep_id from reps)"
        for f, t in stage.refs.items()
        if f.startswith("rep")
    ]
    if any(_exists(con, q) for q in unknown):
        _ensure_reps(con, stage.relation, "__rep", "__rep_name")
    return stage.relation


def _maybe_unmatched(con: duckdb.DuckDBPyConnection, stage: _Stage) -> str | None:
    """None when every account text in the file resolved (no row to keep aside, nothing
    to look for); else a condition on the stored columns (``s``) that every row naming an
    unknown account meets, so that the rest of a big file is not resolved to find them."""
    accounts = {f: t for f, t in stage.refs.items() if f.startswith("account")}
    unresolved = {
        f: t
        for f, t in accounts.items()
        if _exists(con, f"select 1 from {quote_ident(t)} where __x is null")  # noqa: S608
    }
    if not unresolved:
        return None
    # A row is kept aside only if none of its account texts resolves.
    return " and ".join(
        f"(s.f_{f} is null or s.f_{f} in (select __v from {quote_ident(t)} where __x is null))"  # noqa: S608
        for f, t in accounts.items()
    )


def _unmatched_names(con: duckdb.DuckDBPyConnection, res: str, hint: str) -> tuple[list[str], int]:
    """The account names of rows kept aside, and how many rows that is."""
    rows = con.execute(
        f"select s.__acct_ref, count(*) from {quote_ident(res)} s "  # noqa: S608
        f"where s.__reason is null and not s.__dup and {hint} and s.__acct is null "
        "and s.__acct_ref is not null group by 1 order by 1"
    ).fetchall()
    return [str(r[0]) for r in rows], sum(int(r[1]) for r in rows)


def _load_activities(
    con: duckdb.DuckDBPyConnection,
    stage: _Stage,
    raw: RawTable,
    settings: Settings,
    result: FileResult,
) -> None:
    _collect_rejects(con, stage, result)
    res = _fact_res(con, stage)
    q = _Sql()
    dtype = "s.__type"
    defaults = " ".join(
        f"when {q.bind(t)} then {q.bind(float(m))}" for t, m in settings.default_durations.items()
    )
    given = [
        f"s.f_{f}"
        for f in ("duration_minutes", "duration_seconds", "duration_ms")
        if f in stage.fields
    ]
    duration = f"coalesce({', '.join(given)})" if given else "null::double"
    cols = (
        "{key} as row_key, {aid} as activity_id, s.f_activity_date as activity_date, s.__rep as rep_id, "
        "{acct} as account_id, {dtype} as activity_type, "
        "coalesce({dur}, case {dtype} {defaults} end) as duration_minutes, "
        "{dur} is null as duration_estimated, {travel} as travel_minutes, {role} as contact_role, "
        "$src as source_file"
    )
    row_sql = cols.format(
        key=_stored_key(stage, "activities"),
        aid=_f(stage, "activity_id"),
        dtype=dtype,
        dur=duration,
        defaults=defaults,
        travel=_f(stage, "travel_minutes", "double"),
        role=_f(stage, "contact_role"),
        acct="{acct}",
    )
    unmatched = _maybe_unmatched(con, stage)
    _insert_fact(con, res, "activities", row_sql, "true", raw.source, q.params, unmatched)
    _finish_fact(con, stage, result, unmatched)
    _note_estimated(con, stage.base, stage, result, given)


def _note_estimated(
    con: duckdb.DuckDBPyConnection, res: str, stage: _Stage, result: FileResult, given: list[str]
) -> None:
    dur = f"coalesce({', '.join(given)})" if given else "null"
    row = _one(
        con.execute(
            f"select count(*) from {quote_ident(res)} s where s.__reason is null and not s.__dup and {dur} is null"  # noqa: S608
        )
    )
    n = int(row[0]) if row else 0
    if n:
        result.notes.append(
            f"{n:,} activities have no duration: the default for their type was used (counted as estimated)"
        )


def _struct(select_list: str) -> str:
    """``expr as name, ...`` -> ``name := expr, ...`` for struct_pack."""
    items = _split_top(select_list)
    out = []
    for item in items:
        expr, _, name = item.rpartition(" as ")
        out.append(f"{name.strip()} := {expr.strip()}")
    return ", ".join(out)


def _split_top(text: str) -> list[str]:
    # Split on commas outside parentheses and quotes.
    parts: list[str] = []
    cur: list[str] = []
    depth, quote = 0, False
    for ch in text:
        if ch == "'":
            quote = not quote
        elif not quote and ch == "(":
            depth += 1
        elif not quote and ch == ")":
            depth -= 1
        if ch == "," and depth == 0 and not quote:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip()]


def _finish_fact(
    con: duckdb.DuckDBPyConnection, stage: _Stage, result: FileResult, unmatched: str | None
) -> None:
    res = stage.relation
    result.rows_loaded, result.rows_duplicate = _counts(con, stage.base)
    found = _unmatched_names(con, res, unmatched) if unmatched else ([], 0)
    result.unmatched_accounts, n = found
    if result.unmatched_accounts:
        names = ", ".join(result.unmatched_accounts[:5]) + (
            ", ..." if len(result.unmatched_accounts) > 5 else ""
        )
        result.notes.append(
            f"{n:,} rows name {len(result.unmatched_accounts):,} accounts that are not loaded ({names}): "
            "kept aside, they load when those accounts are loaded"
        )


def _list_amount_sql(stage: _Stage, net: str, qty: str) -> str:
    parts = []
    if "list_amount" in stage.fields:
        parts.append("s.f_list_amount")
    if "discount_amount" in stage.fields:
        parts.append(f"{net} + s.f_discount_amount")
    if "discount_pct" in stage.fields:
        parts.append(f"case when s.f_discount_pct < 1 then {net} / (1 - s.f_discount_pct) end")
    parts.append(f"coalesce({qty}, 1) * s.__list_price")
    return f"coalesce({', '.join(parts)})"


def _check_currency(con: duckdb.DuckDBPyConnection, stage: _Stage, raw: RawTable) -> None:
    if "currency" not in stage.fields:
        return
    found = [
        str(r[0])
        for r in con.execute(
            f"select distinct upper(f_currency) from {quote_ident(stage.base)} "  # noqa: S608
            "where f_currency is not null and __reason is null "
            "union select distinct upper(currency) from orders where currency is not null order by 1"
        ).fetchall()
    ]
    if len(found) > 1:
        raise UserError(
            f"{raw.source} mixes currencies ({', '.join(found)}) with the orders loaded: "
            "convert the amounts to one currency before loading."
        )


def _product_notes(
    con: duckdb.DuckDBPyConnection, res: str, stage: _Stage, result: FileResult
) -> None:
    if "product" not in stage.fields:
        return
    row = _one(con.execute("select count(*) from price_list"))
    if not row or not row[0]:
        return
    rows = con.execute(
        f"select s.f_product, pk.product, count(*) from {quote_ident(res)} s "  # noqa: S608
        "left join __ref_product pk on pk.v = s.f_product "
        "where s.__reason is null and not s.__dup and s.f_product is not null "
        "and (pk.product is null or pk.product <> s.f_product) group by all order by 1"
    ).fetchall()
    for given, matched, n in rows:
        if matched is None:
            result.notes.append(
                f'product "{given}" ({n:,} rows) is not in the price list: no list value'
            )
        else:
            result.notes.append(
                f'product "{given}" ({n:,} rows) matched the price list\'s "{matched}" '
                "(names compared ignoring case, spaces and punctuation)"
            )


def _load_orders(
    con: duckdb.DuckDBPyConnection,
    stage: _Stage,
    raw: RawTable,
    settings: Settings,
    result: FileResult,
) -> None:
    _collect_rejects(con, stage, result)
    _check_currency(con, stage, raw)
    res = _fact_res(con, stage)
    qty = _f(stage, "quantity", "double")
    row_sql = (
        f"{_stored_key(stage, 'orders')} as row_key, {_f(stage, 'order_id')} as order_id, "
        f"{_f(stage, 'line_no')} as line_no, s.f_order_date as order_date, "
        "{acct} as account_id, "
        f"{'s.__rep' if ('rep_id' in stage.fields or 'rep_name' in stage.fields) else 'null::varchar'} as rep_id, "
        f"s.f_net_amount as net_amount, {_list_amount_sql(stage, 's.f_net_amount', qty)} as list_amount, "
        f"{_f(stage, 'product')} as product, {_f(stage, 'product_category')} as product_category, "
        f"{qty} as quantity, upper({_f(stage, 'currency')}) as currency, 'orders' as source, $src as source_file"
    )
    unmatched = _maybe_unmatched(con, stage)
    _insert_fact(con, res, "orders", row_sql, "true", raw.source, unmatched=unmatched)
    _finish_fact(con, stage, result, unmatched)
    _product_notes(con, res, stage, result)


def _insert_fact(
    con: duckdb.DuckDBPyConnection,
    res: str,
    target: str,
    row_sql: str,
    where: str,
    source: str,
    params: dict[str, Any] | None = None,
    unmatched: str | None = "true",
) -> None:
    """Matched rows into ``target``; rows naming an unknown account into ``unmatched``
    (looked for only when ``unmatched``: see ``_maybe_unmatched``)."""
    params = {**(params or {}), "src": source}
    base = f"from {quote_ident(res)} s where s.__reason is null and not s.__dup and " + where
    matched = f"{base} and s.__acct is not null"
    con.execute(
        f"insert into {target} by name select {row_sql.format(acct='s.__acct')} {matched}",  # noqa: S608
        params,
    )
    if target in undo.APPENDED:
        exprs = {
            name.strip(): expr.strip()
            for expr, _, name in (i.rpartition(" as ") for i in _split_top(row_sql))
        }
        id_col, line_col = undo.KEY_COLUMNS[target]
        keys = [exprs["row_key"], exprs.get(id_col, "null"), exprs.get(line_col or "", "null")]
        undo.added(con, target, ", ".join(f"({k})::varchar" for k in keys), matched, params)
    if not unmatched:
        return
    con.execute(
        "insert into unmatched (target_table, row_key, source_file, line, account_name, rep_name, payload) "  # noqa: S608
        f"select $t, s.__key, $src, s.__line, s.__acct_ref, s.__rep_name, "
        f"to_json(struct_pack({_struct(row_sql.format(acct='null::varchar'))})) "
        f"{base} and {unmatched} and s.__acct is null and s.__acct_ref is not null",
        {**params, "t": target},
    )


def _replace_changed_deals(con: duckdb.DuckDBPyConnection, stage: _Stage) -> int:
    """A deal already loaded whose stage, value or close date changed (next month's export:
    the open deal is now won) replaces the old rows instead of being skipped as a duplicate."""
    close = "s.f_close_date" if "close_date" in stage.fields else "null::date"
    res = quote_ident(stage.relation)
    con.execute(
        "create or replace temp table __changed as select distinct s.__key from "  # noqa: S608
        f"{res} s join pipeline p on p.row_key = s.__key where s.__dup and s.__reason is null "
        "and (s.__stage_norm is distinct from p.stage "
        f"or s.f_value is distinct from p.value or {close} is distinct from p.close_date)"
    )
    row = _one(con.execute("select count(*) from __changed"))
    n = int(row[0]) if row else 0
    if n:
        undo.before_change(con, "orders")
        con.execute("delete from pipeline where row_key in (select __key from __changed)")
        con.execute(
            "delete from orders where source = 'deals' and row_key in (select __key from __changed)"
        )
        con.execute(
            f"update {quote_ident(stage.table)} set __dup = false where rowid in ("  # noqa: S608
            f"select arg_min(s.__row, s.__line) from {res} s join __changed c on c.__key = s.__key "
            "group by s.__key)"
        )
    con.execute("drop table __changed")
    return n


def _load_deals(
    con: duckdb.DuckDBPyConnection,
    stage: _Stage,
    raw: RawTable,
    settings: Settings,
    result: FileResult,
) -> None:
    _collect_rejects(con, stage, result)
    _check_currency(con, stage, raw)
    res = _fact_res(con, stage)
    updated = _replace_changed_deals(con, stage)
    if updated:
        result.notes.append(
            f"{updated:,} deals changed since they were loaded (stage, value or close date): updated"
        )
    qty = _f(stage, "quantity", "double")
    has_rep = "rep_id" in stage.fields or "rep_name" in stage.fields
    rep = "s.__rep" if has_rep else "null::varchar"
    pipe_sql = (
        f"s.__key as row_key, {_f(stage, 'deal_id')} as deal_id, {{acct}} as account_id, {rep} as rep_id, "
        f"{_f(stage, 'product')} as product, s.__stage_norm as stage, "
        f"coalesce({_f(stage, 'stage')}, case when s.__stage_norm = 'won' then 'Won' end) as stage_raw, "
        f"{_f(stage, 'engage_date', 'date')} as engage_date, {_f(stage, 'close_date', 'date')} as close_date, "
        f"s.f_value as value, coalesce({qty}, 1) * s.__list_price as list_amount, $src as source_file"
    )
    order_sql = (
        f"s.__key as row_key, {_f(stage, 'deal_id')} as order_id, s.f_close_date as order_date, "
        f"{{acct}} as account_id, {rep} as rep_id, s.f_value as net_amount, "
        f"coalesce({qty}, 1) * s.__list_price as list_amount, {_f(stage, 'product')} as product, "
        f"null::varchar as product_category, {qty} as quantity, upper({_f(stage, 'currency')}) as currency, "
        "'deals' as source, $src as source_file"
    )
    if "close_date" not in stage.fields:
        order_sql = order_sql.replace("s.f_close_date", "null::date")
    # Every deal goes to the pipeline (win rates need won ones too); won ones are also revenue.
    unmatched = _maybe_unmatched(con, stage)
    _insert_fact(con, res, "pipeline", pipe_sql, "true", raw.source, unmatched=unmatched)
    con.execute(
        f"insert into pipeline by name select {pipe_sql.format(acct='null::varchar')} "  # noqa: S608
        f"from {quote_ident(res)} s where s.__reason is null and not s.__dup and s.__acct_ref is null",
        {"src": raw.source},
    )
    _insert_fact(
        con, res, "orders", order_sql, "s.__stage_norm = 'won'", raw.source, unmatched=unmatched
    )
    _finish_fact(con, stage, result, unmatched)
    _product_notes(con, res, stage, result)
    row = _one(
        con.execute(
            f"select count(*) filter (where __stage_norm = 'won'), count(*) filter (where __stage_norm = 'lost'), "  # noqa: S608
            f"count(*) filter (where __stage_norm = 'open'), sum(f_value) filter (where __stage_norm = 'won') "
            f"from {quote_ident(res)} where __reason is null and not __dup"
        )
    )
    if row and (row[0] or row[1] or row[2]):
        result.notes.append(
            f"{row[0]:,} won deals loaded as orders ({row[3] or 0:,.0f} in revenue at their close dates); "
            f"{row[1]:,} lost and {row[2]:,} open deals kept as pipeline for win rates"
        )


# --------------------------------------------------------------------------------------------
# Rows kept aside: retried whenever accounts may have arrived.


def retry_unmatched(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Move kept-aside rows whose account is now loaded into their tables; rows per table."""
    _refresh_lookups(con)
    moved: dict[str, int] = {}
    for target in ("activities", "orders", "pipeline"):
        cols = con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_name = $t and table_schema = 'main' order by ordinal_position",
            {"t": target},
        ).fetchall()
        sel = ", ".join(
            f"cast(u.payload->>{_lit(c)} as {t}) as {quote_ident(c)}"
            for c, t in cols
            if c != "account_id"
        )
        match = (
            f"from unmatched u join __acct_keys k on k.k = {name_key_sql('u.account_name')} "
            "where u.target_table = $t"
        )
        row = _one(
            con.execute(
                f"insert into {target} by name select {sel}, k.account_id as account_id {match}",  # noqa: S608
                {"t": target},
            )
        )
        n = int(row[0]) if row else 0
        if n:
            id_col, line_col = undo.KEY_COLUMNS.get(target, ("", None))
            keys = ", ".join(
                f"u.payload->>{_lit(c)}" if c else "null" for c in ("row_key", id_col, line_col)
            )
            undo.added(con, target, keys, match, {"t": target})
            con.execute(
                "delete from unmatched u where u.target_table = $t and exists (select 1 from __acct_keys k "  # noqa: S608
                f"where k.k = {name_key_sql('u.account_name')})",
                {"t": target},
            )
            moved[target] = n
    return moved


def _lit(name: str) -> str:
    # Column names come from information_schema of our own tables (an allow-list), never data.
    if not re.fullmatch(r"[a-z_]+", name):
        raise ValueError(name)
    return f"'{name}'"
