"""A CSV's layout from its head and tail only: encoding, delimiter, title lines, header, footer.

Why a module of its own: Python looks at the first ~256 KB and the last ~16 KB of a file and
nothing else, so that DuckDB's reader can do every row with explicit options (no sniffing).
Encodings DuckDB does not read natively are transcoded here, in chunks, into the staging folder.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reltruth.errors import UserError
from reltruth.ingest.sources.base import (
    MAX_LINE_BYTES,
    MAX_TITLE_LINES,
    VALUE_LIKE,
    clean_headers,
    footer_start,
)

SAMPLE_BYTES = 256 * 1024  # head looked at in Python for the encoding
LAYOUT_BYTES = 64 * 1024  # head parsed in Python for delimiter and header
TAIL_BYTES = 16 * 1024  # tail looked at in Python: report footers
CHUNK_BYTES = 8 * 1024 * 1024  # newline counting and transcoding work in chunks this big
DELIMITERS = (",", ";", "\t", "|")

# charset-normalizer cannot tell the Western single-byte code pages apart on short samples
# (it proposes cp1250, cp775, mac_roman... for German or French text). Exports for reltruth
# come from Western sales teams, so its guess is taken only when it names another script;
# everything else reads as Windows-1252, a superset of Latin-1's printable characters.
_OTHER_SCRIPTS = {
    "cp1251", "koi8_r", "koi8_u", "cp866", "mac_cyrillic", "iso8859_5",
    "cp1253", "iso8859_7", "cp1255", "iso8859_8", "cp1256", "iso8859_6",
    "shift_jis", "cp932", "euc_jp", "iso2022_jp", "gb2312", "gbk", "gb18030",
    "big5", "big5hkscs", "euc_kr", "cp949", "johab", "tis_620", "cp874",
}  # fmt: skip
# Python's csv module (head, tail, line scan) must accept the long cells DuckDB accepts.
csv.field_size_limit(max(csv.field_size_limit(), 8 * 1024 * 1024))


# ---------------------------------------------------------------------------------------
# CSV


@dataclass(frozen=True)
class Layout:
    """What the head of a CSV says: delimiter, header line(s), column count."""

    delimiter: str
    header_line: int  # first physical line of the header record (1-based)
    header_end: int  # last physical line of the header record
    headers: list[str]
    empty_records: bool  # records of empty cells (",,,") seen in the sample
    rows: tuple[list[str], ...] = ()  # the data records read with the head (for samples)


@dataclass(frozen=True)
class Tail:
    """What the end of a CSV says: where a report footer starts, trailing blank lines."""

    footer_start_byte: int | None  # byte offset of the footer block (None: no footer)
    footer_lines: int  # non-blank footer lines
    footer_records: int  # footer lines DuckDB will accept as rows (right field count)
    blank_before_end: int  # blank lines between the last data line and footer / end
    empty_records: bool = False  # records of empty cells (",,,") seen in the tail


@dataclass(frozen=True)
class CsvPlan:
    """What Python found out about a CSV before DuckDB reads its rows."""

    source: Path  # the file DuckDB reads (UTF-8: the upload, or its transcoded copy)
    staged: Path  # the upload as staged
    encoding: str
    layout: Layout
    tail: Tail


def plan_csv(staged: Path, shown: str) -> CsvPlan:
    encoding = _detect_encoding(staged)
    source = staged if encoding in ("utf-8", "utf-8-sig") else transcode(staged, encoding)
    layout = _layout(source, shown)
    return CsvPlan(source, staged, encoding, layout, _tail(source, layout))


def _detect_encoding(path: Path) -> str:
    """A Python codec name: BOM first, then UTF-8 (the head), then charset-normalizer."""
    with path.open("rb") as fh:
        head = fh.read(SAMPLE_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le"
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be"
    if b"\x00" in head[:1024]:  # UTF-16 without a BOM: NULs in every other byte
        odd_zero = head[1:1024:2].count(0) > head[0:1024:2].count(0)
        return "utf-16-le" if odd_zero else "utf-16-be"
    bad_chunk = _scan_utf8(head)
    if bad_chunk is None:
        return "utf-8"
    sample = head[: SAMPLE_BYTES // 2] + bad_chunk[: SAMPLE_BYTES // 2]
    from charset_normalizer import from_bytes  # imported late: only non-UTF-8 files need it

    best = from_bytes(sample).best()
    guess = best.encoding if best is not None else "cp1252"
    if guess in _OTHER_SCRIPTS:
        return guess
    # Bytes 0x80-0x9F are printable only in Windows-1252 (€, curly quotes, dashes).
    return "cp1252" if re.search(rb"[\x80-\x9f]", sample) else "latin-1"


def _scan_utf8(head: bytes) -> bytes | None:
    """The stretch of ``head`` around its first byte that is not UTF-8, or None.

    Only the head is checked here: decoding a 500 MB file in Python cost half a second.
    Invalid bytes further down reach DuckDB's reader, which sets those lines aside as
    INVALID ENCODING; ``_read_csv`` then reads the file again as Windows-1252.
    """
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError as err:
        return head[max(0, err.start - 4096) :]
    return None


def _western_fallback(err: UnicodeError) -> tuple[str, int]:
    # The five bytes cp1252 leaves undefined decode as Latin-1 instead of failing the file.
    assert isinstance(err, UnicodeDecodeError)
    return err.object[err.start : err.end].decode("latin-1"), err.end


codecs.register_error("reltruth_latin1", _western_fallback)


def transcode(path: Path, encoding: str) -> Path:
    """A UTF-8 copy of ``path`` beside it in the staging folder, written chunk by chunk."""
    codec = {"latin-1": "cp1252", "utf-16-le": "utf-16", "utf-16-be": "utf-16"}.get(
        encoding, encoding
    )
    if encoding in ("utf-16-le", "utf-16-be"):
        with path.open("rb") as fh:
            has_bom = fh.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
        if not has_bom:
            codec = encoding
    errors = "reltruth_latin1" if codec == "cp1252" else "replace"
    out = path.with_name(path.name + ".utf8.csv")
    decoder = codecs.getincrementaldecoder(codec)(errors=errors)
    with path.open("rb") as src, out.open("w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(CHUNK_BYTES):
            dst.write(decoder.decode(chunk))
        dst.write(decoder.decode(b"", final=True))
    return out


def _records(text: str, delimiter: str) -> list[tuple[int, int, list[str]]]:
    """(first line, last line, fields) of each record in ``text``; blank lines give []."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"')
    out: list[tuple[int, int, list[str]]] = []
    prev = 0
    try:
        for fields in reader:
            out.append((prev + 1, reader.line_num, fields))
            prev = reader.line_num
    except csv.Error:
        pass  # a broken quote in the sample: judge on what came before it
    return out


