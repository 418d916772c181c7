"""Shared fixtures: a workspace on a temp file, the same with the sample loaded, and a
running ``streamlit run app.py`` on a free port for the browser tests.

One fixture builder serves the unit, app and browser tests, so they all look at the same
data (the built-in sample through its fast path, ``sample.load_canonical``).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from reltruth.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
STREAMLIT = Path(sys.executable).with_name("streamlit")
# No idle time-out in a test run (a whole run takes half an hour: a shared app session of a
# module could be released between its tests). The idle tests drive the release themselves
# (tests/unit/ui/test_idle.py, tests/app/test_idle_sessions.py); the servers the browser
# tests start inherit this.
os.environ["RELTRUTH_IDLE_MINUTES"] = "0"


@pytest.fixture
def workspace_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh workspace file, made the app's workspace (``RELTRUTH_WORKSPACE``, local mode)."""
    path = tmp_path / "workspace.duckdb"
    monkeypatch.setenv("RELTRUTH_WORKSPACE", str(path))
    monkeypatch.setenv("RELTRUTH_MODE", "local")
    return path


@pytest.fixture
def empty_workspace(workspace_path: Path) -> Iterator[Workspace]:
    """An open, empty workspace on ``workspace_path``."""
    ws = Workspace.open(workspace_path)
    try:
        yield ws
    finally:
        ws.close()


@pytest.fixture
def sample_workspace(workspace_path: Path) -> Iterator[Workspace]:
    """The built-in sample (eight reps, about 300 accounts) loaded into ``workspace_path``."""
    from reltruth import sample

    ws = Workspace.open(workspace_path)
    try:
        sample.load_canonical(ws)
        yield ws
    finally:
        ws.close()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    """Poll Streamlit's own health endpoint until it answers ``ok``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.2)  # polling interval, not a wait for readiness
    raise TimeoutError(f"streamlit did not become healthy at {url}")


def start_streamlit(
    workspace: Path,
    *,
    mode: str = "local",
    port: int | None = None,
    env: dict[str, str] | None = None,
    args: tuple[str, ...] = (),
) -> tuple[subprocess.Popen[bytes], str]:
    """``streamlit run app.py`` on a free port (or ``port``) against ``workspace``, with
    ``env`` added to the environment and ``args`` to the command; returns (process, url)."""
    port = port or free_port()
    env = {
        **os.environ,
        "RELTRUTH_WORKSPACE": str(workspace),
        "RELTRUTH_MODE": mode,
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        **(env or {}),
    }
    proc = subprocess.Popen(
        [
            str(STREAMLIT),
            "run",
            str(ROOT / "app.py"),
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.fileWatcherType",
            "none",
            "--browser.gatherUsageStats",
            "false",
            *args,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
    except BaseException:
        stop(proc)
        raise
    return proc, url


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop one server this test run started (by its own process handle)."""
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


@pytest.fixture
def run_streamlit() -> Iterator[Callable[..., str]]:
    """Factory: ``run_streamlit(workspace_path, mode="local")`` starts ``streamlit run app.py``
    on a free port and returns its URL; every server it started is stopped afterwards."""
    started: list[subprocess.Popen[bytes]] = []

    def run(workspace: Path, *, mode: str = "local", **options: Any) -> str:
        proc, url = start_streamlit(workspace, mode=mode, **options)
        started.append(proc)
        return url

    try:
        yield run
    finally:
        for proc in started:
            stop(proc)


@pytest.fixture(scope="session")
def server_tools() -> SimpleNamespace:
    """The server helpers for tests that run servers of their own (wider scopes, other
    processes): ``free_port()``, ``start_streamlit(...)``, ``stop(proc)``,
    ``wait_healthy(url, proc)``. A fixture, since
    ``from conftest import ...`` is ambiguous where several folders have a conftest."""
    return SimpleNamespace(
        free_port=free_port, start_streamlit=start_streamlit, stop=stop, wait_healthy=wait_healthy
    )


SHARED_DATASETS = ROOT.parent / "shared" / "datasets"


@pytest.fixture(scope="session")
def maven_dir() -> Path:
    """The public Maven "CRM Sales Opportunities" export, kept beside the repository.

    It is not ours to commit, so it lives in ``../shared/datasets``. Under CI (``CI=true``) it
    is always there, and a missing copy fails the run instead of passing it untested; on a
    developer's machine without it the tests that need it skip and say why.
    """
    path = SHARED_DATASETS / "maven-crm-opportunities"
    if not path.is_dir():
        message = f"the Maven data set is not at {path} (check out ../shared beside the repository)"
        if _under_ci():
            pytest.fail(message)
        pytest.skip(message)
    return path


def _under_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    """Under CI a skipped test fails: a skip there means a tool or file the Makefile should
    have provided is missing, and a green run would hide an untested path."""
    report = yield
    if _under_ci() and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under CI (CI=true), which is not allowed: {report.longrepr}"
    return report
