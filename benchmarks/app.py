"""App benchmark: the waits a manager sees in the app, on a scale-N workspace file.

Why (issue 19): the first page on a fresh server, a window switch (12 -> 6 -> 12 months)
and back, the Discounts page on a revisit, and a second tab (or a reload) of the same
workspace. Each figure is the server's time for the script run (Streamlit's AppTest, in a
fresh process so the server is really fresh); the browser adds its drawing on top. The
workspace is built once with ``sample.load_canonical`` and reused.

    .venv/bin/python benchmarks/app.py [--scale 100] [--data DIR] [--repeat 3] [--root REPO]

``--root`` runs another checkout's app (e.g. main before a change) on the same workspace.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# One fresh server in a subprocess: seconds of each step, as JSON on the last line.
_RUN = """
import json, os, sys, time
sys.path.insert(0, sys.argv[1])
os.chdir(sys.argv[1])
from streamlit.testing.v1 import AppTest

def timed(at):
    t = time.perf_counter()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return time.perf_counter() - t

def page(at, name):
    at.switch_page(name)
    return timed(at)

def session():
    # A new browser session opening the Team page: its two runs, timed together.
    at = AppTest.from_file(os.path.join(sys.argv[1], "app.py"), default_timeout=600)
    t = time.perf_counter()
    at.run()
    at.switch_page("pages/team.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at, time.perf_counter() - t

out = {}
first, out["first_page"] = session()
months = first.segmented_control(key="sidebar_months")
months.set_value(6)
out["window_6"] = timed(first)
first.segmented_control(key="sidebar_months").set_value(12)
out["window_back_12"] = timed(first)
out["discounts_first"] = page(first, "pages/discounts.py")
page(first, "pages/team.py")
out["discounts_revisit"] = page(first, "pages/discounts.py")
second, out["second_tab"] = session()
print(json.dumps(out))
"""

STEPS = {
    "first_page": ("first page on a fresh server (Team)", 2.0),
    "window_6": ("window switch 12 -> 6 months", 1.0),
    "window_back_12": ("and back to 12 months", 0.3),
    "discounts_first": ("Discounts page, first visit", None),
    "discounts_revisit": ("Discounts page, revisit", 0.5),
    "second_tab": ("a second tab (or a reload)", 1.0),
}


def _workspace(data: Path, scale: int) -> Path:
    path = data / f"app-scale{scale}.duckdb"
    if not path.exists():
        sys.path.insert(0, str(ROOT))
        from reltruth import sample
        from reltruth.workspace import Workspace

        started = time.perf_counter()
        print(f"building {path} at scale {scale} (once)…", flush=True)
        data.mkdir(parents=True, exist_ok=True)
        with Workspace.open(path) as ws:
            sample.load_canonical(ws, scale=scale)
        print(f"  built in {time.perf_counter() - started:.1f} s", flush=True)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--data", type=Path, default=ROOT / "bench_data")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose app runs")
    args = parser.parse_args(argv)
    path = _workspace(args.data, args.scale)
    env = {**os.environ, "RELTRUTH_WORKSPACE": str(path), "RELTRUTH_MODE": "local"}
    env["PYTHONPATH"] = str(args.root)
    print(f"app of {args.root} on {path.name}")
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores)")
    runs = []
    for i in range(max(1, args.repeat)):
        proc = subprocess.run(
            [sys.executable, "-c", _RUN, str(args.root)],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        if proc.returncode != 0:
            raise SystemExit(proc.stderr[-3000:])
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(f"  run {i + 1}: " + ", ".join(f"{k} {v:.2f} s" for k, v in runs[-1].items()))
    met = True
    for key, (label, target) in STEPS.items():
        median = statistics.median(r[key] for r in runs)
        verdict = ""
        if target is not None:
            ok = median <= target
            met = met and ok
            verdict = f"  [target <= {target} s: {'ok' if ok else 'NOT MET'}]"
        print(f"{label:<40} {median:6.2f} s (median of {len(runs)}){verdict}")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
