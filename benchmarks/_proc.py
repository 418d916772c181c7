"""What the benchmarks share: a command timed in a fresh process, with its peak memory."""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Run:
    seconds: float  # wall
    cpu: float  # user + system of the process and its threads
    peak_mb: float  # the process's peak resident memory
    stdout: bytes


def run(cmd: list[str], env: dict[str, str] | None = None) -> Run:
    """``cmd`` to completion in a fresh process: wall and CPU time, peak RSS (``wait4``'s
    usage of that one child) and what it printed (through a file: a pipe would block)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env={**os.environ, **(env or {})})
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            tail = err.read().decode(errors="replace")[-3000:]
            raise SystemExit(f"{' '.join(cmd)} failed:\n{tail}")
        return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.read())


def load() -> str:
    """The machine's load average (1, 5, 15 minutes): the machine is shared."""
    return " ".join(f"{x:.1f}" for x in os.getloadavg())
