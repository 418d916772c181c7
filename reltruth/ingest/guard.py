"""Checks an uploaded file before anything parses it: size, kind by its bytes, Excel safety.

Why: exports arrive from strangers' laptops on a shared server. A file is judged by what
its bytes are, not by its name, before any reader touches it: an ``.xlsx`` must be a real
zip whose entries inflate to a bounded size (a 40 KB "zip bomb" can inflate to gigabytes
inside the Excel reader), macro-enabled workbooks are refused, and a PDF or a picture
renamed ``.csv`` is named for what it is instead of being parsed as text.

Limits for the app's uploads (``MAX_UPLOAD_MB``, ``MAX_FILES``, ``MAX_BATCH_MB``) are
checked by the Data page with ``check_batch`` as well as by Streamlit's own
``server.maxUploadSize`` (the two are kept equal by a test).
"""

from __future__ import annotations

import html
import os
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from reltruth.errors import UserError

# 1 GiB: any one Excel or Parquet file (their readers hold the whole file). A CSV has no
# limit of its own: DuckDB's reader streams it, so the CLI reads a 16-million-line export
# without splitting it by hand (issue 19); the app's uploads keep their limits below.
MAX_BYTES = 1024 * 1024 * 1024

# Uploads through the app (per file: .streamlit/config.toml server.maxUploadSize says the same).
MAX_UPLOAD_MB = 500
MAX_FILES = 20  # files in one upload
MAX_BATCH_MB = 1000  # all files of one upload together

# Excel: what a workbook may inflate to. One million rows of twenty columns is about
# 600 MB of sheet XML; real workbooks compress 5-30 times, zip bombs a thousand times.
MAX_XLSX_UNCOMPRESSED = 1024 * 1024 * 1024
MAX_XLSX_RATIO = 150  # per entry, for entries that inflate beyond RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024  # small entries (styles, empty sheets) may compress extremely well
MAX_XLSX_ENTRIES = 10_000
INFLATE_STEP = 4 * 1024 * 1024

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
PARQUET_MAGIC = b"PAR1"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls / encrypted workbooks

MACRO_SUFFIXES = {".xlsm", ".xltm", ".xlam", ".xlsb"}

# Files people upload by mistake: named for what they are rather than "not a text export".
OTHER_FORMATS: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive (unpack it first)"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive (unpack it first)"),
    (b"Rar!", "a RAR archive (unpack it first)"),
    (b"\x7fELF", "a program"),
    (b"SQLite format 3", "an SQLite database"),
    (b"{\\rtf", "a Rich Text document"),
)


def check_file(path: Path, *, name: str | None = None, max_bytes: int | None = None) -> str:
    """The kind of file (``csv``, ``xlsx`` or ``parquet``), or a UserError saying why not.

    ``max_bytes`` limits any file; without it only files read whole (Excel, Parquet) are
    held to ``MAX_BYTES`` and a CSV (streamed) may be of any size."""
    shown = name or path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UserError(f"{shown} cannot be read ({exc.strerror or exc}).") from exc
    if not path.is_file():
        raise UserError(f"{shown} is not a file.")
    limit = MAX_BYTES if max_bytes is None else max_bytes
    if size == 0:
        raise UserError(f"{shown} is empty.")
    try:
        with path.open("rb") as fh:
            head = fh.read(8192)
    except OSError as exc:
        raise UserError(f"{shown} cannot be read ({exc.strerror or exc}).") from exc
    read_whole = head.startswith((PARQUET_MAGIC, ZIP_MAGIC, EMPTY_ZIP_MAGIC, OLE_MAGIC))
    if size > limit and (max_bytes is not None or read_whole):
        raise UserError(f"{shown} is {_mb(size)}; the limit is {_mb(limit)}.")
    suffix = Path(shown).suffix.lower() or path.suffix.lower()
    if suffix in MACRO_SUFFIXES:
        raise UserError(f"{shown} is a macro-enabled or binary workbook; save it as .xlsx or CSV.")
    if head.startswith(PARQUET_MAGIC):
        check_parquet(path, shown)
        return "parquet"
    if head.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)):
        check_xlsx(path, shown)
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        raise UserError(
            f"{shown} is an old .xls (or password-protected) workbook; save it as .xlsx or CSV."
        )
    if suffix in {".xlsx", ".xls", ".xltx"}:
        raise UserError(f"{shown} is not a valid Excel file (it is not an .xlsx workbook).")
    if suffix == ".parquet":
        raise UserError(f"{shown} is not a valid Parquet file.")
    for magic, what in OTHER_FORMATS:
        if head.startswith(magic):
            raise UserError(f"{shown} is {what}, not a CSV, Excel or Parquet export.")
    if _looks_binary(head):
        raise UserError(f"{shown} is not a text export (it looks like a binary file).")
    return "csv"


