"""Scale-300 benchmark: ``reltruth ingest`` of the scale-300 sample (about 16 M order lines,
one invoice-lines CSV of 1.5 GB) and the metrics on the result.

Why (issue 19): a company with 15 million lines should not have to split its exports by
hand; the CLI used to refuse any file over 1 GiB. Targets: it loads; metrics <= 2.5 s;
peak memory <= 1.5 GB. The workspace is written once under ``--data`` and reused for the
metrics (``--fresh`` loads it again).

    .venv/bin/python benchmarks/scale300.py [--data DIR] [--scale 300] [--repeat 3] [--fresh]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _proc import load, run  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
_METRICS = (
    "import sys, time; from reltruth import metrics; from reltruth.workspace import Workspace\n"
    "if __name__ == '__main__':\n"
    "    ws = Workspace.open(sys.argv[1]); w = metrics.resolve_window(ws)\n"
    "    t = time.perf_counter(); metrics.compute(ws, w); print(time.perf_counter() - t)"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="folder with (or for) the sample exports")
    parser.add_argument("--scale", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--fresh", action="store_true", help="load the workspace again")
    args = parser.parse_args(argv)
    data = args.data or ROOT / "bench_data" / f"sample-x{args.scale}"
    if not (data / "invoice_lines.csv").exists():
        run(
            [
                sys.executable,
                "-m",
                "reltruth",
                "sample",
                "--out",
                str(data),
                "--scale",
                str(args.scale),
            ]
        )
    files = sorted(data.glob("*.csv"))
    biggest = max(p.stat().st_size for p in files) / 2**30
    db = data / "workspace.duckdb"
    print(f"scale {args.scale}: biggest file {biggest:.2f} GiB; load average before: {load()}")
    if args.fresh or not db.exists():
        for old in data.glob("workspace.duckdb*"):
            old.unlink()
        cmd = [sys.executable, "-m", "reltruth", "ingest", *map(str, files), "--workspace", str(db)]
        ingest = run(cmd)
        print(
            f"reltruth ingest: {ingest.seconds:.1f} s wall, {ingest.cpu:.1f} s CPU, "
            f"peak {ingest.peak_mb:,.0f} MB (target <= 1,536 MB)",
            flush=True,
        )
    runs = [run([sys.executable, "-c", _METRICS, str(db)]) for _ in range(max(1, args.repeat))]
    compute = statistics.median(float(r.stdout.decode().strip()) for r in runs)
    peak = max(r.peak_mb for r in runs)
    print(
        f"metrics compute: {compute:.2f} s (median of {len(runs)}; target <= 2.5 s), "
        f"process peak {peak:,.0f} MB; load average after: {load()}"
    )
    return 0 if compute <= 2.5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
