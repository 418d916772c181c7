"""A read file and its mapping -> the stage: one typed column per field, the first reason a row
cannot load, and its row key.

Why a module of its own: the stage is the one contract between reading a file and writing the
canonical tables. Everything after it (``resolve``, ``write``) reads the stage, never the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np

from reltruth.ingest import values
from reltruth.ingest.detect import Mapping, first_row
from reltruth.ingest.parse import (
    DATE_SHAPES,
    FIELD_KINDS,
    GROUPED,
    ID_FIELDS,
    KIND_WORDS,
    REASON_KINDS,
    Sql,
    column_samples,
    duration_unit,
    few_distinct,
    number_style,
    parse_distinct,
    unread_notes,
    value_sql,
)
from reltruth.ingest.read import (
    RawTable,
    head_values,
    needs_blank_check,
)
from reltruth.ingest.synonyms import REQUIRED
from reltruth.ingest.values import quote_ident
from reltruth.settings import Settings
from reltruth.sql import compose

# --------------------------------------------------------------------------------------------
# Staging: parse every mapped column once, with the first reason a row cannot load.


@dataclass
class Stage:
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


def drop_stage(con: duckdb.DuckDBPyConnection, stage: Stage) -> None:
    for view in (stage.relation, stage.rows):
        if view:
            con.execute(f"drop view if exists {quote_ident(view)}")
    con.execute(f"drop table if exists {quote_ident(stage.table)}")
    con.execute(f"drop table if exists {quote_ident(stage.table + '_lines')}")


def build_stage(
    con: duckdb.DuckDBPyConnection,
    raw: RawTable,
    table: str,
    mapping: Mapping,
    settings: Settings,
    *,
    extra: Sequence[str] = (),
    q: Sql | None = None,
    ids_complete: bool = False,
    source: tuple[str, dict[str, Any]] | None = None,
) -> Stage:
    """A TEMP table with ``__line``, one typed column ``f_<field>`` per mapped field,
    ``__reason`` (NULL when the row is fine) and ``extra`` columns (over ``s``, the parsed
    row), and a view of it adding ``__row`` and ``__key``. A key made of the row's ids is
    computed when read, not stored: keeping a 5-million-row stage within the memory limit
    mattered more than recomputing it (a content-hash key needs the raw row: stored).

    ``source``: a query over DuckDB's CSV reader (``read.csv_source``) to read instead of the
    file's text table: one pass over the file, no lookups (see ``direct_fact_stage``)."""
    fields = {fld: header for header, fld in mapping.items() if fld}
    q = q or Sql()
    lookups: list[str] = []  # LEFT JOINs of columns parsed once per distinct value
    typed: list[str] = []
    rawcols: list[str] = []
    checks: list[str] = []
    notes: list[str] = []
    unread: dict[str, str] = {}  # optional field -> its unreadable text (NULL when fine)
    for fld, header in fields.items():
        kind = FIELD_KINDS[fld]
        col = quote_ident(header)
        if header in raw.typed:  # DuckDB's reader parsed it (see column_types)
            value = f"({col} * {values.UNIT_FACTOR[kind]!r})" if kind in values.UNIT_FACTOR else col
            typed.append(f"{value} as {quote_ident('f_' + fld)}")
            # The note the text path gives for the style it would have chosen.
            style = DATE_SHAPES[raw.dateformat][0] if kind == "date" and raw.dateformat else kind
            if kind == "date" or kind in values.UNIT_FACTOR:
                notes.append(f'"{header}": {values.STYLE_NOTES[style]}')
            continue
        if kind == "text":
            samples = []
        elif source is not None:
            samples = head_values(raw, header)
        else:
            samples = column_samples(con, raw.relation, header)
        style, unit = "point", "minutes"
        if kind in ("money", "number", "percent", *values.UNIT_FACTOR):
            style, by_hint = number_style(con, raw, header, samples, whole=source is None)
            if by_hint and style == "comma" and any(GROUPED.search(v) for v in samples):
                notes.append(
                    f'"{header}": no value decides between 1.234 = 1234 and 1.234 = 1.234; '
                    "read with a decimal comma, as the file's ; delimiter or € signs say"
                )
        if kind in values.UNIT_FACTOR:
            unit, conflict = duration_unit(fld, header, samples, style)
            if conflict:
                notes.append(conflict)
        expr, style_note = value_sql(kind, col, samples, q, style=style, unit=unit)
        if kind in REASON_KINDS and source is None and few_distinct(con, raw.relation, header):
            expr = parse_distinct(
                con,
                raw.relation,
                header,
                value_sql(kind, '"__v"', samples, q, style=style, unit=unit)[0],
                lookups,
            )
        typed.append(f"{expr} as {quote_ident('f_' + fld)}")
        if style_note:
            notes.append(f'"{header}": {style_note}')
        if kind != "text":
            # The raw text is looked at only where the value did not parse (failed_sql).
            r, f = quote_ident("r_" + fld), quote_ident("f_" + fld)
            rawcols.append(f"{col} as {r}")
            if kind in REASON_KINDS:  # values/: a placeholder like "n/a" is blank, not wrong
                bad, why = values.failed_sql(r, f), values.reason_sql(r, REASON_KINDS[kind])
            else:
                bad, why = (
                    f"(case when {f} is null then nullif(trim({r}), '') is not null else false end)",
                    f"""'"' || trim({r}) || '" is not {KIND_WORDS[kind]}'""",
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
    key, needs_occurrence = row_key_sql(table, fields, ids_complete)
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
        compose(
            "create or replace temp table {stored} as "
            "select {keep}, {reason} as __reason{stored_key}{more} from ("
            "select *, {key} as __key from (select *{occ} from (select {inner} "
            "from {origin} {lookups}))) s",
            stored=quote_ident(stored),
            keep=keep,
            reason=reason,
            stored_key=stored_key,
            more=more,
            key=key,
            occ=occ,
            inner=inner,
            origin=origin,
            lookups=" ".join(lookups),
        ),
        {**q.params, **(source[1] if source is not None else {})},
    )
    computed = [] if needs_occurrence else [f"{key} as __key"]
    # __row: the stored row, for UPDATEs (a row's line is not stored on every path).
    con.execute(
        compose(
            "create or replace temp view {relation} as select s.rowid as __row, s.*"
            "{computed} from {stored} s",
            relation=quote_ident(relation),
            computed="".join(", " + c for c in computed),
            stored=quote_ident(stored),
        )
    )
    for i in range(len(lookups)):
        con.execute(f"drop table if exists {quote_ident(f'__parsed_{i}')}")
    notes.extend(unread_notes(con, stored, fields, unread))
    # The id key without its constant prefix: DuckDB's string hash collided for one key in
    # ten with the prefix on real invoice numbers, and for none without it.
    key_text = key.removeprefix("'id:' || ") if not needs_occurrence else "__key"
    return Stage(relation, fields, q.params, notes, stored, key_text)


