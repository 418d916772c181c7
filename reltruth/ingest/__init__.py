"""Files -> canonical tables: the one entry point the Data page and ``reltruth ingest`` share.

Why a package front door: an import is read -> recognise -> map -> load -> report, always in
that order and always as one transaction, whoever calls it. ``propose`` shows the mapping
before anything is written; ``ingest_files`` loads a whole batch (reps, accounts and price
lists first, whatever the order of the files) or, if any file is refused, nothing at all.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import uuid
from collections.abc import Callable, Collection, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from reltruth import settings as settings_mod
from reltruth.errors import UserError
from reltruth.ingest import detect, owners, undo
from reltruth.ingest.detect import first_row
from reltruth.ingest.implicit import retry_unmatched
from reltruth.ingest.load import load_raw
from reltruth.ingest.read import RawTable, drop_relation, read_table
from reltruth.ingest.report import (  # the package's public face: reports and their log
    FileReport,
    LoadReport,
    Reject,
    file_report,
    past_reports,
    refusal,
    with_notes,
)
from reltruth.ingest.stage import build_stage, drop_stage
from reltruth.ingest.values import quote_ident
from reltruth.sql import compose
from reltruth.workspace import Workspace

log = logging.getLogger(__name__)
Progress = Callable[[float, str], None]
PREVIEW_RELATION = "__preview_rows"  # the first rows of a file, staged for the mapping preview


@dataclass(frozen=True)
class Proposal:
    source: str
    table: str | None
    mapping: dict[str, str | None]
    confidence: float
    saved: bool
    preview: pd.DataFrame
    notes: list[str]
    reasons: dict[str, str] = field(default_factory=dict)  # header -> why it maps so
    needs_confirmation: bool = False  # a weak recognition: load only once the user agrees


@dataclass(frozen=True)
class _Plan:
    table: str
    mapping: detect.Mapping
    confidence: float
    saved: bool
    notes: list[str]
    reasons: dict[str, str] = field(default_factory=dict)
    needs_confirmation: bool = False


class _Refused(Exception):
    def __init__(self, report: LoadReport) -> None:
        super().__init__(report.refused)
        self.report = report


def _plan(
    ws: Workspace,
    raw: RawTable,
    *,
    table: str | None,
    overrides: detect.Mapping,
    mapping: dict[str, str | None] | None,
    confirmed: bool = True,
) -> _Plan:
    """The table and mapping one file loads with: the user's own (the Data page), the one
    saved for its columns, or recognition's. A weak recognition raises ``detect.Unconfirmed``
    unless ``confirmed``."""
    notes: list[str] = []
    if raw.footer_lines:
        notes.append(f"{raw.footer_lines} report footer lines skipped (not data)")
    saved = detect.saved_mapping(ws.con, raw.headers)
    if mapping is not None:  # chosen on the Data page
        if table is not None:
            chosen = detect.check_table(table)
        elif (
            saved is not None
        ):  # a saved mapping needs no recognition (its headers may match nothing)
            chosen = saved[0]
        else:
            chosen = detect.detect(raw.headers, source=raw.source).table
        clean = detect.apply_overrides(
            chosen, {h: None for h in raw.headers}, detect.parse_overrides(mapping), raw.source
        )
        return _Plan(chosen, clean, 1.0, False, notes)
    if saved is not None and (table is None or detect.check_table(table) == saved[0]):
        chosen, base = saved
        notes.append("mapping reused from the last file with the same columns")
        final = detect.apply_overrides(chosen, base, overrides, raw.source)
        return _Plan(chosen, final, 1.0, True, notes)
    found = detect.detect(raw.headers, table=table, source=raw.source)
    if table is None and not confirmed and found.needs_confirmation:
        raise detect.Unconfirmed(raw.source, found)
    notes.extend(found.notes)
    final = detect.apply_overrides(found.table, found.mapping, overrides, raw.source)
    return _Plan(
        found.table,
        final,
        found.confidence,
        False,
        notes,
        found.reasons,
        found.needs_confirmation and table is None,
    )


def drop_raw(ws: Workspace, raw: RawTable) -> None:
    """Free what reading a file left in the session (see ``read.drop_relation``)."""
    drop_relation(ws.con, raw.relation)


def propose(
    ws: Workspace,
    path: str | Path,
    *,
    sheet: str | None = None,
    table: str | None = None,
    overrides: list[str] | dict[str, str | None] | None = None,
    name: str | None = None,
) -> Proposal:
    """What loading ``path`` would do: table, mapping, first rows as they will load.
    ``name``: the file's name as the user knows it (messages name it, not the staged copy)."""

    raw = read_table(ws, path, sheet=sheet, name=name)
    try:
        plan = _plan(
            ws, raw, table=table, overrides=detect.parse_overrides(overrides), mapping=None
        )
        chosen, mapping, notes = plan.table, plan.mapping, plan.notes
        # A fixed name: one preview at a time per session connection.
        sample = RawTable(**{**asdict(raw), "relation": PREVIEW_RELATION})
        ws.con.execute(
            compose(
                "create or replace temp table {relation} as select * from {relation2} limit 20",
                relation=quote_ident(sample.relation),
                relation2=quote_ident(raw.relation),
            )
        )
        preview = pd.DataFrame()
        if not detect.missing_required(chosen, mapping):
            stage = build_stage(ws.con, sample, chosen, mapping, settings_mod.load(ws.con))
            notes.extend(stage.notes)
            cols = ", ".join(f"{quote_ident('f_' + f)} as {quote_ident(f)}" for f in stage.fields)
            preview = ws.con.execute(
                compose(
                    "select __line as line, {cols} from {relation} order by __line",
                    cols=cols,
                    relation=quote_ident(stage.relation),
                )
            ).df()
            drop_stage(ws.con, stage)
        ws.con.execute("drop table if exists __preview_rows")
        return Proposal(
            raw.source,
            chosen,
            mapping,
            plan.confidence,
            plan.saved,
            preview,
            notes,
            plan.reasons,
            plan.needs_confirmation,
        )
    finally:
        drop_raw(ws, raw)


