"""Fixtures of the AppTest tests: a fresh browser session of the app on a workspace file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from apptest_helpers import APP, TIMEOUT
from streamlit.testing.v1 import AppTest


@pytest.fixture
def make_app(workspace_path: Path) -> Callable[[], AppTest]:
    """A fresh browser session of the app on ``workspace_path`` (already run once)."""

    def make() -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
        at.run()
        return at

    return make


@pytest.fixture(autouse=True)
def navigation_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every AppTest run the way a server runs once st.navigation has been called.

    AppTest starts each run in Streamlit's old pages-directory mode (there is a pages/
    folder beside app.py), which runs a page's script without app.py; the pages then rerun
    through app.py (``session.require_entrypoint``), and that rerun drops a button click
    of the run. A real server leaves the mode for good after its first st.navigation call;
    the browser test covers the first, direct request.
    """
    from streamlit.runtime import pages_manager

    class NavigationPagesManager(pages_manager.PagesManager):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            pages_manager.PagesManager.uses_pages_directory = False

    monkeypatch.setattr("streamlit.testing.v1.app_test.PagesManager", NavigationPagesManager)
