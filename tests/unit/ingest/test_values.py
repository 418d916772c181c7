"""values: the SQL parsers on one parametrize table each, the detectors on samples, and the
value quirks end to end (file under tests/data/<quirk>/ -> read_table -> parsed values)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from reltruth.ingest import values as v
from reltruth.ingest.read import read_table
from reltruth.workspace import Workspace

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    c = duckdb.connect()
    yield c
    c.close()


@pytest.fixture
def ws() -> Iterator[Workspace]:
    w = Workspace.open(memory=True)
    try:
        yield w
    finally:
        w.close()


def one(con: duckdb.DuckDBPyConnection, expr_of: str, value: str | None) -> object:
    """Evaluate an expression built over column "x" for a single bound value."""
    return con.execute(f"select {expr_of} from (select $x::varchar as x)", {"x": value}).fetchall()[
        0
    ][0]


def column(ws: Workspace, relation: str, expr: str) -> list[object]:
    return [
        r[0]
        for r in ws.con.execute(
            f"select {expr} from {v.quote_ident(relation)} order by __line"
        ).fetchall()
    ]


X = v.quote_ident("x")


def test_quote_ident_doubles_quotes() -> None:
    assert v.quote_ident('Net "Value"') == '"Net ""Value"""'


@pytest.mark.parametrize(
    ("text", "style", "expected"),
    [
        ("1,234.50", "point", 1234.5),
        ("1.234,50", "comma", 1234.5),
        ("1 234,50", "comma", 1234.5),
        ("1\u00a0234,50", "comma", 1234.5),
        ("1'234.50", "point", 1234.5),
        ("$1,234.50", "point", 1234.5),
        ("USD 1,250,000.00", "point", 1_250_000.0),
        ("1.234,50 €", "comma", 1234.5),
        ("€ 12", "point", 12.0),
        ("-12", "point", -12.0),
        ("(12)", "point", -12.0),
        ("12-", "point", -12.0),
        ("(USD 300.00)", "point", -300.0),
        ("-7,50 EUR", "comma", -7.5),
        ("12%", "point", 0.12),
        ("45k", "point", 45_000.0),
        ("1.2M", "point", 1_200_000.0),
        ("2,5 Mio", "comma", 2_500_000.0),
        ("1.5e3", "point", 1500.0),
        ("0", "point", 0.0),
        # unreadable or missing -> NULL
        ("abc", "point", None),
        ("12abc", "point", None),
        ("1,2345", "point", None),  # thousands groups are three digits
        ("1,234.50", "comma", None),  # a decimal point in a decimal-comma column
        ("(12", "point", None),
        ("", "point", None),
        ("-", "point", None),
        ("N/A", "point", None),
        (None, "point", None),
    ],
)
def test_number_sql(
    con: duckdb.DuckDBPyConnection, text: str, style: str, expected: object
) -> None:
    assert one(con, v.number_sql(X, style), text) == expected


@pytest.mark.parametrize(
    ("text", "failed"),
    [("12,50", False), ("", False), ("-", False), (None, False), ("twelve", True)],
)
def test_failed_tells_missing_from_unreadable(
    con: duckdb.DuckDBPyConnection, text: str | None, failed: bool
) -> None:
    assert one(con, v.failed_sql(X, v.number_sql(X, "comma")), text) is failed


def test_reason_text(con: duckdb.DuckDBPyConnection) -> None:
    assert one(con, v.reason_sql(X, "date"), " 31.02.2024 ") == '"31.02.2024" is not a valid date'
    assert one(con, v.reason_sql(X, "percent"), "x") == '"x" is not a valid percentage'
    with pytest.raises(ValueError, match="unknown reason kind"):
        v.reason_sql(X, "drop table")


def test_styles_are_allow_listed() -> None:
    with pytest.raises(ValueError):
        v.number_sql(X, "'; drop table accounts; --")
    with pytest.raises(ValueError):
        v.date_sql(X, "%d")
    with pytest.raises(ValueError):
        v.duration_minutes_sql(X, "weeks")


@pytest.mark.parametrize(
    ("text", "style", "expected"),
    [
        ("12.5", "percent", 0.125),  # a bare discount column on a 0-100 scale
        ("12.5%", "percent", 0.125),
        ("0.125", "fraction", 0.125),
        ("12.5%", "fraction", 0.125),
        ("7,5 %", "percent", 0.075),
    ],
)
def test_percent_sql(
    con: duckdb.DuckDBPyConnection, text: str, style: str, expected: float
) -> None:
    number_style = "comma" if "," in text else "point"
    assert one(con, v.percent_sql(X, number_style, style), text) == pytest.approx(expected)


D = dt.date


