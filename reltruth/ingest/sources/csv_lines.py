"""Line numbers and reasons for a CSV's rows: the line a row starts on, as an editor shows it, and
the rows DuckDB set aside turned into (line, reason) pairs a sales manager reads.

Why a module of its own: one C-speed pass counts newlines; when every physical line is a record
a row's line follows from its position, and only files with blank lines or line breaks inside
quoted values take the slower Python scan.
"""

from __future__ import annotations

import csv
import mmap
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np

from reltruth.errors import UserError
from reltruth.ingest.sources.base import ColumnTypes, RawTable
from reltruth.ingest.sources.csv_layout import CHUNK_BYTES, Layout, Tail
from reltruth.ingest.sources.csv_read import fetch_rejects
from reltruth.ingest.values import quote_ident
from reltruth.sql import compose

# A line DuckDB set aside that a person would call blank: spaces, quotes, delimiters.
_BLANKISH = re.compile(r'^[\s",;|]*$')


def _record_starts(path: Path, positions: list[int]) -> list[int]:
    """Where each set-aside record really starts: DuckDB's line_byte_position may point at
    empty lines before the record (seen with two or more blank lines before it)."""
    out: list[int] = []
    with path.open("rb") as fh:
        for pos in positions:
            fh.seek(pos)
            head = fh.read(4096)
            skip = len(head) - len(head.lstrip(b"\r\n"))
            # Only whole empty lines are skipped: stop after the last newline.
            cut = head[:skip].rfind(b"\n") + 1
            out.append(pos + cut)
    return out


COUNT_STEP = 16 * 1024 * 1024  # bytes compared at a time while counting lines
COUNT_WINDOW = 64 * 1024 * 1024  # bytes of the file mapped at a time (a multiple of the step)


def count_lines(path: Path) -> int:
    """The file's number of lines (a last line without a line break counts).

    Why not read and ``bytes.count``: copying 500 MB out of the page cache took 0.55 s;
    numpy compares the mapped file in place, in two threads (it releases the GIL), 0.15 s.
    The file is mapped a window at a time: mapped pages count as the process's memory.
    """
    with path.open("rb") as fh:
        size = fh.seek(0, 2)
        if size == 0:
            return 0

        def part(start: int, end: int) -> int:
            n = 0
            for lo in range(start, end, COUNT_WINDOW):
                length = min(COUNT_WINDOW, end - lo)
                with mmap.mmap(fh.fileno(), length, access=mmap.ACCESS_READ, offset=lo) as mm:
                    for i in range(0, length, COUNT_STEP):
                        a = np.frombuffer(mm, np.uint8, count=min(COUNT_STEP, length - i), offset=i)
                        n += int(np.count_nonzero(a == 10))
                        del a  # the map cannot close while an array still points into it
            return n

        if size <= 2 * COUNT_WINDOW:
            newlines = part(0, size)
        else:
            # Halves on a window boundary: mapping offsets must be page-aligned.
            half = size // 2 // COUNT_WINDOW * COUNT_WINDOW
            with ThreadPoolExecutor(2) as pool:
                newlines = sum(pool.map(part, (0, half), (half, size)))
        fh.seek(size - 1)
        last = fh.read(1)
    return newlines + (0 if last == b"\n" else 1)


def line_numbers(path: Path, positions: list[int]) -> tuple[list[int], int]:
    """The 1-based line of each byte position (sorted ascending) and the file's line count
    (counted apart, so the walk stops at the last position)."""
    total = count_lines(path)
    if not positions:
        return [], total
    out: list[int] = []
    newlines = 0
    done = 0
    k = 0
    with path.open("rb") as fh:
        while k < len(positions) and (chunk := fh.read(CHUNK_BYTES)):
            end = done + len(chunk)
            at, seen = 0, 0  # count each stretch of the chunk once, however many positions
            while k < len(positions) and positions[k] < end:
                upto = positions[k] - done
                seen += chunk.count(b"\n", at, upto)
                at = upto
                out.append(newlines + seen + 1)
                k += 1
            newlines += seen + chunk.count(b"\n", at)
            done = end
    out.extend([newlines + 1] * (len(positions) - k))
    return out, total


_REASONS = {
    "MISSING COLUMNS": "the row has {found} values where the header has {n} columns",
    "TOO MANY COLUMNS": "the row has {found} values where the header has {n} columns"
    " (a delimiter inside an unquoted value?)",
    "UNQUOTED VALUE": "a quote mark inside a value is not closed or not doubled",
    "LINE SIZE OVER MAXIMUM": "the line is too long (over 8 MB)",
    "INVALID ENCODING": "the line holds characters that are not valid text",
}


