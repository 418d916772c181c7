"""One insert per fact table from a resolved stage: activities, order lines, deals (won deals
are also order lines); rows naming an unknown account kept aside in ``unmatched``.

Why a module of its own: facts are the big tables, matched to accounts by reference tables and
checked against what is loaded by semi joins; the small tables' writes are in ``write``.
"""

from __future__ import annotations

from typing import Any

import duckdb

from reltruth.errors import UserError
from reltruth.ingest import undo
from reltruth.ingest.detect import first_row
from reltruth.ingest.parse import Sql
from reltruth.ingest.read import (
    RawTable,
)
from reltruth.ingest.report import (
    FileResult,
    collect_rejects,
    finish_fact,
    note_estimated,
    product_notes,
)
from reltruth.ingest.resolve import (
    fact_res,
    maybe_unmatched,
)
from reltruth.ingest.stage import Stage, stored_key_text
from reltruth.ingest.values import quote_ident
from reltruth.ingest.write import field_sql
from reltruth.settings import Settings
from reltruth.sql import compose


def load_activities(
    con: duckdb.DuckDBPyConnection,
    stage: Stage,
    raw: RawTable,
    settings: Settings,
    result: FileResult,
) -> None:
    collect_rejects(con, stage, result)
    res = fact_res(con, stage)
    q = Sql()
    dtype = "s.__type"
    defaults = " ".join(
        f"when {q.bind(t)} then {q.bind(float(m))}" for t, m in settings.default_durations.items()
    )
    given = [
        f"s.f_{f}"
        for f in ("duration_minutes", "duration_seconds", "duration_ms")
        if f in stage.fields
    ]
    duration = f"coalesce({', '.join(given)})" if given else "null::double"
    cols = (
        "{key} as row_key, {aid} as activity_id, s.f_activity_date as activity_date, s.__rep as rep_id, "
        "{acct} as account_id, {dtype} as activity_type, "
        "coalesce({dur}, case {dtype} {defaults} end) as duration_minutes, "
        "{dur} is null as duration_estimated, {travel} as travel_minutes, {role} as contact_role, "
        "$src as source_file"
    )
    row_sql = cols.format(
        key=stored_key_text(stage, "activities"),
        aid=field_sql(stage, "activity_id"),
        dtype=dtype,
        dur=duration,
        defaults=defaults,
        travel=field_sql(stage, "travel_minutes", "double"),
        role=field_sql(stage, "contact_role"),
        acct="{acct}",
    )
    unmatched = maybe_unmatched(con, stage)
    _insert_fact(con, res, "activities", row_sql, "true", raw.source, q.params, unmatched)
    finish_fact(con, stage, result, unmatched)
    note_estimated(con, stage.base, stage, result, given)


def _struct(select_list: str) -> str:
    """``expr as name, ...`` -> ``name := expr, ...`` for struct_pack."""
    items = _split_top(select_list)
    out = []
    for item in items:
        expr, _, name = item.rpartition(" as ")
        out.append(f"{name.strip()} := {expr.strip()}")
    return ", ".join(out)


def _split_top(text: str) -> list[str]:
    # Split on commas outside parentheses and quotes.
    parts: list[str] = []
    cur: list[str] = []
    depth, quote = 0, False
    for ch in text:
        if ch == "'":
            quote = not quote
        elif not quote and ch == "(":
            depth += 1
        elif not quote and ch == ")":
            depth -= 1
        if ch == "," and depth == 0 and not quote:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip()]


def _list_amount_sql(stage: Stage, net: str, qty: str) -> str:
    parts = []
    if "list_amount" in stage.fields:
        parts.append("s.f_list_amount")
    if "discount_amount" in stage.fields:
        parts.append(f"{net} + s.f_discount_amount")
    if "discount_pct" in stage.fields:
        parts.append(f"case when s.f_discount_pct < 1 then {net} / (1 - s.f_discount_pct) end")
    parts.append(f"coalesce({qty}, 1) * s.__list_price")
    return f"coalesce({', '.join(parts)})"


