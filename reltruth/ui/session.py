"""One browser session's workspace, window, filters and metrics.

Why a module of its own: uploaded data must never leak between browser sessions (docs/app.md,
'Sessions and modes'), so everything a session holds lives in ``st.session_state`` and nothing of it in
``st.cache_data`` / ``st.cache_resource`` (which are shared by every session of the server),
except the session-scoped ``SessionLifetime`` that closes what the session held when it ends
(``lifetime.py``, with the entry point every run goes through).
The pages ask this module for the workspace, the window, the selected team and rep and the
computed metrics, and never open a connection or compute metrics themselves.

Modes (``$RELTRUTH_MODE``): ``local`` (default) opens a connection of this session to the
workspace file (``$RELTRUTH_WORKSPACE`` or ``.reltruth/workspace.duckdb``); ``demo`` gives
each session its own in-memory workspace, so a workshop server keeps visitors apart;
``team`` opens the signed-in member's workspace under the team data folder and hands the
pages only what the member's principal may see (``reltruth.access``): a rep's session gets
metrics and a workspace copy holding the rep's own rows, whatever a page asks for.

Metrics are computed once per (workspace, data version, window, settings). The data version
is the workspace's own (``Workspace.data_version``), bumped in the same transaction by every
import, undo, estimate or clear of any session or process, so a tab whose workspace another
tab (or the CLI) changed computes afresh on its next rerun. In local and team mode the
workspace file is shared by design (every session of it sees the same data), so its metrics
are kept for every session of the server (``_SHARED``, keyed on the file's identity: a
second tab or a reload does not compute them again, issue 19); a demo session's in-memory
workspace and an anonymised copy are a session's own, and so are their metrics. Several
windows are kept, so switching back to one is immediate.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Hashable
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import streamlit as st

from reltruth import access, team
from reltruth import settings as settings_store
from reltruth.errors import UserError
from reltruth.team import Principal
from reltruth.workspace import Workspace

if TYPE_CHECKING:
    from reltruth.ingest import LoadReport
    from reltruth.metrics import Metrics, Window
    from reltruth.workshop.anonymise import Options as AnonymiseOptions

MODES = ("local", "demo", "team")
WINDOW_MONTHS = (3, 6, 12)

# Session-state keys. The sidebar widgets' keys are public: the tests and the pages target them.
WS_KEY = "_reltruth_workspace"
SOURCE_KEY = "_reltruth_source_workspace"  # team mode: the whole workspace file (never a page's)
PRINCIPAL_KEY = "_reltruth_principal"  # as linked to a rep of the workspace
GATE_KEY = "_reltruth_gate_principal"  # as the sign-in gate found it
VERSION_KEY = "_reltruth_data_version"
METRICS_KEY = "_reltruth_metrics"
REPORT_KEY = "_reltruth_last_report"
AS_OF_KEY = "sidebar_as_of"
MONTHS_KEY = "sidebar_months"
TEAM_KEY = "sidebar_team"
REP_KEY = "sidebar_rep"
PENDING_REP_KEY = "_reltruth_pending_rep"
IDLE_TOKEN_KEY = "_idle_session_token"  # reltruth.ui.idle's name for this session
ALL = "__all__"  # the "all teams" / "all reps" choice of the pickers


def mode() -> str:
    """``local``, ``demo`` or ``team``; anything else is a configuration mistake worth saying so."""
    value = os.environ.get("RELTRUTH_MODE", "local").strip().lower() or "local"
    if value not in MODES:
        raise UserError(f"RELTRUTH_MODE must be 'local', 'demo' or 'team', not {value!r}.")
    return value


def principal() -> Principal | None:
    """Team mode: who this session acts for (set by the sign-in gate); None elsewhere."""
    return st.session_state.get(PRINCIPAL_KEY)


def set_principal(p: Principal | None) -> None:
    """The gate's answer for this run. A change of member or workspace forgets everything
    the session held of the old one, so nothing of it can show under the new one."""
    if GATE_KEY in st.session_state and st.session_state[GATE_KEY] == p:
        return
    for key in (WS_KEY, SOURCE_KEY):
        old = st.session_state.get(key)
        if old is not None:
            old.close()
    for name in [str(k) for k in st.session_state]:
        if name.startswith(("_reltruth", "sidebar_", "sheet_", "time_")):
            st.session_state.pop(name, None)
    st.session_state[GATE_KEY] = p
    st.session_state[PRINCIPAL_KEY] = p


def _source_workspace() -> Workspace:
    """The whole workspace of this session: the metrics are computed on it. In team mode
    it is the principal's workspace file, which a page gets only when a manager asks."""
    if mode() != "team":
        ws = st.session_state.get(WS_KEY)
        if ws is None:
            ws = Workspace.open(memory=True) if mode() == "demo" else Workspace.open()
            st.session_state[WS_KEY] = ws
        return ws
    ws = st.session_state.get(SOURCE_KEY)
    if ws is None:
        p = principal()
        if p is None or not p.workspace:
            raise access.AccessDenied("Sign in as a member of a workspace to see its data.")
        ws = Workspace.open(team.workspace_path(p.workspace))
        st.session_state[PRINCIPAL_KEY] = access.link_rep(ws, p)
        st.session_state[SOURCE_KEY] = ws
    return ws


