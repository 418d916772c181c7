"""Upload checks: a file is judged by its bytes, Excel must be a bounded real workbook."""

from __future__ import annotations

import io
import struct
import tempfile
import tomllib
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reltruth.errors import UserError
from reltruth.ingest import guard
from reltruth.ingest.guard import check_batch, check_file

ROOT = Path(__file__).resolve().parents[3]
MB = 1024 * 1024


def _xlsx_bytes() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Account", "Potential"])
    ws.append(["Northwind", 1200])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rezip(extra: dict[str, bytes] | None = None, drop: tuple[str, ...] = ()) -> bytes:
    """A copy of a real workbook with parts added, replaced or removed."""
    src = zipfile.ZipFile(io.BytesIO(_xlsx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            if info.filename not in drop and info.filename not in (extra or {}):
                zf.writestr(info.filename, src.read(info.filename))
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return out.getvalue()


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _refusal(path: Path, **kwargs: object) -> str:
    with pytest.raises(UserError) as info:
        check_file(path, **kwargs)  # type: ignore[arg-type]
    message = str(info.value)
    assert "\n" not in message and path.name in message
    return message


def test_a_real_workbook_passes(tmp_path: Path) -> None:
    assert check_file(_write(tmp_path, "accounts.xlsx", _xlsx_bytes())) == "xlsx"


def test_kind_comes_from_the_bytes_not_the_name(tmp_path: Path) -> None:
    assert check_file(_write(tmp_path, "accounts.csv", _xlsx_bytes())) == "xlsx"
    frame = pd.DataFrame({"a": [1, 2]})
    frame.to_parquet(tmp_path / "x.parquet")
    assert check_file(_write(tmp_path, "x.csv", (tmp_path / "x.parquet").read_bytes())) == "parquet"
    assert check_file(_write(tmp_path, "orders.xlsx.txt", b"a;b\n1;2\n")) == "csv"


def test_text_exports_pass_in_every_encoding(tmp_path: Path) -> None:
    text = "Kunde;Umsatz\nMüller GmbH;1.234,50 €\n"
    for enc in ("utf-8", "utf-8-sig", "utf-16", "cp1252"):
        assert check_file(_write(tmp_path, f"{enc}.csv", text.encode(enc))) == "csv"


@pytest.mark.parametrize(
    ("head", "what"),
    [
        (b"%PDF-1.7\n", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"\x1f\x8b\x08\x00", "gzip"),
        (b"\x7fELF\x02\x01", "a program"),
    ],
)
def test_other_formats_are_named(tmp_path: Path, head: bytes, what: str) -> None:
    assert what in _refusal(_write(tmp_path, "export.csv", head + b"\x00\x01" * 200))


def test_binary_junk_is_refused(tmp_path: Path) -> None:
    assert "binary" in _refusal(_write(tmp_path, "export.csv", bytes(range(256)) * 10))


def test_legacy_and_fake_workbooks_are_refused(tmp_path: Path) -> None:
    ole = guard.OLE_MAGIC + b"\xa1\xb1\x1a\xe1" + b"\x00" * 600
    assert "old .xls" in _refusal(_write(tmp_path, "old.xls", ole))
    assert "not a valid Excel" in _refusal(_write(tmp_path, "fake.xlsx", b"a,b\n1,2\n"))
    assert "not a valid Parquet" in _refusal(_write(tmp_path, "fake.parquet", b"a,b\n1,2\n"))


@pytest.mark.parametrize("suffix", [".xlsm", ".XLSM", ".xltm", ".xlam", ".xlsb"])
def test_macro_enabled_names_are_refused(tmp_path: Path, suffix: str) -> None:
    assert "macro" in _refusal(_write(tmp_path, f"book{suffix}", _xlsx_bytes()))


def test_a_workbook_carrying_macros_is_refused_whatever_its_name(tmp_path: Path) -> None:
    data = _rezip({"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"})
    assert "macros" in _refusal(_write(tmp_path, "clean.xlsx", data))


def test_a_macro_enabled_content_type_is_refused(tmp_path: Path) -> None:
    src = zipfile.ZipFile(io.BytesIO(_xlsx_bytes()))
    types = src.read("[Content_Types].xml").replace(
        b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml"
    )
    data = _rezip({"[Content_Types].xml": types})
    assert "macro-enabled" in _refusal(_write(tmp_path, "clean.xlsx", data))


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("orders.csv", "a,b\n1,2\n")
    assert "unpack it" in _refusal(_write(tmp_path, "exports.xlsx", buf.getvalue()))


def test_a_truncated_workbook_is_refused(tmp_path: Path) -> None:
    data = _xlsx_bytes()
    for cut in (len(data) // 3, len(data) - 30):
        assert "not a valid Excel" in _refusal(_write(tmp_path, "cut.xlsx", data[:cut]))


def test_a_zip_bomb_is_refused(tmp_path: Path) -> None:
    # 30 MB of one repeated cell inflates ~1000 times: no real export compresses like that.
    sheet = b"<c><v>0</v></c>" * (2 * MB)
    data = _rezip({"xl/worksheets/sheet1.xml": sheet})
    assert len(data) < 200_000
    message = _refusal(_write(tmp_path, "bomb.xlsx", data))
    assert "zip bomb" in message


def test_a_workbook_inflating_beyond_the_total_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(guard, "MAX_XLSX_UNCOMPRESSED", 1 * MB)
    rows = "".join(f"<row><c><v>{i * 7919 % 100003}</v></c></row>" for i in range(60_000))
    data = _rezip({"xl/worksheets/sheet1.xml": rows.encode()})
    assert "inflates to more than" in _refusal(_write(tmp_path, "big.xlsx", data))


def test_a_zip_lying_about_its_sizes_is_refused(tmp_path: Path) -> None:
    # The central directory claims the sheet is 100 bytes; the data inflates to far more.
    data = bytearray(_rezip({"xl/worksheets/sheet1.xml": b"<row/>" * 100_000}))
    at = data.find(b"PK\x01\x02")
    while at != -1:
        name_len = struct.unpack("<H", data[at + 28 : at + 30])[0]
        if data[at + 46 : at + 46 + name_len] == b"xl/worksheets/sheet1.xml":
            data[at + 24 : at + 28] = struct.pack("<I", 100)
        at = data.find(b"PK\x01\x02", at + 4)
    assert "damaged" in _refusal(_write(tmp_path, "liar.xlsx", bytes(data)))


def test_a_central_directory_pointing_before_the_file_is_refused(tmp_path: Path) -> None:
    # The end record says the central directory starts later than it does: zipfile shifts
    # every part's offset below 0 and a seek there raised a raw OSError (a fuzz find).
    data = bytearray(_xlsx_bytes())
    end = data.rfind(b"PK\x05\x06")
    offset = struct.unpack("<I", data[end + 16 : end + 20])[0]
    data[end + 16 : end + 20] = struct.pack("<I", offset + 5_000)
    assert "damaged" in _refusal(_write(tmp_path, "shifted.xlsx", bytes(data)))


def test_a_part_name_flagged_utf8_that_is_not_is_refused(tmp_path: Path) -> None:
    # zipfile decodes such a name and raised a raw UnicodeDecodeError (a fuzz find).
    data = bytearray(_xlsx_bytes())
    at = data.find(b"PK\x01\x02")
    flags = struct.unpack("<H", data[at + 8 : at + 10])[0]
    data[at + 8 : at + 10] = struct.pack("<H", flags | 0x800)
    data[at + 46] = 0xFA  # the first byte of the part's name: no UTF-8 starts so
    assert "damaged" in _refusal(_write(tmp_path, "name.xlsx", bytes(data)))


def test_a_password_protected_entry_is_refused(tmp_path: Path) -> None:
    data = bytearray(_xlsx_bytes())
    at = data.find(b"PK\x01\x02")
    flags = struct.unpack("<H", data[at + 8 : at + 10])[0]
    data[at + 8 : at + 10] = struct.pack("<H", flags | 1)
    assert "password" in _refusal(_write(tmp_path, "locked.xlsx", bytes(data)))


def test_a_truncated_parquet_is_refused(tmp_path: Path) -> None:
    pd.DataFrame({"a": range(100)}).to_parquet(tmp_path / "ok.parquet")
    data = (tmp_path / "ok.parquet").read_bytes()
    assert check_file(tmp_path / "ok.parquet") == "parquet"
    assert "truncated" in _refusal(_write(tmp_path, "cut.parquet", data[: len(data) // 2]))


def test_empty_and_oversize_files_are_refused(tmp_path: Path) -> None:
    assert "is empty" in _refusal(_write(tmp_path, "empty.csv", b""))
    big = _write(tmp_path, "big.csv", b"a,b\n" + b"1,2\n" * 300_000)
    assert _refusal(big, max_bytes=1 * MB) == "big.csv is 1.1 MB; the limit is 1 MB."


def test_batches_over_the_limits_are_refused() -> None:
    check_batch([("a.csv", 10 * MB)] * guard.MAX_FILES)
    with pytest.raises(UserError, match="too many"):
        check_batch([("a.csv", 10)] * (guard.MAX_FILES + 1))
    with pytest.raises(UserError, match="big.csv is 501 MB; the upload limit is 500 MB"):
        check_batch([("big.csv", 501 * MB)])
    with pytest.raises(UserError, match="add up to"):
        check_batch([("a.csv", 400 * MB)] * 3)


def test_the_server_upload_limit_matches_the_code() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == guard.MAX_UPLOAD_MB


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    cut=st.integers(min_value=0, max_value=8000),
    flips=st.lists(
        st.tuples(st.integers(min_value=0, max_value=8000), st.binary(min_size=1, max_size=4)),
        max_size=4,
    ),
    name=st.sampled_from(["a.xlsx", "a.csv", "a.parquet", "a"]),
)
def test_damaged_files_get_an_answer_never_a_crash(
    cut: int, flips: list[tuple[int, bytes]], name: str
) -> None:
    data = bytearray(WORKBOOK[:cut] if cut < len(WORKBOOK) else WORKBOOK)
    for at, new in flips:
        at %= len(data) + 1
        data[at : at + len(new)] = new
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(bytes(data))
        try:
            kind = check_file(path)
        except UserError as exc:
            assert "\n" not in str(exc)
        else:
            assert kind in {"csv", "xlsx", "parquet"}


WORKBOOK = _xlsx_bytes()


def test_a_csv_has_no_size_limit_of_its_own_excel_and_parquet_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 19: a CSV is streamed by DuckDB's reader, so the CLI reads one of any size;
    files read whole keep MAX_BYTES, and an explicit limit (the app's) holds for all."""
    monkeypatch.setattr(guard, "MAX_BYTES", 1 * MB)
    big = _write(tmp_path, "big.csv", b"a,b\n" + b"1,2\n" * 300_000)
    assert check_file(big) == "csv"
    assert "the limit is 1 MB" in _refusal(big, max_bytes=1 * MB)
    pd.DataFrame({"a": [f"row {i:08d}" for i in range(120_000)]}).to_parquet(
        tmp_path / "big.parquet", compression=None
    )
    assert (tmp_path / "big.parquet").stat().st_size > MB
    assert "the limit is 1 MB" in _refusal(tmp_path / "big.parquet")
