"""Where the Streamlit site (``app.py``, ``pages/``, ``.streamlit/config.toml``) is, and how
``reltruth app`` starts it.

A checkout runs ``streamlit run app.py`` from the repository; an installed wheel carries the
same files as ``reltruth/_site`` (pyproject.toml maps them there). Both start the same way,
with the server settings of ``.streamlit/config.toml`` given as command-line flags: Streamlit
reads that file only from the working folder, and the settings it holds (no table toolbar
download, no error details, localhost only; SECURITY.md) must hold wherever the app is started.
"""

from __future__ import annotations

import argparse
import os
import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def root() -> Path:
    """The folder holding ``app.py``: the installed copy, else the checkout around the package."""
    installed = PACKAGE / "_site"
    if (installed / "app.py").is_file():
        return installed
    return PACKAGE.parent


def app_script() -> Path:
    return root() / "app.py"


def server_options() -> dict[str, str]:
    """``.streamlit/config.toml`` as Streamlit's flags: {"server.port": "8501", ...}."""
    config = root() / ".streamlit" / "config.toml"
    options: dict[str, str] = {}
    if not config.is_file():
        return options
    for section, values in tomllib.loads(config.read_text(encoding="utf-8")).items():
        for key, value in values.items():
            text = str(value).lower() if isinstance(value, bool) else str(value)
            options[f"{section}.{key}"] = text
    return options


def command(extra: Sequence[str] = ()) -> list[str]:
    """The ``streamlit run`` command line; flags in ``extra`` win over the packaged settings."""
    options = server_options()
    given = {arg[2:].split("=", 1)[0] for arg in extra if arg.startswith("--")}
    flags = [f"--{key}={value}" for key, value in options.items() if key not in given]
    return [sys.executable, "-m", "streamlit", "run", str(app_script()), *flags, *extra]


def cli_app(args: argparse.Namespace) -> int:
    """``reltruth app [streamlit flags]``: start the dashboard (replaces this process)."""
    argv = command(args.streamlit_args)
    sys.stdout.flush()
    os.execv(argv[0], argv)
    return 0  # not reached: execv replaces the process