def has_workspace() -> bool:
    """Whether this session has a workspace to show (team mode: not an admin outside one)."""
    if mode() != "team":
        return True
    p = principal()
    return p is not None and bool(p.workspace)


def workspace_label(ws: Workspace) -> str:
    """Where the data lives, as the sidebar says it (team mode: the name, not the path)."""
    if mode() == "team":
        p = principal()
        return f"workspace {p.workspace}" if p is not None else ""
    return "in memory (demo)" if ws.path is None else str(ws.path)


def open_workspace() -> Workspace:
    """This session's workspace, opened on first use and kept in its session state.

    Team mode: a manager's is the workspace file; a rep's is a private copy of their own
    rows (``access.scoped_workspace``), made again when the file's data version moves.
    """
    source = _source_workspace()
    if mode() != "team":
        return source
    p = principal()
    if access.sees_everything(p):
        return source
    ws = st.session_state.get(WS_KEY)
    if ws is None or ws.data_version() != source.data_version():
        if ws is not None:
            ws.close()
        ws = access.scoped_workspace(source, p)
        st.session_state[WS_KEY] = ws
    return ws


def workspace() -> Workspace:
    """The workspace for a page that needs data: stops the page with a friendly note and a
    "Load the sample data" button while the workspace is empty. While anonymise is on, the
    anonymised copy (``view()``)."""
    ws = open_workspace()
    if ws.is_empty():
        empty_state("This page needs data: accounts, activities and orders.", key="empty")
        st.stop()
    return view()


# --- anonymise ------------------------------------------------------------------------------
# While anonymise is on, every page, chart, download and sheet reads an anonymised in-memory
# copy of this session's workspace (reltruth.workshop.anonymise), made once per data version
# and options; the real workspace is never written to. Imports still go to the real one.
ANON_KEY = "_reltruth_anonymise"
ANON_WS_KEY = "_reltruth_anonymised_workspace"


def anonymise_options() -> AnonymiseOptions | None:
    """The anonymise options, or None while it is off."""
    return st.session_state.get(ANON_KEY)


def set_anonymise(options: AnonymiseOptions | None) -> None:
    """Turn anonymise on (with ``options``) or off; what was derived from the data goes."""
    if options == anonymise_options():
        return
    if options is None:
        st.session_state.pop(ANON_KEY, None)
    else:
        st.session_state[ANON_KEY] = options
    _drop_anonymised()
    _forget_derived()
    st.session_state.pop(PENDING_REP_KEY, None)


def _drop_anonymised() -> None:
    cached = st.session_state.pop(ANON_WS_KEY, None)
    if cached is not None:
        cached[1].close()


def _whole() -> Workspace:
    """What the window and the metrics are computed on: the whole workspace (in team mode
    also for a rep, whose metrics are cut afterwards), or its anonymised copy."""
    return view() if anonymise_options() is not None else _source_workspace()


def view() -> Workspace:
    """The workspace the pages read: the real one, or its anonymised copy (made again when
    the data, the options or the settings, which the copy carries, change)."""
    options = anonymise_options()
    real = open_workspace()
    if options is None:
        return real
    key = (data_version(), options, settings())
    cached = st.session_state.get(ANON_WS_KEY)
    if cached is not None and cached[0] == key:
        return cached[1]  # type: ignore[no-any-return]
    from reltruth.workshop import anonymise

    _drop_anonymised()
    with st.spinner("Anonymising the data…"):
        copy, aliases = anonymise.anonymised_copy(real, options)
    st.session_state[ANON_WS_KEY] = (key, copy, aliases)
    return copy