def ingest_files(
    ws: Workspace,
    paths: Sequence[str | Path],
    *,
    table: str | None = None,
    overrides: list[str] | dict[str, str | None] | None = None,
    mappings: dict[str, dict[str, str | None]] | None = None,
    sheet: str | None = None,
    accept_partial: bool = False,
    reject_threshold: float = 0.05,
    progress: Progress | None = None,
    names: dict[str, str] | None = None,
    confirmed: bool = False,
    sheets: dict[str, str] | None = None,
    replace: bool | Collection[str] = False,
) -> LoadReport:
    """Load a batch of exports in one transaction. Raises UserError for a file that cannot be
    used at all; returns a report with ``refused`` set (and nothing loaded) when a file has
    too many bad rows and ``accept_partial`` is off. ``names``: path -> name the user knows;
    ``sheets``: path -> the Excel sheet to read (else ``sheet``, else the first).
    ``replace`` (all files, or these paths): what earlier imports of a file of the same name
    loaded is replaced instead of skipped as already loaded (``load.load_raw``).
    A recognition that ``needs_confirmation`` is refused (``detect.Unconfirmed``) unless
    ``confirmed``, a table or column overrides are given."""
    report = _progress(progress)
    parsed = detect.parse_overrides(overrides)
    # Smallest first: reps, accounts and price lists are small, so they almost always load
    # before the activities, orders and deals that refer to them, and only one big file's
    # text is held at a time (reading every file first would hold them all). A fact file that
    # does come before its accounts waits in `unmatched` and is moved in at the end of the
    # same call, with the same result.
    order = sorted(range(len(paths)), key=lambda i: (_size(paths[i]), i))
    settings = settings_mod.load(ws.con)
    files: list[FileReport] = []
    new_reps: list[list[str]] = []  # per file: ids of the implicit reps its load created
    live: list[RawTable] = []
    refused = False
    shown = ", ".join((names or {}).get(str(p), Path(p).name) for p in paths)
    try:
        with ws.transaction() as con:
            batch = undo.snapshot(con)  # what undo restores (reltruth/ingest/undo.py)
            for n, i in enumerate(order):
                path = Path(paths[i])
                shown = (names or {}).get(str(paths[i]), path.name)
                report(0.95 * n / len(order), f"reading {path.name}")
                raw = read_table(
                    ws,
                    path,
                    sheet=(sheets or {}).get(str(paths[i]), sheet),
                    name=(names or {}).get(str(paths[i])),
                    lazy=True,
                )
                live.append(raw)
                plan = _plan(
                    ws,
                    raw,
                    table=table,
                    overrides=parsed,
                    mapping=(mappings or {}).get(str(paths[i])),
                    confirmed=confirmed or bool(parsed),
                )
                chosen, mapping, notes = plan.table, plan.mapping, plan.notes
                report(0.95 * (n + 0.3) / len(order), f"loading {raw.source} as {chosen}")
                implicit_before = _implicit_reps(con)
                result = load_raw(
                    con,
                    raw,
                    chosen,
                    mapping,
                    settings,
                    replace=replace is True or str(paths[i]) in (replace or ()),
                )
                drop_raw(ws, raw)  # free its memory before the next (bigger) file
                live.remove(raw)
                result.notes[:0] = notes
                why = refusal(result, raw.source, accept_partial, reject_threshold)
                refused = refused or why is not None
                files.append(file_report(raw.source, result, why))
                new_reps.append([i for i in _implicit_reps(con) if i not in implicit_before])
                if result.rows_loaded or result.rows_duplicate or not result.rows_read:
                    # A mapping under which every row was rejected is not one to reuse.
                    detect.save_mapping(con, raw.headers, chosen, mapping)
            if refused:
                raise _Refused(LoadReport(files))
            shown = ", ".join(f.file for f in files)
            call_notes = []
            moved = retry_unmatched(con)
            if moved:
                call_notes.append(
                    "rows kept aside now matched their account and loaded: "
                    + ", ".join(f"{k:,} {t}" for t, k in moved.items())
                )
            call_notes.extend(_inference_notes(con))
            files = [with_notes(_settle_unmatched(con, r), _after_notes(con, r)) for r in files]
            still = _implicit_reps(con)  # a reps file later in the call may have taken them over
            files = [
                dataclasses.replace(r, unknown_reps=[still[i] for i in ids if i in still])
                for r, ids in zip(files, new_reps, strict=True)
            ]
            row = first_row(con.execute("select count(*) from activities"))
            if row is not None and row[0] == 0:
                call_notes.append(
                    "no activities loaded yet: hours, time vs potential and the allocation flags "
                    "need an activities export (calls, visits, meetings with date, rep and account)"
                )
            for r in files:
                undo.record(con, _log_import(con, r), batch)
            ws.bump_data_version()
        return LoadReport(files, call_notes)
    except _Refused as refused_call:
        return refused_call.report
    except duckdb.Error as exc:
        # The transaction has rolled back: nothing changed. The database's own message names
        # staged paths and internals; the user gets their file's name and what to do.
        raise _database_refusal(shown, exc) from exc
    finally:
        for raw in live:
            drop_raw(ws, raw)
        report(1.0, "done")


