"""Idle sessions give back what they hold: their workspace's memory and staged uploads.

Why: a browser tab left open keeps its session, and a demo session's in-memory database
(up to 1 GiB) and its staged uploads in ``/dev/shm`` with it, for as long as the tab stays
open; Streamlit ends only sessions whose connection went away (``disconnectedSessionTTL``).
So every run of a session marks it busy, then idle with the workspaces it holds, and a
background thread closes the workspaces of sessions idle for longer than
``$RELTRUTH_IDLE_MINUTES`` (default 30; 0 turns it off; SECURITY.md). The next run of such a
session learns that it was released (``begin`` returns True): a demo session starts empty
and says why, a workspace file is simply opened again.

Nothing here imports Streamlit: the registry is driven by ``reltruth.ui.session`` and tested
on its own with a clock of the test's choosing.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from reltruth.errors import UserError

log = logging.getLogger(__name__)

DEFAULT_MINUTES = 30
ENV = "RELTRUTH_IDLE_MINUTES"


class Closeable(Protocol):
    def close(self) -> None: ...


def idle_minutes() -> int:
    """Minutes a session may stay idle before its workspace is released (0: never)."""
    text = os.environ.get(ENV, "").strip()
    if not text:
        return DEFAULT_MINUTES
    if not text.isdigit():
        raise UserError(f"{ENV} must be a whole number of minutes (0 turns it off), not {text!r}.")
    return int(text)


@dataclass
class _Entry:
    last_seen: float
    running: int = 0  # runs of the session now going on (a run is never released under it)
    held: list[weakref.ref[Closeable]] = field(default_factory=list)
    released: bool = False


class Registry:
    """Which sessions ran when, and what each holds; releases the idle ones."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: dict[str, _Entry] = {}

    def begin(self, token: str) -> bool:
        """A run of session ``token`` starts; True when its workspaces were released since
        its last run (the session must forget them). Waits for a release under way."""
        with self._lock:
            entry = self._entries.setdefault(token, _Entry(self._clock()))
            was_released = entry.released
            entry.released = False
            entry.running += 1
            entry.last_seen = self._clock()
            return was_released

    def end(self, token: str, held: Iterable[Closeable]) -> None:
        """A run of session ``token`` ended, holding ``held`` (weakly: a session that is
        dropped still closes its workspaces when it is collected)."""
        with self._lock:
            entry = self._entries.setdefault(token, _Entry(self._clock()))
            entry.running = max(0, entry.running - 1)
            entry.last_seen = self._clock()
            entry.held = [weakref.ref(h) for h in held]

    def forget(self, token: str) -> None:
        """Session ``token`` has ended (``lifetime.end_of_session``): nothing of it is kept."""
        with self._lock:
            self._entries.pop(token, None)

    def release_idle(self, seconds: float) -> list[str]:
        """Close what sessions idle for more than ``seconds`` hold; forget sessions that are
        gone (nothing they held is alive). Returns the released sessions' tokens."""
        now = self._clock()
        released = []
        with self._lock:
            for token, entry in list(self._entries.items()):
                if entry.running:
                    continue
                alive = [h for h in (ref() for ref in entry.held) if h is not None]
                if not alive:
                    # What it held was collected (the session is gone), or it held nothing
                    # for a whole time-out: the entry goes (a later run starts a new one).
                    if entry.held or now - entry.last_seen > seconds:
                        del self._entries[token]
                    continue
                if entry.released or now - entry.last_seen <= seconds:
                    continue
                for held in alive:
                    try:
                        held.close()
                    except Exception:  # noqa: BLE001 - one bad close must not stop the others
                        log.warning("closing an idle session's workspace failed", exc_info=True)
                entry.released = True  # the (closed) workspaces stay referenced: it is alive
                released.append(token)
        return released

    def tracked(self) -> int:
        """Sessions the registry knows (for tests and the health page)."""
        with self._lock:
            return len(self._entries)


REGISTRY = Registry()
_reaper: threading.Thread | None = None
_reaper_lock = threading.Lock()


def start_reaper(registry: Registry = REGISTRY) -> None:
    """Start the thread that releases idle sessions (once per process; not when off)."""
    global _reaper
    minutes = idle_minutes()
    if minutes == 0:
        return
    with _reaper_lock:
        if _reaper is not None and _reaper.is_alive():
            return
        seconds = minutes * 60.0
        # Checked four times per time-out (at most every minute): a session is released
        # between its time-out and a quarter of it (a minute at most) later.
        period = min(60.0, seconds / 4)

        def loop() -> None:
            while True:
                time.sleep(period)
                released = registry.release_idle(seconds)
                if released:
                    log.info("released %d idle session(s)", len(released))

        _reaper = threading.Thread(target=loop, name="reltruth-idle-reaper", daemon=True)
        _reaper.start()
