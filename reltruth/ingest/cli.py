"""``reltruth ingest``, ``reltruth imports`` and ``reltruth undo``: arguments in, a report on the terminal out.

Why a module of its own: the command line is one caller of ``ingest_files`` among others (the
Data page is the other); what it prints and how it shows progress is its own business.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys

from reltruth.errors import UserError
from reltruth.ingest import detect, ingest_files, undo
from reltruth.ingest.report import LoadReport, format_report
from reltruth.workspace import Workspace

log = logging.getLogger(__name__)


def terminal_progress(fraction: float, message: str) -> None:
    """A one-line progress display on stderr (only when stderr is a terminal)."""
    if not sys.stderr.isatty():
        return
    end = "\n" if fraction >= 1.0 else ""
    sys.stderr.write(f"\r\x1b[2K[{fraction:4.0%}] {message}{end}")
    sys.stderr.flush()


# DuckDB's memory for the ingest command. A load streams each file into its table once, so
# a large buffer pool caches little it reads again: with 640 MB the scale-100 sample (5.4 M
# invoice lines) loads under 1 GB of peak memory, against 1.7 GB with the usual 1.5 GB,
# for about 10 % more CPU and the same wall time (docs/performance.md).
INGEST_MEMORY_LIMIT = 640 * 1024**2


def cli_ingest(args: argparse.Namespace) -> int:
    """``reltruth ingest FILE... [--workspace] [--table] [--map] [--json] [--accept-partial] [--sheet]``."""
    ws = Workspace.open(args.workspace or None, memory_limit=INGEST_MEMORY_LIMIT)
    try:
        report = _cli_ingest_files(ws, args)
        counts = None if args.json else ws.counts()
    finally:
        ws.close()
    if args.json:
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        print(format_report(report, counts))
    if report.refused:
        raise UserError(report.refused)
    return 0


def _cli_ingest_files(ws: Workspace, args: argparse.Namespace) -> LoadReport:
    """``ingest_files`` with the command line's way out of a refused recognition."""
    try:
        return ingest_files(
            ws,
            list(args.files),
            table=args.table,
            overrides=list(args.map or []),
            sheet=args.sheet,
            accept_partial=bool(args.accept_partial),
            progress=None if args.json else terminal_progress,
            replace=bool(getattr(args, "replace", False)),
        )
    except detect.Unconfirmed as exc:
        found = exc.found
        maps = " ".join(f'--map "{h}={f}"' for h, f in found.mapping.items() if f in found.guessed)
        raise UserError(
            f"{exc} If it is {found.table}, load it with --table {found.table}"
            f"{' ' + maps if maps else ''} (or say another table, and map its columns with "
            '--map "Header=field").'
        ) from None
    except detect.Unrecognised as exc:
        raise UserError(f"{exc} Use --table and --map to say which.") from None


def cli_imports(args: argparse.Namespace) -> int:
    """``reltruth imports``: the import log, newest first, with the ids ``undo`` takes."""
    ws = Workspace.open(args.workspace) if args.workspace else Workspace.open()
    try:
        print(undo.format_imports(undo.imports(ws)))
    finally:
        ws.close()
    return 0


def cli_undo(args: argparse.Namespace) -> int:
    """``reltruth undo IMPORT_ID``: every table as it was before that import's call."""
    ws = Workspace.open(args.workspace) if args.workspace else Workspace.open()
    try:
        undone = undo.undo(ws, args.import_id)
        counts = ws.counts()
    finally:
        ws.close()
    print(
        f"undone: {', '.join(f'{i.file} ({i.loaded_at:%Y-%m-%d %H:%M})' for i in undone)}\n"
        "workspace now: " + ", ".join(f"{n:,} {t.replace('_', ' ')}" for t, n in counts.items())
    )
    return 0
