"""Loads the sheet's wording from ``prompts.toml`` and fills its placeholders.

Why the wording lives in a TOML file and not in code: the sheet is read by sales managers
and written, in effect, by sales trainers. One plain file lets a trainer change the tone
without touching Python; a test checks every placeholder in it against the names the
builder supplies, so a typo is caught before a sheet is printed.
"""

from __future__ import annotations

import os
import string
import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from reltruth.errors import UserError

PROMPTS_ENV = "RELTRUTH_PROMPTS"  # path to a trainer's own copy of prompts.toml


@cache
def _load(path: str | None) -> dict[str, Any]:
    if path:
        text = Path(path).read_text(encoding="utf-8")
    else:
        text = resources.files(__package__).joinpath("prompts.toml").read_text(encoding="utf-8")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(
            f"The prompt file {path or 'prompts.toml'} is not valid TOML: {exc}"
        ) from exc


def templates() -> dict[str, Any]:
    """The wording in use: ``$RELTRUTH_PROMPTS`` when set, else the packaged file."""
    return _load(os.environ.get(PROMPTS_ENV) or None)


def fill(template: str, values: Mapping[str, object]) -> str:
    """``template`` with its ``{placeholders}`` replaced; an unknown name is a clear error.

    Only the template is parsed: a value (e.g. an account called ``{x}``) is inserted as is.
    """
    # "{to_account}." after a name that ends in a dot ("Jung Feinmechanik e.K.") would print
    # two dots: the template's dot is dropped there
    for name in placeholders(template):
        value = values.get(name)
        if isinstance(value, str) and value.endswith(".") and "{" + name + "}." in template:
            template = template.replace("{" + name + "}.", "{" + name + "}")
    try:
        return template.format_map(values)
    except KeyError as exc:
        raise UserError(
            f"The prompt text {template[:60]!r} uses the placeholder {{{exc.args[0]}}}, "
            "which the sheet does not know."
        ) from exc
    except (ValueError, IndexError) as exc:
        raise UserError(f"The prompt text {template[:60]!r} has a stray brace: {exc}") from exc


def placeholders(template: str) -> set[str]:
    """The names a template uses (for the test that guards the TOML file)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def strings(node: Any) -> list[str]:
    """Every string in a (nested) template table."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in strings(v)]
    return []