def _is_blank(fields: list[str]) -> bool:
    return not any(f.strip() for f in fields)


def _layout(path: Path, shown: str) -> Layout:
    size = LAYOUT_BYTES
    with path.open("rb") as fh:
        while True:
            fh.seek(0)
            head = fh.read(size)
            truncated = bool(fh.read(1))
            # A header (or first rows) longer than the usual head: look further, up to the
            # longest line the reader accepts, rather than calling the file empty.
            if not truncated or head.count(b"\n") >= 3 or size >= MAX_LINE_BYTES:
                break
            size = min(size * 4, MAX_LINE_BYTES)
    if truncated and b"\n" not in head:
        raise UserError(
            f"{shown} has a line longer than {MAX_LINE_BYTES // 1024**2} MB, the longest a "
            "line may be; is it really a CSV export?"
        )
    text = head.decode("utf-8-sig", errors="replace")
    if truncated:  # judge whole lines only
        text = text[: text.rfind("\n") + 1] if "\n" in text else text
    Recs = list[tuple[int, int, list[str]]]
    best: tuple[tuple[int, int], str, Recs, Recs] | None = None
    for delim in DELIMITERS:
        every = _records(text, delim)
        recs = [r for r in every if not _is_blank(r[2])]
        if truncated and len(recs) > 1:
            recs = recs[:-1]  # the last record may be cut off
        counts = [len(r[2]) for r in recs]
        if not counts:
            continue
        # Title and footer lines are single cells: the table's width is the most common
        # count among multi-field records (a footer may have more lines than a tiny table).
        multi = [c for c in counts if c > 1] or counts
        modal = max(set(multi), key=lambda c: (multi.count(c), c))
        key = (multi.count(modal) if modal > 1 else 0, modal)
        if best is None or key > best[0]:
            best = (key, delim, recs, every)
    if best is None:
        raise UserError(f"{shown} is empty.")
    (_, ncols), delim, recs, every = best
    # Some exporters end every data line (or only the header) with a delimiter: a header
    # one field short of rows whose last field is always empty, or one field long with an
    # empty last cell, is still the header.
    full = [r[2] for r in recs if len(r[2]) == ncols]
    trailing_empty = ncols > 2 and all(not f[-1].strip() for f in full)

    def fits(fields: list[str]) -> bool:
        k = len(fields)
        return (
            k == ncols
            or (k == ncols + 1 and not fields[-1].strip())
            or (k == ncols - 1 and trailing_empty)
        )

    # A title row a spreadsheet saved with the table's delimiters ("Kundenliste;;;;") has
    # the width but not the names: a header fills at least half its cells.
    header = next(
        (
            r
            for r in recs[:MAX_TITLE_LINES]
            if fits(r[2]) and 2 * sum(1 for c in r[2] if c.strip()) >= min(len(r[2]), ncols)
        ),
        None,
    )
    if header is None:
        raise UserError(f"{shown} has no recognisable header row.")
    cells = [c.strip() for c in header[2]][:ncols]
    cells += [""] * (ncols - len(cells))
    named = [c for c in cells if c and not VALUE_LIKE.match(c)]
    if len(named) * 2 < len([c for c in cells if c]) or not named:
        raise UserError(
            f"{shown} has no header row: its first line holds values, not column names."
        )
    return Layout(
        delimiter=delim if ncols > 1 else ",",
        header_line=header[0],
        header_end=header[1],
        headers=clean_headers(cells),
        empty_records=any(len(r[2]) == ncols > 1 and _is_blank(r[2]) for r in every),
        rows=tuple(r[2] for r in recs if r[0] > header[1] and fits(r[2])),
    )


