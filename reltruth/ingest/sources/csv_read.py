"""A CSV's rows read by DuckDB: explicit options, text (or typed) columns, rows with the wrong
number of fields set aside with their byte position.

Why a module of its own: this is the fast path (a 5-million-line export must cost about what
``read_csv`` costs); how the options are built is kept apart from where rows come from.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from reltruth.errors import UserError
from reltruth.ingest.sources.base import ColumnTypes, RawTable
from reltruth.ingest.sources.csv_layout import Layout
from reltruth.ingest.values import quote_ident
from reltruth.sql import compose

# Where DuckDB's reader puts the rows it sets aside: fixed names, since a connection reads
# one file at a time and the tables are emptied out and dropped right after each read.
REJECTS_TABLE, SCANS_TABLE = "__csv_rejects", "__csv_scans"


def typed_values_ok(
    con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, str | None]
) -> bool:
    """Whether ``table``'s columns DuckDB's reader typed (column -> DATE | DOUBLE | None)
    hold only what the text parsers accept too: a year within 1900-2200, a finite number."""
    checks = [
        f"year({quote_ident(c)}) not between 1900 and 2200"
        if kind == "DATE"
        else f"not isfinite({quote_ident(c)})"
        for c, kind in columns.items()
        if kind in ("DATE", "DOUBLE")
    ]
    if not checks:
        return True
    row = con.execute(
        compose(
            "select exists (select 1 from {table} where {checks})",
            table=quote_ident(table),
            checks=" or ".join(checks),
        )
    ).fetchall()
    return not row[0][0]


def duckdb_read(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    layout: Layout,
    cells: str,
    shown: str,
    types: ColumnTypes | None = None,
) -> list[tuple[int, str, str, str]]:
    """Read every row into TEMP table ``cells`` (c1..cN); return the rows DuckDB set aside
    as (byte position of the line, error type, DuckDB's message, the line's text)."""
    _reject_tables(con)
    try:
        _read_cells(con, path, layout, cells, csv_columns(layout, types), types)
    except duckdb.Error as exc:
        # Quotes and line breaks DuckDB's strict parser cannot make sense of (a lenient
        # parse would silently cut rows with too many fields). Inside an import's
        # transaction this aborts the transaction: the caller rolls back.
        raise broken_csv(shown) from exc
    return fetch_rejects(con)


def broken_csv(shown: str) -> UserError:
    return UserError(
        f"{shown} could not be read as CSV: a quote mark or line break in it is broken "
        "(open it in a spreadsheet and save it as CSV again)."
    )


def csv_columns(layout: Layout, types: ColumnTypes | None) -> str:
    typed = types.types if types is not None else {}
    # Column names c1..cN are generated here, never taken from the file; types come from
    # a fixed set.
    return (
        "{"
        + ", ".join(
            f"'c{i}': '{_TYPES[typed.get(h, 'VARCHAR')]}'"
            for i, h in enumerate(layout.headers, start=1)
        )
        + "}"
    )


_TYPES = {"VARCHAR": "VARCHAR", "DATE": "DATE", "DOUBLE": "DOUBLE"}


def _reject_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("drop table if exists __csv_rejects")
    con.execute("drop table if exists __csv_scans")


def fetch_rejects(con: duckdb.DuckDBPyConnection) -> list[tuple[int, str, str, str]]:
    """The rows DuckDB set aside in the last read, one per line; the reject tables are
    dropped."""
    rows = con.execute(
        "select line_byte_position, min(error_type)::varchar, min(error_message), "
        "min(csv_line) from __csv_rejects group by line_byte_position "
        "order by line_byte_position"
    ).fetchall()
    _reject_tables(con)
    return [(int(pos), str(kind), str(msg), str(line or "")) for pos, kind, msg, line in rows]


# ---------------------------------------------------------------------------------------
# Reading straight into a stage (one pass over a big CSV)


def needs_blank_check(raw: RawTable) -> bool:
    """Whether a pending CSV shows rows of empty cells (",,,,"), which only the text table
    can recognise."""
    assert raw.pending is not None
    return raw.pending.layout.empty_records or raw.pending.tail.empty_records


def csv_source(
    con: duckdb.DuckDBPyConnection, raw: RawTable, types: ColumnTypes | None
) -> tuple[str, dict[str, object]]:
    """A query (and its parameters) over DuckDB's reader of a pending CSV: ``__line`` (0, a
    placeholder: see ``csv_rows``) and one column per header, typed as ``types`` says.
    Selecting from it into a table keeps the file's row order (no join, no window)."""
    plan = raw.pending
    assert plan is not None
    _reject_tables(con)
    params, dates = csv_params(plan.source, plan.layout, types)
    names = ", ".join(f"c{i} as {quote_ident(h)}" for i, h in enumerate(raw.headers, start=1))
    call = csv_call(csv_columns(plan.layout, types), dates)
    sql = compose("select 0::bigint as __line, {names} from {call}", names=names, call=call)
    return sql, params


def _read_cells(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    layout: Layout,
    cells: str,
    columns: str,
    types: ColumnTypes | None,
) -> None:
    params, dates = csv_params(path, layout, types)
    con.execute(
        compose("create or replace temp table {cells} as select * from ", cells=quote_ident(cells))
        + csv_call(columns, dates),
        params,
    )


def csv_params(
    path: Path, layout: Layout, types: ColumnTypes | None
) -> tuple[dict[str, object], str]:
    """The reader's bound values, and its date format option where DATE columns need one."""
    params: dict[str, object] = {
        "path": str(path),
        "skip": layout.header_end,
        "delim": layout.delimiter,
        "rej": REJECTS_TABLE,
        "scan": SCANS_TABLE,
        "decimal": types.decimal_separator if types is not None else ".",
    }
    if types is None or types.dateformat is None:
        return params, ""
    params["dateformat"] = types.dateformat
    return params, ", dateformat = $dateformat"


def csv_call(columns: str, dates: str, *, keep_rejects: bool = True) -> str:
    """DuckDB's reader with the options every read uses (values are bound parameters);
    ``keep_rejects`` off: rows with the wrong field count are skipped, not set aside."""
    rejects = (
        "store_rejects = true, rejects_table = $rej, rejects_scan = $scan"
        if keep_rejects
        else "ignore_errors = true"
    )
    return (
        "read_csv($path, auto_detect = false, header = false, skip = $skip, delim = $delim,"
        f" quote = '\"', escape = '\"', columns = {columns}, {rejects},"
        " max_line_size = 8388608,"
        f" strict_mode = true, decimal_separator = $decimal{dates})"
    )
