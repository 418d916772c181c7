"""Running one query file (parameters bound by name), the staging views, a value as a float."""

from __future__ import annotations

import math
import re
from typing import Any

import duckdb
import pandas as pd

from reltruth import settings as settings_store
from reltruth import sql
from reltruth.settings import Settings
from reltruth.workspace import Workspace


def run(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None) -> Any:
    """Run query file ``name`` binding only the parameters it names (DuckDB refuses extras)."""
    text = sql.load(name)
    wanted = set(_PARAM.findall(_COMMENT.sub("", text)))
    missing = wanted - set(params or {})
    if missing:
        raise ValueError(f"{name}: parameters not given: {sorted(missing)}")
    return con.execute(text, {k: v for k, v in (params or {}).items() if k in wanted})


_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")


def prepare(ws: Workspace, settings: Settings) -> None:
    """Create this connection's staging views (temp objects: per session, nothing stored)."""
    con = ws.con
    con.execute(sql.load("staging/duration_defaults"))
    defaults = {**settings_store.DEFAULT_DURATIONS, **(settings.default_durations or {})}
    con.executemany(
        "insert into stg_duration_defaults values ($1, $2)",
        [[str(k).strip().lower(), float(v)] for k, v in defaults.items()],
    )
    for name in ("activities", "orders", "accounts", "deals"):
        con.execute(sql.load(f"staging/{name}"))


def num(value: object) -> float | None:
    """A float, or None for null / NaN."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(out) else out
