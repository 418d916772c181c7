"""reltruth metrics: the terminal table, CSV or JSON of the rep or account metrics."""

from __future__ import annotations

import argparse
import math
import sys

from reltruth import format as fmt
from reltruth.errors import UserError
from reltruth.metrics.flags import money
from reltruth.metrics.marts import compute
from reltruth.metrics.output import ACCOUNT_KEYS, REP_KEYS, dump_json, to_json, write_stdout
from reltruth.metrics.query import num
from reltruth.metrics.result import Metrics
from reltruth.metrics.window import resolve_window
from reltruth.workspace import Workspace

_TABLE_REP = (
    ("coaching_priority", "#", "int"),
    ("rep_name", "rep", "text"),
    ("tier", "tier", "text"),
    ("revenue", "revenue", "money"),
    ("growth", "growth", "pct"),
    ("relative_growth", "rel. growth", "pp"),
    ("weighted_penetration", "penetration", "pct"),
    ("hours", "hours", "int"),
    ("revenue_per_hour", "rev/hour", "int"),
    ("new_accounts", "new", "int"),
    ("discount_rate", "discount", "pct1"),
    ("discount_trend_pp_per_year", "trend pp/yr", "float"),
    ("alignment_score", "alignment", "pct"),
    ("misallocated_hours", "misalloc. h", "int"),
)
_TABLE_ACCOUNT = (
    ("account_name", "account", "text"),
    ("rep_name", "rep", "text"),
    ("potential", "potential", "money"),
    ("revenue", "revenue", "money"),
    ("growth", "growth", "pct"),
    ("relative_growth", "rel. growth", "pp"),
    ("penetration", "penetr.", "pct"),
    ("hours", "hours", "int"),
    ("time_share", "time", "pct"),
    ("potential_share", "pot.", "pct"),
    ("allocation_ratio", "ratio", "float"),
    ("discount_rate", "discount", "pct1"),
    ("discount_trend_pp_per_year", "trend", "float"),
    ("flags", "flags", "flags"),
)


def _cell(value: object, kind: str) -> str:
    if kind == "flags":
        return ", ".join(value) if isinstance(value, list) else ""
    if kind == "text":
        return (
            "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
        )
    v = num(value)
    if v is None:
        return fmt.MISSING
    if kind == "money":
        return money(v)
    if kind == "pct":
        return fmt.pct(v)
    if kind == "pct1":
        return fmt.pct(v, 1)
    if kind == "pp":
        return fmt.pp_from_fraction(v)
    if kind == "int":
        return f"{v:,.0f}"
    return f"{v:.1f}"


def format_table(m: Metrics, level: str) -> str:
    """A plain-text table for a terminal: one line per rep (or account), window on top."""
    spec = _TABLE_REP if level == "rep" else _TABLE_ACCOUNT
    frame = (
        m.reps
        if level == "rep"
        else m.accounts.sort_values(["rep_id", "account_id"], na_position="last")
    )
    cells = [
        [_clip(_cell(row.get(col), kind), kind) for col, _, kind in spec]
        for row in frame.to_dict("records")
    ]
    heads = [head for _, head, _ in spec]
    widths = [max([len(h)] + [len(c[i]) for c in cells]) for i, h in enumerate(heads)]
    right = [kind not in ("text", "flags") for _, _, kind in spec]

    def line(values: list[str]) -> str:
        return "  ".join(
            v.rjust(w) if r else v.ljust(w) for v, w, r in zip(values, widths, right, strict=True)
        ).rstrip()

    growth = fmt.pct(m.company_growth, 1)
    title = f"{m.window.label} (prior: {m.window.prior_label}); company growth {growth}"
    rule = "  ".join("-" * w for w in widths)
    return "\n".join([title, "", line(heads), rule, *(line(c) for c in cells)])


def cli_metrics(args: argparse.Namespace) -> int:
    """``reltruth metrics``: rep or account metrics as a table, CSV or JSON (docs/metrics.md ('Machine-readable output'))."""
    ws = Workspace.open(getattr(args, "workspace", None))
    try:
        if ws.is_empty():
            raise UserError("The workspace is empty: load exports first (reltruth ingest FILE…).")
        window = resolve_window(
            ws, getattr(args, "as_of", None), getattr(args, "window_months", None)
        )
        m = compute(ws, window)
    finally:
        ws.close()
    level = getattr(args, "level", "rep") or "rep"
    out_format = getattr(args, "format", "table") or "table"
    if out_format == "json":
        # The whole documented shape whatever the level: both lists.
        write_stdout(dump_json(to_json(m), pretty=bool(getattr(args, "pretty", False))))
    elif out_format == "csv":
        from reltruth.export import to_csv_bytes

        keys = REP_KEYS if level == "rep" else ACCOUNT_KEYS
        frame = m.reps if level == "rep" else m.accounts
        frame = frame.reindex(columns=list(keys))
        for col in ("flags", "categories_bought", "missing_categories"):
            if col in frame:
                frame[col] = frame[col].map(lambda f: "|".join(f) if isinstance(f, list) else "")
        sys.stdout.buffer.write(to_csv_bytes(frame))
    else:
        print(format_table(m, level))
    return 0


def _clip(text: str, kind: str) -> str:
    # Names are cut to keep one line per row; the flags (the last column) are shown whole.
    return text if kind == "flags" or len(text) <= 32 else text[:31] + "…"
