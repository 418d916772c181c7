"""``reltruth.site``: where the Streamlit site is and how ``reltruth app`` starts it (the
installed wheel itself is tried in tests/e2e/test_wheel.py)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from reltruth import cli, site

ROOT = Path(__file__).resolve().parents[2]


def test_a_checkout_runs_its_own_app_py() -> None:
    assert site.app_script() == ROOT / "app.py"


def test_the_settings_become_flags_and_given_flags_win() -> None:
    options = site.server_options()
    assert options["client.disableDataExport"] == "true"
    assert options["server.maxUploadSize"] == "500"
    argv = site.command(["--server.address=0.0.0.0", "--server.port", "8600"])
    assert argv[1:4] == ["-m", "streamlit", "run"]
    assert "--server.address=localhost" not in argv  # the user's flag replaces ours
    assert argv[-3:] == ["--server.address=0.0.0.0", "--server.port", "8600"]
    assert "--client.showErrorDetails=none" in argv


def test_the_listed_packages_are_the_packages_on_disk() -> None:
    # pyproject.toml lists the packages (the site mapping needs it): a new subpackage left out
    # would be missing from the wheel.
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    inits = (ROOT / "reltruth").rglob("__init__.py")
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in inits}
    assert on_disk | {"reltruth._site", "reltruth._site.pages"} == listed


def test_only_app_passes_unknown_flags_on(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []
    monkeypatch.setattr(site, "cli_app", lambda args: seen.append(args.streamlit_args) or 0)
    assert cli.main(["app", "--server.port", "8600"]) == 0
    assert seen == [["--server.port", "8600"]]
    with pytest.raises(SystemExit) as exc:
        cli.main(["metrics", "--server.port", "8600"])
    assert exc.value.code == 2