@pytest.mark.parametrize(
    ("text", "style", "expected"),
    [
        ("03/15/2026", "mdy", D(2026, 3, 15)),
        ("3/5/2026 2:30 PM", "mdy", D(2026, 3, 5)),
        ("12/31/25", "mdy", D(2025, 12, 31)),
        ("02/30/2026", "mdy", None),
        ("15.03.2026", "dmy", D(2026, 3, 15)),
        ("15/03/2026", "dmy", D(2026, 3, 15)),
        ("05.06.26", "dmy", D(2026, 6, 5)),
        ("31.02.2024", "dmy", None),
        ("29.02.2024", "dmy", D(2024, 2, 29)),
        ("2026-03-15", "iso", D(2026, 3, 15)),
        ("2026-03-15T14:30:00Z", "iso", D(2026, 3, 15)),
        ("2026-03-15 14:30:00", "iso", D(2026, 3, 15)),
        ("2026-13-01", "iso", None),
        ("15 Mar 2026", "text_month", D(2026, 3, 15)),
        ("Mar 15, 2026", "text_month", D(2026, 3, 15)),
        ("15-Mar-26", "text_month", D(2026, 3, 15)),
        # 1773532800000 ms = 1773532800 s = 20527 days after 1970-01-01 = 2026-03-15
        ("1773532800000", "epoch_ms", D(2026, 3, 15)),
        ("1773532800", "epoch_s", D(2026, 3, 15)),
        # Excel day 46096 = 2026-03-15 (day 1 = 1900-01-01, plus Excel's 1900-02-29)
        ("46096", "excel_serial", D(2026, 3, 15)),
        ("46096.75", "excel_serial", D(2026, 3, 15)),
        ("15.03.0026", "dmy", None),  # year outside 1900-2200: misread, not history
        ("", "dmy", None),
    ],
)
def test_date_sql(con: duckdb.DuckDBPyConnection, text: str, style: str, expected: object) -> None:
    assert one(con, v.date_sql(X, style), text) == expected


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("45", "minutes", 45.0),
        ("300", "seconds", 5.0),  # Salesforce CallDurationInSeconds
        ("1800000", "milliseconds", 30.0),  # HubSpot
        ("1.5", "hours", 90.0),
        ("1:30", "clock", 90.0),  # Pipedrive HH:MM
        ("0:45:30", "clock", 45.5),
        ("01:30:00", "clock", 90.0),  # an Excel duration cell as read
        ("12:75", "clock", None),
        ("1h 30m", "text", 90.0),
        ("90 min", "text", 90.0),
        ("2 hrs", "text", 120.0),
        ("45m", "text", 45.0),
        ("30s", "text", 0.5),
        ("20", "text", 20.0),
        ("about an hour", "text", None),
        ("", "clock", None),
    ],
)
def test_duration_minutes_sql(
    con: duckdb.DuckDBPyConnection, text: str, unit: str, expected: object
) -> None:
    got = one(con, v.duration_minutes_sql(X, unit), text)
    assert got == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        (["1.234,50", "12,5"], "comma"),
        (["1,234.50", "99.90"], "point"),
        (["1,234,567"], "point"),
        (["1.234.567"], "comma"),
        (["USD 1,250,000.00"], "point"),
        (["1.234,50 €", "€ 12"], "comma"),
        (["12", "45"], "point"),
        (["1,234"], "point"),  # ambiguous -> default
    ],
)
def test_detect_number_style(sample: list[str], expected: str) -> None:
    assert v.detect_number_style(sample) == expected


def test_detect_number_style_default_breaks_ties() -> None:
    assert v.detect_number_style(["1.234", "2.500"], default="comma") == "comma"


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        (["03/15/2026", "04/01/2026"], "mdy"),  # 15 can only be a day
        (["15/03/2026", "01/04/2026"], "dmy"),
        (["01/02/2026", "03/04/2026"], "mdy"),  # undecided slashes: US default
        (["01.02.2026"], "dmy"),  # undecided dots: European
        (["2026-01-02", "2026-01-03 10:00"], "iso"),
        (["1773532800000"], "epoch_ms"),
        (["1773532800"], "epoch_s"),
        (["46096", "46101"], "excel_serial"),
        (["15 Mar 2026"], "text_month"),
    ],
)
def test_detect_date_style(sample: list[str], expected: str) -> None:
    assert v.detect_date_style(sample) == expected


def test_looks_like_dates() -> None:
    assert v.looks_like_dates(["03/15/2026", "", None, "N/A"])
    assert not v.looks_like_dates(["Acme", "Beta", "03/15/2026"])
    assert v.detect_date_style(["Acme"], default="dmy") == "dmy"


