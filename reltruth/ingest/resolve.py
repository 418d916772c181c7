"""A fact stage resolved: its reps and accounts by id or name, activity types and products
(through the lookups of ``lookup``); rows already loaded; rows whose account is unknown.

Why a module of its own: matching is where a row's rep or account comes from a name in another
file, and where a re-imported row is told from a new one (semi joins on the stored keys).
"""

from __future__ import annotations

from dataclasses import replace

import duckdb

from reltruth.ingest.detect import Mapping
from reltruth.ingest.implicit import ensure_reps
from reltruth.ingest.lookup import product_ref, ref_table, ref_text, table_exists, type_ref
from reltruth.ingest.parse import ID_FIELDS
from reltruth.ingest.read import (
    ColumnTypes,
    RawTable,
    broken_csv,
    csv_rows,
    csv_source,
    rows_view,
    typed_values_ok,
)
from reltruth.ingest.stage import (
    Stage,
    build_stage,
    drop_stage,
    row_key_sql,
    stage_sql,
)
from reltruth.ingest.values import quote_ident
from reltruth.settings import Settings
from reltruth.sql import compose


def _targets(table: str) -> list[str]:
    return ["pipeline"] if table == "deals" else [table]


def _loaded(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether rows of this kind are loaded (or kept aside): on a first import there are
    none, and building and joining every row's key (a second for 5 million rows) is skipped."""
    return any(
        table_exists(con, compose("select 1 from {t}", t=t))
        or table_exists(con, "select 1 from unmatched where target_table = $t", {"t": t})
        for t in _targets(table)
    )


# The stored columns a row's key is made of where ``row_key`` is null (NATURAL_KEYS), as
# the stage names them (``f_<column>``).
ID_COLUMNS = {"activities": ["activity_id"], "orders": ["order_id", "line_no"]}


def loaded_rows_sql(stage: Stage, table: str) -> str:
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
                compose(
                    "select s.__row from {base} s semi join {t} o on o.row_key is null and {on}",
                    base=base,
                    t=t,
                    on=on,
                )
            )
        parts.append(
            compose(
                "select s.__row from {base} s semi join {t} o on o.row_key = s.__key",
                base=base,
                t=t,
            )
        )
        parts.append(
            compose(
                "select s.__row from {base} s semi join unmatched u "
                "on u.target_table = '{t}' and u.row_key = s.__key",
                base=base,
                t=t,
            )
        )
    return " union all ".join(parts)


def direct_fact_stage(
    con: duckdb.DuckDBPyConnection,
    raw: RawTable,
    table: str,
    mapping: Mapping,
    settings: Settings,
    types: ColumnTypes | None,
) -> tuple[RawTable, Stage] | None:
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
        stage = build_stage(
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
        or table_exists(
            con,
            compose(
                "select 1 from {table} where {missing}",
                table=quote_ident(stage.table),
                missing=missing,
            ),
        )
    ):
        drop_stage(con, stage)
        return None
    # The stage's view: lines from the row order, and the id key.
    rows_view(
        con,
        stage.relation,
        stage.table,
        rows,
        f"t.rowid as __row, t.* exclude (__line), {row_key_sql(table, fields, True)[0]} as __key",
        same_transaction=True,
    )
    done = replace(typed_raw, pending=None, rows_read=rows.rows_read, rejects=rows.rejects)
    return done, _resolve_references(con, stage, table)


def _resolve_references(con: duckdb.DuckDBPyConnection, stage: Stage, table: str) -> Stage:
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
            compose(
                "create or replace temp table {distinct} as select "
                "{looked_up} from {base} "
                "group by grouping sets ({sets})",
                distinct=quote_ident(distinct),
                looked_up=", ".join(quote_ident(c) for c in looked_up),
                base=quote_ident(base),
                sets=sets,
            )
        )
    joins: list[str] = []
    resolved: dict[str, str] = {}
    refs: dict[str, str] = {}
    for fld in ("account_id", "account_name", "rep_id", "rep_name"):
        if fld in fields:
            ref = refs[fld] = ref_table(con, distinct, f"f_{fld}", fld)
            joins.append(f"left join {ref} on {ref}.__v = s.f_{fld}")
            resolved[fld] = f"{ref}.__x"
    acct = [resolved[f] for f in ("account_id", "account_name") if f in resolved]
    reps = [resolved[f] for f in ("rep_id", "rep_name") if f in resolved]
    cols = [
        f"{'coalesce(' + ', '.join(acct) + ')' if acct else 'null::varchar'} as __acct",
        f"{ref_text(fields, 'account_id', 'account_name')} as __acct_ref",
        f"{'coalesce(' + ', '.join(reps) + ')' if reps else 'null::varchar'} as __rep",
        f"{'s.f_rep_name' if 'rep_name' in fields else 'null::varchar'} as __rep_name",
    ]
    if table == "activities":
        if "activity_type" in fields:
            type_ref(con, distinct, "f_activity_type")
            joins.append("left join __ref_type on __ref_type.__v = s.f_activity_type")
            cols.append("coalesce(__ref_type.__x, 'other') as __type")
        else:
            cols.append("'other' as __type")
    if table == "deals":
        cols.append(f"{stage_sql(fields)} as __stage_norm")
    if "product" in fields and product_ref(con, distinct, "f_product"):
        joins.append("left join __ref_product on __ref_product.v = s.f_product")
        cols.append("__ref_product.list_price as __list_price")
    else:
        cols.append("null::double as __list_price")
    con.execute(f"drop table if exists {quote_ident(distinct)}")
    view = base + "_resolved"
    con.execute(
        compose(
            "create or replace temp view {view} as select s.*, {cols} from {base} s {joins}",
            view=quote_ident(view),
            cols=", ".join(cols),
            base=quote_ident(base),
            joins=" ".join(joins),
        )
    )
    if _loaded(con, table):
        # Rows loaded before: an UPDATE of those rows only (none of a new file's).
        con.execute(
            compose(
                "update {table} set __dup = true where rowid in ({loaded_rows})",
                table=quote_ident(stage.table),
                loaded_rows=loaded_rows_sql(stage, table),
            )
        )
    return replace(stage, relation=view, rows=base, refs=refs)


