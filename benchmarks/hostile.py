"""Hostile-file fuzz run (issue 13): thousands of generated files through the real ingestion.

Why a benchmark and not a test: 10,000 files take most of an hour on a 2-core machine. Each
file is one of the shapes of ``tests/hostile_files.py`` with random sizes and positions (far
and sparse cells, ragged and wide CSV heads, long lines, deep Parquet nesting, damaged pages,
lying extensions), or a corpus file with random bytes flipped, cut or repeated. Every file
must load or be refused with one line naming it, within the read time limit, with this process
(the "server") not growing beyond the budget, the workspace unchanged on refusal. Prints the
counts, the slowest file and the peak memory; exits 1 on any failure.

    .venv/bin/python benchmarks/hostile.py --files 10000 [--seed 13]
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import hostile_files as h  # noqa: E402

from reltruth.errors import UserError  # noqa: E402
from reltruth.ingest import ingest_files, sandbox  # noqa: E402
from reltruth.workspace import Workspace  # noqa: E402

# A file over the read time limit (RELTRUTH_READ_SECONDS, 180 s) is a hang; one over 30 s is
# counted and named but not a failure: run with `nice -n 19` on a shared machine, a file's
# clock time is mostly waiting for a processor.
SLOW = 30.0
SERVER_GROWTH_MB = 500  # this process's peak may not grow more than this over the run


def _shapes(rng: random.Random) -> list[tuple[str, Callable[[], bytes]]]:
    return [
        ("far.xlsx", lambda: h.far_cell_xlsx(rng.randint(2, 1_048_576), rng.randint(3, 16_384))),
        ("sparse.xlsx", lambda: h.sparse_xlsx(rng.randint(10, 400_000), rng.randint(3, 400))),
        ("dim.xlsx", h.lying_dimension_xlsx),
        (
            "ragged.csv",
            lambda: h.ragged_csv(rng.randint(1, 80), rng.randint(3, 1_200), rng.randint(0, 8_000)),
        ),
        ("long.csv", lambda: h.long_header_csv(rng.randint(1, 300_000))),
        ("wide.csv", lambda: h.many_columns_csv(rng.randint(2, 30_000))),
        ("nested.parquet", lambda: h.nested_parquet(rng.randint(1, 40))),
        ("damaged.parquet", h.damaged_parquet),
        ("number.csv", h.big_number_csv),
        ("zip.csv", h.zip_renamed_csv),
        ("nul.csv", h.nul_csv),
    ]


def _mutate(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return data
    kind = rng.randrange(3)
    if kind == 0:  # flip bytes
        out = bytearray(data)
        for _ in range(rng.randint(1, 20)):
            out[rng.randrange(len(out))] = rng.randrange(256)
        return bytes(out)
    if kind == 1:  # cut
        return data[: rng.randint(1, len(data))]
    i = rng.randrange(len(data))  # repeat a slice
    return data[:i] + data[i : i + rng.randint(1, 4096)] * rng.randint(2, 200) + data[i:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    shapes = _shapes(rng)
    outcomes: Counter[str] = Counter()
    failures: list[str] = []
    kinds: Counter[str] = Counter()  # failures by kind
    times: list[float] = []
    slowest = (0.0, "")
    reported = 0
    slow = 0
    work = Path(tempfile.mkdtemp(prefix="reltruth-hostile-"))
    started = time.perf_counter()
    with Workspace.open(memory=True) as ws:
        ingest_files(ws, [ROOT / "sample_data" / "users.csv"])
        base_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        for n in range(args.files):
            name, make = shapes[n % len(shapes)]
            data = make()
            if rng.random() < 0.4:
                data = _mutate(rng, data)
            path = work / f"staged-{n}.bin"
            path.write_bytes(data)
            before = ws.counts()
            t = time.perf_counter()
            try:
                report = ingest_files(ws, [path], names={str(path): name})
                why = report.refused
                outcomes["loaded" if why is None else "refused (rows)"] += 1
            except UserError as exc:
                why = str(exc)
                outcomes["too complex" if "too complex" in why else "refused"] += 1
            except Exception as exc:  # noqa: BLE001 - the point: anything raw is a failure
                failures.append(f"{n} {name}: raw {type(exc).__name__}: {exc}"[:300])
                kinds[f"raw {type(exc).__name__}"] += 1
                why = None
            elapsed = time.perf_counter() - t
            times.append(elapsed)
            slowest = max(slowest, (elapsed, name))
            slow += elapsed > SLOW
            if elapsed > sandbox.limits().wall_seconds:
                failures.append(f"{n} {name}: {elapsed:.1f} s")
                kinds["over the time limit"] += 1
            if why is not None and ("\n" in why or name not in why or ws.counts() != before):
                failures.append(f"{n} {name}: bad refusal {why[:200]!r}")
                kinds["bad refusal"] += 1
            path.unlink()
            for f in failures[reported:]:  # as they happen: a long run shows them early
                print("FAIL", f, flush=True)
            reported = len(failures)
            if (n + 1) % 500 == 0:
                peak_now = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                print(
                    f"  {n + 1:,} files, {time.perf_counter() - started:,.0f} s, "
                    f"{len(failures)} failures, {slow} over {SLOW:.0f} s, "
                    f"peak RSS {peak_now:,.0f} MB, {dict(outcomes)}",
                    flush=True,
                )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.files:,} files in {time.perf_counter() - started:,.0f} s: {dict(outcomes)}")
    print(
        f"per file: median {statistics.median(times):.2f} s, slowest {slowest[0]:.1f} s "
        f"({slowest[1]}), {slow} over {SLOW:.0f} s; this process peak RSS {peak:,.0f} MB "
        f"(start {base_peak:,.0f} MB)"
    )
    if peak - base_peak > SERVER_GROWTH_MB:
        failures.append(f"server peak grew {peak - base_peak:,.0f} MB")
        kinds["server memory"] += 1
    for f in failures[reported:]:
        print("FAIL", f)
    print(f"{len(failures)} failures {dict(kinds)}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
