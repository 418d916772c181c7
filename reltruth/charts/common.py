"""What every chart shares: columns read as numbers or labels, a row's flags, pp formats.

Why a module of its own: each chart family reads the engine's frames the same forgiving way
(a missing column is a column of NaN, a missing name falls back to the id), so that no chart
breaks on an optional field.
"""

from __future__ import annotations

import math

import pandas as pd

WIDTH = "container"


def flag_list(flags: object) -> list[str]:
    """A row's flags as a list, whether the frame holds a list, "a, b" text or nothing."""
    if flags is None or (isinstance(flags, float) and math.isnan(flags)):
        return []
    if isinstance(flags, str):
        return [f.strip() for f in flags.split(",") if f.strip()]
    return [str(f) for f in flags]  # type: ignore[attr-defined]


def numeric(frame: pd.DataFrame, col: str) -> pd.Series:
    """``col`` as floats (NaN where not a number); a column of NaN when the frame lacks it."""
    if col not in frame.columns:
        return pd.Series([float("nan")] * len(frame), index=frame.index, dtype="float64")
    return pd.to_numeric(frame[col], errors="coerce").astype("float64")


def labels(frame: pd.DataFrame, col: str, fallback: str) -> pd.Series:
    """``col`` as text, ``fallback`` (an id) where the name is missing or the column absent."""
    src = frame[col] if col in frame.columns else frame[fallback]
    alt_src = frame[fallback].astype(str)
    return src.astype("object").where(src.notna(), alt_src).astype(str)


# Relative growth is a difference of two fractions: axes and tooltips say "+6 pp", not "+6%".
PP_LABEL = "(datum.value > 0 ? '+' : '') + format(datum.value * 100, '.0f') + ' pp'"
PP_TEXT = "(datum['{field}'] > 0 ? '+' : '') + format(datum['{field}'] * 100, '.1f') + ' pp'"
