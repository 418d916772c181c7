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
