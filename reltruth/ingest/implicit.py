"""Reps created from names (implicit reps), merged when the real rep arrives with an id, and the
retry of rows kept aside while their account was unknown.

Why a module of its own: these are the steps that change rows of earlier imports when a new
file brings what they lacked (a rep's id, an account), so each takes an undo copy first.
"""

from __future__ import annotations

import re

import duckdb

from reltruth.ingest import undo
from reltruth.ingest.detect import first_row
from reltruth.ingest.lookup import name_key_sql, refresh_lookups
from reltruth.ingest.values import quote_ident
from reltruth.sql import compose


def merge_implicit_reps(con: duckdb.DuckDBPyConnection) -> int:
    con.execute(
        compose(
            "create or replace temp table __rep_merge as "
            "select i.rep_id as old_id, min(r.rep_id) as new_id from reps i join reps r "
            "on i.is_implicit and not r.is_implicit and r.rep_id <> i.rep_id and i.rep_id = {name_key} "
            "group by i.rep_id",
            name_key=name_key_sql("r.rep_name"),
        )
    )
    row = first_row(con.execute("select count(*) from __rep_merge"))
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
                compose(
                    "update {table} set {col} = m.new_id from __rep_merge m where {table}.{col} = m.old_id",
                    table=table,
                    col=col,
                )
            )
        con.execute("delete from reps where rep_id in (select old_id from __rep_merge)")
    return n


def ensure_reps(
    con: duckdb.DuckDBPyConnection, res: str, id_col: str, name_col: str | None
) -> None:
    """Reps named by other tables and not loaded yet are created (spec: implicit reps)."""
    name = f"any_value(s.{name_col})" if name_col else "null::varchar"
    con.execute(
        compose(
            "insert into reps (rep_id, rep_name, is_implicit) "
            "select s.{id_col}, {name}, true from {res} s "
            "where s.{id_col} is not null and s.__reason is null and not s.__dup "
            "and s.{id_col} not in (select rep_id from reps) group by s.{id_col}",
            id_col=id_col,
            name=name,
            res=quote_ident(res),
        )
    )


# --------------------------------------------------------------------------------------------
# Rows kept aside: retried whenever accounts may have arrived.


def retry_unmatched(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Move kept-aside rows whose account is now loaded into their tables; rows per table."""
    refresh_lookups(con)
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
        row = first_row(
            con.execute(
                compose(
                    "insert into {target} by name select {sel}, k.account_id as account_id {match}",
                    target=target,
                    sel=sel,
                    match=match,
                ),
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
                compose(
                    "delete from unmatched u where u.target_table = $t and exists (select 1 from __acct_keys k "
                    "where k.k = {name_key})",
                    name_key=name_key_sql("u.account_name"),
                ),
                {"t": target},
            )
            moved[target] = n
    return moved


def _lit(name: str) -> str:
    # Column names come from information_schema of our own tables (an allow-list), never data.
    if not re.fullmatch(r"[a-z_]+", name):
        raise ValueError(name)
    return f"'{name}'"
