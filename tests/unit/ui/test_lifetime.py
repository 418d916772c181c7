"""A session's lifetime: what it held is closed when Streamlit ends it, not when collected."""

from __future__ import annotations

from pathlib import Path

from reltruth.ui import idle, lifetime
from reltruth.workspace import Workspace, is_open


def test_the_end_of_a_session_closes_what_it_held(tmp_path: Path) -> None:
    demo = Workspace.open(memory=True)
    local = Workspace.open(tmp_path / "team.duckdb")
    session_lifetime = lifetime.SessionLifetime("token-1")
    session_lifetime.held = [demo, local]
    idle.REGISTRY.end("token-1", session_lifetime.held)  # the session has run once
    staged = demo.staging_dir
    assert staged.exists() and is_open(tmp_path / "team.duckdb")

    lifetime.end_of_session(session_lifetime)  # what Streamlit calls when the session ends

    assert not staged.exists()
    assert not is_open(tmp_path / "team.duckdb")
    assert idle.REGISTRY.begin("token-1") is False  # forgotten: a new entry, never released
    lifetime.end_of_session(session_lifetime)  # twice is harmless
