"""The import log and undo: every import call can be taken back, leaving every table
exactly as it was before it.

Why snapshots rather than tracking rows: an import does more than insert rows. It creates
reps and accounts implicitly, merges placeholder reps into real ones, replaces prices, moves
kept-aside rows into their tables and fills list values of earlier orders. Undoing each of
those by provenance would need every write path to record what it overwrote; a copy of the
data tables taken in the import's own transaction restores all of it exactly. The copies
live in the workspace (``undo_<table>``, one ``batch_id`` per call) and only the last
``KEEP`` calls keep one (docs/ingest.md: "Import log and undo").

The big tables (``APPENDED``: activities, orders) are the exception: copying them made a
month's import cost what the whole workspace holds (27 s of 33 s at scale 100, issue 19),
while an import almost only appends to them. So a call records the keys of the rows it
adds (``undo_added``) and copies such a table only just before a write that changes rows
already there (``before_change``: merged reps, filled list values, a replaced file,
changed deals); ``undo_copies`` names the tables a call copied.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime

import duckdb

from reltruth.errors import UserError
from reltruth.ingest.values import quote_ident
from reltruth.sql import compose
from reltruth.workspace import CANONICAL_TABLES, Workspace

# What an import writes: the canonical tables, rows kept aside, and the saved mappings.
TABLES = (*CANONICAL_TABLES, "unmatched", "mappings", "inferred_owners")
KEEP = 3  # import calls that can be undone (each keeps a copy of the data tables)
# Appended to by imports; copied only before a write changes their earlier rows.
APPENDED = ("activities", "orders")
# How a row of an APPENDED table is found again: row_key, else its ids (schema.sql).
KEY_COLUMNS: dict[str, tuple[str, str | None]] = {
    "activities": ("activity_id", None),
    "orders": ("order_id", "line_no"),
}


@dataclass(frozen=True)
class Import:
    """One file of an import call, as the log shows it."""

    import_id: str
    batch_id: str | None
    loaded_at: datetime
    file: str
    table: str | None
    rows_read: int
    rows_loaded: int
    rows_duplicate: int
    rows_rejected: int
    can_undo: bool


def _ensure(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "create table if not exists import_batches (import_id varchar primary key, "
        "batch_id varchar not null)"
    )
    con.execute(
        "create table if not exists undo_points (batch_id varchar primary key, "
        "taken_at timestamp default current_timestamp)"
    )
    for table in TABLES:
        con.execute(
            compose(
                "create table if not exists {undo_table} as "
                "select ''::varchar as batch_id, * from {table} limit 0",
                undo_table=quote_ident("undo_" + table),
                table=quote_ident(table),
            )
        )
    con.execute(
        "create table if not exists undo_copies (batch_id varchar not null, "
        "table_name varchar not null)"
    )
    con.execute(
        "create table if not exists undo_added (batch_id varchar not null, "
        "target varchar not null, row_key varchar, id varchar, line varchar)"
    )


def snapshot(con: duckdb.DuckDBPyConnection) -> str:
    """Copy the data tables as they are before an import call (inside its transaction);
    the copies older than the last ``KEEP`` calls go. Returns the call's batch id."""
    _ensure(con)
    batch = uuid.uuid4().hex
    con.execute("insert into undo_points (batch_id) values ($b)", {"b": batch})
    # The call's batch, for before_change and added on this connection (a temp table in
    # the call's transaction: a rolled-back call leaves none behind).
    con.execute("create or replace temp table __undo_batch as select $b as batch_id", {"b": batch})
    for table in TABLES:
        if table not in APPENDED:
            _copy(con, batch, table)
    stale = [
        r[0]
        for r in con.execute(
            "select batch_id from undo_points order by taken_at desc, rowid desc offset $k",
            {"k": KEEP},
        ).fetchall()
    ]
    for old in stale:
        _drop_point(con, old)
    return batch


def _copy(con: duckdb.DuckDBPyConnection, batch: str, table: str) -> None:
    con.execute(
        compose(
            "insert into {undo_table} by name select $b as batch_id, * from {table}",
            undo_table=quote_ident("undo_" + table),
            table=quote_ident(table),
        ),
        {"b": batch},
    )
    con.execute(
        "insert into undo_copies (batch_id, table_name) values ($b, $t)", {"b": batch, "t": table}
    )


