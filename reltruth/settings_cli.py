"""``reltruth settings get|set|reset``: the workspace's settings from the terminal.

Why a module of its own: printing the table of settings and opening the workspace are the
command line's business; the store (``settings.py``) and the checks (``settings_specs.py``)
do not open a workspace.
"""

from __future__ import annotations

import json
from typing import Any

from reltruth.errors import UserError
from reltruth.settings import Settings, load
from reltruth.settings_specs import SPECS, reset, set_value, text_of, value_of


def table(settings: Settings) -> str:
    """Every setting with its value in force and its default, one line each."""
    default = Settings()
    rows = [
        (
            spec.key,
            text_of(spec.key, value_of(settings, spec.key)),
            text_of(spec.key, value_of(default, spec.key)),
            spec.label,
        )
        for spec in SPECS
    ]
    heads = ("setting", "value", "default", "meaning")
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(heads)]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    marked = [r if r[1] == r[2] else (r[0], r[1] + " *", r[2], r[3]) for r in rows]
    widths[1] = max(widths[1], *(len(r[1]) for r in marked))
    return "\n".join(
        [line(heads), line(tuple("-" * w for w in widths)), *(line(r) for r in marked)]
        + ["", "* changed from the default"]
    )


def cli_settings(args: Any) -> int:
    """``reltruth settings get [KEY] | set KEY VALUE | reset [KEY|--all]``."""
    from reltruth.workspace import Workspace  # the CLI opens the workspace; the store does not

    ws = Workspace.open(getattr(args, "workspace", None))
    try:
        action = args.action
        if action == "get":
            current = load(ws.con)
            if args.key:
                print(text_of(args.key, value_of(current, args.key)))
            elif getattr(args, "json", False):
                print(json.dumps({s.key: value_of(current, s.key) for s in SPECS}, indent=2))
            else:
                print(table(current))
            return 0
        if action == "set":
            current = set_value(ws.con, args.key, args.value)
            print(f"{args.key} = {text_of(args.key, value_of(current, args.key))}")
            return 0
        if args.key is None and not args.all:
            raise UserError("Name the setting to reset, or --all for every setting.")
        current = reset(ws.con, None if args.all else args.key)
        if args.all:
            print("Every setting is back to its default.")
        else:
            print(f"{args.key} = {text_of(args.key, value_of(current, args.key))} (default)")
        return 0
    finally:
        ws.close()