def check_batch(files: Sequence[tuple[str, int]]) -> None:
    """Refuse an upload (``(name, size in bytes)`` per file) that breaks the app's limits.

    Streamlit enforces ``server.maxUploadSize`` per file in the browser; this repeats it
    in code (a client can skip the browser) and adds what the server cannot: the number
    of files and their total size.
    """
    if len(files) > MAX_FILES:
        raise UserError(f"{len(files)} files at once is too many; upload at most {MAX_FILES}.")
    per_file = MAX_UPLOAD_MB * 1024 * 1024
    for name, size in files:
        if size > per_file:
            raise UserError(
                f"{name} is {_mb(size)}; the upload limit is {MAX_UPLOAD_MB} MB per file."
            )
    total = sum(size for _, size in files)
    if total > MAX_BATCH_MB * 1024 * 1024:
        raise UserError(
            f"These files add up to {_mb(total)}; upload at most {MAX_BATCH_MB} MB at once."
        )


def check_xlsx(path: Path, shown: str) -> None:
    """A real .xlsx: a zip holding a workbook, no macros, inflating to a bounded size.

    The sizes a zip declares can lie, so every entry is inflated here (without keeping
    the output) and counted; the reader only ever sees a workbook that passed.
    """
    not_excel = f"{shown} is not a valid Excel file"
    try:
        with zipfile.ZipFile(path) as zf:
            entries = zf.infolist()
            if len(entries) > MAX_XLSX_ENTRIES:
                raise UserError(f"{not_excel} (it holds {len(entries):,} parts).")
            names = {e.filename.replace("\\", "/").lower() for e in entries}
            if any(n.rsplit("/", 1)[-1] == "vbaproject.bin" for n in names):
                raise UserError(
                    f"{shown} contains macros; save it as .xlsx without macros, or as CSV."
                )
            if "xl/workbook.bin" in names:
                raise UserError(f"{shown} is a binary workbook (.xlsb); save it as .xlsx or CSV.")
            if "[content_types].xml" not in names or "xl/workbook.xml" not in names:
                raise UserError(
                    f"{shown} is a zip archive, not an Excel workbook; unpack it and upload "
                    "the files inside."
                )
            types_entry = _entry(entries, "[content_types].xml")
            content_types, _ = _inflate_entry(path, types_entry, keep=True)
            if b"macroenabled" in content_types.lower():
                raise UserError(
                    f"{shown} is macro-enabled; save it as .xlsx without macros, or as CSV."
                )
            total = 0
            for entry in entries:
                total += _check_entry(path, entry, shown, MAX_XLSX_UNCOMPRESSED - total)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        struct.error,
        EOFError,
        UnicodeDecodeError,  # a part name flagged UTF-8 that is not (a fuzz find)
    ) as exc:
        raise UserError(f"{not_excel} (the file is damaged or truncated).") from exc
    except NotImplementedError as exc:  # encryption / compression zipfile cannot read
        raise UserError(f"{not_excel} (it uses an unsupported compression).") from exc