def _table_checks(table: str, fields: dict[str, str], q: Sql) -> list[str]:
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


def stage_sql(fields: dict[str, str]) -> str:
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


# A loaded row's key (schema.sql): row_key where stored, else rebuilt from the export's id.
NATURAL_KEYS = {
    "activities": "coalesce(row_key, 'id:' || activity_id)",
    "orders": "coalesce(row_key, 'id:' || order_id || '/' || line_no)",
    "pipeline": "row_key",
}


def stored_key_text(stage: Stage, table: str) -> str:
    """``row_key`` as written: null where the export's own id is the key (NATURAL_KEYS
    rebuilds it), the stage's key (a content hash) otherwise."""
    ids = ID_FIELDS[table]
    if not all(f in stage.fields for f in ids):
        return "s.__key"
    if stage.key_text != "__key":  # every row has its id (the stage was keyed by ids alone)
        return "null::varchar"
    missing = " or ".join(f"s.f_{f} is null" for f in ids)
    return f"case when {missing} then s.__key end"


def row_key_sql(table: str, fields: dict[str, str], ids_complete: bool) -> tuple[str, bool]:
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


def flag_repeated_ids(con: duckdb.DuckDBPyConnection, stage: Stage) -> None:
    """The same id twice in one file: the first row counts, the others are duplicates."""
    view, table = quote_ident(stage.relation), quote_ident(stage.table)
    # Exports almost never repeat an id: first a cheap check that the keys' hashes are all
    # different (which proves the keys are). Sorting the hashes in numpy took 0.25 s for
    # 5 million rows, DuckDB's count(distinct) 0.75-1.1 s and grouping the key strings
    # 1.7-2.7 s. Hashes of different keys can collide: equal hashes only mean the exact
    # check below runs.
    hashes = con.execute(
        compose(
            "select hash({key_text}) as h from {table} where __reason is null",
            key_text=stage.key_text,
            table=table,
        )
    ).fetchnumpy()["h"]
    hashes.sort()
    if not np.any(hashes[1:] == hashes[:-1]):
        return
    con.execute(
        compose(
            "create or replace temp table __repeated as select __key, min(__line) as first_line "
            "from {view} where __reason is null group by __key having count(*) > 1",
            view=view,
        )
    )
    row = first_row(con.execute("select count(*) from __repeated"))
    if row and row[0]:
        con.execute(
            compose(
                "update {table} set __dup = true where rowid in ("
                "select s.__row from {view} s join __repeated r on r.__key = s.__key "
                "where s.__reason is null and s.__line <> r.first_line)",
                table=table,
                view=view,
            )
        )
    con.execute("drop table __repeated")


def direct_eligible(raw: RawTable, table: str, mapping: Mapping) -> bool:
    return (
        table in ID_FIELDS
        and all(f in mapping.values() for f in ID_FIELDS[table])
        and not needs_blank_check(raw)
    )