def _check_currency(con: duckdb.DuckDBPyConnection, stage: Stage, raw: RawTable) -> None:
    if "currency" not in stage.fields:
        return
    found = [
        str(r[0])
        for r in con.execute(
            compose(
                "select distinct upper(f_currency) from {base} "
                "where f_currency is not null and __reason is null "
                "union select distinct upper(currency) from orders where currency is not null order by 1",
                base=quote_ident(stage.base),
            )
        ).fetchall()
    ]
    if len(found) > 1:
        raise UserError(
            f"{raw.source} mixes currencies ({', '.join(found)}) with the orders loaded: "
            "convert the amounts to one currency before loading."
        )


def load_orders(
    con: duckdb.DuckDBPyConnection,
    stage: Stage,
    raw: RawTable,
    settings: Settings,
    result: FileResult,
) -> None:
    collect_rejects(con, stage, result)
    _check_currency(con, stage, raw)
    res = fact_res(con, stage)
    qty = field_sql(stage, "quantity", "double")
    row_sql = (
        f"{stored_key_text(stage, 'orders')} as row_key, {field_sql(stage, 'order_id')} as order_id, "
        f"{field_sql(stage, 'line_no')} as line_no, s.f_order_date as order_date, "
        "{acct} as account_id, "
        f"{'s.__rep' if ('rep_id' in stage.fields or 'rep_name' in stage.fields) else 'null::varchar'} as rep_id, "
        f"s.f_net_amount as net_amount, {_list_amount_sql(stage, 's.f_net_amount', qty)} as list_amount, "
        f"{field_sql(stage, 'product')} as product, {field_sql(stage, 'product_category')} as product_category, "
        f"{qty} as quantity, upper({field_sql(stage, 'currency')}) as currency, 'orders' as source, $src as source_file"
    )
    unmatched = maybe_unmatched(con, stage)
    _insert_fact(con, res, "orders", row_sql, "true", raw.source, unmatched=unmatched)
    finish_fact(con, stage, result, unmatched)
    product_notes(con, res, stage, result)


def _insert_fact(
    con: duckdb.DuckDBPyConnection,
    res: str,
    target: str,
    row_sql: str,
    where: str,
    source: str,
    params: dict[str, Any] | None = None,
    unmatched: str | None = "true",
) -> None:
    """Matched rows into ``target``; rows naming an unknown account into ``unmatched``
    (looked for only when ``unmatched``: see ``maybe_unmatched``)."""
    params = {**(params or {}), "src": source}
    base = f"from {quote_ident(res)} s where s.__reason is null and not s.__dup and " + where
    matched = f"{base} and s.__acct is not null"
    undo.before_append(con, target)
    con.execute(
        compose(
            "insert into {target} by name select {columns} {matched}",
            target=target,
            columns=row_sql.format(acct="s.__acct"),
            matched=matched,
        ),
        params,
    )
    if target in undo.APPENDED:
        exprs = {
            name.strip(): expr.strip()
            for expr, _, name in (i.rpartition(" as ") for i in _split_top(row_sql))
        }
        id_col, line_col = undo.KEY_COLUMNS[target]
        keys = [exprs["row_key"], exprs.get(id_col, "null"), exprs.get(line_col or "", "null")]
        undo.added(con, target, ", ".join(f"({k})::varchar" for k in keys), matched, params)
    if not unmatched:
        return
    con.execute(
        compose(
            "insert into unmatched (target_table, row_key, source_file, line, account_name, rep_name, payload) "
            "select $t, s.__key, $src, s.__line, s.__acct_ref, s.__rep_name, "
            "to_json(struct_pack({struct})) "
            "{base} and {unmatched} and s.__acct is null and s.__acct_ref is not null",
            struct=_struct(row_sql.format(acct="null::varchar")),
            base=base,
            unmatched=unmatched,
        ),
        {**params, "t": target},
    )


