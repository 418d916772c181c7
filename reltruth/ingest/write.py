"""One insert per small canonical table from a resolved stage: reps, accounts, price list; a
re-import's earlier rows forgotten (the facts' inserts are in ``write_facts``).

Why a module of its own: writing is the only step that changes the workspace; everything before
it is TEMP tables, so a refused file changes nothing.
"""

from __future__ import annotations

import duckdb

from reltruth.ingest import undo
from reltruth.ingest.detect import first_row
from reltruth.ingest.implicit import ensure_reps, merge_implicit_reps
from reltruth.ingest.lookup import (
    name_key_sql,
    new_rep_id,
    product_key_sql,
    ref_joins,
    refresh_lookups,
    table_exists,
)
from reltruth.ingest.read import (
    RawTable,
)
from reltruth.ingest.report import (
    FileResult,
    collect_rejects,
    loaded_counts,
)
from reltruth.ingest.stage import Stage
from reltruth.ingest.values import quote_ident
from reltruth.settings import Settings
from reltruth.sql import compose


def forget_file(con: duckdb.DuckDBPyConnection, source: str) -> int:
    """Remove the activities, order lines, deals and kept-aside rows earlier imports of a
    file of this name loaded (they carry its name); returns how many."""
    removed = 0
    for table in ("activities", "orders", "pipeline", "unmatched"):
        where = f"from {quote_ident(table)} where source_file = $f"  # fixed names
        # A won deal is in pipeline and in orders: count it once.
        only = " and source = 'orders'" if table == "orders" else ""
        row = first_row(
            con.execute(
                compose("select count(*) {where}{only}", where=where, only=only), {"f": source}
            )
        )
        removed += int(row[0]) if row else 0
        if table_exists(con, compose("select 1 {where}", where=where), {"f": source}):
            undo.before_change(con, table)
            con.execute(compose("delete {where}", where=where), {"f": source})
    return removed


def field_sql(stage: Stage, fld: str, cast: str = "varchar") -> str:
    """The typed column for a field, or a typed NULL when the file does not have it."""
    return f"s.f_{fld}" if fld in stage.fields else f"null::{cast}"


def load_reps(
    con: duckdb.DuckDBPyConnection,
    stage: Stage,
    raw: RawTable,
    settings: Settings,
    result: FileResult,
) -> None:
    collect_rejects(con, stage, result)
    res = stage.relation + "__res"
    rep_id = new_rep_id(stage.fields, "rep_id", "rep_name")
    if stage.replace:  # the file's reps replace the loaded ones of the same id
        con.execute(
            compose(
                "update reps set is_implicit = true where rep_id in (select {rep_id} "
                "from {relation} where __reason is null)",
                rep_id=rep_id,
                relation=quote_ident(stage.relation),
            )
        )
    con.execute(
        compose(
            "create temp table {res} as select s.*, {rep_id} as __id, "
            "(coalesce(not r.is_implicit, false) "
            "or row_number() over (partition by {rep_id} order by s.__line) > 1) as __dup "
            "from {relation} s left join reps r on r.rep_id = {rep_id}",
            res=quote_ident(res),
            rep_id=rep_id,
            relation=quote_ident(stage.relation),
        )
    )
    cols = ["rep_name", "manager", "team", "region", "email", "quota"]
    sel = ", ".join(field_sql(stage, c, "double" if c == "quota" else "varchar") for c in cols)
    con.execute(
        compose(
            "insert or replace into reps (rep_id, {cols}, is_implicit) "
            "select s.__id, {sel}, false from {res} s where s.__reason is null and not s.__dup",
            cols=", ".join(cols),
            sel=sel,
            res=quote_ident(res),
        )
    )
    # A rep created earlier from a name ("frank berger") who now arrives with an id (R01):
    # point everything at the real id and drop the placeholder.
    merged = merge_implicit_reps(con)
    if merged:
        result.notes.append(
            f"{merged} reps created earlier from names now use their ids from this file"
        )
    result.rows_loaded, result.rows_duplicate = loaded_counts(con, res)


