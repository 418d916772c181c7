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
