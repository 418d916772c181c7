"""The package as a user installs it: a wheel built from this checkout, installed into an
empty virtual environment (dependencies pinned by ``requirements.lock``), run from a folder
that is not the checkout. ``reltruth sample --load`` loads the sample without the repository's
``sample_data/`` (generated on demand) and ``reltruth app`` serves every page with the
packaged server settings (docs/architecture.md, "Packaging")."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import urllib.request
import zipfile
from pathlib import Path

import pytest
from test_browser import PAGES, assert_no_exception, browser, page, wait_ready

__all__ = ["browser", "page"]  # fixtures shared with test_browser.py
pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
NOT_SOURCE = (
    ".git",
    ".venv",
    ".reltruth",
    ".hypothesis",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".*_cache",
    "tests",
)


def _run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, check=True, **kwargs)  # type: ignore[call-overload, no-any-return]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Built from a copy: setuptools writes build/ into the source folder it builds.
    source = tmp_path_factory.mktemp("source") / "reltruth"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(source)])
    (built,) = out.glob("reltruth-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty venv with the wheel installed; returns its bin folder."""
    env_dir = tmp_path_factory.mktemp("venv")
    _run([sys.executable, "-m", "venv", str(env_dir)])
    pip = [str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q"]
    _run([*pip, str(wheel), "-c", str(ROOT / "requirements.lock")])
    return env_dir / "bin"


@pytest.fixture
def user_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a user outside the checkout: nothing points back to it."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "RELTRUTH_WORKSPACE")}
    env["RELTRUTH_MODE"] = "local"
    env["HOME"] = str(tmp_path)  # no ~/.streamlit of the developer's
    return env


def test_the_wheel_carries_the_site_and_its_settings(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    pages = {f"reltruth/_site/pages/{p.name}" for p in (ROOT / "pages").glob("*.py")}
    assert "reltruth/_site/app.py" in names
    assert pages and pages <= names
    assert "reltruth/_site/.streamlit/config.toml" in names
    sql = {str(p.relative_to(ROOT)) for p in (ROOT / "reltruth" / "sql").rglob("*.sql")}
    assert sql <= names
    assert not any(n.startswith(("tests/", "sample_data/", "benchmarks/")) for n in names)


def test_sample_load_and_app_from_an_installed_wheel(
    installed: Path,
    tmp_path: Path,
    user_env: dict[str, str],
    page,  # type: ignore[no-untyped-def]
    server_tools,  # type: ignore[no-untyped-def]
) -> None:
    loaded = _run([str(installed / "reltruth"), "sample", "--load"], cwd=tmp_path, env=user_env)
    assert "rows loaded into orders" in loaded.stdout
    assert (tmp_path / ".reltruth" / "workspace.duckdb").is_file()

    port = server_tools.free_port()
    proc = subprocess.Popen(
        [str(installed / "reltruth"), "app", "--server.port", str(port),
         "--server.address", "127.0.0.1"],
        cwd=tmp_path, env=user_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        server_tools.wait_healthy(url, proc)
        # The packaged settings are in force although the folder has no .streamlit/.
        with urllib.request.urlopen(f"{url}/_stcore/host-config", timeout=10) as resp:
            assert resp.status == 200
        for slug, title in PAGES.items():
            page.goto(f"{url}/{slug}" if slug != "data" else url)
            wait_ready(page, f'h1:has-text("{title}")')
            assert_no_exception(page)
        page.goto(f"{url}/team")
        wait_ready(page, 'h1:has-text("Team")')
        page.wait_for_selector('[data-testid="stVegaLiteChart"]')
        assert "Frank Berger" in page.inner_text("body")
    finally:
        server_tools.stop(proc)


def test_the_packaged_settings_are_the_checkout_settings() -> None:
    from reltruth import site

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    flags = site.command(["--server.port", "8600"])
    assert "--client.disableDataExport=true" in flags
    assert "--server.address=localhost" in flags
    assert flags[-2:] == ["--server.port", "8600"]
    assert len([f for f in flags if f.startswith("--") and "=" in f]) == sum(
        len(v) for v in config.values()
    )
