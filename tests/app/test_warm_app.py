"""A warm app (issue 19): the metrics of a workspace file are computed once for every
session of the server and several windows are kept, a demo session's never leave it, and
download bytes are made only when a download is asked for."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from apptest_helpers import APP, TIMEOUT, open_page
from streamlit.testing.v1 import AppTest

from reltruth import export, metrics, sample
from reltruth.ui import session, widgets

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The windows ``metrics.compute`` ran for, from now on; the shared cache starts empty."""
    calls: list[object] = []
    compute = metrics.compute

    def counting(ws, window, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(window)
        return compute(ws, window, *args, **kwargs)

    monkeypatch.setattr(metrics, "compute", counting)
    monkeypatch.setattr(session, "_SHARED", [])
    return calls


def _close(*apps: AppTest) -> None:
    for at in apps:  # as a browser session going away: its connection closes
        at.session_state[session.WS_KEY].close()


def test_sessions_of_one_workspace_share_its_metrics_and_keep_several_windows(
    sample_workspace, make_app: Callable[[], AppTest], computed: list[object]
) -> None:
    first = open_page(make_app(), "pages/team.py")
    assert len(computed) == 1
    second = open_page(make_app(), "pages/team.py")  # a second tab, or a reload
    assert len(computed) == 1
    open_page(second, "pages/discounts.py")
    assert len(computed) == 1
    # 12 -> 6 -> 12 months: the 12 months are still there.
    first.segmented_control(key="sidebar_months").set_value(6).run()
    assert len(computed) == 2
    first.segmented_control(key="sidebar_months").set_value(12).run()
    second.segmented_control(key="sidebar_months").set_value(6).run()
    assert len(computed) == 2
    assert not first.exception and not second.exception
    _close(first, second)


def test_demo_sessions_never_share_metrics(
    monkeypatch: pytest.MonkeyPatch, computed: list[object]
) -> None:
    monkeypatch.setenv("RELTRUTH_MODE", "demo")
    monkeypatch.chdir(ROOT)
    apps = []
    for _ in range(2):
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
        at.run()
        sample.load_canonical(at.session_state[session.WS_KEY])
        apps.append(open_page(at, "pages/team.py"))
    # The same sample in both, yet each session computed its own.
    assert len(computed) == 2
    assert session._SHARED == []
    open_page(apps[0], "pages/discounts.py")
    assert len(computed) == 2  # kept in the session
    _close(*apps)


def test_downloads_are_made_only_when_asked_for(
    sample_workspace, make_app: Callable[[], AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.runtime.media_file_manager import MediaFileManager

    made: list[int] = []
    to_csv = export.to_csv_bytes

    def counting(frame):  # type: ignore[no-untyped-def]
        made.append(len(frame))
        return to_csv(frame)

    monkeypatch.setattr(widgets, "to_csv_bytes", counting)
    deferred: list[Callable[[], object]] = []
    add_deferred = MediaFileManager.add_deferred

    def recording(self, data_callable, *args, **kwargs):  # type: ignore[no-untyped-def]
        deferred.append(data_callable)
        return add_deferred(self, data_callable, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", recording)
    at = open_page(make_app(), "pages/discounts.py")
    offered = at.get("download_button")
    assert offered, "the Discounts page offers CSV downloads"
    assert made == []  # no CSV built while the page ran
    assert len(deferred) >= len(offered)
    blobs = [d() for d in deferred]
    csvs = [b for b in blobs if isinstance(b, bytes) and b.startswith(b"\xef\xbb\xbf")]
    assert csvs and len(made) == len(csvs)  # made on the click, through the sanitiser
    _close(at)


def test_a_revisit_reuses_the_page_view_until_the_window_or_scope_changes(
    sample_workspace, make_app: Callable[[], AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    from reltruth.views import discounts

    built: list[tuple[str, ...]] = []
    discounts_view = discounts.discounts_view

    def counting(m, rep_ids, *args, **kwargs):  # type: ignore[no-untyped-def]
        built.append(tuple(rep_ids))
        return discounts_view(m, rep_ids, *args, **kwargs)

    monkeypatch.setattr(discounts, "discounts_view", counting)
    at = open_page(make_app(), "pages/discounts.py")
    shown = at.metric[0].value
    assert len(built) == 1
    open_page(at, "pages/team.py")
    open_page(at, "pages/discounts.py")
    assert len(built) == 1  # the revisit drew the view it had
    assert at.metric[0].value == shown
    at.segmented_control(key="sidebar_months").set_value(6).run()
    assert len(built) == 2  # another window: other metrics, a new view
    open_page(at, "pages/discounts.py", sidebar_rep=built[0][0])
    assert len(built) == 3 and built[-1] == (built[0][0],)  # another scope: a new view
    assert not at.exception
    _close(at)
