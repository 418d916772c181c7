"""Reading an uploaded file's contents in a bounded worker process, never in the server.

Why: a parser is code we do not control fed bytes we do not trust. A 4.9 KB workbook with
one cell at XFD1048576 made the Excel reader allocate 512 GiB and abort the process (every
session of the server with it); a 5 KB Parquet file nested 30 deep kept DuckDB busy for
minutes; a ragged CSV cost gigabytes. So every look inside an upload (CSV sniffing and its
check read, Excel, Parquet) runs in a child process (forked from a fork server) that limits itself before it reads anything: address space (``RLIMIT_AS``), processor time
(``RLIMIT_CPU``), no core dumps; the server adds a wall-clock limit and kills it. The worker
reads only the staged file and writes its result beside it in the session's staging folder
(Parquet of text columns for Excel and Parquet; a JSON plan for CSV); the server loads that
with DuckDB. A worker that dies or hits a limit becomes one line naming the user's file:
"<file> is too complex to read safely: ...", and the workspace is untouched.

The limits are settings for the administrator (environment variables, see SECURITY.md):
``RELTRUTH_READ_MEMORY_MB``, ``RELTRUTH_READ_CPU_SECONDS``, ``RELTRUTH_READ_SECONDS``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import multiprocessing
import multiprocessing.context
import os
import resource
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reltruth.errors import UserError

log = logging.getLogger(__name__)

# A worker's output: a JSON line on stdout. Anything larger is not ours.
MAX_REPLY_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one worker may use. Defaults fit a 500 MB CSV's check read and a 100,000-row
    workbook; a file that needs more is refused, not read."""

    memory_mb: int = 4096  # address space of the worker (DuckDB and Arrow reserve ~1 GB)
    cpu_seconds: int = 120  # processor time
    wall_seconds: int = 180  # time on the clock (a worker stuck waiting counts too)

    @property
    def duckdb_memory_mb(self) -> int:
        """DuckDB's own limit inside the worker: a third of the address space (the rest is
        Python, Arrow and the reader's allocations DuckDB does not count)."""
        return max(128, self.memory_mb // 3)


_ENV = {
    "memory_mb": "RELTRUTH_READ_MEMORY_MB",
    "cpu_seconds": "RELTRUTH_READ_CPU_SECONDS",
    "wall_seconds": "RELTRUTH_READ_SECONDS",
}


def limits() -> Limits:
    """The limits now in force: defaults, overridden by the environment (checked, so that a
    typo is one clear line)."""
    values: dict[str, int] = {}
    for attr, var in _ENV.items():
        text = os.environ.get(var, "").strip()
        if not text:
            continue
        if not text.isdigit() or int(text) <= 0:
            raise UserError(f"{var} must be a whole number above 0, not {text!r}.")
        values[attr] = int(text)
    return Limits(**values)


def too_complex(shown: str, why: str) -> UserError:
    return UserError(f"{shown} is too complex to read safely: {why}.")


_CONTEXT: multiprocessing.context.ForkServerContext | None = None
_CONTEXT_LOCK = threading.Lock()


def _context() -> multiprocessing.context.ForkServerContext:
    """Workers are forked from a fork server that has the readers imported already (a
    fresh interpreter took 0.8 s to import DuckDB and Arrow; a fork takes milliseconds).
    The fork server is a clean single-threaded process, not the Streamlit server."""
    global _CONTEXT
    with _CONTEXT_LOCK:
        if _CONTEXT is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(
                ["reltruth.ingest.read", "pyarrow.parquet", "python_calamine"]
            )
            _CONTEXT = ctx
        return _CONTEXT


def run(task: dict[str, Any], shown: str) -> dict[str, Any]:
    """Run ``task`` in a worker; its reply, or a UserError naming ``shown``."""
    bounds = limits()
    payload = json.dumps({**task, "shown": shown, "limits": bounds.__dict__})
    ctx = _context()
    receive, send = ctx.Pipe(duplex=False)
    worker = ctx.Process(target=_child, args=(send, payload), daemon=True)
    worker.start()
    send.close()  # the parent's copy: EOF on ``receive`` once the worker is gone
    deadline = time.monotonic() + bounds.wall_seconds
    raw: bytes | None = None
    try:
        if receive.poll(bounds.wall_seconds):
            with contextlib.suppress(EOFError, OSError):
                raw = receive.recv_bytes(MAX_REPLY_BYTES)
        worker.join(max(0.0, deadline - time.monotonic()))
        if worker.is_alive():
            raise too_complex(shown, f"reading it took longer than {bounds.wall_seconds} s")
    finally:
        if worker.is_alive():
            worker.kill()
            worker.join()
        receive.close()
    code = worker.exitcode or 0
    if code != 0 or raw is None:
        log.warning("reader worker for %s ended with exit status %s", shown, code)
        raise too_complex(shown, _why(code, bounds))
    reply = json.loads(raw)
    if "error" in reply:
        raise UserError(str(reply["error"]))
    return dict(reply["ok"])


def _why(code: int, bounds: Limits) -> str:
    """A worker's exit status in words."""
    if code == -signal.SIGXCPU:
        return f"reading it needs more than {bounds.cpu_seconds} s of processor time"
    if code == -signal.SIGKILL:  # the hard processor limit, or the system out of memory
        return (
            f"reading it needs more than {bounds.cpu_seconds} s of processor time or "
            f"{bounds.memory_mb:,} MB of memory"
        )
    if code in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS, 3):
        return f"reading it needs more than {bounds.memory_mb:,} MB of memory"
    return f"the reader stopped (exit status {code})"


# --------------------------------------------------------------------------------------------
# The worker side.


def _limit_self(bounds: Limits) -> None:
    """Before anything is read: this process may not grow, run or dump core beyond limits."""
    size = bounds.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (size, size))
    # Soft limit: SIGXCPU (named in the refusal); hard a little later: SIGKILL.
    resource.setrlimit(resource.RLIMIT_CPU, (bounds.cpu_seconds, bounds.cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _child(send: Any, payload: str) -> None:
    """The worker: limit itself, read, send one answer, exit."""
    reply, code = _serve(payload)
    if code:
        os._exit(code)  # no answer: the server names the limit from the exit status
    send.send_bytes(json.dumps(reply).encode())
    send.close()


def _serve(payload: str) -> tuple[dict[str, Any], int]:
    task = json.loads(payload)
    bounds = Limits(**task["limits"])
    _limit_self(bounds)
    import duckdb

    from reltruth.ingest.sources import worker

    shown = str(task["shown"])
    try:
        return {"ok": worker.worker_task(task, shown, bounds)}, 0
    except UserError as exc:
        return {"error": str(exc)}, 0
    except (MemoryError, duckdb.OutOfMemoryException):
        # Exit status 3: "needs more memory" (an allocation failed, Python survived it).
        return {}, 3
    except Exception as exc:  # a reader's own error on a malformed file: one line, not raw
        log.warning("reader worker for %s failed", shown, exc_info=True)
        return {
            "error": f"{shown} could not be read: the file is malformed ({type(exc).__name__})."
        }, 0


def output_path(staged: Path, suffix: str) -> Path:
    """Where the worker writes its result for ``staged``: beside it, in the staging folder."""
    return staged.with_name(staged.name + suffix)
