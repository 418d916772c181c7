"""The import contracts of pyproject.toml cover the whole package: a module added later is
held to "no Streamlit outside reltruth.ui" without anyone remembering to list it."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "reltruth"
STREAMLIT_ALLOWED = {"reltruth.ui"}


def _contract(name_part: str) -> dict[str, list[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    (found,) = [c for c in contracts if name_part in c["name"]]
    return found


def test_every_module_outside_ui_is_held_to_no_streamlit() -> None:
    top_level = {
        f"reltruth.{p.stem}"
        for p in PACKAGE.iterdir()
        if (p.suffix == ".py" and p.stem not in ("__init__", "__main__"))
        or (p.is_dir() and (p / "__init__.py").is_file())
    }
    contract = _contract("Streamlit")
    assert contract["forbidden_modules"] == ["streamlit"]
    assert set(contract["source_modules"]) == top_level - STREAMLIT_ALLOWED


def test_no_two_test_files_share_a_name() -> None:
    """pytest imports test files by their base name (no packages under tests/): two files of
    one name stop the whole run at collection ("import file mismatch")."""
    names: dict[str, list[str]] = {}
    for path in (ROOT / "tests").rglob("test_*.py"):
        names.setdefault(path.name, []).append(str(path.relative_to(ROOT)))
    assert {n: p for n, p in names.items() if len(p) > 1} == {}


def test_sql_text_is_composed_in_one_module() -> None:
    """ruff's S608 (SQL built by string formatting) holds for the whole package and is
    silenced nowhere: statements with run-time identifiers go through ``reltruth.sql.compose``."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    lint = config["tool"]["ruff"]["lint"]
    assert "S608" in lint["select"]
    ignored = {glob for glob, rules in lint["per-file-ignores"].items() if "S608" in rules}
    assert ignored == {"tests/**"}
    silenced = [
        str(p.relative_to(ROOT))
        for folder in ("reltruth", "pages", "benchmarks")
        for p in (ROOT / folder).rglob("*.py")
        if "noqa: S608" in p.read_text(encoding="utf-8")
    ]
    assert silenced == []