def _replace_changed_deals(con: duckdb.DuckDBPyConnection, stage: Stage) -> int:
    """A deal already loaded whose stage, value or close date changed (next month's export:
    the open deal is now won) replaces the old rows instead of being skipped as a duplicate."""
    close = "s.f_close_date" if "close_date" in stage.fields else "null::date"
    res = quote_ident(stage.relation)
    con.execute(
        compose(
            "create or replace temp table __changed as select distinct s.__key from "
            "{res} s join pipeline p on p.row_key = s.__key where s.__dup and s.__reason is null "
            "and (s.__stage_norm is distinct from p.stage "
            "or s.f_value is distinct from p.value or {close} is distinct from p.close_date)",
            res=res,
            close=close,
        )
    )
    row = first_row(con.execute("select count(*) from __changed"))
    n = int(row[0]) if row else 0
    if n:
        undo.before_change(con, "orders")
        con.execute("delete from pipeline where row_key in (select __key from __changed)")
        con.execute(
            "delete from orders where source = 'deals' and row_key in (select __key from __changed)"
        )
        con.execute(
            compose(
                "update {table} set __dup = false where rowid in ("
                "select arg_min(s.__row, s.__line) from {res} s join __changed c on c.__key = s.__key "
                "group by s.__key)",
                table=quote_ident(stage.table),
                res=res,
            )
        )
    con.execute("drop table __changed")
    return n


def load_deals(
    con: duckdb.DuckDBPyConnection,
    stage: Stage,
    raw: RawTable,
    settings: Settings,
    result: FileResult,
) -> None:
    collect_rejects(con, stage, result)
    _check_currency(con, stage, raw)
    res = fact_res(con, stage)
    updated = _replace_changed_deals(con, stage)
    if updated:
        result.notes.append(
            f"{updated:,} deals changed since they were loaded (stage, value or close date): updated"
        )
    qty = field_sql(stage, "quantity", "double")
    has_rep = "rep_id" in stage.fields or "rep_name" in stage.fields
    rep = "s.__rep" if has_rep else "null::varchar"
    pipe_sql = (
        f"s.__key as row_key, {field_sql(stage, 'deal_id')} as deal_id, {{acct}} as account_id, {rep} as rep_id, "
        f"{field_sql(stage, 'product')} as product, s.__stage_norm as stage, "
        f"coalesce({field_sql(stage, 'stage')}, case when s.__stage_norm = 'won' then 'Won' end) as stage_raw, "
        f"{field_sql(stage, 'engage_date', 'date')} as engage_date, {field_sql(stage, 'close_date', 'date')} as close_date, "
        f"s.f_value as value, coalesce({qty}, 1) * s.__list_price as list_amount, $src as source_file"
    )
    order_sql = (
        f"s.__key as row_key, {field_sql(stage, 'deal_id')} as order_id, s.f_close_date as order_date, "
        f"{{acct}} as account_id, {rep} as rep_id, s.f_value as net_amount, "
        f"coalesce({qty}, 1) * s.__list_price as list_amount, {field_sql(stage, 'product')} as product, "
        f"null::varchar as product_category, {qty} as quantity, upper({field_sql(stage, 'currency')}) as currency, "
        "'deals' as source, $src as source_file"
    )
    if "close_date" not in stage.fields:
        order_sql = order_sql.replace("s.f_close_date", "null::date")
    # Every deal goes to the pipeline (win rates need won ones too); won ones are also revenue.
    unmatched = maybe_unmatched(con, stage)
    _insert_fact(con, res, "pipeline", pipe_sql, "true", raw.source, unmatched=unmatched)
    con.execute(
        compose(
            "insert into pipeline by name select {columns} "
            "from {res} s where s.__reason is null and not s.__dup and s.__acct_ref is null",
            columns=pipe_sql.format(acct="null::varchar"),
            res=quote_ident(res),
        ),
        {"src": raw.source},
    )
    _insert_fact(
        con, res, "orders", order_sql, "s.__stage_norm = 'won'", raw.source, unmatched=unmatched
    )
    finish_fact(con, stage, result, unmatched)
    product_notes(con, res, stage, result)
    row = first_row(
        con.execute(
            compose(
                "select count(*) filter (where __stage_norm = 'won'), count(*) filter (where __stage_norm = 'lost'), "
                "count(*) filter (where __stage_norm = 'open'), sum(f_value) filter (where __stage_norm = 'won') "
                "from {res} where __reason is null and not __dup",
                res=quote_ident(res),
            )
        )
    )
    if row and (row[0] or row[1] or row[2]):
        result.notes.append(
            f"{row[0]:,} won deals loaded as orders ({row[3] or 0:,.0f} in revenue at their close dates); "
            f"{row[1]:,} lost and {row[2]:,} open deals kept as pipeline for win rates"
        )
