"""References of a stage resolved: reps and accounts by id or name, activity types, products;
rows already loaded; rows kept aside while their account is unknown, and their retry.

Why a module of its own: matching is where a row's rep or account comes from a name in another
file. The lookups are small TEMP tables built once per import (``refresh_lookups``), so a
five-million-line file is matched by hash joins, and an import costs what its file costs.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import duckdb

from reltruth.ingest import undo
from reltruth.ingest.detect import Mapping, first_row
from reltruth.ingest.parse import ID_FIELDS, activity_type_sql
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
from reltruth.workspace import NAME_KEY_SQL

# Product names match a price list ignoring case, spaces and punctuation ("GTXPro" = "GTX Pro").
PRODUCT_KEY_SQL = "nullif(lower(regexp_replace({col}, '[^[:alnum:]]', '', 'g')), '')"


def name_key_sql(col: str) -> str:
    return NAME_KEY_SQL.format(col=col)


def product_key_sql(col: str) -> str:
    return PRODUCT_KEY_SQL.format(col=col)


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


def refresh_lookups(con: duckdb.DuckDBPyConnection) -> None:
    """Name keys of loaded accounts and reps (one id per key, ids before names)."""
    row = first_row(con.execute(_LOOKUP_FINGERPRINT))
    fingerprint = str(row[0]) if row else ""
    con.execute("create temp table if not exists __lookup_state (fingerprint varchar)")
    if table_exists(con, "select 1 from __lookup_state where fingerprint = $f", {"f": fingerprint}):
        return
    con.execute(
        compose(
            "create or replace temp table __acct_keys as "
            "select k, account_id from ("
            "  select {name_key} as k, account_id, 0 as prio from accounts "
            "  union all select {name_key2}, account_id, 1 from accounts"
            ") where k is not null "
            "qualify row_number() over (partition by k order by prio, account_id) = 1",
            name_key=name_key_sql("account_id"),
            name_key2=name_key_sql("account_name"),
        )
    )
    con.execute(
        compose(
            "create or replace temp table __rep_keys as "
            "select k, rep_id from ("
            "  select {name_key} as k, rep_id, 0 as prio from reps "
            "  union all select {name_key2}, rep_id, 1 from reps"
            ") where k is not null "
            "qualify row_number() over (partition by k order by prio, rep_id) = 1",
            name_key=name_key_sql("rep_id"),
            name_key2=name_key_sql("rep_name"),
        )
    )
    con.execute(
        compose(
            "create or replace temp table __price_keys as "
            "select {product_key} as k, any_value(product) as product, "
            "any_value(list_price) as list_price from price_list group by all",
            product_key=product_key_sql("product"),
        )
    )
    con.execute("delete from __lookup_state")
    con.execute("insert into __lookup_state values ($f)", {"f": fingerprint})


def ref_joins(
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


def new_rep_id(fields: dict[str, str], id_field: str, name_field: str) -> str:
    """The id an implicitly created rep gets: the id given, else the name's key."""
    parts = []
    if id_field in fields:
        parts.append(f"s.f_{id_field}")
    if name_field in fields:
        parts.append(name_key_sql(f"s.f_{name_field}"))
    return f"coalesce({', '.join(parts)})" if parts else "null::varchar"


REF_TABLES = (
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
    return compose(
        "(select __v, nullif(trim(__v), '') as __t from (select distinct {col} as __v "
        "from {relation} where {col} is not null)) d",
        col=col,
        relation=quote_ident(relation),
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
        compose(
            "create or replace temp table {name} as select d.__v, d.__t, {pick} as __x "
            "from {distinct_raw} {exact}left join {keys} k on k.k = {name_key}",
            name=name,
            pick=pick,
            distinct_raw=_distinct_raw(relation, column),
            exact=exact,
            keys=keys,
            name_key=name_key_sql("d.__t"),
        )
    )
    return name


def table_exists(
    con: duckdb.DuckDBPyConnection, query: str, params: dict[str, Any] | None = None
) -> bool:
    row = first_row(con.execute(compose("select exists ({query})", query=query), params or {}))
    return bool(row and row[0])


def _type_ref(con: duckdb.DuckDBPyConnection, relation: str, column: str) -> str:
    """Each distinct activity type text -> visit / meeting / call / email / other."""
    con.execute(
        compose(
            "create or replace temp table __ref_type as select d.__v, d.__t, "
            "{activity_type} as __x from {distinct_raw}",
            activity_type=activity_type_sql("d.__t"),
            distinct_raw=_distinct_raw(relation, column),
        )
    )
    return "__ref_type"


def _product_ref(con: duckdb.DuckDBPyConnection, relation: str, column: str) -> bool:
    """Each distinct product text with its price list entry; False (no table) when no
    price list is loaded."""
    if not table_exists(con, "select 1 from __price_keys"):
        return False
    con.execute(
        compose(
            "create or replace temp table __ref_product as select distinct d.__t as v, "
            "pk.product, pk.list_price from {distinct_raw} "
            "join __price_keys pk on pk.k = {product_key}",
            distinct_raw=_distinct_raw(relation, column),
            product_key=product_key_sql("d.__t"),
        )
    )
    return True


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
        cols.append(f"{stage_sql(fields)} as __stage_norm")
    if "product" in fields and _product_ref(con, distinct, "f_product"):
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
