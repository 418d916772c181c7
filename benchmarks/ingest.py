"""Ingest benchmark: `reltruth ingest` against DuckDB's plain read_csv of the same files.

Why: issue 19 (docs/performance.md) asks that loading a scale-100 sample (about 5 million
invoice lines) costs at most 1.2 times the CPU DuckDB needs just to read the same CSVs into
tables, with peak memory at most 1 GB. Both run here, one after the other, each a fresh
process (so peak RSS and CPU are that run's alone, start-up included) writing a fresh
database file: ``reltruth ingest --json --accept-partial``, the command a user runs, and a
script with DuckDB's ``read_csv``. (A refused file fails the command, and the benchmark.)

The two alternate ``--repeat`` times (default 3) and the ratios are those of the medians: on a
shared virtual machine the same command varies by 20 % or more from minute to minute, so a
single pair can say 1.2 or 1.9 for the same code. CPU (user + system of the process and its
threads) is what a busy machine blurs least; wall is printed beside it.

    .venv/bin/python benchmarks/ingest.py --scale 100 [--data DIR] [--keep] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _proc import load, run  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TARGET_CPU_RATIO = 1.2
TARGET_PEAK_MB = 1024.0

_BASELINE = """
import json, resource, sys, time, duckdb
paths, db = json.loads(sys.argv[1]), sys.argv[2]
con = duckdb.connect(db, config={"threads": 2})
t = time.perf_counter()
for i, p in enumerate(paths):
    # ignore_errors: the sample's accounts export ends in a Salesforce report footer,
    # which plain read_csv refuses; skipping those lines is the cheapest way through.
    con.execute(f"create table t{i} as select * from read_csv('{p}', ignore_errors=true)")
con.execute("checkpoint")
elapsed = time.perf_counter() - t
rows = sum(con.execute(f"select count(*) from t{i}").fetchall()[0][0] for i in range(len(paths)))
print(json.dumps({"seconds": elapsed, "rows": rows,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _ingest_cmd(paths: list[Path], db: Path) -> list[str]:
    """The command a user runs (its own memory setting included), its JSON report."""
    files = [str(p) for p in paths]
    return [sys.executable, "-m", "reltruth", "ingest", *files, "--workspace", str(db)] + [
        "--json",
        "--accept-partial",
    ]


def _run(code: str, paths: list[Path], db: Path) -> dict[str, object]:
    """read_csv in a fresh process: what it printed, with its CPU seconds and peak RSS as the
    kernel counted them (``wait4``), threads included."""
    done = run([sys.executable, "-c", code, json.dumps([str(p) for p in paths]), str(db)])
    result: dict[str, object] = json.loads(done.stdout.decode().strip().splitlines()[-1])
    return {**result, "seconds": done.seconds, "cpu": done.cpu, "peak_rss_mb": done.peak_mb}


def _ingest(paths: list[Path], db: Path, env: dict[str, str] | None) -> dict[str, object]:
    """``reltruth ingest`` in a fresh process, timed the same way."""
    done = run(_ingest_cmd(paths, db), env)
    report = json.loads(done.stdout.decode())
    return {
        "files": report["files"],
        "seconds": done.seconds,
        "cpu": done.cpu,
        "peak_rss_mb": done.peak_mb,
    }


def _f(run: dict[str, object], key: str) -> float:
    return float(run[key])  # type: ignore[arg-type]


def _median(runs: list[dict[str, object]], key: str) -> float:
    return statistics.median(_f(r, key) for r in runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--data", type=Path, help="folder with (or for) the sample exports")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument(
        "--memory-limit",
        help="RELTRUTH_MEMORY_LIMIT for the ingest run (e.g. 1.5GB); default: the workspace's own",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="pairs of runs, alternating (default 3)"
    )
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="reltruth-bench-"))
    data = args.data or work / f"sample-x{args.scale}"
    try:
        if not (data.exists() and any(data.glob("*.csv"))):
            sys.path.insert(0, str(ROOT))
            from reltruth.sample import write_sample

            t = time.perf_counter()
            write_sample(data, scale=args.scale)
            print(f"generated scale {args.scale} in {time.perf_counter() - t:.1f} s", flush=True)
        paths = sorted(data.glob("*.csv"))
        size = sum(p.stat().st_size for p in paths) / 1e6
        print(f"files: {', '.join(p.name for p in paths)} ({size:,.0f} MB)", flush=True)

        env = {"RELTRUTH_MEMORY_LIMIT": args.memory_limit} if args.memory_limit else None
        print(f"load average before: {load()} (2 cores)", flush=True)
        bases: list[dict[str, object]] = []
        runs: list[dict[str, object]] = []
        for i in range(max(1, args.repeat)):
            for db in work.glob("*.duckdb*"):
                db.unlink()
            bases.append(_run(_BASELINE, paths, work / "baseline.duckdb"))
            runs.append(_ingest(paths, work / "ingest.duckdb", env))
            b, o = bases[-1], runs[-1]
            print(
                f"  pair {i + 1}: read_csv {_f(b, 'seconds'):.1f} s ({_f(b, 'cpu'):.1f} s CPU), "
                f"ingest {_f(o, 'seconds'):.1f} s ({_f(o, 'cpu'):.1f} s CPU), CPU ratio "
                f"{_f(o, 'cpu') / _f(b, 'cpu'):.2f}",
                flush=True,
            )
        base_s, ours_s = _median(bases, "seconds"), _median(runs, "seconds")
        base_cpu, ours_cpu = _median(bases, "cpu"), _median(runs, "cpu")
        base, ours = bases[-1], runs[-1]
        base_peak = max(_f(b, "peak_rss_mb") for b in bases)
        peak = max(_f(r, "peak_rss_mb") for r in runs)
        print(
            f"duckdb read_csv into tables: {base_s:.1f} s wall, {base_cpu:.1f} s CPU (medians), "
            f"{base['rows']:,} rows, peak RSS {base_peak:,.0f} MB"
        )
        for f in ours["files"]:  # type: ignore[union-attr]
            print(
                f"  {f['file']}: {f['table']}, {f['rows_read']:,} read, {f['rows_loaded']:,} "
                f"loaded, {f['rows_rejected']:,} rejected"
            )
        print(
            f"reltruth ingest:             {ours_s:.1f} s wall, {ours_cpu:.1f} s CPU (medians), "
            f"peak RSS {peak:,.0f} MB"
        )
        ratio = ours_cpu / base_cpu
        print(
            f"CPU ratio {ratio:.2f} (target <= {TARGET_CPU_RATIO}), wall ratio "
            f"{ours_s / base_s:.2f}; peak memory {peak:,.0f} MB (target <= "
            f"{TARGET_PEAK_MB:,.0f}); load average after: {load()}"
        )
        return 0 if ratio <= TARGET_CPU_RATIO and peak <= TARGET_PEAK_MB else 1
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
