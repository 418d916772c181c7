"""The import log and undo: every import call can be taken back, leaving every table
exactly as it was before it.

Why snapshots rather than tracking rows: an import does more than insert rows. It creates
reps and accounts implicitly, merges placeholder reps into real ones, replaces prices, moves
kept-aside rows into their tables and fills list values of earlier orders. Undoing each of
those by provenance would need every write path to record what it overwrote; a copy of the
data tables taken in the import's own transaction restores all of it exactly. The copies
live in the workspace (``undo_<table>``, one ``batch_id`` per call) and only the last
``KEEP`` calls keep one (docs/ingest.md: "Import log and undo").
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import duckdb

from reltruth.errors import UserError
from reltruth.ingest.values import quote_ident
from reltruth.workspace import CANONICAL_TABLES, Workspace

# What an import writes: the canonical tables, rows kept aside, and the saved mappings.
TABLES = (*CANONICAL_TABLES, "unmatched", "mappings", "inferred_owners")
KEEP = 3  # import calls that can be undone (each keeps a copy of the data tables)


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
            f"create table if not exists {quote_ident('undo_' + table)} as "  # noqa: S608 - fixed names
            f"select ''::varchar as batch_id, * from {quote_ident(table)} limit 0"
        )


def snapshot(con: duckdb.DuckDBPyConnection) -> str:
    """Copy the data tables as they are before an import call (inside its transaction);
    the copies older than the last ``KEEP`` calls go. Returns the call's batch id."""
    _ensure(con)
    batch = uuid.uuid4().hex
    con.execute("insert into undo_points (batch_id) values ($b)", {"b": batch})
    for table in TABLES:
        con.execute(
            f"insert into {quote_ident('undo_' + table)} by name "  # noqa: S608 - fixed names
            f"select $b as batch_id, * from {quote_ident(table)}",
            {"b": batch},
        )
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


def record(con: duckdb.DuckDBPyConnection, import_id: str, batch: str) -> None:
    """Which call an import (one file's row of the log) belongs to."""
    con.execute(
        "insert into import_batches (import_id, batch_id) values ($i, $b)",
        {"i": import_id, "b": batch},
    )


def _drop_point(con: duckdb.DuckDBPyConnection, batch: str) -> None:
    for table in TABLES:
        con.execute(
            f"delete from {quote_ident('undo_' + table)} where batch_id = $b",  # noqa: S608
            {"b": batch},
        )
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
        for table in TABLES:
            cols = ", ".join(
                quote_ident(str(c[0]))
                for c in con.execute(
                    "select column_name from duckdb_columns() where database_name = "
                    "current_database() and schema_name = 'main' and table_name = $t "
                    "order by column_index",
                    {"t": table},
                ).fetchall()
            )
            con.execute(f"delete from {quote_ident(table)}")  # noqa: S608 - fixed names
            con.execute(
                f"insert into {quote_ident(table)} ({cols}) select {cols} "  # noqa: S608
                f"from {quote_ident('undo_' + table)} where batch_id = $b",
                {"b": target.batch_id},
            )
        later = [
            r[0]
            for r in con.execute(
                "select batch_id from undo_points where taken_at >= (select taken_at from "
                "undo_points where batch_id = $b)",
                {"b": target.batch_id},
            ).fetchall()
        ]
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
