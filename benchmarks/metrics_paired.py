"""Paired before/after runs of ``metrics.compute``: two commits' code on one workspace, in turns.

Why: on a shared machine the wall seconds of two runs minutes apart say more about the
neighbours than about the change; runs of the old and the new code in turns (the order
flipped every pair), medians, CPU next to wall and the load average do not. Each run is a
fresh process importing ``reltruth`` from an export of its commit and computing twice (the
first compute pays the imports and the staging views, the second is an app's next window).
``--same-json`` first checks that both commits give the same ``metrics --format json`` bytes
(``to_json``) on the workspaces given: a speed-up must not change a number. Compare at
scales 1 and 10; at scale 100 DuckDB's parallel sums can differ in the last bits between
two runs of one commit.

    .venv/bin/python benchmarks/metrics_paired.py --before main --after HEAD \\
        --workspace W100.duckdb [--pairs 5] [--same-json W1.duckdb W10.duckdb]

Workspaces are copied to a temporary folder before use (a compute creates temp objects
only, but a benchmark never writes to its input).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._proc import load  # noqa: E402

REPO = Path(__file__).resolve().parents[1]

# Run in a child whose working folder is the commit's export: its ``reltruth`` comes first.
_COMPUTE = """
import json, sys, time
from reltruth import metrics
from reltruth.metrics import marts
from reltruth.workspace import Workspace
sql = [0.0]
run = marts.run
def timed(*args, **kwargs):
    started = time.perf_counter()
    try:
        return run(*args, **kwargs)
    finally:
        sql[0] += time.perf_counter() - started
marts.run = timed  # the query files' execution, to tell the Python side from the SQL
ws = Workspace.open(sys.argv[1])
out = []
for _ in range(2):
    sql[0] = 0.0
    wall, cpu = time.perf_counter(), time.process_time()
    metrics.compute(ws)
    out.append({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
                "sql": sql[0]})
print(json.dumps(out))
"""

_JSON = """
import sys
from reltruth import metrics
from reltruth.metrics.output import dump_json
from reltruth.workspace import Workspace
sys.stdout.buffer.write(dump_json(metrics.to_json(metrics.compute(Workspace.open(sys.argv[1])))))
"""


def _export(ref: str, into: Path) -> Path:
    """The commit's files (``git archive``): the code a run imports."""
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", ref], cwd=REPO, check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


def _child(root: Path, code: str, workspace: Path) -> bytes:
    done = subprocess.run(
        [sys.executable, "-c", code, str(workspace)], cwd=root, check=True, capture_output=True
    )
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="main")
    parser.add_argument("--after", default="HEAD")
    parser.add_argument("--workspace", type=Path, required=True)
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--same-json", type=Path, nargs="*", default=[])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        roots = {
            side: _export(getattr(args, side), Path(tmp) / side) for side in ("before", "after")
        }
        for ws in args.same_json:
            texts = []
            for side, root in roots.items():
                copy = Path(tmp) / f"{side}-{ws.name}"
                shutil.copy(ws, copy)
                texts.append(_child(root, _JSON, copy))
            same = "identical" if texts[0] == texts[1] else "DIFFERENT"
            print(f"{ws}: to_json {same} ({len(texts[0]):,} bytes)", flush=True)
        copy = Path(tmp) / "workspace.duckdb"
        shutil.copy(args.workspace, copy)
        runs: dict[str, list[list[dict[str, float]]]] = {"before": [], "after": []}
        loads = []
        for i in range(args.pairs):
            order = ("before", "after") if i % 2 == 0 else ("after", "before")
            for side in order:
                loads.append(load())
                runs[side].append(json.loads(_child(roots[side], _COMPUTE, copy)))
            print(f"pair {i + 1}: load {loads[-1]}", flush=True)
    for k, label in ((0, "first compute in a process"), (1, "second compute")):
        print(f"{label}, medians of {args.pairs}:")
        for side in ("before", "after"):
            r = [run[k] for run in runs[side]]
            wall, cpu = (statistics.median(x[f] for x in r) for f in ("wall", "cpu"))
            rest = statistics.median(x["wall"] - x["sql"] for x in r)
            print(
                f"  {side} ({getattr(args, side)}): wall {wall:.2f} s, CPU {cpu:.2f} s, "
                f"wall outside query execution {rest:.2f} s"
            )
        ratio = statistics.median(
            (b[k]["wall"] - b[k]["sql"]) / (a[k]["wall"] - a[k]["sql"])
            for a, b in zip(runs["before"], runs["after"], strict=True)
        )
        print(f"  paired ratio after/before, wall outside query execution: {ratio:.2f}")
    print(f"load average from {loads[0]} to {loads[-1]}")


if __name__ == "__main__":
    main()
