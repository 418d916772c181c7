"""Checks an uploaded file before anything parses it: size, kind by its bytes, Excel safety.

Why: exports arrive from strangers' laptops on a shared server. A file is judged by what
its bytes are, not by its name, before any reader touches it. (Extended by issue 6.)
"""

from __future__ import annotations

from pathlib import Path

from reltruth.errors import UserError

MAX_BYTES = 1024 * 1024 * 1024  # 1 GiB per file

ZIP_MAGIC = b"PK\x03\x04"
PARQUET_MAGIC = b"PAR1"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls / encrypted workbooks


def check_file(path: Path, *, name: str | None = None, max_bytes: int | None = None) -> str:
    """The kind of file (``csv``, ``xlsx`` or ``parquet``), or a UserError saying why not."""
    shown = name or path.name
    size = path.stat().st_size
    limit = MAX_BYTES if max_bytes is None else max_bytes
    if size == 0:
        raise UserError(f"{shown} is empty.")
    if size > limit:
        raise UserError(f"{shown} is {size / 1e6:,.0f} MB; the limit is {limit / 1e6:,.0f} MB.")
    with path.open("rb") as fh:
        head = fh.read(8192)
    suffix = path.suffix.lower()
    if suffix in {".xlsm", ".xltm", ".xlam"}:
        raise UserError(f"{shown} is a macro-enabled workbook; save it as .xlsx or CSV.")
    if head.startswith(PARQUET_MAGIC):
        return "parquet"
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        raise UserError(f"{shown} is an old .xls (or password-protected) workbook; save it as .xlsx or CSV.")
    if suffix in {".xlsx", ".xls"}:
        raise UserError(f"{shown} is not a valid Excel file (it is not an .xlsx workbook).")
    if suffix == ".parquet":
        raise UserError(f"{shown} is not a valid Parquet file.")
    if _looks_binary(head):
        raise UserError(f"{shown} is not a text export (it looks like a binary file).")
    return "csv"


def _looks_binary(head: bytes) -> bool:
    # UTF-16 text has many NUL bytes but starts with a BOM or has them in every other byte.
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    if b"\x00" in head:
        even, odd = head[0::2], head[1::2]
        utf16_like = even.count(0) > 0.4 * len(even) or odd.count(0) > 0.4 * len(odd)
        return not utf16_like
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    return control > 0.05 * max(len(head), 1)