def _current(con: duckdb.DuckDBPyConnection) -> str | None:
    """The batch of the import call under way on this connection (None outside one)."""
    exists = con.execute(
        "select count(*) from duckdb_tables() where temporary and table_name = '__undo_batch'"
    ).fetchall()
    if not exists[0][0]:
        return None
    row = con.execute("select batch_id from __undo_batch").fetchall()
    return str(row[0][0]) if row else None


def _copied(con: duckdb.DuckDBPyConnection, batch: str, table: str) -> bool:
    row = con.execute(
        "select count(*) from undo_copies where batch_id = $b and table_name = $t",
        {"b": batch, "t": table},
    ).fetchall()
    return bool(row[0][0])


def before_change(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Copy an APPENDED table before a write that changes or deletes its rows, once per
    call: the copy holds the rows the call added so far (undo removes them by their keys,
    see ``added``); rows added after it are simply not in it."""
    batch = _current(con)
    if batch is None or table not in APPENDED:
        return
    if not _copied(con, batch, table):
        _copy(con, batch, table)


def before_append(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Before an insert into an APPENDED table: when the table is empty, its copy is the
    cheapest undo (nothing to copy, and ``added`` then records no key). A first load of
    5.4 M order lines and 3.8 M activities otherwise wrote 9.2 M keys to ``undo_added``:
    3.6 s of a 24 s ingest at scale 100 (docs/performance.md)."""
    if table not in APPENDED or _current(con) is None:
        return
    empty = con.execute(
        compose("select not exists (select 1 from {table})", table=quote_ident(table))
    ).fetchall()
    if empty[0][0]:
        before_change(con, table)


def added(
    con: duckdb.DuckDBPyConnection,
    target: str,
    keys: str,
    source: str,
    params: dict[str, object] | None = None,
) -> None:
    """Record the rows an import call adds to an APPENDED table: ``keys`` selects their
    stored ``row_key, id, line`` ``source`` (``from ... where ...``, the rows inserted).
    Costs what the new rows cost, whatever the table holds."""
    batch = _current(con)
    if batch is None or target not in APPENDED:
        return
    if _copied(con, batch, target):
        return  # the call's copy, taken before these rows came, restores without them
    sql = compose(
        "insert into undo_added (batch_id, target, row_key, id, line) "
        "select $undo_batch, $undo_target, {keys} {source}",
        keys=keys,
        source=source,
    )
    # DuckDB refuses parameters a statement does not use: pass the insert's own only.
    used = {k: v for k, v in (params or {}).items() if re.search(rf"\${k}\b", sql)}
    con.execute(sql, {**used, "undo_batch": batch, "undo_target": target})


def _restore_appended(con: duckdb.DuckDBPyConnection, table: str, undone: list[str]) -> None:
    """An APPENDED table as it was before the first undone call: from the earliest copy
    one of them took (if any), less every row the undone calls added."""
    marks = ", ".join(f"$b{i}" for i in range(len(undone)))
    binds: dict[str, object] = {f"b{i}": b for i, b in enumerate(undone)}
    copied = con.execute(
        compose(
            "select p.batch_id from undo_points p where p.batch_id in ({marks}) "
            "and (exists (select 1 from undo_copies c where c.batch_id = p.batch_id "
            "and c.table_name = $t) "
            "or not exists (select 1 from undo_copies c where c.batch_id = p.batch_id)) "
            "order by p.taken_at, p.rowid limit 1",
            marks=marks,
        ),
        {**binds, "t": table},
    ).fetchall()
    if copied:
        first = str(copied[0][0])
        _restore_copy(con, table, first)
        # Later calls' rows are not in that copy; the calls up to it added theirs before it.
        undone = undone[: undone.index(first) + 1]
    marks = ", ".join(f"$b{i}" for i in range(len(undone)))
    binds = {f"b{i}": b for i, b in enumerate(undone)}
    id_col, line_col = KEY_COLUMNS[table]
    same_ids = f"t.{id_col} = a.id" + (f" and t.{line_col} = a.line" if line_col else "")
    rows = f"undo_added a where a.target = $t and a.batch_id in ({marks})"
    con.execute(
        compose(
            "delete from {table} t where t.row_key in "
            "(select a.row_key from {rows} and a.row_key is not null)",
            table=quote_ident(table),
            rows=rows,
        ),
        {**binds, "t": table},
    )
    con.execute(
        compose(
            "delete from {table} t where t.row_key is null and exists "
            "(select 1 from {rows} and a.row_key is null and {same_ids})",
            table=quote_ident(table),
            rows=rows,
            same_ids=same_ids,
        ),
        {**binds, "t": table},
    )


def _restore_copy(con: duckdb.DuckDBPyConnection, table: str, batch: str) -> None:
    cols = ", ".join(
        quote_ident(str(c[0]))
        for c in con.execute(
            "select column_name from duckdb_columns() where database_name = "
            "current_database() and schema_name = 'main' and table_name = $t "
            "order by column_index",
            {"t": table},
        ).fetchall()
    )
    con.execute(compose("delete from {table}", table=quote_ident(table)))
    con.execute(
        compose(
            "insert into {table} ({cols}) select {cols} from {undo_table} where batch_id = $b",
            table=quote_ident(table),
            cols=cols,
            undo_table=quote_ident("undo_" + table),
        ),
        {"b": batch},
    )


def record(con: duckdb.DuckDBPyConnection, import_id: str, batch: str) -> None:
    """Which call an import (one file's row of the log) belongs to."""
    con.execute(
        "insert into import_batches (import_id, batch_id) values ($i, $b)",
        {"i": import_id, "b": batch},
    )


def _drop_point(con: duckdb.DuckDBPyConnection, batch: str) -> None:
    for table in TABLES:
        con.execute(
            compose(
                "delete from {undo_table} where batch_id = $b",
                undo_table=quote_ident("undo_" + table),
            ),
            {"b": batch},
        )
    for table in ("undo_copies", "undo_added"):
        con.execute(compose("delete from {table} where batch_id = $b", table=table), {"b": batch})
    con.execute("delete from undo_points where batch_id = $b", {"b": batch})


def imports(ws: Workspace) -> list[Import]:
    """The import log, newest first."""
    with ws.transaction() as con:
        _ensure(con)
        rows = con.execute(
            "select i.import_id, b.batch_id, i.loaded_at, i.file, i.target_table, i.rows_read, "
            "i.rows_loaded, i.rows_duplicate, i.rows_rejected, p.batch_id is not null "
            "from imports i left join import_batches b using (import_id) "
            "left join undo_points p on p.batch_id = b.batch_id "
            "order by i.loaded_at desc, i.file"
        ).fetchall()
    return [Import(*r) for r in rows]


def undo(ws: Workspace, import_id: str) -> list[Import]:
    """Restore every table to what it was before the call that made ``import_id``; that
    call's files and every later call are taken back with it (their rows may build on it).
    Returns the imports undone. A one-line UserError when it cannot be undone."""
    log = imports(ws)
    hit = [i for i in log if i.import_id == import_id or i.import_id.startswith(import_id)]
    if len(hit) != 1:
        raise UserError(
            f'no import "{import_id}" in the log'
            if not hit
            else f'"{import_id}" names several imports: give more of its id.'
        )
    target = hit[0]
    if not target.can_undo:
        raise UserError(
            f"the import of {target.file} ({target.loaded_at:%d %b %Y %H:%M}) is too old to undo: "
            f"only the last {KEEP} imports can be undone."
        )
    undone = [i for i in log if i.loaded_at >= target.loaded_at or i.batch_id == target.batch_id]
    with ws.transaction() as con:
        _ensure(con)
        later = [
            r[0]
            for r in con.execute(
                "select batch_id from undo_points where taken_at >= (select taken_at from "
                "undo_points where batch_id = $b) order by taken_at, rowid",
                {"b": target.batch_id},
            ).fetchall()
        ]
        for table in TABLES:
            if table in APPENDED:
                _restore_appended(con, table, later)
            else:
                _restore_copy(con, table, str(target.batch_id))  # can_undo: it has one
        for batch in later:
            _drop_point(con, batch)
        for imp in undone:
            con.execute("delete from imports where import_id = $i", {"i": imp.import_id})
            con.execute("delete from import_batches where import_id = $i", {"i": imp.import_id})
        con.execute("drop table if exists __lookup_state")  # reference lookups are rebuilt
        ws.bump_data_version()
    return undone


def format_imports(log: list[Import]) -> str:
    """The import log as the CLI prints it."""
    if not log:
        return "no imports recorded."
    out = []
    for i in log:
        out.append(
            f"{i.import_id[:12]}  {i.loaded_at:%Y-%m-%d %H:%M}  {i.file} -> {i.table or '-'}: "
            f"{i.rows_read:,} read, {i.rows_loaded:,} loaded, {i.rows_duplicate:,} already "
            f"loaded, {i.rows_rejected:,} rejected{'' if i.can_undo else '  (too old to undo)'}"
        )
    return "\n".join(out)