def _entry(entries: list[zipfile.ZipInfo], lower_name: str) -> zipfile.ZipInfo:
    return next(e for e in entries if e.filename.replace("\\", "/").lower() == lower_name)


def _check_entry(path: Path, entry: zipfile.ZipInfo, shown: str, budget: int) -> int:
    """The true inflated size of ``entry``; a UserError when it breaks the bounds."""
    if entry.flag_bits & 0x1:
        raise UserError(f"{shown} is password-protected; save it without a password, or as CSV.")
    if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise UserError(f"{shown} is not a valid Excel file (it uses an unsupported compression).")
    too_big = UserError(
        f"{shown} inflates to more than {MAX_XLSX_UNCOMPRESSED // 1024**2:,} MB when unpacked "
        "(a damaged file or a zip bomb); save it as CSV instead."
    )
    if entry.file_size > budget:
        raise too_big
    _, size = _inflate_entry(path, entry, keep=False, limit=budget, too_big=too_big)
    if size != entry.file_size:
        raise UserError(f"{shown} is not a valid Excel file (the file is damaged).")
    if size > RATIO_FLOOR and size > MAX_XLSX_RATIO * max(entry.compress_size, 1):
        raise UserError(
            f"{shown} is compressed {size // max(entry.compress_size, 1):,} to 1, far beyond any "
            "real workbook (a zip bomb?); save it as CSV instead."
        )
    return size


def _inflate_entry(
    path: Path,
    entry: zipfile.ZipInfo,
    *,
    keep: bool,
    limit: int = 16 * 1024 * 1024,
    too_big: UserError | None = None,
) -> tuple[bytes, int]:
    """Inflate ``entry`` from its raw bytes, never trusting its declared size.

    Python's zipfile stops reading at the declared size, so a lying header would go
    unnoticed; inflating the raw stream ourselves counts what the data really holds.
    Returns the bytes (only when ``keep``; otherwise nothing is held) and their count.
    """
    out: list[bytes] = []
    count = 0
    with path.open("rb") as fh:
        for piece in _inflated_pieces(fh, entry):
            count += len(piece)
            if count > limit:
                raise too_big or UserError("A part of the workbook is too large.")
            if keep:
                out.append(piece)
    return b"".join(out), count


def _inflated_pieces(fh: BinaryIO, entry: zipfile.ZipInfo) -> Iterator[bytes]:
    """The entry's content in pieces of at most 4 MB, so that a bomb never fills memory."""
    # A damaged central directory can point anywhere, even before the file's start (seek
    # would raise a raw OSError): an offset outside the file is a damaged zip.
    if not 0 <= entry.header_offset < os.fstat(fh.fileno()).st_size:
        raise zipfile.BadZipFile("local header outside the file")
    fh.seek(entry.header_offset)
    local = fh.read(30)
    if len(local) < 30 or local[:4] != ZIP_MAGIC:
        raise zipfile.BadZipFile("bad local header")
    name_len, extra_len = struct.unpack("<HH", local[26:30])
    fh.seek(entry.header_offset + 30 + name_len + extra_len)
    stored = entry.compress_type == zipfile.ZIP_STORED
    inflater = zlib.decompressobj(-15)
    raw_left = entry.compress_size
    while raw_left > 0:
        chunk = fh.read(min(raw_left, 1024 * 1024))
        if not chunk:
            raise zipfile.BadZipFile("truncated entry")
        raw_left -= len(chunk)
        if stored:
            yield chunk
            continue
        data = chunk
        while data and not inflater.eof:
            yield inflater.decompress(data, INFLATE_STEP)
            data = inflater.unconsumed_tail
        if inflater.eof:
            return
    if stored:
        return
    while not inflater.eof:  # output still pending after the last input byte
        piece = inflater.decompress(b"", INFLATE_STEP)
        if not piece:
            raise zipfile.BadZipFile("truncated deflate stream")
        yield piece


