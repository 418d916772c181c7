"""Benchmark: ``reltruth sheet --all --format pdf`` on the scaled sample.

Why: a manager prints the sheets of a whole team before a round of one-on-ones; this
measures how long that takes on a large workspace. It loads ``sample.load_canonical(ws,
scale=N)`` into a file workspace under ``bench_data/`` (kept between runs), then times

1. the metrics for the window (once, shared by all sheets),
2. per rep: building the sheet model and rendering it (HTML, Markdown, PDF),
3. with ``--cli``, the whole command in a fresh process, HTML and PDF (open, metrics, every
   rep's sheet written to disk): the rows of issue 19's table.

Usage::

    .venv/bin/python benchmarks/sheets.py [--scale 100] [--reps N] [--jobs 2] [--cli]

``--reps N`` times only the first N reps (the machine is shared) and extrapolates to all;
``--cli`` also runs the real command over every rep (800 at scale 100: long).

Paired, before against after (issue 19): ``--paired DIR`` runs ``sheet --all`` end to end
in fresh processes, in turns the code exported at ``DIR`` (``git archive <commit> | tar -x
-C DIR``) and this tree, ``--rounds`` times per format of ``--formats``, and prints the
medians of wall and CPU seconds (the process and its workers), the load average, and
whether both wrote the same bytes (a PDF's creation time and file id aside)::

    .venv/bin/python benchmarks/sheets.py --paired /tmp/before --workspace /tmp/s10.duckdb
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _proc import load, run  # noqa: E402

from reltruth import metrics, sample  # noqa: E402
from reltruth.coaching import render_html, render_markdown, render_pdf  # noqa: E402
from reltruth.coaching.gather import iter_sheets  # noqa: E402
from reltruth.coaching.output import write_all  # noqa: E402
from reltruth.workspace import Workspace  # noqa: E402

TARGET_ALL_S = 60.0  # issue 19: a whole team's sheets (800 reps at scale 100) in a minute


def _workspace(scale: int) -> Path:
    path = ROOT / "bench_data" / f"sheets-scale{scale}.duckdb"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".loading")
    tmp.unlink(missing_ok=True)
    started = time.perf_counter()
    with Workspace.open(tmp) as ws:
        sample.load_canonical(ws, scale=scale)
        counts = ws.counts()
    tmp.rename(path)
    print(f"loaded scale {scale} in {time.perf_counter() - started:.1f} s: {counts}")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--reps", type=int, default=0, help="time only the first N reps")
    parser.add_argument(
        "--cli",
        action="store_true",
        help="also run 'sheet --all' in html and pdf end to end (all reps: long)",
    )
    parser.add_argument("--jobs", type=int, default=2, help="processes for the parallel run")
    parser.add_argument("--workspace", type=Path, help="a workspace file to use as it is")
    parser.add_argument("--paired", type=Path, help="an export of the code to compare with")
    parser.add_argument("--formats", default="md,html,pdf", help="with --paired")
    parser.add_argument("--rounds", type=int, default=2, help="with --paired")
    args = parser.parse_args()

    path = args.workspace or _workspace(args.scale)
    if args.paired:
        return paired(path, args.paired, args.formats.split(","), args.rounds)
    with Workspace.open(path) as ws:
        counts = ws.counts()
        t0 = time.perf_counter()
        window = metrics.resolve_window(ws)
        m = metrics.compute(ws, window)
        t_metrics = time.perf_counter() - t0
        rep_ids = [str(r) for r in m.reps["rep_id"]]
        timed = rep_ids[: args.reps] if args.reps else rep_ids
        build, html, md, pdf, size = [], [], [], [], []
        sheets = []
        # as sheet --all builds them: the team's shared reads once (timed on their own),
        # then one sheet at a time; build_sheet(rep) would read them again for every rep
        t = time.perf_counter()
        built = iter_sheets(ws, m, timed)
        sheet = next(built)
        team_read = time.perf_counter() - t
        for i in range(len(timed)):
            if i:
                t = time.perf_counter()
                sheet = next(built)
                build.append(time.perf_counter() - t)
            sheets.append(sheet)
            t = time.perf_counter()
            render_html(sheet)
            html.append(time.perf_counter() - t)
            t = time.perf_counter()
            render_markdown(sheet)
            md.append(time.perf_counter() - t)
            t = time.perf_counter()
            size.append(len(render_pdf(sheet)))
            pdf.append(time.perf_counter() - t)

    print(
        f"{path.name}: {counts['accounts']:,} accounts, {counts['activities']:,} "
        f"activities, {counts['orders']:,} order lines, {len(rep_ids)} reps"
    )
    print(f"metrics for {window.label}: {t_metrics:.2f} s (once for all sheets)")

    def line(name: str, values: list[float]) -> None:
        print(
            f"  {name:<12} median {statistics.median(values) * 1000:7.0f} ms   "
            f"max {max(values) * 1000:7.0f} ms"
        )

    print(f"the team's shared reads and the first sheet: {team_read * 1000:.0f} ms")
    build = build or [team_read]  # one rep timed: its sheet came with the shared reads
    print(f"per rep ({len(timed)} timed; the model from the second sheet on):")
    line("build model", build)
    line("HTML", html)
    line("Markdown", md)
    line("PDF", pdf)
    print(f"  PDF size     median {statistics.median(size) / 1024:.0f} KiB")
    per_rep = statistics.mean(build) + statistics.mean(pdf)
    estimate = t_metrics + per_rep * len(rep_ids)
    label = "measured" if len(timed) == len(rep_ids) else f"extrapolated from {len(timed)}"
    print(
        f"all {len(rep_ids)} PDF sheets after metrics: {per_rep * len(rep_ids):.1f} s; "
        f"with metrics {estimate:.1f} s ({label})"
    )

    # the batch path of the CLI: the same sheets rendered by worker processes
    out = ROOT / "bench_data" / f"sheets-scale{args.scale}-parallel"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    t = time.perf_counter()
    write_all(sheets, "pdf", out, jobs=args.jobs)
    parallel = time.perf_counter() - t
    per_sheet = parallel / len(sheets)
    print(
        f"{len(sheets)} PDFs with {args.jobs} worker processes: {parallel:.1f} s "
        f"({per_sheet * 1000:.0f} ms a sheet incl. worker start-up); all {len(rep_ids)}: "
        f"{t_metrics + (statistics.mean(build) + per_sheet) * len(rep_ids):.0f} s "
        f"({label})"
    )

    if args.cli:
        # the rows: the real command in a fresh process, every rep, each format
        print(f"load average before the CLI runs: {load()} (2 cores)")
        for fmt in ("html", "pdf"):
            out = ROOT / "bench_data" / f"sheets-scale{args.scale}-{fmt}"
            shutil.rmtree(out, ignore_errors=True)
            cmd = [sys.executable, "-m", "reltruth", "sheet", "--all", "--format", fmt]
            r = run([*cmd, "--workspace", str(path), "--out", str(out)])
            files = len(list(out.glob(f"*.{fmt}")))
            print(
                f"CLI 'sheet --all --format {fmt}' end to end: {r.seconds:.1f} s wall, "
                f"{r.cpu:.1f} s CPU (with its worker processes), {files} files "
                f"[target {TARGET_ALL_S:.0f} s: {'ok' if r.seconds <= TARGET_ALL_S else 'SLOW'}]; "
                f"load {load()}",
                flush=True,
            )
    return 0


def paired(path: Path, before: Path, formats: list[str], rounds: int) -> int:
    """``sheet --all`` with the code at ``before`` and with this tree, in turns."""
    print(f"workspace {path}; load average before: {load()} (2 cores)")
    for fmt in formats:
        times: dict[str, list[tuple[float, float]]] = {"before": [], "after": []}
        outs = {}
        for _ in range(rounds):
            for label, code in (("before", before), ("after", ROOT)):
                out = ROOT / "bench_data" / f"sheets-paired-{label}-{fmt}"
                shutil.rmtree(out, ignore_errors=True)
                # -P: "python -m" otherwise puts the working directory (this tree, when run
                # from it) before PYTHONPATH, and both turns would run this tree's code
                cmd = [sys.executable, "-P", "-m", "reltruth", "sheet", "--all", "--format", fmt]
                r = run(
                    cmd + ["--workspace", str(path), "--out", str(out)], {"PYTHONPATH": str(code)}
                )
                times[label].append((r.seconds, r.cpu))
                outs[label] = out
        same = _contents(outs["before"]) == _contents(outs["after"])
        line = f"{fmt}:"
        for label, runs in times.items():
            wall = statistics.median(w for w, _ in runs)
            cpu = statistics.median(c for _, c in runs)
            line += f"  {label} {wall:.1f} s wall, {cpu:.1f} s CPU"
        print(f"{line}  ({rounds} rounds; same bytes: {'yes' if same else 'NO'}; load {load()})")
    return 0


_PDF_STAMP = re.compile(rb"/CreationDate \(D:[^)]*\)|/ID \[<[0-9A-F]+><[0-9A-F]+>\]")


def _contents(folder: Path) -> dict[str, bytes]:
    """Every file's bytes, a PDF's creation time and file id (fpdf2 stamps both) blanked."""
    return {
        f.name: _PDF_STAMP.sub(b"", f.read_bytes()) for f in sorted(folder.iterdir()) if f.is_file()
    }


if __name__ == "__main__":
    raise SystemExit(main())
