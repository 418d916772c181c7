"""Idle sessions give back their workspace (reltruth/ui/idle.py), on a clock of the test's."""

from __future__ import annotations

import gc

import pytest

from reltruth.errors import UserError
from reltruth.ui import idle
from reltruth.workspace import Workspace


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _staged(ws: Workspace) -> None:
    ws.stage_bytes(b"Account,Potential\nNorthwind,1\n", "accounts.csv")
    assert any(ws.staging_dir.iterdir())


def test_an_idle_session_is_released_and_learns_it_on_its_next_run() -> None:
    clock = Clock()
    registry = idle.Registry(clock)
    ws = Workspace.open(memory=True)
    _staged(ws)
    assert registry.begin("s1") is False
    registry.end("s1", [ws])
    clock.now += 599
    assert registry.release_idle(600) == []
    assert ws.con.execute("select 1").fetchall() == [(1,)]
    clock.now += 2
    assert registry.release_idle(600) == ["s1"]
    # memory and staged uploads given back: the connection is closed, the folder gone
    assert not ws.staging_dir.exists()
    with pytest.raises(Exception, match="(?i)closed"):
        ws.con.execute("select 1")
    assert registry.release_idle(600) == []  # released once
    assert registry.begin("s1") is True
    registry.end("s1", [])
    assert registry.begin("s1") is False


def test_a_running_session_is_never_released() -> None:
    clock = Clock()
    registry = idle.Registry(clock)
    ws = Workspace.open(memory=True)
    registry.begin("busy")
    registry.end("busy", [ws])
    registry.begin("busy")  # a long import: the run started and has not ended
    clock.now += 10_000
    assert registry.release_idle(600) == []
    assert ws.con.execute("select 1").fetchall() == [(1,)]
    registry.end("busy", [ws])
    ws.close()


def test_a_session_that_is_gone_is_forgotten() -> None:
    clock = Clock()
    registry = idle.Registry(clock)
    ws = Workspace.open(memory=True)
    registry.begin("gone")
    registry.end("gone", [ws])  # held weakly: the session's state is what keeps it
    staging = ws.staging_dir
    del ws
    gc.collect()
    assert not staging.exists()  # collected with its session, closed by its finalizer
    assert registry.release_idle(600) == []
    assert registry.tracked() == 0


def test_the_time_out_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(idle.ENV, raising=False)
    assert idle.idle_minutes() == idle.DEFAULT_MINUTES == 30
    monkeypatch.setenv(idle.ENV, "5")
    assert idle.idle_minutes() == 5
    monkeypatch.setenv(idle.ENV, "0")
    assert idle.idle_minutes() == 0
    monkeypatch.setenv(idle.ENV, "ten")
    with pytest.raises(UserError, match="RELTRUTH_IDLE_MINUTES must be a whole number"):
        idle.idle_minutes()


def test_the_reaper_runs_only_when_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(idle, "_reaper", None)
    monkeypatch.setenv(idle.ENV, "0")
    idle.start_reaper(idle.Registry())
    assert idle._reaper is None
    monkeypatch.setenv(idle.ENV, "30")
    idle.start_reaper(idle.Registry())
    thread = idle._reaper
    assert thread is not None and thread.is_alive() and thread.daemon
    idle.start_reaper(idle.Registry())
    assert idle._reaper is thread  # one per process