def fact_stage(
    con: duckdb.DuckDBPyConnection, raw: RawTable, table: str, mapping: Mapping, settings: Settings
) -> Stage | None:
    """The stage of a fact file read into its text table, references resolved; None when
    some rows lack their id and the file was read typed (their keys hash its text)."""
    fields = {fld: header for header, fld in mapping.items() if fld}
    # Optimistic: keys from the export's ids alone. Only if some row lacks its id is the
    # stage rebuilt with content-hash keys (hashing every row costs a second or more per
    # million rows).
    has_ids = all(f in fields for f in ID_FIELDS[table])

    def build(ids_complete: bool) -> Stage:
        return build_stage(
            con, raw, table, mapping, settings, extra=["false as __dup"], ids_complete=ids_complete
        )

    stage = build(has_ids)
    if has_ids:
        # The id key is null exactly where an id field is (read from the stored table: the
        # view would build every key to answer).
        missing = " or ".join(f"{quote_ident('f_' + f)} is null" for f in ID_FIELDS[table])
        if table_exists(
            con,
            compose(
                "select 1 from {table} where {missing}",
                table=quote_ident(stage.table),
                missing=missing,
            ),
        ):
            drop_stage(con, stage)
            if raw.typed:
                return None
            stage = build(False)
    return _resolve_references(con, stage, table)


def fact_res(con: duckdb.DuckDBPyConnection, stage: Stage) -> str:
    """The resolved stage of a fact file; reps it names are created now."""
    # Reading the whole stage for reps is skipped when every rep it names is loaded.
    unknown = [
        compose(
            "select 1 from {t} r where r.__x is not null "
            "and r.__x not in (select rep_id from reps)",
            t=quote_ident(t),
        )
        for f, t in stage.refs.items()
        if f.startswith("rep")
    ]
    if any(table_exists(con, q) for q in unknown):
        ensure_reps(con, stage.relation, "__rep", "__rep_name")
    return stage.relation


def maybe_unmatched(con: duckdb.DuckDBPyConnection, stage: Stage) -> str | None:
    """None when every account text in the file resolved (no row to keep aside, nothing
    to look for); else a condition on the stored columns (``s``) that every row naming an
    unknown account meets, so that the rest of a big file is not resolved to find them."""
    accounts = {f: t for f, t in stage.refs.items() if f.startswith("account")}
    unresolved = {
        f: t
        for f, t in accounts.items()
        if table_exists(con, compose("select 1 from {t} where __x is null", t=quote_ident(t)))
    }
    if not unresolved:
        return None
    # A row is kept aside only if none of its account texts resolves.
    return " and ".join(
        compose(
            "(s.f_{f} is null or s.f_{f} in (select __v from {t} where __x is null))",
            f=f,
            t=quote_ident(t),
        )
        for f, t in accounts.items()
    )


def unmatched_names(con: duckdb.DuckDBPyConnection, res: str, hint: str) -> tuple[list[str], int]:
    """The account names of rows kept aside, and how many rows that is."""
    rows = con.execute(
        compose(
            "select s.__acct_ref, count(*) from {res} s "
            "where s.__reason is null and not s.__dup and {hint} and s.__acct is null "
            "and s.__acct_ref is not null group by 1 order by 1",
            res=quote_ident(res),
            hint=hint,
        )
    ).fetchall()
    return [str(r[0]) for r in rows], sum(int(r[1]) for r in rows)
