"""Lookups of what is already loaded: name and product keys, the ids and names of loaded reps,
accounts and products, and one reference table per raw column (its distinct texts, each with
the id it resolves to).

Why a module of its own: the lookups are small TEMP tables built once per import
(``refresh_lookups``), so a five-million-line file is matched by hash joins on its distinct
texts, and an import costs what its file costs.
"""

from __future__ import annotations

from typing import Any

import duckdb

from reltruth.ingest.detect import first_row
from reltruth.ingest.parse import activity_type_sql
from reltruth.ingest.values import quote_ident
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


def ref_text(fields: dict[str, str], id_field: str, name_field: str) -> str:
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


def ref_table(con: duckdb.DuckDBPyConnection, relation: str, column: str, fld: str) -> str:
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


def type_ref(con: duckdb.DuckDBPyConnection, relation: str, column: str) -> str:
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


def product_ref(con: duckdb.DuckDBPyConnection, relation: str, column: str) -> bool:
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
