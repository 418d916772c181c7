"""cells: ``records`` gives exactly what ``DataFrame.to_dict("records")`` gives."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest

from reltruth import metrics
from reltruth.coaching.cells import names_of, records
from reltruth.workspace import Workspace


def _typed(rows: list[dict[str, Any]]) -> list[dict[str, tuple[str, str]]]:
    """Each value as (type, repr): NaN equals NaN, and 1 is not 1.0 nor True."""
    return [{k: (type(v).__name__, repr(v)) for k, v in r.items()} for r in rows]


def every_kind() -> pd.DataFrame:
    """A frame with every dtype the metrics frames carry, and a missing value in each."""
    return pd.DataFrame(
        {
            "f": [1.5, math.nan, -0.0],
            "i": np.array([1, 2, 3], dtype="int64"),
            "ni": pd.array([1, None, 3], dtype="Int64"),
            "s": pd.array(["a", None, "c"], dtype="string"),
            "py_s": pd.array(["a", None, "c"], dtype="string[python]"),
            "default_s": ["x", None, "z"],
            "b": [True, False, True],
            "nb": pd.array([True, None, False], dtype="boolean"),
            "d": pd.to_datetime(["2026-01-31", None, "2025-12-01"]),
            "o": pd.Series([["churn", "creep"], None, np.float64(2.5)], dtype=object),
            "o_int": pd.Series([np.int64(4), np.bool_(True), pd.NA], dtype=object),
            "cat": pd.Categorical(["top", None, "core"]),
        },
        index=[7, 7, 2],  # duplicate labels: rows are positions, never index keys
    )


def test_records_equal_to_dict_on_every_dtype() -> None:
    frame = every_kind()
    assert _typed(records(frame)) == _typed(frame.to_dict("records"))


def test_records_of_a_slice_an_empty_frame_and_no_columns() -> None:
    frame = every_kind()
    for part in (frame.iloc[[2, 0]], frame.head(0), frame[[]], frame.iloc[:, :3]):
        assert _typed(records(part)) == _typed(part.to_dict("records"))


def test_records_with_duplicate_column_names_fall_back_to_pandas() -> None:
    frame = pd.DataFrame([[1, 2.0], [3, 4.0]], columns=["a", "a"])
    # pandas says it keeps one of the two columns; records says the same, as pandas
    with pytest.warns(UserWarning, match="not unique"):
        ours = records(frame)
    with pytest.warns(UserWarning, match="not unique"):
        theirs = frame.to_dict("records")
    assert _typed(ours) == _typed(theirs)


def test_records_equal_to_dict_on_the_sample_accounts(sample_workspace: Workspace) -> None:
    m = metrics.compute(sample_workspace)
    accounts = m.accounts[m.accounts["rep_id"] == m.accounts["rep_id"].iloc[0]]
    assert len(accounts.columns) > 50  # the frame a sheet reads, not a toy
    assert _typed(records(accounts)) == _typed(accounts.to_dict("records"))
    assert _typed(records(m.trades)) == _typed(m.trades.to_dict("records"))


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["Acme", None], ["Acme", "A2"]),
        ([math.nan, ""], ["A1", "A2"]),
    ],
)
def test_names_of_falls_back_to_the_account_id(names: list[object], expected: list[str]) -> None:
    frame = pd.DataFrame({"account_id": ["A1", "A2"], "account_name": names})
    assert names_of(frame) == expected
    assert names_of(frame.drop(columns="account_name")) == ["A1", "A2"]
    assert names_of(frame.head(0)) == []