def _database_refusal(shown: str, exc: duckdb.Error) -> UserError:
    """One line for a database error during an import (the details go to the server log)."""
    log.warning("import of %s failed in the database", shown, exc_info=exc)
    if isinstance(exc, duckdb.OutOfMemoryException):
        return UserError(
            f"{shown} could not be loaded: the workspace ran out of memory; nothing was "
            "changed. Load it in smaller files, or clear data you no longer need."
        )
    return UserError(
        f"{shown} could not be loaded: the database refused it ({type(exc).__name__}); "
        "nothing was changed."
    )


def _inference_notes(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Owners and teams the data implies where the exports say nothing (``owners``)."""
    notes = []
    inferred = owners.infer_owners(con)
    if inferred:
        how = " and ".join(
            f"{n:,} by {'revenue' if b == 'revenue' else 'hours'}"
            for b, n in sorted(inferred.items(), reverse=True)
        )
        notes.append(
            f"owner inferred for {sum(inferred.values()):,} accounts that have none in the "
            f"exports ({how}: the rep with the most revenue on the account in the last 12 "
            "months of the data, else the most hours); marked as inferred. Load an accounts "
            "file with an owner column to state them."
        )
    teams = owners.teams_by_manager(con)
    if teams:
        notes.append(
            f"{teams:,} reps have a manager but no team: each manager's reps form a team "
            "named after the manager"
        )
    return notes


def _size(path: str | Path) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0  # read_table will say what is wrong with it


def _settle_unmatched(con: duckdb.DuckDBPyConnection, r: FileReport) -> FileReport:
    """Names of a file's kept-aside rows that are still kept aside once the whole call has
    loaded (an accounts file later in the same call may have brought them in)."""
    if not r.unmatched_accounts:
        return r
    still = {
        str(name)
        for (name,) in con.execute(
            "select distinct account_name from unmatched where source_file = $f", {"f": r.file}
        ).fetchall()
    }
    if len(still) == len(r.unmatched_accounts):
        return r
    names = [n for n in r.unmatched_accounts if n in still]
    notes = [n for n in r.notes if "accounts that are not loaded" not in n]
    if names:
        notes.append(
            f"{len(names):,} accounts named here are not loaded ({', '.join(names[:5])}"
            f"{', ...' if len(names) > 5 else ''}): their rows are kept aside until they are"
        )
    return FileReport(**{**r.__dict__, "unmatched_accounts": names, "notes": notes})


def _implicit_reps(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """rep_id -> name of the reps created from another table's rep column."""
    rows = con.execute(
        "select rep_id, coalesce(rep_name, rep_id) from reps where is_implicit order by rep_id"
    ).fetchall()
    return {str(i): str(n) for i, n in rows}


def _after_notes(con: object, r: FileReport) -> list[str]:
    """What the user should do next, once everything in the call has loaded."""
    import duckdb

    assert isinstance(con, duckdb.DuckDBPyConnection)
    if r.table != "accounts":
        return []
    row = first_row(
        con.execute(
            "select count(*) filter (where potential is null), "
            "count(*) filter (where potential is null and company_revenue is not null), "
            "count(*) filter (where potential is null and employees is not null), "
            "count(*) filter (where potential is null and segment is not null) from accounts"
        )
    )
    if not row or not row[0]:
        return []
    hints = []
    if row[1]:
        hints.append(f"a share of company revenue ({row[1]:,} have it)")
    if row[2]:
        hints.append(f"spend per employee ({row[2]:,} have employees)")
    if row[3]:
        hints.append(f"a constant per segment ({row[3]:,} have a segment)")
    how = (
        ", ".join(hints)
        or "a share of company revenue, spend per employee or a constant per segment"
    )
    return [
        f"potential missing for {row[0]:,} accounts: penetration and time-vs-potential need it. "
        f"Estimate it from {how} on the Data page (Estimate potentials) or with "
        "`reltruth estimate-potentials`, or load an accounts file with a potential column; "
        "estimated potentials are marked as estimated"
    ]


def _log_import(con: object, r: FileReport) -> str:
    import duckdb

    assert isinstance(con, duckdb.DuckDBPyConnection)
    import_id = uuid.uuid4().hex
    con.execute(
        "insert into imports (import_id, file, target_table, rows_read, rows_loaded, rows_duplicate, "
        "rows_rejected, report) values ($id, $file, $t, $read, $loaded, $dup, $rej, $report)",
        {
            "id": import_id,
            "file": r.file,
            "t": r.table,
            "read": r.rows_read,
            "loaded": r.rows_loaded,
            "dup": r.rows_duplicate,
            "rej": r.rows_rejected,
            "report": json.dumps({**r.to_json(), "notes": r.notes, "unknown_reps": r.unknown_reps}),
        },
    )
    return import_id


def _progress(progress: Progress | None) -> Progress:
    return progress if progress is not None else (lambda fraction, message: None)


def earlier_import(ws: Workspace, name: str) -> tuple[str, object] | None:
    """When a file of this name was last loaded (file name, time), if ever: a second load
    of it is asked whether to replace what the first one loaded."""
    row = first_row(
        ws.con.execute(
            "select file, max(loaded_at) from imports where file = $f group by file", {"f": name}
        )
    )
    return (str(row[0]), row[1]) if row else None


__all__ = [  # the package's public face: the Data page, the CLI and the views use these
    "FileReport",
    "LoadReport",
    "Proposal",
    "Reject",
    "drop_raw",
    "earlier_import",
    "ingest_files",
    "past_reports",
    "propose",
]
