"""Sheets as files: one rep in one format, a ZIP of a team, and the ``sheet`` command.

Why together: the app's downloads, the batch ZIP and the CLI must name and render files the
same way, so a manager who downloads from the app and one who scripts the CLI get
identical sheets.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import os
import re
import sys
import time
import unicodedata
import zipfile
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

from reltruth.coaching.gather import build_sheet, build_sheets, find_rep, iter_sheets
from reltruth.coaching.model import Sheet
from reltruth.coaching.render_html import render_html
from reltruth.coaching.render_markdown import render_markdown
from reltruth.coaching.render_pdf import render_pdf
from reltruth.errors import UserError
from reltruth.workspace import Workspace

FORMATS = ("html", "pdf", "md")
MIME = {"html": "text/html", "pdf": "application/pdf", "md": "text/markdown"}
# below this many PDFs, starting worker processes (imports, chart engine) costs more than it saves
PARALLEL_FROM = 40
# HTML stays in the process: with its chart written by chart_svg a sheet renders in ~4 ms,
# and worker processes made sheet --all --format html slower (13 s against 18 s at scale 10)
PARALLEL_FORMATS = ("pdf",)


PAPERS = ("A4", "Letter")


def render(sheet: Sheet, fmt: str, paper: str = "A4") -> bytes:
    """``sheet`` in ``fmt`` (html | pdf | md) as bytes ready to save or download; a PDF on
    ``paper`` (A4 or Letter)."""
    if fmt == "html":
        return render_html(sheet).encode("utf-8")
    if fmt == "md":
        return render_markdown(sheet).encode("utf-8")
    if fmt == "pdf":
        return render_pdf(sheet, paper=paper)
    raise UserError(f"Unknown sheet format {fmt!r}: choose html, pdf or md.")


def file_name(sheet: Sheet, fmt: str) -> str:
    """``R01-frank-berger-2026-09-30.pdf``: safe on every file system, whatever the CRM says."""
    kind = "self-audit-" if sheet.self_audit else ""
    rep_id = slug(sheet.rep_id, lower=False)
    stem = f"{rep_id}-{slug(sheet.rep_name)}" if sheet.rep_name else rep_id
    return f"{kind}{stem}-{sheet.as_of.isoformat()}.{fmt}"


def slug(text: str, *, lower: bool = True) -> str:
    """ASCII letters, digits and dashes only: no path separator, no dot, no surprise."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    s = re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-")
    return (s.lower() if lower else s)[:60] or "rep"


def sheets_zip(
    ws: Workspace, m: Any, rep_ids: list[str], fmt: str, *, self_audit: bool = False
) -> bytes:
    """One ZIP with the sheet of every rep in ``rep_ids``."""
    return zip_sheets(build_sheets(ws, m, rep_ids, self_audit=self_audit), fmt)


def zip_sheets(sheets: list[Sheet], fmt: str, paper: str = "A4") -> bytes:
    """Already built sheets rendered into one ZIP (no workspace access: safe on any thread)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for sheet in sheets:
            zf.writestr(file_name(sheet, fmt), render(sheet, fmt, paper))
    return buf.getvalue()


def cli_sheet(args: argparse.Namespace) -> int:
    """``reltruth sheet (--rep REP | --all) [--format] [--self-audit] [--out PATH] ...``."""
    from reltruth import metrics as metrics_engine

    fmt = args.format or "html"
    started = time.perf_counter()
    ws = Workspace.open(args.workspace)
    try:
        if ws.is_empty():
            raise UserError(
                "The workspace has no data yet: load exports with 'reltruth ingest' "
                "or the sample with 'reltruth sample --load'."
            )
        as_of = _parse_date(args.as_of) if getattr(args, "as_of", None) else None
        window = metrics_engine.resolve_window(ws, as_of, getattr(args, "window_months", None))
        m = metrics_engine.compute(ws, window)
        paper = {"a4": "A4", "letter": "Letter"}[(getattr(args, "paper", None) or "a4").lower()]
        if args.all and getattr(args, "zip", False):
            # one file, as the app's "Team ZIP" gives it
            sheets = build_sheets(
                ws, m, [str(r) for r in m.reps["rep_id"]], self_audit=args.self_audit
            )
            path = args.out or Path(f"sheets-{window.as_of.isoformat()}-{fmt}.zip")
            if path.is_dir():
                path = path / f"sheets-{window.as_of.isoformat()}-{fmt}.zip"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(zip_sheets(sheets, fmt, paper))
            print(path)
            return 0
        if args.all:
            rep_ids = [str(r) for r in m.reps["rep_id"]]
            out_dir = args.out or Path(f"sheets-{window.as_of.isoformat()}")
            if out_dir.exists() and not out_dir.is_dir():
                raise UserError(f"--out {out_dir} is a file; with --all give a folder.")
            out_dir.mkdir(parents=True, exist_ok=True)
            team_sheets = iter_sheets(ws, m, rep_ids, self_audit=args.self_audit)
            for path in write_all(team_sheets, fmt, out_dir, count=len(rep_ids), paper=paper):
                print(path)
            elapsed = time.perf_counter() - started
            print(
                f"{len(rep_ids)} sheet(s) written to {out_dir} in {elapsed:.1f} s", file=sys.stderr
            )
            return 0
        rep = find_rep(m, args.rep)
        sheet = build_sheet(ws, m, str(rep["rep_id"]), self_audit=args.self_audit)
        data = render(sheet, fmt, paper)
        if args.out is None and fmt != "pdf":
            sys.stdout.write(data.decode("utf-8"))
            return 0
        path = args.out or Path(file_name(sheet, fmt))
        if path.is_dir():
            path = path / file_name(sheet, fmt)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(path)
        return 0
    finally:
        ws.close()


def write_all(
    sheets: Iterable[Sheet],
    fmt: str,
    out_dir: Path,
    *,
    count: int | None = None,
    jobs: int | None = None,
    paper: str = "A4",
) -> list[Path]:
    """Render and write every sheet; PDFs are rendered in parallel processes (charts and
    fonts are CPU-bound), at most ``$RELTRUTH_JOBS`` or one per core up to four. HTML and
    Markdown are cheap and stay in this process. ``sheets`` may be a generator
    (``iter_sheets``, with ``count`` saying how many it yields): the workers then render the
    first sheets while this process builds the later ones, rather than waiting for all."""
    if count is None:
        sheets = list(sheets)
        count = len(sheets)
    tasks = ((sheet, fmt, out_dir / file_name(sheet, fmt), paper) for sheet in sheets)
    if jobs is None:
        jobs = int(os.environ.get("RELTRUTH_JOBS") or min(os.cpu_count() or 1, 4))
    if fmt not in PARALLEL_FORMATS or jobs <= 1 or count < PARALLEL_FROM:
        return [_write(t) for t in tasks]
    # spawn, not fork: the parent holds an open DuckDB connection and its threads; map
    # submits each chunk of tasks as the generator yields it
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(_write, tasks, chunksize=max(1, count // (jobs * 8))))


def _write(task: tuple[Sheet, str, Path, str]) -> Path:
    sheet, fmt, path, paper = task
    path.write_bytes(render(sheet, fmt, paper))
    return path


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise UserError(f"--as-of {text!r} is not a date; write it as YYYY-MM-DD.") from exc