def _reason(kind: str, message: str, n: int) -> str:
    found = re.search(r"Found:\s*(\d+)", message)
    count = found.group(1) if found else "a different number of"
    template = _REASONS.get(kind, "the line could not be split into {n} columns")
    text = template.format(found=count, n=n)
    return text.replace("has 1 values", "has 1 value")


@dataclass(frozen=True)
class RowLines:
    """How the rows of a table read from a CSV (in file order: rowid order) map to the
    file's lines, and what reading set aside."""

    rows_read: int
    rejects: list[tuple[int, str]]
    accepted: int  # rows of the table that are data (report footer records excluded)
    blank_row: str | None  # predicate over the table's alias ``t`` for rows of empty cells
    first_line: int | None  # every row is one line: line = position + first_line
    lines_table: str | None  # otherwise: a TEMP table of lines in row order


def finish_csv(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    shown: str,
    relation: str,
    cells: str,
    layout: Layout,
    tail: Tail,
    raw_rejects: list[tuple[int, str, str, str]],
    encoding: str,
    types: ColumnTypes,
) -> RawTable:
    typed = types.types
    blank_row = " and ".join(
        f"t.c{i} is null" if h in typed else f"(t.c{i} is null or t.c{i} = '')"
        for i, h in enumerate(layout.headers, start=1)
    )
    rows = _row_lines(con, path, shown, cells, layout, tail, raw_rejects, blank_row)
    names = ", ".join(f"t.c{i} as {quote_ident(h)}" for i, h in enumerate(layout.headers, start=1))
    rows_view(con, relation, cells, rows, names)
    return RawTable(
        relation=relation,
        headers=layout.headers,
        rows_read=rows.rows_read,
        rejects=rows.rejects,
        footer_lines=tail.footer_lines,
        source=shown,
        format="csv",
        encoding=encoding,
        delimiter=layout.delimiter,
        typed=dict(typed),
        dateformat=types.dateformat if "DATE" in typed.values() else None,
    )


def _row_lines(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    shown: str,
    table: str,
    layout: Layout,
    tail: Tail,
    raw_rejects: list[tuple[int, str, str, str]],
    blank_row: str | None,
) -> RowLines:
    """Line numbers, rejects and counts for ``table``, read from ``path`` in file order.
    ``blank_row``: how to recognise a row of empty cells (None: the caller made sure the
    file shows none, see ``needs_blank_check``)."""
    n = len(layout.headers)
    footer_byte = tail.footer_start_byte
    # Everything DuckDB set aside above the footer; lines of only spaces, quotes and
    # delimiters are blank lines to a person, not rows and not errors.
    set_aside = [r for r in raw_rejects if footer_byte is None or r[0] < footer_byte]
    positions = _record_starts(path, [r[0] for r in set_aside])
    positions += [footer_byte] if footer_byte is not None else []
    lines, total_lines = line_numbers(path, positions)
    skipped_lines = lines[: len(set_aside)]
    rejects = [
        (line, _reason(kind, msg, n))
        for line, (_, kind, msg, text) in zip(skipped_lines, set_aside, strict=True)
        if not _BLANKISH.match(text)
    ]
    tbl = quote_ident(table)
    # Rows of empty cells (",,,," lines Excel writes for formatted empty rows) are looked
    # for only when the head or tail shows some: the scan costs ~10 % of a big read.
    check_empty = (layout.empty_records or tail.empty_records) and blank_row is not None
    counted = con.execute(
        compose(
            "select count(*), {part} from {tbl} t",
            part=f"count(*) filter (where {blank_row})" if check_empty else "0",
            tbl=tbl,
        )
    ).fetchall()[0]
    accepted = int(counted[0]) - tail.footer_records
    blank_rows = int(counted[1])
    rows_read = accepted - blank_rows + len(rejects)
    if rows_read <= 0:
        raise UserError(f"{shown} has a header row but no data rows.")
    data_end = (lines[-1] - 1 if footer_byte is not None else total_lines) - tail.blank_before_end
    # Whitespace-only lines at the very end are both set aside and outside the data part.
    skipped_lines = [line for line in skipped_lines if line <= data_end]
    one_record_per_line = data_end - layout.header_end == accepted + len(skipped_lines)
    blank = blank_row if blank_rows else None
    if one_record_per_line and not skipped_lines:
        # Every physical line is one row: the line follows from the position.
        return RowLines(rows_read, rejects, accepted, blank, layout.header_end + 1, None)
    # The rows' lines go into a narrow table in row order, zipped to the rows by a
    # positional join: copying the wide table would cost more than reading the file did.
    lines_tbl = f"{table}_lines"
    if one_record_per_line:
        # Every data line but the rejected ones holds a row, in order.
        con.execute(
            compose(
                "create or replace temp table {lines_tbl} as "
                "select range as line from range($first, $end) "
                "where range not in (select unnest($skipped)) order by line",
                lines_tbl=quote_ident(lines_tbl),
            ),
            {"first": layout.header_end + 1, "end": data_end + 1, "skipped": skipped_lines},
        )
    else:
        # Blank lines or line breaks inside quoted values: find the lines in Python.
        line_of = _scanned_lines(path, layout, set(skipped_lines), data_end, accepted)
        con.execute(
            compose(
                "create or replace temp table {lines_tbl} as "
                "select line from (select unnest($k) as k, unnest($l)::bigint as line) order by k",
                lines_tbl=quote_ident(lines_tbl),
            ),
            {"k": list(range(len(line_of))), "l": line_of},
        )
    return RowLines(rows_read, rejects, accepted, blank, None, lines_tbl)