def load_accounts(
    con: duckdb.DuckDBPyConnection,
    stage: Stage,
    raw: RawTable,
    settings: Settings,
    result: FileResult,
) -> None:
    collect_rejects(con, stage, result)
    res = stage.relation + "__res"
    acct_id = f"coalesce({field_sql(stage, 'account_id')}, {name_key_sql(field_sql(stage, 'account_name'))})"
    joins, owner = ref_joins(
        stage.fields, "owner_rep_id", "owner_rep_name", "o", "__rep_keys", "reps"
    )
    new_owner = new_rep_id(stage.fields, "owner_rep_id", "owner_rep_name")
    owner_name = field_sql(stage, "owner_rep_name")
    if stage.replace:  # the file's accounts replace the loaded ones of the same id
        con.execute(
            compose(
                "delete from accounts where account_id in (select {acct_id} "
                "from {relation} where __reason is null)",
                acct_id=acct_id,
                relation=quote_ident(stage.relation),
            )
        )
    con.execute(
        compose(
            "create temp table {res} as select s.*, {acct_id} as __id, "
            "coalesce({owner}, {new_owner}) as __owner, {owner_name} as __owner_name, "
            "(a.account_id is not null or row_number() over (partition by {acct_id} order by s.__line) > 1) as __dup "
            "from {relation} s {joins} left join accounts a on a.account_id = {acct_id}",
            res=quote_ident(res),
            acct_id=acct_id,
            owner=owner,
            new_owner=new_owner,
            owner_name=owner_name,
            relation=quote_ident(stage.relation),
            joins=joins,
        )
    )
    ensure_reps(con, res, "__owner", "__owner_name")
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
        name if c == "account_name" else f"cast({field_sql(stage, c, t)} as {t})"
        for c, t in cols.items()
    )
    con.execute(
        compose(
            "insert into accounts (account_id, {cols}, owner_rep_id, potential_estimated) "
            "select s.__id, {sel}, s.__owner, false from {res} s "
            "where s.__reason is null and not s.__dup",
            cols=", ".join(cols),
            sel=sel,
            res=quote_ident(res),
        )
    )
    result.rows_loaded, result.rows_duplicate = loaded_counts(con, res)


def load_price_list(
    con: duckdb.DuckDBPyConnection,
    stage: Stage,
    raw: RawTable,
    settings: Settings,
    result: FileResult,
) -> None:
    collect_rejects(con, stage, result)
    res = stage.relation + "__res"
    con.execute(
        compose(
            "create temp table {res} as select s.*, "
            "(p.product is not null and p.list_price = s.f_list_price "
            " or row_number() over (partition by s.f_product order by s.__line desc) > 1) as __dup, "
            "p.product is not null as __update "
            "from {relation} s left join price_list p on p.product = s.f_product",
            res=quote_ident(res),
            relation=quote_ident(stage.relation),
        )
    )
    con.execute(
        compose(
            "delete from price_list where product in "
            "(select f_product from {res} where __reason is null and not __dup and __update)",
            res=quote_ident(res),
        )
    )
    con.execute(
        compose(
            "insert into price_list (product, list_price, series) "
            "select s.f_product, s.f_list_price, {f} from {res} s "
            "where s.__reason is null and not s.__dup",
            f=field_sql(stage, "series"),
            res=quote_ident(res),
        )
    )
    result.rows_loaded, result.rows_duplicate = loaded_counts(con, res)
    refresh_lookups(con)
    # Orders and deals loaded before this price list get their list values now.
    filled = _backfill_list_amounts(con)
    if filled:
        result.notes.append(
            f"list values added to {filled:,} earlier order lines from this price list"
        )


def _backfill_list_amounts(con: duckdb.DuckDBPyConnection) -> int:
    # A price list fills list values of orders loaded before it: undo needs them as they were.
    undo.before_change(con, "orders")
    row = first_row(
        con.execute(
            compose(
                "update orders set list_amount = coalesce(orders.quantity, 1) * p.list_price from __price_keys p "
                "where orders.list_amount is null and p.k = {product_key}",
                product_key=product_key_sql("orders.product"),
            )
        )
    )
    con.execute(
        compose(
            "update pipeline set list_amount = p.list_price from __price_keys p "
            "where pipeline.list_amount is null and p.k = {product_key}",
            product_key=product_key_sql("pipeline.product"),
        )
    )
    return int(row[0]) if row else 0
