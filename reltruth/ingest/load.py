"""RawTable + mapping -> canonical rows: parse, validate, match, de-duplicate, keep aside, count.

Why a module of its own: this is where "nothing lost silently" is kept. Every row of a file
ends as loaded, duplicate or rejected (with its line and a reason a sales manager reads),
rows whose account is unknown wait in ``unmatched`` until the account arrives, and the same
rows loaded twice load once. All of it is set-based SQL over the file's TEMP table (one
parsing pass into a resolved TEMP table, then one INSERT per target), because a 5-million-line
invoice export must load about as fast as DuckDB can read it.

Row keys (de-duplication): the export's own id where it has one (activity id, opportunity id,
invoice number + line); otherwise a hash of the row's text plus the occurrence number of that
text within the file, so two identical lines in one file both load (they may be two real
calls), while loading the same file again adds nothing.
"""

from __future__ import annotations

import duckdb

from reltruth.errors import UserError
from reltruth.ingest.detect import Mapping, missing_required
from reltruth.ingest.lookup import REF_TABLES, refresh_lookups
from reltruth.ingest.parse import column_types
from reltruth.ingest.read import (
    RawTable,
    drop_relation,
    materialise,
)
from reltruth.ingest.report import FileResult
from reltruth.ingest.resolve import direct_fact_stage, fact_stage
from reltruth.ingest.stage import Stage, build_stage, direct_eligible, drop_stage, flag_repeated_ids
from reltruth.ingest.values import quote_ident
from reltruth.ingest.write import forget_file, load_accounts, load_price_list, load_reps
from reltruth.ingest.write_facts import load_activities, load_deals, load_orders
from reltruth.settings import Settings

FACT_TABLES = ("activities", "orders", "deals")  # keyed by their ids or their text


def load_raw(
    con: duckdb.DuckDBPyConnection,
    raw: RawTable,
    table: str,
    mapping: Mapping,
    settings: Settings,
    *,
    replace: bool = False,
) -> FileResult:
    """Load one read file into its canonical table(s); the caller holds the transaction.
    ``replace``: what earlier imports of a file of the same name loaded is replaced, not
    skipped as already loaded (a re-import with a corrected mapping)."""
    missing = missing_required(table, mapping)
    if missing:
        need = "; ".join(" or ".join(group) for group in missing)
        raise UserError(
            f"{raw.source} cannot load as {table}: no column gives {need}; map a column to it."
        )
    replaced = forget_file(con, raw.source) if replace else 0
    refresh_lookups(con)
    raw, stage = _staged(con, raw, table, mapping, settings)
    # The stage holds everything from here on: the file's text (a gigabyte for 5 million
    # lines) goes now, before the canonical tables are written, not after.
    drop_relation(con, raw.relation)
    if table in FACT_TABLES:
        flag_repeated_ids(con, stage)
    result = FileResult(table=table, rows_read=raw.rows_read, rejects=list(raw.rejects))
    result.notes.extend(stage.notes)
    stage.replace = replace
    if replaced:
        result.notes.append(
            f"{replaced:,} rows an earlier import of {raw.source} loaded were removed: this "
            "import replaces them"
        )
    loader = {
        "reps": load_reps,
        "accounts": load_accounts,
        "price_list": load_price_list,
        "activities": load_activities,
        "orders": load_orders,
        "deals": load_deals,
    }[table]
    loader(con, stage, raw, settings, result)
    drop_stage(con, stage)
    con.execute(f"drop table if exists {quote_ident(stage.relation + '__res')}")
    for ref in REF_TABLES:
        con.execute(f"drop table if exists {quote_ident(ref)}")
    result.rejects.sort()
    result.rows_rejected = len(result.rejects)
    total = result.rows_loaded + result.rows_duplicate + result.rows_rejected
    # Nothing lost silently (docs/ingest.md, 'The load report'). A mismatch is a bug, never a
    # user error: raised, not asserted, so that `python -O` keeps the check, and inside the
    # import's transaction, so the import changes nothing.
    if total != result.rows_read:
        raise RuntimeError(
            f"row accounting of {raw.source}: {result.rows_read} read, {result.rows_loaded} "
            f"loaded + {result.rows_duplicate} duplicate + {result.rows_rejected} rejected"
        )
    return result


def _staged(
    con: duckdb.DuckDBPyConnection,
    raw: RawTable,
    table: str,
    mapping: Mapping,
    settings: Settings,
) -> tuple[RawTable, Stage]:
    """The file's stage, and the read file it came from. Two ways in: a file read lazily
    (``raw.pending``) whose facts all have their ids goes straight from DuckDB's reader into
    its stage; anything else is first read as text (``materialise``) and staged from there."""
    pending = raw if raw.pending is not None else None
    if pending is not None:
        types = column_types(pending, table, mapping)
        if direct_eligible(pending, table, mapping):
            direct = direct_fact_stage(con, pending, table, mapping, settings, types)
            if direct is not None:
                return direct
            types = None  # the file needs its text table after all
        raw = materialise(con, pending, types)
    if table not in FACT_TABLES:
        return raw, build_stage(con, raw, table, mapping, settings)
    stage = fact_stage(con, raw, table, mapping, settings)
    if stage is None and pending is not None:
        # Rows without their id are keyed by a hash of their text: read it as text.
        raw = materialise(con, pending)
        stage = fact_stage(con, raw, table, mapping, settings)
    if stage is None:
        raise RuntimeError(f"{raw.source}: no stage for {table} from its text table")
    return raw, stage