def rows_view(
    con: duckdb.DuckDBPyConnection,
    view: str,
    table: str,
    rows: RowLines,
    select: str,
    *,
    same_transaction: bool = False,
) -> None:
    """TEMP VIEW ``view``: ``__line`` and ``select`` (over ``t``, the table)
    for the rows of ``table`` that are data. A view keeps this free: no second copy of a
    5-million-row table."""
    tbl = quote_ident(table)
    if rows.lines_table is None:
        # A row's position in the file: rowid counted from the table's first rowid (inside
        # a transaction DuckDB numbers new rows from 2**55, after commit from 0; order kept).
        found = con.execute(compose("select min(rowid), count(*) from {tbl}", tbl=tbl)).fetchall()
        first, count = int(found[0][0] or 0), int(found[0][1])
        if same_transaction:
            # The first rowid as a number: as a subquery it made every read of the view a
            # join (0.8 s more to insert 5 million rows from it). Only for a view used in
            # the transaction that made the table: rowids change at commit.
            pos = f"(t.rowid - {first:d})"
        else:
            pos = compose("(t.rowid - (select min(rowid) from {tbl}))", tbl=tbl)
        line = f"{pos} + {rows.first_line:d}"
        source = f"{tbl} t"
        keep = f"{pos} < {rows.accepted:d}" if rows.accepted < count else "true"
    else:
        line = "l.line"
        source = f"{tbl} t positional join {quote_ident(rows.lines_table)} l"
        keep = "l.line is not null"
    if rows.blank_row:
        keep += f" and not ({rows.blank_row})"
    con.execute(
        compose(
            "create or replace temp view {view} as select {line} as __line, "
            "{select} from {source} where {keep}",
            view=quote_ident(view),
            line=line,
            select=select,
            source=source,
            keep=keep,
        )
    )


def _scanned_lines(
    path: Path, layout: Layout, reject_lines: set[int], data_end: int, accepted: int
) -> list[int]:
    """First line of each accepted record, by walking the file with Python's csv module.

    Only for files whose data part holds blank lines or quoted line breaks, where a row's
    position does not give its line; rows DuckDB and Python split differently (should not
    happen) are numbered on from the last known line rather than failing the import.
    """
    out: list[int] = []
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
        for _ in range(layout.header_end):
            fh.readline()
        reader = csv.reader(fh, delimiter=layout.delimiter, quotechar='"')
        prev = 0
        try:
            for fields in reader:
                start = layout.header_end + prev + 1
                prev = reader.line_num
                if start > data_end or len(out) >= accepted:
                    break
                if fields and start not in reject_lines:
                    out.append(start)
        except csv.Error:
            pass
    last = out[-1] if out else layout.header_end
    out.extend(range(last + 1, last + 1 + accepted - len(out)))
    return out


def csv_rows(con: duckdb.DuckDBPyConnection, raw: RawTable, table: str) -> RowLines | None:
    """Lines and rejects of ``table``, built from ``csv_source`` in one statement
    without joins (so its rowid order is the file's). None when the file needs the text
    path after all: a typed cell DuckDB could not read, or bytes that are not UTF-8."""
    plan = raw.pending
    assert plan is not None
    rejects = fetch_rejects(con)
    if any(r[1] in ("CAST", "INVALID ENCODING") for r in rejects):
        return None
    return _row_lines(
        con,
        plan.source,
        raw.source,
        table,
        plan.layout,
        plan.tail,
        rejects,
        None,
    )