@pytest.mark.parametrize(
    ("sample", "header", "expected"),
    [
        (["1:30", "0:10"], None, "clock"),
        (["1h 30m", "15 min"], None, "text"),
        (["300", "95"], "CallDurationInSeconds", "seconds"),
        (["60", "30"], "DurationInMinutes", "minutes"),
        (["600000", "90000"], "Call duration (ms)", "milliseconds"),
        (["600000", "90000", "1800000"], None, "milliseconds"),  # HubSpot, no hint
        (["600", "900"], None, "seconds"),
        (["45", "30"], None, "minutes"),
    ],
)
def test_detect_duration_unit(sample: list[str], header: str | None, expected: str) -> None:
    assert v.detect_duration_unit(sample, header) == expected


@pytest.mark.parametrize(
    ("sample", "expected"),
    [(["12.5", "5", "0"], "percent"), (["0.25", "0.3"], "fraction"), (["10%"], "percent")],
)
def test_detect_percent_scale(sample: list[str], expected: str) -> None:
    assert v.detect_percent_scale(sample) == expected


# --- value quirks end to end: file -> read_table -> detected style -> parsed values --------


def test_semicolon_decimal_comma_file(ws: Workspace) -> None:
    raw = read_table(ws, DATA / "semicolon_decimal_comma" / "invoice_lines.csv")
    sample = column(ws, raw.relation, v.quote_ident("Net Value"))
    style = v.detect_number_style([str(s) for s in sample])
    assert style == "comma"
    assert column(ws, raw.relation, v.number_sql(v.quote_ident("Net Value"), style)) == [
        1111.05,
        10.80,
        11250.0,
    ]
    date_col = v.quote_ident("Invoice Date")
    assert column(ws, raw.relation, v.date_sql(date_col, "dmy")) == [
        D(2026, 3, 15),
        D(2026, 3, 15),
        D(2026, 4, 1),
    ]


def test_currency_codes_file(ws: Workspace) -> None:
    raw = read_table(ws, DATA / "currency_codes" / "deals.csv")
    parsed = {}
    for header in raw.headers[1:]:
        col = v.quote_ident(header)
        style = v.detect_number_style([str(s) for s in column(ws, raw.relation, col)])
        parsed[header] = column(ws, raw.relation, v.number_sql(col, style))
    assert parsed == {
        "Amount (USD)": [1_250_000.0, 1234.5, -300.0],
        "Amount (EUR)": [1_234_567.89, 12.0, -7.5],
        "List (CHF)": [1234.5, -500.0, -12.0],
        "Potential": [45_000.0, 1_200_000.0, 2500.0],
    }


def test_us_dates_file_rejects_february_30(ws: Workspace) -> None:
    raw = read_table(ws, DATA / "us_dates" / "activities.csv")
    col = v.quote_ident("Date")
    style = v.detect_date_style([str(s) for s in column(ws, raw.relation, col)])
    assert style == "mdy"
    parsed = v.date_sql(col, style)
    assert column(ws, raw.relation, parsed) == [
        D(2026, 3, 15),
        D(2026, 3, 5),
        None,
        D(2025, 12, 31),
    ]
    assert column(ws, raw.relation, f"case when {v.failed_sql(col, parsed)} then __line end") == [
        None,
        None,
        4,
        None,
    ]


def test_european_dates_file_gives_the_reject_reason(ws: Workspace) -> None:
    raw = read_table(ws, DATA / "european_dates" / "invoices.csv")
    col = v.quote_ident("Datum")
    style = v.detect_date_style([str(s) for s in column(ws, raw.relation, col)])
    assert style == "dmy"
    parsed = v.date_sql(col, style)
    bad = ws.con.execute(
        f"select __line, {v.reason_sql(col, 'date')} from {v.quote_ident(raw.relation)} "
        f"where {v.failed_sql(col, parsed)}"
    ).fetchall()
    assert bad == [(4, '"31.02.2024" is not a valid date')]
    assert column(ws, raw.relation, parsed)[3] == D(2026, 6, 5)


def test_epoch_ms_file(ws: Workspace) -> None:
    raw = read_table(ws, DATA / "epoch_ms" / "orders.csv")
    col = v.quote_ident("created_at")
    style = v.detect_date_style([str(s) for s in column(ws, raw.relation, col)])
    assert style == "epoch_ms"
    # 1735689600000 ms = 2025-01-01T00:00Z
    assert column(ws, raw.relation, v.date_sql(col, style)) == [
        D(2026, 3, 15),
        D(2026, 3, 16),
        D(2025, 1, 1),
    ]


def test_excel_serial_and_iso_dates_from_excel(ws: Workspace) -> None:
    raw = read_table(ws, DATA / "excel_title_rows" / "report.xlsx")
    serial = v.quote_ident("Serial")
    assert v.detect_date_style([str(s) for s in column(ws, raw.relation, serial)]) == (
        "excel_serial"
    )
    assert column(ws, raw.relation, v.date_sql(serial, "excel_serial")) == [
        D(2026, 3, 15),
        D(2026, 3, 20),
    ]
    close = v.quote_ident("Close Date")
    assert v.detect_date_style([str(s) for s in column(ws, raw.relation, close)]) == "iso"
    assert column(ws, raw.relation, v.date_sql(close, "iso")) == [D(2026, 3, 15), D(2026, 3, 20)]
    call = v.quote_ident("Call Time")
    assert column(ws, raw.relation, v.duration_minutes_sql(call, "clock")) == [90.0, None]


