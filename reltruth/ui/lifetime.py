"""The session's lifetime: the entry point every run goes through, the idle release, the end.

Why a module of its own: a session's workspaces must be closed when it ends, or when it has
been idle past the time-out, explicitly and not by the garbage collector (docs/app.md,
'Sessions and modes'); and a page must never run without ``app.py`` around it. ``app.py``
runs each page inside ``routed()``; every page's first line is ``require_entrypoint()``.
What the session holds is ``session``'s; this module only opens and closes its lifetime.
"""

from __future__ import annotations

import runpy
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from reltruth import site
from reltruth.ui import idle
from reltruth.ui.session import (
    ANON_KEY,
    ANON_WS_KEY,
    GATE_KEY,
    IDLE_TOKEN_KEY,
    PRINCIPAL_KEY,
    SOURCE_KEY,
    WS_KEY,
    mode,
)
from reltruth.workspace import Workspace

# --- the entry point ------------------------------------------------------------------------
# Streamlit runs a script of pages/ directly, without app.py, when the first request a fresh
# server gets is a page's URL: with a pages/ folder beside the entry point it starts in its
# old pages-directory mode and leaves it only once some run has called st.navigation (AppTest
# starts every run in that mode). Such a run would miss the sidebar and the session set-up.
# A page that finds it was not run by app.py runs app.py itself, in this same run: app.py's
# st.navigation (public API, which also ends the old mode) resolves the same URL to the same
# page and runs it inside ``routed()``; the outer run then stops. No rerun, so a button click
# of the run is kept, and nothing of Streamlit's internals is touched.
APP_PY = site.app_script()
_route = threading.local()


@contextmanager
def routed() -> Iterator[None]:
    """app.py runs the sidebar and the chosen page inside this: the page knows the entry
    point ran, and the session is busy (never released as idle) until the run ends."""
    _route.active = True
    idle.start_reaper()
    token = st.session_state.setdefault(IDLE_TOKEN_KEY, uuid.uuid4().hex)
    lifetime = _lifetime(token)
    try:
        if idle.REGISTRY.begin(token):
            _forget_released()
        yield
    finally:
        held = _held()
        lifetime.held = held
        idle.REGISTRY.end(token, held)
        _route.active = False


# --- the session's lifetime -----------------------------------------------------------------
# What a session opened is closed when Streamlit ends the session (its connection gone for
# ``server.disconnectedSessionTTL``), explicitly: a session-scoped resource whose release
# closes the workspaces the session held at the end of its last run (the demo database's
# memory and the staged uploads go with them). Nothing waits for the garbage collector.


class SessionLifetime:
    """What one browser session holds open, closed when the session ends."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.held: list[Workspace] = []

    def end(self) -> None:
        """Close everything held (safe twice: closing a workspace twice does nothing)."""
        for ws in self.held:
            ws.close()
        self.held = []
        idle.REGISTRY.forget(self.token)


def end_of_session(lifetime: SessionLifetime) -> None:
    """Streamlit's release of a session's resources: runs on a server thread after the
    session ended, so it reads nothing of the session's state."""
    lifetime.end()


@st.cache_resource(scope="session", on_release=end_of_session, show_spinner=False)
def _lifetime(token: str) -> SessionLifetime:
    return SessionLifetime(token)


def _minutes(n: int) -> str:
    return "1 minute" if n == 1 else f"{n} minutes"


def _held() -> list[Workspace]:
    """The workspaces this session holds open: what an idle time-out releases."""
    cached = st.session_state.get(ANON_WS_KEY)
    held = [st.session_state.get(WS_KEY), st.session_state.get(SOURCE_KEY)]
    return [w for w in [*held, cached[1] if cached else None] if w is not None]


def _forget_released() -> None:
    """The session was idle past the time-out and its workspaces were closed (``idle``):
    everything derived from them goes; a workspace file is opened again on first use, a
    demo session starts empty and says why."""
    for key in (WS_KEY, SOURCE_KEY, ANON_WS_KEY):
        st.session_state.pop(key, None)
    for name in [str(k) for k in st.session_state]:
        if name.startswith(("_reltruth", "sidebar_", "sheet_", "time_")) and name not in (
            PRINCIPAL_KEY,
            GATE_KEY,
            ANON_KEY,
        ):
            st.session_state.pop(name, None)
    if mode() == "demo":
        st.info(
            f"This session was idle for more than {_minutes(idle.idle_minutes())}, so the data "
            "it held was released from the server's memory. Load your files or the sample "
            "again to continue.",
            icon=":material/hourglass_disabled:",
        )


def require_entrypoint() -> None:
    """First line of every page: go through app.py when this run did not start there."""
    if getattr(_route, "active", False):
        return
    runpy.run_path(str(APP_PY), run_name="__main__")
    st.stop()
