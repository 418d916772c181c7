"""The canonical schema, once: stored tables and their columns, the input tables a file loads as,
the fields a mapping may name, how exports write each field, and what a table needs.

Why a module of its own: the schema used to live in four places (the DDL, the synonyms' table
and required lists, the loader's field kinds, the sample's columns) that had to agree by hand.
Everything else derives from here: the canonical part of ``sql/schema.sql`` is generated from
``STORED`` (``python -m reltruth.schema`` rewrites it; a test keeps the file equal to it), the
Data page's field choices and the recognition's required groups from ``INPUTS``, the parsers
from ``KINDS``, and the sample's canonical frames from ``STORED``. The header spellings of each
field stay in ``ingest/synonyms/`` (data about exports, not about reltruth), whose keys a test
keeps equal to ``INPUTS``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Column:
    """One stored column: its name, its DuckDB type with constraints, why it is there."""

    name: str
    type: str
    comment: str = ""


@dataclass(frozen=True)
class Table:
    """One stored canonical table of the workspace."""

    name: str
    comment: str
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


@dataclass(frozen=True)
class Input:
    """A table a file loads as: the fields a mapping may name (in the Data page's order), the
    groups of alternatives of which one each must be mapped, the stored tables it writes."""

    name: str
    fields: tuple[str, ...]
    required: tuple[tuple[str, ...], ...]
    stored_in: tuple[str, ...]


# Stored canonical tables (the workspace's data; bookkeeping tables are in sql/schema.sql).
STORED: dict[str, Table] = {
    "reps": Table(
        "reps",
        "",
        (
            Column("rep_id", "varchar primary key"),
            Column("rep_name", "varchar"),
            Column("manager", "varchar"),
            Column("team", "varchar"),
            Column("region", "varchar"),
            Column("email", "varchar"),
            Column("quota", "double", "annual revenue target, reporting currency"),
            Column(
                "is_implicit", "boolean default false", "created from a rep column of another table"
            ),
        ),
    ),
    "accounts": Table(
        "accounts",
        "",
        (
            Column("account_id", "varchar primary key"),
            Column("account_name", "varchar"),
            Column("owner_rep_id", "varchar"),
            Column("potential", "double", "annual wallet, reporting currency"),
            Column("potential_estimated", "boolean default false"),
            Column("segment", "varchar"),
            Column("region", "varchar"),
            Column("relationship_rating", "integer", "1..5, the rep's own claim"),
            Column("owner_since", "date"),
            Column("company_revenue", "double"),
            Column("employees", "bigint"),
        ),
    ),
    "activities": Table(
        "activities",
        "",
        (
            Column(
                "row_key", "varchar", "null: the key is 'id:' || activity_id; else a content hash"
            ),
            Column("activity_id", "varchar"),
            Column("activity_date", "date not null"),
            Column("rep_id", "varchar not null"),
            Column("account_id", "varchar not null"),
            Column("activity_type", "varchar", "visit | meeting | call | email | other"),
            Column("duration_minutes", "double"),
            Column("duration_estimated", "boolean default false"),
            Column("travel_minutes", "double"),
            Column("contact_role", "varchar"),
            Column("source_file", "varchar"),
        ),
    ),
    "orders": Table(
        "orders",
        "",
        (
            Column(
                "row_key",
                "varchar",
                "null: 'id:' || order_id || '/' || line_no; else a hash or deal",
            ),
            Column("order_id", "varchar"),
            Column("line_no", "varchar", "the invoice line, where the export numbers its lines"),
            Column("order_date", "date not null"),
            Column("account_id", "varchar not null"),
            Column("rep_id", "varchar", "null = the account owner"),
            Column("net_amount", "double not null"),
            Column("list_amount", "double", "value at list price, null where unknown"),
            Column("product", "varchar"),
            Column("product_category", "varchar"),
            Column("quantity", "double"),
            Column("currency", "varchar"),
            Column(
                "source",
                "varchar default 'orders'",
                "orders | deals (won deals of an opportunities export)",
            ),
            Column("source_file", "varchar"),
        ),
    ),
    "pipeline": Table(
        "pipeline",
        "lost and open deals of an opportunities export (won ones go to orders as well)",
        (
            Column("row_key", "varchar not null"),
            Column("deal_id", "varchar"),
            Column("account_id", "varchar"),
            Column("rep_id", "varchar"),
            Column("product", "varchar"),
            Column("stage", "varchar", "won | lost | open (normalised); raw stage in stage_raw"),
            Column("stage_raw", "varchar"),
            Column("engage_date", "date"),
            Column("close_date", "date"),
            Column("value", "double"),
            Column("list_amount", "double"),
            Column("source_file", "varchar"),
        ),
    ),
    "price_list": Table(
        "price_list",
        "",
        (
            Column("product", "varchar primary key"),
            Column("list_price", "double not null"),
            Column("series", "varchar"),
        ),
    ),
}

# How an export writes each field, i.e. which parser reads it (reltruth.ingest.parse).
KINDS: dict[str, str] = {
    "rep_id": "text",
    "rep_name": "text",
    "manager": "text",
    "team": "text",
    "region": "text",
    "email": "text",
    "quota": "money",
    "account_id": "text",
    "account_name": "text",
    "owner_rep_id": "text",
    "owner_rep_name": "text",
    "potential": "money",
    "segment": "text",
    "relationship_rating": "rating",
    "owner_since": "date",
    "company_revenue": "money",
    "employees": "number",
    "activity_id": "text",
    "activity_date": "date",
    "activity_type": "text",
    "duration_minutes": "minutes",
    "duration_seconds": "seconds",
    "duration_ms": "milliseconds",
    "travel_minutes": "minutes",
    "contact_role": "text",
    "order_id": "text",
    "line_no": "text",
    "order_date": "date",
    "net_amount": "money",
    "list_amount": "money",
    "discount_amount": "money",
    "discount_pct": "percent",
    "product": "text",
    "product_category": "text",
    "quantity": "number",
    "currency": "text",
    "deal_id": "text",
    "stage": "text",
    "is_won": "bool",
    "engage_date": "date",
    "close_date": "date",
    "value": "money",
    "list_price": "money",
    "series": "text",
}

# Tables a file loads as. Fields that are not stored columns say how a value is written
# (duration units, discount as amount or percent) or name a reference (rep_name -> rep_id).
INPUTS: dict[str, Input] = {
    "reps": Input(
        "reps",
        ("rep_id", "rep_name", "manager", "team", "region", "email", "quota"),
        (("rep_id", "rep_name"),),
        ("reps",),
    ),
    "accounts": Input(
        "accounts",
        (
            "account_id",
            "account_name",
            "owner_rep_id",
            "owner_rep_name",
            "potential",
            "segment",
            "region",
            "relationship_rating",
            "owner_since",
            "company_revenue",
            "employees",
        ),
        (("account_id", "account_name"),),
        ("accounts",),
    ),
    "activities": Input(
        "activities",
        (
            "activity_id",
            "activity_date",
            "rep_id",
            "rep_name",
            "account_id",
            "account_name",
            "activity_type",
            "duration_minutes",
            "duration_seconds",
            "duration_ms",
            "travel_minutes",
            "contact_role",
        ),
        (("activity_date",), ("rep_id", "rep_name"), ("account_id", "account_name")),
        ("activities",),
    ),
    "orders": Input(
        "orders",
        (
            "order_id",
            "line_no",
            "order_date",
            "account_id",
            "account_name",
            "rep_id",
            "rep_name",
            "net_amount",
            "list_amount",
            "discount_amount",
            "discount_pct",
            "product",
            "product_category",
            "quantity",
            "currency",
        ),
        (("order_date",), ("account_id", "account_name"), ("net_amount",)),
        ("orders",),
    ),
    "deals": Input(
        "deals",
        (
            "deal_id",
            "account_id",
            "account_name",
            "rep_id",
            "rep_name",
            "product",
            "stage",
            "is_won",
            "engage_date",
            "close_date",
            "value",
            "quantity",
            "currency",
        ),
        (("stage", "is_won"), ("value",)),
        ("pipeline", "orders"),
    ),
    "price_list": Input(
        "price_list",
        ("product", "list_price", "series"),
        (("product",), ("list_price",)),
        ("price_list",),
    ),
}

# Input tables in the order recognition tries them and the Data page lists them.
TABLES: tuple[str, ...] = tuple(INPUTS)

BEGIN = "-- canonical tables: generated from reltruth/schema.py (python -m reltruth.schema)"
END = "-- end of the generated canonical tables"
SCHEMA_SQL = Path(__file__).parent / "sql" / "schema.sql"


def canonical_ddl() -> str:
    """The stored canonical tables as the ``create table`` statements of ``sql/schema.sql``."""
    parts = [BEGIN]
    for table in STORED.values():
        lines = [f"-- {table.comment}"] if table.comment else []
        lines.append(f"create table if not exists {table.name} (")
        last = len(table.columns) - 1
        for i, col in enumerate(table.columns):
            text = f"    {col.name} {col.type}{',' if i < last else ''}"
            lines.append(f"{text:<33} -- {col.comment}" if col.comment else text)
        lines.append(");")
        parts.append("\n".join(lines))
    parts.append(END)
    return "\n\n".join(parts)


def with_canonical_ddl(schema_sql: str) -> str:
    """``schema_sql`` with its generated part replaced by ``canonical_ddl()``."""
    start, end = schema_sql.index(BEGIN), schema_sql.index(END) + len(END)
    return schema_sql[:start] + canonical_ddl() + schema_sql[end:]


if __name__ == "__main__":  # python -m reltruth.schema: rewrite sql/schema.sql's generated part
    SCHEMA_SQL.write_text(with_canonical_ddl(SCHEMA_SQL.read_text()), encoding="utf-8")
    sys.stdout.write(f"wrote {SCHEMA_SQL}\n")
