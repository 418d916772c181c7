"""Display tables: fractions become percent, relative growth percentage points, money whole
units; labels are human; missing columns are skipped, never invented."""

from __future__ import annotations

import pandas as pd
import pytest

from reltruth.ui.format import Col, column_config, display_frame, flag_label, pct_text, pp_text

COLS = [
    Col("rep_name", "Rep"),
    Col("weighted_penetration", "Weighted penetration", "pct"),
    Col("relative_growth", "Growth vs company", "pp"),
    Col("revenue", "Revenue (EUR)", "money"),
    Col("discount_trend_pp_per_year", "Discount trend", "pp_year"),
    Col("flags", "Flags", "list"),
    Col("not_there", "Never shown", "int"),
]


def test_display_frame_scales_and_labels():
    frame = pd.DataFrame(
        {
            "rep_name": ["=1+1", None],
            "weighted_penetration": [0.146, None],
            "relative_growth": [-0.052, 0.0],
            "revenue": [1234.5, 99.4],
            "discount_trend_pp_per_year": [1.8, -0.2],
            "flags": [["claim_gap", "discount_creep"], []],
        }
    )
    out = display_frame(frame, COLS)
    assert list(out.columns) == [
        "Rep",
        "Weighted penetration",
        "Growth vs company",
        "Revenue (EUR)",
        "Discount trend",
        "Flags",
    ]
    assert out["Weighted penetration"][0] == pytest.approx(14.6)
    assert out["Growth vs company"][0] == pytest.approx(-5.2)
    assert out["Revenue (EUR)"].tolist() == [1234, 99]  # whole euros (banker's rounding of .5)
    assert out["Discount trend"][0] == pytest.approx(1.8)  # already pp per year
    assert out["Flags"].tolist() == ["claim gap, discount creep", ""]
    assert out["Rep"][0] == "=1+1" and pd.isna(out["Rep"][1])  # text stays text on screen


def test_column_config_matches_the_labels():
    config = column_config(COLS, "EUR")
    assert config["Revenue (EUR)"]["type_config"]["format"] == "euro"
    assert config["Growth vs company"]["type_config"]["format"] == "%+.1f pp"
    assert config["Weighted penetration"]["type_config"]["format"] == "%.1f %%"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("claim_gap", "claim gap"),
        (
            "relationship_trap: time share 50 % ÷ potential share 21 % = 2.4 ≥ 1.5",
            "relationship trap: time share 50 % ÷ potential share 21 % = 2.4 ≥ 1.5",
        ),
        ("something_new", "something_new"),
    ],
)
def test_flag_label(text, expected):
    assert flag_label(text) == expected


def test_headline_texts():
    # the one formatter's text (reltruth/format.py): a non-breaking space before the unit,
    # U+2212 for minus
    assert pct_text(0.1461, 1) == "14.6\u00a0%"
    assert pct_text(None) == "–"
    assert pp_text(-0.052) == "−5.2\u00a0pp"
    assert pp_text(0.09) == "+9.0\u00a0pp"


@pytest.mark.parametrize(
    "values",
    [
        pd.Series(["Hansa", None, "=cmd"], dtype="str"),  # pandas' text columns
        pd.Series(["Hansa", None, "=cmd"], dtype=object),  # text in a Python object column
        pd.Series(["Hansa", float("nan"), 7], dtype=object),  # mixed: a number shown as text
        pd.Series([1.5, None, 3.0]),  # a numeric column shown as text
    ],
)
def test_text_columns_hold_python_strings_and_missing_stays_missing(values: pd.Series) -> None:
    expected = [None if pd.isna(v) else str(v) for v in values]
    out = display_frame(pd.DataFrame({"t": values}), [Col("t", "T")])
    shown = [None if pd.isna(v) else v for v in out["T"]]
    assert shown == expected
    assert all(v is None or type(v) is str for v in shown)
