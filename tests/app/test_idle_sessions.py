"""A demo session left idle past RELTRUTH_IDLE_MINUTES gives back its workspace (its
in-memory database and staged uploads) and, on its next run, starts empty and says why."""

from __future__ import annotations

import pytest
from apptest_helpers import ROOT, TIMEOUT
from streamlit.testing.v1 import AppTest

from reltruth.ui import idle
from reltruth.ui.session import WS_KEY


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_an_idle_demo_session_is_released_then_starts_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RELTRUTH_MODE", "demo")
    monkeypatch.setenv(idle.ENV, "10")
    clock = Clock()
    registry = idle.Registry(clock)  # this test's sessions only, on this test's clock
    monkeypatch.setattr(idle, "REGISTRY", registry)
    monkeypatch.setattr(idle, "start_reaper", lambda: None)  # this test releases, not a thread
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    users = (ROOT / "sample_data" / "users.csv").read_bytes()
    at.file_uploader(key="data_upload").set_value([("users.csv", users, "text/csv")])
    at.run()
    at.button(key="data_load").click()
    at.run()
    assert not at.exception, at.exception
    ws = at.session_state[WS_KEY]
    assert ws.counts()["reps"] == 8
    staged = ws.staging_dir
    assert any(staged.rglob("*")), "the upload was staged"

    clock.now += 9 * 60  # within the time-out: kept
    assert registry.release_idle(idle.idle_minutes() * 60) == []
    clock.now += 2 * 60
    assert len(registry.release_idle(idle.idle_minutes() * 60)) == 1
    assert not staged.exists(), "the idle session's staged uploads are deleted"
    with pytest.raises(Exception, match="(?i)closed"):
        ws.con.execute("select 1")

    at.run()  # the visitor comes back
    assert not at.exception, at.exception
    assert any("idle for more than 10 minutes" in i.value for i in at.info)
    fresh = at.session_state[WS_KEY]
    assert fresh is not ws and fresh.counts()["reps"] == 0
    at.run()  # said once
    assert not any("idle for more than" in i.value for i in at.info)
    fresh.close()