def empty_state(lead: str, *, key: str) -> None:
    """What an empty workspace says: what to upload, and the one-click sample."""
    st.info(
        f"{lead} Upload your CRM and ERP exports (users, accounts, activities, invoice or "
        "order lines as CSV, Excel or Parquet) on the Data page, or try the built-in sample "
        "of eight reps and about 300 accounts."
    )
    left, right = st.columns([1, 3])
    if left.button("Load the sample data", key=f"{key}_load_sample", type="primary"):
        load_sample()
        st.rerun()
    right.page_link("pages/data.py", label="Go to the Data page", icon=":material/upload:")


def data_version() -> int:
    """The version of the workspace's data, whoever changed it last."""
    return open_workspace().data_version()


def bump_data_version() -> None:
    """After this session changed the data (the workspace has bumped its version already):
    forget what this session derived from the old data."""
    _forget_derived()
    st.session_state[VERSION_KEY] = data_version()


def follow_data_version() -> None:
    """Once per run, before the window is drawn: when the data changed since this session
    last looked (another tab's or the CLI's import), the derived defaults go as well."""
    current = data_version()
    if st.session_state.get(VERSION_KEY) != current:
        if VERSION_KEY in st.session_state:
            _forget_derived()
        st.session_state[VERSION_KEY] = current


def _forget_derived() -> None:
    st.session_state.pop(METRICS_KEY, None)
    # The as-of date defaults to the latest date in the data: forget the old default.
    st.session_state.pop(AS_OF_KEY, None)
    st.session_state.pop("_reltruth_kept_" + AS_OF_KEY, None)


def load_sample() -> LoadReport:
    """The built-in sample through the real ingestion path; the report is kept for the
    Data page."""
    from reltruth import sample

    ws = open_workspace()
    with st.spinner("Loading the sample data…"):
        report = sample.load_sample(ws)
    st.session_state[REPORT_KEY] = report
    bump_data_version()
    return report


def estimate_potentials(rule: str, value: float | dict[str, float]) -> int:
    """Fill missing potentials by ``rule`` (``reltruth.ingest.potential``); the metrics of
    this session are computed afresh."""
    from reltruth.ingest import potential

    n = potential.estimate_potentials(open_workspace(), rule, value)
    bump_data_version()
    return n


def clear_workspace() -> None:
    open_workspace().clear()
    st.session_state.pop(REPORT_KEY, None)
    bump_data_version()


def settings() -> settings_store.Settings:
    # The real workspace's: the Settings page saves there (an anonymised copy is made
    # again when they change, see view()).
    return settings_store.load(open_workspace().con)


def default_window() -> Window:
    """The window with as-of = the latest date in the data and the stored length."""
    from reltruth import metrics as metrics_engine

    return metrics_engine.resolve_window(_whole(), None, settings().window_months)


def data_span() -> tuple[date, date] | None:
    """(earliest, latest) date in the data: the bounds of the as-of picker."""
    from reltruth.metrics.window import data_span as span_of

    return span_of(open_workspace())


def window() -> Window:
    """The window the sidebar selected (as-of date and 3 / 6 / 12 months)."""
    from reltruth import metrics as metrics_engine

    ws = _whole()
    as_of = st.session_state.get(AS_OF_KEY)
    months = st.session_state.get(MONTHS_KEY) or settings().window_months
    if isinstance(as_of, date):
        return metrics_engine.Window(as_of=as_of, months=int(months))
    return metrics_engine.resolve_window(ws, None, int(months))


def selected_team() -> str | None:
    team = st.session_state.get(TEAM_KEY)
    return None if team in (None, ALL) else str(team)


def selected_rep() -> str | None:
    """The rep id picked in the sidebar (or by a link on the Team page), None for all."""
    # A rep chosen by a link on another page wins until the sidebar has taken it over.
    rep = st.session_state.get(PENDING_REP_KEY) or st.session_state.get(REP_KEY)
    return None if rep in (None, ALL) else str(rep)


def select_rep(rep_id: str) -> None:
    """Point the sidebar rep picker at ``rep_id`` (before ``st.switch_page``).

    The sidebar widget has already been drawn in this run, so its key cannot be written
    now; the wish is parked and applied before the picker is drawn in the next run.
    """
    st.session_state[PENDING_REP_KEY] = str(rep_id)


def apply_pending_selection() -> None:
    """Called by the sidebar before it draws the pickers (see ``select_rep``)."""
    pending = st.session_state.pop(PENDING_REP_KEY, None)
    if pending is not None:
        st.session_state[REP_KEY] = pending
        st.session_state[TEAM_KEY] = ALL


