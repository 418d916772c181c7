"""Turns one uploaded file into a RawTable: every cell as text, with its line number.

Why a module of its own: exports arrive in every shape (encodings, delimiters, title rows,
report footers, Excel, Parquet). Everything after reading (recognition, mapping, value
parsing, loading) must see one shape only: a DuckDB TEMP relation of VARCHAR columns plus a
"__line" column that points the user back to the row as their editor or spreadsheet shows it.

How CSV is read (speed matters: a 5-million-line export must not take much longer than
DuckDB's own ``read_csv``):

- Python looks only at the first ~256 KB (encoding, delimiter, title rows, header) and the
  last ~16 KB (report footers). DuckDB's multi-threaded reader does all the rows, with
  explicit options (no sniffing), every column VARCHAR, and ``store_rejects`` so rows with
  the wrong number of fields are set aside with their byte position instead of failing.
- Line numbers: one C-speed pass counts newlines. When every physical line of the data
  part is a record (the usual case) a row's line is derived from its position; only files
  with blank lines or line breaks inside quoted values take a slower Python pass.
- Encodings DuckDB does not read natively (UTF-16, Windows-1252/Latin-1, others) are
  transcoded to UTF-8 into the staging folder in chunks (C-speed codecs, bounded memory).
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import duckdb

from reltruth.ingest import guard, sandbox
from reltruth.ingest.sources.base import ColumnTypes, RawTable, clean_headers
from reltruth.ingest.sources.csv_layout import plan_from_reply, transcode
from reltruth.ingest.sources.csv_lines import RowLines, csv_rows, finish_csv, rows_view
from reltruth.ingest.sources.csv_read import (
    broken_csv,
    csv_source,
    duckdb_read,
    needs_blank_check,
    typed_values_ok,
)
from reltruth.ingest.sources.excel import sheet_names
from reltruth.ingest.values import quote_ident
from reltruth.sql import compose
from reltruth.workspace import Workspace

_counter = itertools.count(1)


def drop_relation(con: duckdb.DuckDBPyConnection, relation: str) -> None:
    """Free what reading a file left in the session: the relation (a TEMP view or table),
    the reader's cell table behind it and the table of its rows' line numbers."""
    for name in (relation, f"{relation}_cells", f"{relation}_cells_lines"):
        kinds = con.execute(
            "select 'view' from duckdb_views() where view_name = $n and temporary "
            "union all select 'table' from duckdb_tables() where table_name = $n and temporary",
            {"n": name},
        ).fetchall()
        for (kind,) in kinds:
            con.execute(
                compose("drop {kind} if exists {name}", kind=kind, name=quote_ident(name))
            ).fetchall()


def read_table(
    ws: Workspace,
    path: str | Path,
    *,
    sheet: str | None = None,
    name: str | None = None,
    lazy: bool = False,
) -> RawTable:
    """Read a CSV, .xlsx or Parquet file into a TEMP relation of text; UserError if unusable.

    ``lazy``: a CSV's rows are not read yet (``pending``); the loader calls ``materialise``
    once the mapping says which columns hold dates and numbers, so that DuckDB's reader
    parses those itself in the same pass (the mapping needs only the headers)."""
    path = Path(path)
    shown = name or path.name
    kind = guard.check_file(path, name=name)  # also the zip-bomb / Parquet checks
    staged = ws.stage_file(path)
    relation = f"raw_{next(_counter)}"
    # Everything that looks inside the file runs in a bounded worker (see ``sandbox``).
    reply = sandbox.run({"kind": kind, "staged": str(staged), "sheet": sheet}, shown)
    if kind in ("xlsx", "parquet"):
        return _register_worker_table(ws, relation, reply, shown, kind)
    plan = plan_from_reply(reply, staged)
    pending = RawTable(
        relation=relation,
        headers=plan.layout.headers,
        rows_read=0,
        footer_lines=plan.tail.footer_lines,
        source=shown,
        format="csv",
        encoding=plan.encoding,
        delimiter=plan.layout.delimiter,
        pending=plan,
    )
    return pending if lazy else materialise(ws.con, pending)


def head_values(raw: RawTable, header: str, n: int = 200) -> list[str]:
    """Up to ``n`` non-blank values of a column from the rows Python read at the top of a
    pending CSV (for choosing how to read the column before DuckDB reads the file)."""
    assert raw.pending is not None
    j = raw.headers.index(header)
    cells = (row[j] for row in raw.pending.layout.rows if j < len(row))
    return list(itertools.islice((c for c in cells if c.strip()), n))


def materialise(
    con: duckdb.DuckDBPyConnection, raw: RawTable, types: ColumnTypes | None = None
) -> RawTable:
    """Read a pending CSV's rows into its relation; ``types``: columns DuckDB parses itself.

    A typed column must hold nothing else: if DuckDB cannot read one of its cells (or reads
    a value the text parsers would refuse: a year outside 1900-2200, an infinity), the file
    is read again with every column as text, so the result never depends on the typing."""
    plan = raw.pending
    if plan is None:
        return raw
    shown = raw.source
    cells = f"{raw.relation}_cells"
    layout, source, encoding = plan.layout, plan.source, plan.encoding
    if types is not None and types.types:
        rejects = duckdb_read(con, source, layout, cells, shown, types)
        columns = {f"c{i}": types.types.get(h) for i, h in enumerate(layout.headers, start=1)}
        if any(r[1] == "CAST" for r in rejects) or not typed_values_ok(con, cells, columns):
            types = None  # read again below, all text
    else:
        types = None
    if types is None:
        rejects = duckdb_read(con, source, layout, cells, shown)
    if encoding == "utf-8" and any(r[1] == "INVALID ENCODING" for r in rejects):
        # Valid UTF-8 at the top but not further down: a Windows export after all.
        encoding = "cp1252"
        source = transcode(plan.staged, encoding)
        types = None
        rejects = duckdb_read(con, source, layout, cells, shown)
    return finish_csv(
        con,
        source,
        shown,
        raw.relation,
        cells,
        layout,
        plan.tail,
        rejects,
        encoding,
        types or ColumnTypes({}),
    )


def _register_worker_table(
    ws: Workspace, relation: str, reply: dict[str, Any], shown: str, kind: str
) -> RawTable:
    """Load a worker's Parquet of text columns into a TEMP table (then delete the file:
    in demo mode it takes RAM)."""
    path = Path(reply["path"])
    headers = [str(h) for h in reply["headers"]]
    select = ", ".join(f"c{i} as {quote_ident(h)}" for i, h in enumerate(headers, start=1))
    try:
        ws.con.execute(
            compose(
                "create or replace temp table {relation} as "
                "select __line, {select} from read_parquet($p) order by __line",
                relation=quote_ident(relation),
                select=select,
            ),
            {"p": str(path)},
        )
    finally:
        path.unlink(missing_ok=True)
    return RawTable(
        relation=relation,
        headers=headers,
        rows_read=int(reply["rows_read"]),
        rejects=[],
        footer_lines=int(reply.get("footer_lines", 0)),
        source=shown,
        format=kind,
        encoding=None,
        delimiter=None,
    )


__all__ = [
    "ColumnTypes",
    "RawTable",
    "RowLines",
    "broken_csv",
    "clean_headers",
    "csv_rows",
    "head_values",
    "materialise",
    "needs_blank_check",
    "typed_values_ok",
    "csv_source",
    "read_table",
    "rows_view",
    "sheet_names",
]
