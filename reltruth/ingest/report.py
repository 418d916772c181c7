"""What loading one file did: rows loaded, duplicate and rejected (with line and reason), the
accounts kept aside, and notes a sales manager reads.

Why a module of its own: the counts are where "nothing lost silently" is checked (``load``), so
they are computed in one place from the resolved stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from reltruth.ingest.detect import first_row
from reltruth.ingest.resolve import unmatched_names
from reltruth.ingest.stage import Stage
from reltruth.ingest.values import quote_ident


@dataclass
class FileResult:
    """What loading one file did; becomes a FileReport."""

    table: str
    rows_read: int
    rows_loaded: int = 0
    rows_duplicate: int = 0
    rows_rejected: int = 0
    rejects: list[tuple[int, str]] = field(default_factory=list)
    unmatched_accounts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def collect_rejects(con: duckdb.DuckDBPyConnection, stage: Stage, result: FileResult) -> None:
    rows = con.execute(
        f"select __line, __reason from {quote_ident(stage.base)} where __reason is not null "  # noqa: S608
        "order by __line"
    ).fetchall()
    result.rejects.extend((int(line), str(reason)) for line, reason in rows)


def loaded_counts(con: duckdb.DuckDBPyConnection, res: str) -> tuple[int, int]:
    row = first_row(
        con.execute(
            f"select count(*) filter (where __reason is null and not __dup), "  # noqa: S608
            f"count(*) filter (where __reason is null and __dup) from {quote_ident(res)}"
        )
    )
    assert row is not None
    return int(row[0]), int(row[1])


def note_estimated(
    con: duckdb.DuckDBPyConnection, res: str, stage: Stage, result: FileResult, given: list[str]
) -> None:
    dur = f"coalesce({', '.join(given)})" if given else "null"
    row = first_row(
        con.execute(
            f"select count(*) from {quote_ident(res)} s where s.__reason is null and not s.__dup and {dur} is null"  # noqa: S608
        )
    )
    n = int(row[0]) if row else 0
    if n:
        result.notes.append(
            f"{n:,} activities have no duration: the default for their type was used (counted as estimated)"
        )


def product_notes(
    con: duckdb.DuckDBPyConnection, res: str, stage: Stage, result: FileResult
) -> None:
    if "product" not in stage.fields:
        return
    row = first_row(con.execute("select count(*) from price_list"))
    if not row or not row[0]:
        return
    rows = con.execute(
        f"select s.f_product, pk.product, count(*) from {quote_ident(res)} s "  # noqa: S608
        "left join __ref_product pk on pk.v = s.f_product "
        "where s.__reason is null and not s.__dup and s.f_product is not null "
        "and (pk.product is null or pk.product <> s.f_product) group by all order by 1"
    ).fetchall()
    for given, matched, n in rows:
        if matched is None:
            result.notes.append(
                f'product "{given}" ({n:,} rows) is not in the price list: no list value'
            )
        else:
            result.notes.append(
                f'product "{given}" ({n:,} rows) matched the price list\'s "{matched}" '
                "(names compared ignoring case, spaces and punctuation)"
            )


def finish_fact(
    con: duckdb.DuckDBPyConnection, stage: Stage, result: FileResult, unmatched: str | None
) -> None:
    res = stage.relation
    result.rows_loaded, result.rows_duplicate = loaded_counts(con, stage.base)
    found = unmatched_names(con, res, unmatched) if unmatched else ([], 0)
    result.unmatched_accounts, n = found
    if result.unmatched_accounts:
        names = ", ".join(result.unmatched_accounts[:5]) + (
            ", ..." if len(result.unmatched_accounts) > 5 else ""
        )
        result.notes.append(
            f"{n:,} rows name {len(result.unmatched_accounts):,} accounts that are not loaded ({names}): "
            "kept aside, they load when those accounts are loaded"
        )
