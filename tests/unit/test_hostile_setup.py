"""Issue 13 outside the readers: the server's settings close what a table's toolbar would
download, sessions are dropped soon after their tab closes, stale demo folders go at start-up,
staged names never glob, impossible as-of dates are one line, the tab icon is local."""

from __future__ import annotations

import os
import time
import tomllib
from pathlib import Path

import pytest

from reltruth import workspace
from reltruth.errors import UserError
from reltruth.metrics import resolve_window
from reltruth.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]


def test_table_toolbars_offer_no_download() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["disableDataExport"] is True
    assert config["server"]["disconnectedSessionTTL"] <= 60


def test_the_tab_icon_is_a_local_file() -> None:
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    assert "page_icon=str(widgets.ICON)" in app
    assert (ROOT / "reltruth" / "ui" / "icon.png").stat().st_size > 0


@pytest.mark.parametrize("name", ["acts_*.csv", "a?.csv", "a[12].csv", "{a,b}.csv"])
def test_staged_names_hold_no_glob(name: str, tmp_path: Path) -> None:
    with Workspace.open(memory=True) as ws:
        (tmp_path / "acts_1.csv").write_text("x\n1\n")
        src = tmp_path / name
        src.write_text("Account ID,Account Name\nC1,North\n")
        staged = ws.stage_file(src)
        assert not set("*?[]{}") & set(staged.name)
        assert staged.read_text().startswith("Account ID")


def test_stale_demo_folders_are_removed_at_start(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(workspace, "_ram_dir", lambda: str(tmp_path))
    monkeypatch.setattr(workspace, "_STALE_CHECKED", False)
    dead = tmp_path / "reltruth-demo-999999999-abc"  # no such process
    alive = tmp_path / f"reltruth-demo-{os.getpid()}-abc"
    old = tmp_path / "reltruth-demo-oldstyle"
    recent = tmp_path / "reltruth-demo-recentstyle"
    for folder in (dead, alive, old, recent):
        folder.mkdir()
        (folder / "upload.csv").write_text("x")
    day_ago = time.time() - 2 * 24 * 3600
    os.utime(old, (day_ago, day_ago))
    with Workspace.open(memory=True) as ws:
        assert ws.staging_dir.name.startswith(f"reltruth-demo-{os.getpid()}-")
    assert not dead.exists() and not old.exists()
    assert alive.exists() and recent.exists()  # a live process's, and maybe in use


@pytest.mark.parametrize("as_of", ["0001-01-01", "9999-12-31"])
def test_an_impossible_as_of_date_is_one_line(as_of: str) -> None:
    with (
        Workspace.open(memory=True) as ws,
        pytest.raises(UserError, match="not a usable as-of date"),
    ):
        resolve_window(ws, as_of=as_of)