# Metrics of workspace files, for every session of the server (see the module docstring):
# [(key, metrics)], most recently used last. Keys hold Settings, which compare but do not
# hash, hence a short list rather than a dict.
SHARED_KEEP = 8  # a few windows of a few workspaces (a scale-100 Metrics is ~30 MB)
SESSION_KEEP = 4  # windows a demo / anonymised session keeps
_SHARED: list[tuple[tuple[Any, ...], Metrics]] = []
_SHARED_LOCK = threading.Lock()


def _file_identity(ws: Workspace) -> tuple[str, int] | None:
    """The workspace file as it is on disk (path and inode: a file deleted and made again
    starts its data version afresh), None for a session's own in-memory workspace."""
    if ws.path is None:
        return None
    try:
        return (str(ws.path.resolve()), ws.path.stat().st_ino)
    except OSError:
        return None


def _recall(entries: list[tuple[tuple[Any, ...], Metrics]], key: tuple[Any, ...]) -> Metrics | None:
    for i, (k, m) in enumerate(entries):
        if k == key:
            entries.append(entries.pop(i))
            return m
    return None


def _keep(
    entries: list[tuple[tuple[Any, ...], Metrics]], key: tuple[Any, ...], m: Metrics, keep: int
) -> None:
    entries.append((key, m))
    del entries[:-keep]


def metrics() -> Metrics:
    """The metrics of this session's window, computed once per (workspace, data, window,
    settings) and shared by the sessions of one workspace file (not in demo mode).

    Team mode: computed on the whole workspace (tiers and medians are the team's), kept
    whole, and cut to what the principal may see before any page gets them."""
    from reltruth import metrics as metrics_engine

    ws = _whole()
    win = window()
    current = settings()
    identity = _file_identity(ws) if mode() != "demo" else None
    key: tuple[Any, ...] = (identity, data_version(), win, current)
    if identity is not None:
        with _SHARED_LOCK:
            m = _recall(_SHARED, key)
    else:
        own: list[tuple[tuple[Any, ...], Metrics]] = st.session_state.setdefault(METRICS_KEY, [])
        key = (*key, anonymise_options())
        m = _recall(own, key)
    if m is None:
        with st.spinner(f"Computing the metrics for {win.label}…"):
            m = metrics_engine.compute(ws, win, current)
        if identity is not None:
            with _SHARED_LOCK:
                _keep(_SHARED, key, m, SHARED_KEEP)
        else:
            _keep(own, key, m, SESSION_KEEP)
    if mode() == "team":
        m = access.scope_metrics(m, principal())
    return m


VIEWS_KEY = "_reltruth_views"
T = TypeVar("T")


def kept_view(name: str, m: Metrics, key: tuple[Hashable, ...], build: Callable[[], T]) -> T:
    """``build()``, a page's view of the metrics ``m``, kept for this session while ``m`` is
    the same object and ``key`` (the page's other inputs) is equal.

    Views are pure functions of the metrics (``reltruth.views``), and a rerun that changes
    neither (a revisit, a click in a table) would build the same frames again: 0.35 s of every
    Discounts run at 30,000 accounts. The views kept are those of one metrics object: a new
    window or new data give a new ``m``, and the views of the old one are let go with it."""
    kept: tuple[Metrics, dict[str, tuple[tuple[Hashable, ...], Any]]] | None = st.session_state.get(
        VIEWS_KEY
    )
    if kept is None or kept[0] is not m:
        kept = (m, {})
        st.session_state[VIEWS_KEY] = kept
    views = kept[1]
    if name in views and views[name][0] == key:
        return views[name][1]  # type: ignore[no-any-return]
    value = build()
    views[name] = (key, value)
    return value


def last_report() -> LoadReport | None:
    return st.session_state.get(REPORT_KEY)


def set_last_report(report: LoadReport | None) -> None:
    st.session_state[REPORT_KEY] = report


def currency() -> str:
    """The reporting currency code of the orders ("" when they do not say: amounts are then
    shown without a symbol rather than in a currency that may be wrong), per data version."""
    cached = st.session_state.get("_reltruth_currency")
    if cached is not None and cached[0] == data_version():
        return str(cached[1])
    from reltruth.coaching.gather import reporting_currency

    code = reporting_currency(open_workspace()) or ""
    st.session_state["_reltruth_currency"] = (data_version(), code)
    return code
