"""New-month benchmark: a month of order lines into the full workspace, paired with the same
file into a workspace holding only accounts and reps, then the same file again.

Why (issue 19): the cost of a monthly import should depend on the file, not on what is
loaded already (target: full / accounts-and-reps <= 1.2, and the repeat, every row a
duplicate, <= 1.2 x the new-month import). The scaled sample's invoice lines are split once
into the history (every month but the last) and the new month (the last); the full
workspace holds reps, accounts, activities and the history. Each import runs in a fresh
subprocess on a fresh copy of its workspace, the two kinds alternating, and the ratios are
those of the medians (a shared machine varies by 20 % from minute to minute).

    .venv/bin/python benchmarks/new_month.py [--data DIR] [--scale 100] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# One import in a fresh process: seconds of ingest_files + checkpoint, rows, peak RSS.
_IMPORT = """
import json, resource, sys, time
from reltruth.workspace import Workspace
from reltruth.ingest import ingest_files
paths, db = json.loads(sys.argv[1]), sys.argv[2]
if __name__ == "__main__":
    ws = Workspace.open(db)
    cpu, t = time.process_time(), time.perf_counter()
    report = ingest_files(ws, paths, accept_partial=True)
    ws.con.execute("checkpoint").fetchall()
    elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
    f = report.files[-1]
    ws.close()
    print(json.dumps({"seconds": elapsed, "cpu": cpu, "loaded": f.rows_loaded,
                      "duplicate": f.rows_duplicate, "refused": report.refused,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _import(paths: list[Path], db: Path) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, "-c", _IMPORT, json.dumps([str(p) for p in paths]), str(db)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    if result["refused"]:
        raise SystemExit(f"refused: {result['refused']}")
    return result


def _split(lines: Path, out: Path) -> tuple[Path, Path]:
    """history.csv (every month but the last) and new_month.csv (the last month) of the
    sample's invoice lines, written once. The sample writes the date third, dd.mm.yyyy, and
    no field before it holds the delimiter."""
    history, month = out / "history.csv", out / "new_month.csv"
    if history.exists() and month.exists():
        return history, month

    def key(line: str) -> str:
        date = line.split(";", 3)[2].strip('"')
        return date[6:10] + date[3:5]

    with lines.open(encoding="utf-8") as f:
        next(f)
        last = max(key(line) for line in f)
    out.mkdir(parents=True, exist_ok=True)
    with (
        lines.open(encoding="utf-8") as f,
        history.open("w", encoding="utf-8") as h,
        month.open("w", encoding="utf-8") as m,
    ):
        header = next(f)
        h.write(header)
        m.write(header)
        for line in f:
            (m if key(line) == last else h).write(line)
    return history, month


def _base(db: Path, paths: list[Path]) -> Path:
    if not db.exists():
        started = time.perf_counter()
        print(f"building {db.name} (once)…", flush=True)
        _import(paths, db)
        print(f"  built in {time.perf_counter() - started:.1f} s", flush=True)
    return db


def _copy(db: Path, to: Path) -> Path:
    for old in to.parent.glob(to.name + "*"):
        old.unlink()
    shutil.copyfile(db, to)
    return to


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="folder with (or for) the sample exports")
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    data = args.data or ROOT / "bench_data" / f"sample-x{args.scale}"
    if not (data / "invoice_lines.csv").exists():
        sys.path.insert(0, str(ROOT))
        from reltruth.sample import write_sample

        write_sample(data, scale=args.scale)
    work = data / "new-month"
    history, month = _split(data / "invoice_lines.csv", work)
    refs = [data / "users.csv", data / "accounts.csv"]
    full = _base(work / "full.duckdb", [*refs, data / "activities.csv", history])
    bare = _base(work / "accounts_reps.duckdb", refs)
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores)")

    new, ref, again = [], [], []
    for i in range(max(1, args.repeat)):
        run = work / "run.duckdb"
        new.append(_import([month], _copy(full, run)))
        again.append(_import([month], run))
        ref.append(_import([month], _copy(bare, run)))
        print(
            f"  pair {i + 1}: full {new[-1]['seconds']:.2f} s, accounts and reps only "
            f"{ref[-1]['seconds']:.2f} s, again {again[-1]['seconds']:.2f} s",
            flush=True,
        )
    for old in work.glob("run.duckdb*"):
        old.unlink()

    def med(runs: list[dict[str, float]], key: str = "seconds") -> float:
        return statistics.median(r[key] for r in runs)

    ratio, repeat_ratio = med(new) / med(ref), med(again) / med(new)
    print(
        f"new month: {int(new[-1]['loaded']):,} lines loaded; the same again: "
        f"{int(again[-1]['duplicate']):,} duplicates"
    )
    print(
        f"full workspace {med(new):.2f} s (CPU {med(new, 'cpu'):.2f} s), accounts and reps "
        f"only {med(ref):.2f} s (CPU {med(ref, 'cpu'):.2f} s): ratio {ratio:.2f} (target <= 1.2)"
    )
    print(
        f"the same file again {med(again):.2f} s (CPU {med(again, 'cpu'):.2f} s): "
        f"{repeat_ratio:.2f} x the new month (target <= 1.2)"
    )
    print(
        f"CPU ratios (what a shared machine cannot blur): full / accounts and reps "
        f"{med(new, 'cpu') / med(ref, 'cpu'):.2f}, again / new month "
        f"{med(again, 'cpu') / med(new, 'cpu'):.2f}"
    )
    peak = max(r["peak_rss_mb"] for r in new + again)
    print(f"peak RSS {peak:,.0f} MB; load average after: {os.getloadavg()[0]:.1f}")
    return 0 if ratio <= 1.2 and repeat_ratio <= 1.2 else 1


if __name__ == "__main__":
    raise SystemExit(main())
