"""Property: whatever bytes arrive, ingestion answers with a report or a one-line UserError.

Fed random bytes, truncated and mutated CSV and Excel exports, and CSVs with random
header sets, ``ingest_files`` must never raise anything but ``UserError``, never leave a
partial import behind (a refused or failed call changes nothing), leave the connection
usable, and for every file that loads: rows read = loaded + duplicates + rejected.
"""

from __future__ import annotations

import csv
import io
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reltruth.errors import UserError
from reltruth.ingest import ingest_files
from reltruth.workspace import Workspace

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "sample_data"

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,  # the same examples every run: a failure here is reproducible
)

# Headers a CRM might write, mixed with noise, so that some random files are recognised.
KNOWN_HEADERS = [
    "Account ID", "Account Name", "Account Owner", "Annual Potential", "Industry",
    "Relationship", "Owner Since", "Activity ID", "Date", "Assigned", "Company / Account",
    "Activity Type", "Duration (min)", "Travel Time (min)", "Contact Role", "Invoice No",
    "Invoice Date", "Customer No", "Net Value", "List Value", "Currency", "Qty", "User ID",
    "Full Name", "Manager", "Stage", "Amount", "Close Date", "Product", "List Price",
]  # fmt: skip
CELL = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "0", "-1", "1,250.50", "1.250,50 €", "12%", "45k", "N/A", "=1+1"]),
    st.sampled_from(["03/15/2026", "15.03.2026", "2026-02-30", "1700000000000", "12:30"]),
    st.sampled_from(["Northwind", "Lena Vogt", "R01", "C10001", '"quoted"', "a;b", "a\nb"]),
)
HEADER = st.one_of(st.sampled_from(KNOWN_HEADERS), st.text(max_size=10))


@pytest.fixture(scope="module")
def ws() -> Iterator[Workspace]:
    # One workspace for all examples: data piles up, so duplicates get exercised too.
    with Workspace.open(memory=True) as opened:
        yield opened


def _snapshot(ws: Workspace) -> tuple[dict[str, int], int]:
    imports = ws.con.execute("select count(*) from imports").fetchall()[0][0]
    return ws.counts(), int(imports)


def _ingest(ws: Workspace, name: str, data: bytes) -> None:
    """Ingest ``data`` as a file called ``name`` and check every promise."""
    before = _snapshot(ws)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            report = ingest_files(ws, [path])
        except UserError as exc:
            assert str(exc).strip() and "\n" not in str(exc).strip()
            assert _snapshot(ws) == before, "a failed import changed the workspace"
            report = None
    if report is not None:
        for f in report.files:
            assert f.rows_read == f.rows_loaded + f.rows_duplicate + f.rows_rejected, f
            assert min(f.rows_read, f.rows_loaded, f.rows_duplicate, f.rows_rejected) >= 0
        if report.refused:
            assert _snapshot(ws) == before, "a refused import changed the workspace"
    # The connection is left clean: no transaction open, no result pending.
    with ws.transaction() as con:
        assert con.execute("select 1").fetchall() == [(1,)]


def _csv_bytes(headers: list[str], rows: list[list[str]], delimiter: str, encoding: str) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buf.getvalue().encode(encoding, errors="replace")


