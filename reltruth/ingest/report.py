"""What loading one file did: rows loaded, duplicate and rejected (with line and reason), the
accounts kept aside, and notes a sales manager reads.

Why a module of its own: the counts are where "nothing lost silently" is checked (``load``), so
they are computed in one place from the resolved stage.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

import duckdb

from reltruth.ingest.detect import first_row
from reltruth.ingest.resolve import unmatched_names
from reltruth.ingest.stage import Stage
from reltruth.ingest.values import quote_ident
from reltruth.sql import compose
from reltruth.workspace import Workspace


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
        compose(
            "select __line, __reason from {base} where __reason is not null order by __line",
            base=quote_ident(stage.base),
        )
    ).fetchall()
    result.rejects.extend((int(line), str(reason)) for line, reason in rows)


def loaded_counts(con: duckdb.DuckDBPyConnection, res: str) -> tuple[int, int]:
    row = first_row(
        con.execute(
            compose(
                "select count(*) filter (where __reason is null and not __dup), "
                "count(*) filter (where __reason is null and __dup) from {res}",
                res=quote_ident(res),
            )
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
            compose(
                "select count(*) from {res} s where s.__reason is null and not s.__dup and {dur} is null",
                res=quote_ident(res),
                dur=dur,
            )
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
        compose(
            "select s.f_product, pk.product, count(*) from {res} s "
            "left join __ref_product pk on pk.v = s.f_product "
            "where s.__reason is null and not s.__dup and s.f_product is not null "
            "and (pk.product is null or pk.product <> s.f_product) group by all order by 1",
            res=quote_ident(res),
        )
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


log = logging.getLogger(__name__)


TABLE_LABELS = {
    "reps": "reps",
    "accounts": "accounts",
    "activities": "activities",
    "orders": "orders",
    "deals": "deals (won -> orders, all -> pipeline)",
    "price_list": "price list",
}


@dataclass(frozen=True)
class Reject:
    line: int
    reason: str


@dataclass(frozen=True)
class FileReport:
    file: str
    table: str | None
    rows_read: int
    rows_loaded: int
    rows_duplicate: int
    rows_rejected: int
    rejects: list[Reject] = field(default_factory=list)
    unmatched_accounts: list[str] = field(default_factory=list)
    refused: str | None = None
    notes: list[str] = field(default_factory=list)
    # reps this file named that no reps export has brought (created as implicit reps, so a
    # sixth rep appears where a manager has five): kept in the import log, not in to_json
    unknown_reps: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        """docs/ingest.md ('The load report'): exactly these keys."""
        return {
            "file": self.file,
            "table": self.table,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_duplicate": self.rows_duplicate,
            "rows_rejected": self.rows_rejected,
            "rejects": [{"line": r.line, "reason": r.reason} for r in self.rejects],
            "unmatched_accounts": list(self.unmatched_accounts),
        }


@dataclass(frozen=True)
class LoadReport:
    files: list[FileReport]
    notes: list[str] = field(default_factory=list)  # about the whole call (e.g. rows now matched)

    @property
    def refused(self) -> str | None:
        """Why the call loaded nothing, or None when it loaded."""
        reasons = [f.refused for f in self.files if f.refused]
        return reasons[0] if reasons else None

    def to_json(self) -> dict[str, object]:
        return {"files": [f.to_json() for f in self.files]}


def refusal(result: FileResult, source: str, accept_partial: bool, threshold: float) -> str | None:
    if accept_partial or not result.rows_read:
        return None
    share = result.rows_rejected / result.rows_read
    if share <= threshold:
        return None
    return (
        f"{source}: {result.rows_rejected:,} of {result.rows_read:,} rows ({share:.0%}) could not be read, "
        f"more than {threshold:.0%}; nothing was loaded. Fix those rows, or load the good ones with "
        "--accept-partial."
    )


def file_report(source: str, r: FileResult, refused: str | None) -> FileReport:
    return FileReport(
        file=source,
        table=r.table,
        rows_read=r.rows_read,
        rows_loaded=r.rows_loaded,
        rows_duplicate=r.rows_duplicate,
        rows_rejected=r.rows_rejected,
        rejects=[Reject(line, reason) for line, reason in r.rejects],
        unmatched_accounts=list(r.unmatched_accounts),
        refused=refused,
        notes=list(r.notes),
    )


def with_notes(r: FileReport, extra: list[str]) -> FileReport:
    return r if not extra else FileReport(**{**r.__dict__, "notes": [*r.notes, *extra]})


# --------------------------------------------------------------------------------------------
# The command line.


def format_report(
    report: LoadReport, counts: dict[str, int] | None = None, max_rejects: int = 50
) -> str:
    """The load report as a person reads it."""
    out: list[str] = []
    for f in report.files:
        out.append(
            f"{f.file} -> {TABLE_LABELS.get(f.table or '', f.table)}: {f.rows_read:,} rows read, "
            f"{f.rows_loaded:,} loaded, {f.rows_duplicate:,} already loaded (skipped), "
            f"{f.rows_rejected:,} rejected"
        )
        for note in f.notes:
            out.append(f"  note: {note}")
        for rej in f.rejects[:max_rejects]:
            out.append(f"  line {rej.line}: {rej.reason}")
        if len(f.rejects) > max_rejects:
            out.append(
                f"  ... and {len(f.rejects) - max_rejects:,} more rejected rows (see --json)"
            )
        if f.unmatched_accounts:
            shown = ", ".join(f.unmatched_accounts[:20])
            more = (
                f", ... ({len(f.unmatched_accounts):,} in all)"
                if len(f.unmatched_accounts) > 20
                else ""
            )
            out.append(f"  accounts not found (rows kept aside): {shown}{more}")
        if f.refused:
            out.append(f"  REFUSED: {f.refused}")
    for note in report.notes:
        out.append(f"note: {note}")
    if counts is not None and not report.refused:
        out.append(
            "workspace now: " + ", ".join(f"{n:,} {t.replace('_', ' ')}" for t, n in counts.items())
        )
    return "\n".join(out)


def past_reports(ws: Workspace) -> dict[str, FileReport]:
    """import_id -> the report of that import as it was kept in the import log (line numbers
    of rejected rows, unmatched account names, unknown reps, notes), for any later session."""
    rows = ws.con.execute("select import_id, report from imports").fetchall()
    out = {}
    for import_id, text in rows:
        if not text:
            continue  # logged without a report
        data = json.loads(text) if isinstance(text, str) else dict(text)
        out[str(import_id)] = FileReport(
            file=str(data.get("file") or ""),
            table=data.get("table"),
            rows_read=int(data.get("rows_read") or 0),
            rows_loaded=int(data.get("rows_loaded") or 0),
            rows_duplicate=int(data.get("rows_duplicate") or 0),
            rows_rejected=int(data.get("rows_rejected") or 0),
            rejects=[Reject(int(r["line"]), str(r["reason"])) for r in data.get("rejects") or []],
            unmatched_accounts=[str(n) for n in data.get("unmatched_accounts") or []],
            notes=[str(n) for n in data.get("notes") or []],
            unknown_reps=[str(n) for n in data.get("unknown_reps") or []],
        )
    return out