def _tail(path: Path, layout: Layout) -> Tail:
    """Find a report footer (Salesforce: blank line, "Grand Totals (N records)", copyright...)."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        fh.seek(max(0, size - TAIL_BYTES))
        raw = fh.read()
    start = size - len(raw)
    if start > 0:  # drop the partial first line
        cut = raw.find(b"\n") + 1
        raw, start = raw[cut:], start + cut
    lines = raw.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    offsets = list(itertools.accumulate([start] + [len(x) + 1 for x in lines]))[:-1]
    ncols = len(layout.headers)

    def fields(line: bytes) -> list[str]:
        text = line.decode("utf-8", errors="replace").rstrip("\r")
        recs = _records(text, layout.delimiter)
        return recs[0][2] if recs else []

    rows = [fields(line) for line in lines]
    first = footer_start(rows) if ncols > 1 else None
    trailing_blank = 0
    for j in range(len(lines) - 1, -1, -1):  # blank lines at the very end (no footer)
        if lines[j].strip(b"\r\t ") != b"":
            break
        trailing_blank += 1
    empty = any(len(r) == ncols > 1 and _is_blank(r) for r in rows)
    if first is None:
        return Tail(None, 0, 0, trailing_blank, empty)
    footer = rows[first:]
    blank_before = 0
    for j in range(first - 1, -1, -1):
        if lines[j].strip(b"\r\t ") != b"":
            break
        blank_before += 1
    return Tail(
        footer_start_byte=offsets[first],
        footer_lines=sum(1 for f in footer if not _is_blank(f)),
        footer_records=sum(1 for f in footer if f and len(f) == ncols),
        blank_before_end=blank_before,
        empty_records=empty,
    )


def plan_from_reply(reply: dict[str, Any], staged: Path) -> CsvPlan:
    layout = dict(reply["layout"])
    layout["rows"] = tuple(list(r) for r in layout["rows"])
    return CsvPlan(
        source=Path(reply["source"]),
        staged=staged,
        encoding=str(reply["encoding"]),
        layout=Layout(**layout),
        tail=Tail(**reply["tail"]),
    )