def check_parquet(path: Path, shown: str) -> None:
    """A Parquet file ends with its footer and the magic again; a truncated one does not."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        if size < 12:
            raise UserError(f"{shown} is not a valid Parquet file (it is truncated).")
        fh.seek(size - 8)
        tail = fh.read(8)
    footer_len = struct.unpack("<I", tail[:4])[0]
    if tail[4:] != PARQUET_MAGIC or footer_len + 12 > size:
        raise UserError(f"{shown} is not a valid Parquet file (it is damaged or truncated).")


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


def _mb(n: int) -> str:
    """Sizes as people read them: "1.5 MB", "740 MB", "12 KB"."""
    mb = n / 1024**2
    if mb >= 10:
        return f"{mb:,.0f} MB"
    if mb >= 0.1:
        return f"{mb:.1f} MB".replace(".0 MB", " MB")
    return f"{n / 1024:,.0f} KB"


# --------------------------------------------------------------------------------------------
# What a sheet's cells span (read in the bounded worker, before the Excel reader).

_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_ATTR = re.compile(rb'\b([\w:]+)="([^"]*)"')
_REL = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="\$?([A-Z]{1,4})\$?([0-9]{1,9})"')
_ROW_REF = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="([0-9]{1,9})"')
_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")


@dataclass(frozen=True)
class Extent:
    """The cells a sheet really holds: how many, and the grid from A1 they reach (the Excel
    reader fills that whole grid, whatever the sheet's ``<dimension>`` says)."""

    rows: int
    columns: int
    cells: int


def xlsx_extent(path: Path, sheet: str | None) -> Extent:
    """Where the cells of ``sheet`` (the first sheet when None) reach, from its XML."""
    with zipfile.ZipFile(path) as zf:
        entries = zf.infolist()
        part = _sheet_part(path, entries, sheet)
        if part is None:
            return Extent(0, 0, 0)
        rows = cols = cells = 0
        carry = b""
        with path.open("rb") as fh:
            for piece in _inflated_pieces(fh, part):
                data = carry + piece
                # A tag cut at the end of a piece is looked at again with the next one.
                cut = data.rfind(b"<")
                body, carry = (data[:cut], data[cut:]) if cut >= 0 else (data, b"")
                if len(carry) > 4096:  # no tag is that long: judge it now
                    body, carry = data, b""
                cells += len(_CELL.findall(body))
                for col, row in _CELL_REF.findall(body):
                    rows = max(rows, int(row))
                    cols = max(cols, _col_number(col))
                for row in _ROW_REF.findall(body):
                    rows = max(rows, int(row))
            cells += len(_CELL.findall(carry))
    return Extent(rows, cols, cells)


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _sheet_part(
    path: Path, entries: list[zipfile.ZipInfo], sheet: str | None
) -> zipfile.ZipInfo | None:
    """The zip entry of a sheet, by its name as the workbook lists it."""
    by_name = {e.filename.replace("\\", "/").lower(): e for e in entries}
    book, _ = _inflate_entry(path, by_name["xl/workbook.xml"], keep=True)
    rels_entry = by_name.get("xl/_rels/workbook.xml.rels")
    rels = _inflate_entry(path, rels_entry, keep=True)[0] if rels_entry else b""
    targets = {}
    for tag in _REL.findall(rels):
        attrs = dict(_ATTR.findall(tag))
        targets[attrs.get(b"Id", b"")] = attrs.get(b"Target", b"").decode("utf-8", "replace")
    for tag in _SHEET.findall(book):
        attrs = {k.split(b":")[-1] if k != b"r:id" else k: v for k, v in _ATTR.findall(tag)}
        name = html.unescape(attrs.get(b"name", b"").decode("utf-8", "replace"))
        if sheet is not None and name != sheet:
            continue
        rid = next((v for k, v in attrs.items() if k.endswith(b"id") and k != b"sheetId"), b"")
        target = targets.get(rid, "")
        full = target.lstrip("/") if target.startswith("/") else "xl/" + target
        return by_name.get(posixpath.normpath(full).lower())
    return None
