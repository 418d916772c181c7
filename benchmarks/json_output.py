"""JSON benchmark: ``reltruth metrics --format json``, the whole process, buffered and with
PYTHONUNBUFFERED=1, against the same process computing the metrics without printing them.

Why (issue 19): the JSON output cost more than the compute (every value cleaned in Python,
an indented dump of 26 MB, and with PYTHONUNBUFFERED=1 one system call per token). The
targets: unbuffered the same as buffered; the output a small part of the whole. (The issue
also pairs it with a polars script; polars is not a dependency of this project, so the
pairing here is with reltruth's own compute in the same kind of fresh process.)

    .venv/bin/python benchmarks/json_output.py [--workspace FILE | --scale 100] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _proc import Run, load, run  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
_COMPUTE_ONLY = (
    "import sys; from reltruth import metrics; from reltruth.workspace import Workspace\n"
    "if __name__ == '__main__':\n"
    "    ws = Workspace.open(sys.argv[1]); metrics.compute(ws, metrics.resolve_window(ws))"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", type=Path, help="default: bench_data/app-scale<N>.duckdb")
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    path = args.workspace or ROOT / "bench_data" / f"app-scale{args.scale}.duckdb"
    if not path.exists():
        from app import _workspace  # the app benchmark builds the same workspace

        path = _workspace(path.parent, args.scale)
    cmd = [sys.executable, "-m", "reltruth", "metrics", "--workspace", str(path)]
    print(f"{path.name}; load average before: {load()} (2 cores)")
    json_runs: list[Run] = []
    unbuffered: list[Run] = []
    compute: list[Run] = []
    for i in range(max(1, args.repeat)):
        json_runs.append(run([*cmd, "--format", "json"], {"PYTHONUNBUFFERED": ""}))
        unbuffered.append(run([*cmd, "--format", "json"], {"PYTHONUNBUFFERED": "1"}))
        compute.append(run([sys.executable, "-c", _COMPUTE_ONLY, str(path)]))
        print(
            f"  round {i + 1}: json {json_runs[-1].seconds:.2f} s, unbuffered "
            f"{unbuffered[-1].seconds:.2f} s, compute only {compute[-1].seconds:.2f} s",
            flush=True,
        )
    same = all(r.stdout == json_runs[0].stdout for r in json_runs + unbuffered)

    def med(runs: list[Run], what: str = "seconds") -> float:
        return statistics.median(getattr(r, what) for r in runs)

    size = len(json_runs[0].stdout) / 1e6
    print(
        f"metrics --format json: {med(json_runs):.2f} s wall, {med(json_runs, 'cpu'):.2f} s CPU, "
        f"peak {med(json_runs, 'peak_mb'):,.0f} MB, {size:.1f} MB of JSON"
    )
    ratio = med(unbuffered) / med(json_runs)
    print(
        f"with PYTHONUNBUFFERED=1: {med(unbuffered):.2f} s: {ratio:.2f} x buffered "
        f"(target: the same); bytes identical: {same}"
    )
    print(
        f"the same process computing without output: {med(compute):.2f} s wall, "
        f"{med(compute, 'cpu'):.2f} s CPU: the output costs "
        f"{med(json_runs) - med(compute):.2f} s ({med(json_runs) / med(compute):.2f} x)"
    )
    print(f"load average after: {load()}")
    return 0 if same and ratio <= 1.2 else 1


if __name__ == "__main__":
    raise SystemExit(main())