def _xlsx_bytes(headers: list[str], rows: list[list[str]]) -> bytes:
    wb = openpyxl.Workbook()
    sheet = wb.active
    for row in [headers, *rows]:
        sheet.append([_xlsx_safe(c) for c in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xlsx_safe(text: str) -> str:
    # openpyxl refuses control characters; the point here is the reader, not the writer.
    return "".join(ch for ch in text if ch >= " " or ch in "\t\n\r")


def _sample_head(name: str, lines: int) -> bytes:
    with (SAMPLE / name).open("rb") as fh:
        return b"".join(fh.readline() for _ in range(lines))


@FUZZ
@given(
    data=st.binary(max_size=3000),
    name=st.sampled_from(["export.csv", "export.xlsx", "export.parquet", "export.txt"]),
)
def test_random_bytes(ws: Workspace, data: bytes, name: str) -> None:
    _ingest(ws, name, data)


@FUZZ
@given(
    headers=st.lists(HEADER, min_size=1, max_size=8),
    rows=st.lists(st.lists(CELL, min_size=0, max_size=9), max_size=12),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
)
def test_random_header_sets(
    ws: Workspace, headers: list[str], rows: list[list[str]], delimiter: str, encoding: str
) -> None:
    _ingest(ws, "export.csv", _csv_bytes(headers, rows, delimiter, encoding))


@FUZZ
@given(
    source=st.sampled_from(["accounts.csv", "activities.csv", "invoice_lines.csv", "users.csv"]),
    lines=st.integers(min_value=1, max_value=40),
    cut=st.integers(min_value=0, max_value=4000),
    flips=st.lists(st.tuples(st.integers(min_value=0, max_value=4000), st.binary(max_size=3))),
)
def test_truncated_and_mutated_csv(
    ws: Workspace, source: str, lines: int, cut: int, flips: list[tuple[int, bytes]]
) -> None:
    data = bytearray(_sample_head(source, lines))
    data = data[: max(cut, len(data) // 2)]
    for at, new in flips:
        at = at % (len(data) + 1)
        data[at : at + len(new)] = new
    _ingest(ws, source, bytes(data))


@FUZZ
@given(
    headers=st.lists(HEADER, min_size=1, max_size=6),
    rows=st.lists(st.lists(CELL, max_size=6), max_size=8),
    cut=st.one_of(st.none(), st.integers(min_value=0, max_value=6000)),
    flips=st.lists(
        st.tuples(st.integers(min_value=0, max_value=6000), st.binary(min_size=1, max_size=3)),
        max_size=3,
    ),
)
def test_truncated_and_mutated_excel(
    ws: Workspace,
    headers: list[str],
    rows: list[list[str]],
    cut: int | None,
    flips: list[tuple[int, bytes]],
) -> None:
    data = bytearray(_xlsx_bytes(headers, rows))
    if cut is not None:
        data = data[:cut]
    for at, new in flips:
        at = at % (len(data) + 1)
        data[at : at + len(new)] = new
    _ingest(ws, "export.xlsx", bytes(data))


def test_the_sample_exports_load_and_add_up(ws: Workspace) -> None:
    # The properties above only mean something if real files load through the same path.
    for name in ("users.csv", "accounts.csv"):
        before = _snapshot(ws)
        _ingest(ws, name, (SAMPLE / name).read_bytes())
        assert _snapshot(ws) != before


# Inputs wider fuzzing runs found to crash the reader; kept so they stay fixed.
CRASHERS = {
    "quoted_newline_after_semicolon": ("export.csv", b'Account ID\r\n;"\n"\r\n'),
    "carriage_return_in_header": (
        "users.csv",
        b"User ID,\rull Name,Manager,Sales Team,Region,Email,Annual Quota\nR01,Frank ",
    ),
}


@pytest.mark.parametrize("case", sorted(CRASHERS))
def test_inputs_that_once_crashed(ws: Workspace, case: str) -> None:
    name, data = CRASHERS[case]
    _ingest(ws, name, data)


# --- issue 13: the hostile shapes with hypothesis-chosen sizes and positions ----------------

sys.path.insert(0, str(ROOT / "tests"))
import hostile_files  # noqa: E402

HOSTILE = st.one_of(
    st.builds(
        lambda r, c: ("far.xlsx", hostile_files.far_cell_xlsx(r, c)),
        st.integers(2, 1_048_576),
        st.integers(3, 16_384),
    ),
    st.builds(
        lambda r, c: ("sparse.xlsx", hostile_files.sparse_xlsx(r, c)),
        st.integers(10, 300_000),
        st.integers(3, 300),
    ),
    st.builds(
        lambda rows, wide, short: ("ragged.csv", hostile_files.ragged_csv(rows, wide, short)),
        st.integers(1, 60),
        st.integers(3, 1_100),
        st.integers(0, 3_000),
    ),
    st.builds(lambda n: ("long.csv", hostile_files.long_header_csv(n)), st.integers(1, 200_000)),
    st.builds(lambda d: ("nested.parquet", hostile_files.nested_parquet(d)), st.integers(1, 35)),
    st.just(("damaged.parquet", hostile_files.damaged_parquet())),
)


@settings(FUZZ, max_examples=25)
@given(shape=HOSTILE, cut=st.one_of(st.none(), st.floats(0.05, 1.0)))
def test_hostile_shapes_load_or_are_refused(
    ws: Workspace, shape: tuple[str, bytes], cut: float | None
) -> None:
    name, data = shape
    if cut is not None:  # a truncated copy of the shape too
        data = data[: max(1, int(len(data) * cut))]
    _ingest(ws, name, data)