def test_pipedrive_hhmm_file(ws: Workspace) -> None:
    raw = read_table(ws, DATA / "pipedrive_hhmm" / "activities.csv")
    col = v.quote_ident("Duration")
    unit = v.detect_duration_unit([str(s) for s in column(ws, raw.relation, col) if s], "Duration")
    assert unit == "clock"
    assert column(ws, raw.relation, v.duration_minutes_sql(col, unit)) == [90.0, 10.0, 165.5, None]


def test_hubspot_ms_file(ws: Workspace) -> None:
    raw = read_table(ws, DATA / "hubspot_ms" / "calls.csv")
    col = v.quote_ident("Call duration")
    unit = v.detect_duration_unit([str(s) for s in column(ws, raw.relation, col)], "Call duration")
    assert unit == "milliseconds"
    assert column(ws, raw.relation, v.duration_minutes_sql(col, unit)) == [10.0, 1.5, 30.0]
    date = v.quote_ident("Activity date")
    assert column(ws, raw.relation, v.date_sql(date, "iso"))[0] == D(2026, 3, 2)


def test_salesforce_seconds_and_minutes_file(ws: Workspace) -> None:
    raw = read_table(ws, DATA / "salesforce_seconds" / "tasks.csv")
    secs, mins = v.quote_ident("CallDurationInSeconds"), v.quote_ident("DurationInMinutes")
    assert v.detect_duration_unit(["300", "95"], "CallDurationInSeconds") == "seconds"
    assert column(ws, raw.relation, v.duration_minutes_sql(secs, "seconds")) == [
        5.0,
        pytest.approx(95 / 60),
        None,
    ]
    assert column(ws, raw.relation, v.duration_minutes_sql(mins, "minutes")) == [None, None, 60.0]


def test_durations_text_file(ws: Workspace) -> None:
    raw = read_table(ws, DATA / "durations_text" / "activities.csv")
    col = v.quote_ident("Time spent")
    unit = v.detect_duration_unit([str(s) for s in column(ws, raw.relation, col)], "Time spent")
    assert unit == "text"
    parsed = v.duration_minutes_sql(col, unit)
    assert column(ws, raw.relation, parsed) == [90.0, 15.0, 120.0, None]
    assert column(ws, raw.relation, f"{v.failed_sql(col, parsed)}") == [False, False, False, True]


def test_percentages_file(ws: Workspace) -> None:
    raw = read_table(ws, DATA / "percentages" / "orders.csv")
    got = {}
    for header in ("Discount", "Discount %", "Margin"):
        col = v.quote_ident(header)
        sample = [str(s) for s in column(ws, raw.relation, col)]
        style = v.detect_number_style(sample)
        scale = v.detect_percent_scale(sample, style)
        got[header] = column(ws, raw.relation, v.percent_sql(col, style, scale))
    assert got["Discount"] == pytest.approx([0.125, 0.05, 0.0])
    assert got["Discount %"] == pytest.approx([0.10, 0.075, 0.0])
    assert got["Margin"] == pytest.approx([0.25, 0.3, 0.125])


def test_parquet_typed_values_parse(ws: Workspace) -> None:
    raw = read_table(ws, DATA / "parquet_typed" / "orders.parquet")
    amount = v.quote_ident("net_amount")
    assert column(ws, raw.relation, v.number_sql(amount, "point")) == [1234.5, 80.0]
    when = v.quote_ident("created_at")
    assert column(ws, raw.relation, v.date_sql(when, "iso")) == [D(2026, 3, 15), None]


@pytest.mark.parametrize(
    "cells",
    [
        ["600.000 €", "45.000 €"],
        ["1.234,50", "12,5", "1,234"],
        ["1,234,567", "1,234.50", "12.5"],
        ["€ 99", "-", "(1.234,50)", "1.234.567"],
    ],
)
def test_number_votes_in_sql_count_as_the_sample_detection_does(cells: list[str]) -> None:
    values = v
    con = duckdb.connect()
    con.execute("create table t (v varchar)")
    con.executemany("insert into t values (?)", [[c] for c in cells])
    comma, point = values.number_votes_sql("v")
    votes = con.execute(f"select {comma}, {point} from t").fetchall()[0]
    for default in values.NUMBER_STYLES:
        assert values.decide_number_style(*votes, default) == values.detect_number_style(
            cells, default
        )
