"""An Excel sheet as text cells, run in the reader worker: the sheet's shape bounded from the cells
it holds (not its declared dimension), title rows and footers skipped, numbers written as a
spreadsheet shows them.
"""

from __future__ import annotations

import functools
import itertools
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from reltruth.errors import UserError
from reltruth.ingest import guard, sandbox
from reltruth.ingest.sources.base import (
    MAX_COLUMNS,
    MAX_TITLE_LINES,
    MAX_XLSX_GRID,
    VALUE_LIKE,
    cell_text,
    clean_headers,
    footer_start,
)


def _texts(row: list[Any]) -> list[str]:
    return ["" if v is None else cell_text(v) for v in row]


def _present(row: list[Any], j: int) -> bool:
    return j < len(row) and row[j] is not None and str(row[j]).strip() != ""


def _has_value(cells: list[Any]) -> bool:
    return any(v is not None and str(v).strip() != "" for v in cells)


def sheet_names(path: str | Path, *, name: str | None = None) -> list[str]:
    """The sheets of an Excel workbook (empty for any other file), for choosing one."""
    from python_calamine import CalamineError, CalamineWorkbook  # only Excel needs it

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        return []
    guard.check_file(path, name=name)
    try:
        return list(CalamineWorkbook.from_path(str(path)).sheet_names)
    except (CalamineError, ValueError, OSError) as exc:
        raise UserError(f"{name or path.name} could not be opened as an Excel workbook.") from exc


def _check_xlsx_shape(staged: Path, shown: str, sheet: str | None) -> None:
    """Refuse a sheet whose cells span a grid the reader could not hold: it fills every
    cell from A1 to the farthest one, so one cell at XFD1048576 means 17 billion."""
    extent = guard.xlsx_extent(staged, sheet)
    grid = extent.rows * extent.columns
    span = f"its cells reach row {extent.rows:,} and column {extent.columns:,}"
    if extent.columns > MAX_COLUMNS:
        raise sandbox.too_complex(shown, f"{span} (at most {MAX_COLUMNS:,} columns are read)")
    if grid > MAX_XLSX_GRID:
        raise sandbox.too_complex(
            shown, f"{span}, {grid:,} cells to read (at most {MAX_XLSX_GRID:,})"
        )
    if grid > 1_000_000 and extent.cells * 20 < grid:
        raise sandbox.too_complex(
            shown, f"{span} but it holds only {extent.cells:,} cells (delete the far cells)"
        )


def xlsx_text(
    staged: Path, shown: str, sheet: str | None
) -> tuple[list[str], pa.Array, list[pa.Array], int]:
    """A sheet's headers, spreadsheet row numbers, text columns and footer lines."""
    from python_calamine import CalamineError, CalamineWorkbook  # only Excel needs it

    _check_xlsx_shape(staged, shown, sheet)
    try:
        book = CalamineWorkbook.from_path(str(staged))
        names = list(book.sheet_names)
        if sheet is not None and sheet not in names:
            listed = ", ".join(f'"{n}"' for n in names)
            raise UserError(f'{shown} has no sheet "{sheet}" (its sheets: {listed}).')
        chosen = sheet if sheet is not None else names[0]
        grid = book.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    except (CalamineError, ValueError, OSError) as exc:
        raise UserError(f"{shown} could not be opened as an Excel workbook.") from exc
    # Index i of the grid is spreadsheet row i + 1 (the grid starts at A1). Only the top
    # (header) and the bottom (footer) are converted up front; the body once, column-wise.
    top = [_texts(row) for row in grid[:200]]
    filled = [sum(1 for v in row if v.strip()) for row in top]
    if not any(filled) and not any(_has_value(row) for row in grid):
        raise UserError(f'{shown} (sheet "{chosen}") is empty.')
    widest = max(filled)
    need = max(2, (widest + 1) // 2) if widest > 1 else 1
    head = next((i for i in range(min(len(top), MAX_TITLE_LINES)) if filled[i] >= need), None)
    if head is None:
        raise UserError(f"{shown} has no recognisable header row.")
    header_row = top[head]
    named = [c for c in header_row if c.strip() and not VALUE_LIKE.match(c.strip())]
    if len(named) * 2 < filled[head]:
        raise UserError(
            f"{shown} has no header row: its first filled row holds values, not column names."
        )
    body = grid[head + 1 :]
    bottom = [_texts(row) for row in body[-40:]]
    cut = footer_start(bottom)
    footer = bottom[cut:] if cut is not None else []
    body = body[: len(body) - len(footer)]
    width = max((len(r) for r in grid), default=0)
    used = [j for j, v in enumerate(header_row) if v.strip()]
    first, last = min(used), max(used)
    # Data may reach beyond the header's columns (blank headers): widen to what is used.
    while first > 0 and any(_present(r, first - 1) for r in body):
        first -= 1
    while last + 1 < width and any(_present(r, last + 1) for r in body):
        last += 1
    headers = clean_headers(header_row[first : last + 1])
    columns = column_texts([row[first : last + 1] for row in body], len(headers))
    lines = pa.array(range(head + 2, head + 2 + len(body)), pa.int64())  # spreadsheet rows
    if body:
        # Blank rows (no cell with more than spaces) are not data.
        filled = [
            pc.fill_null(pc.not_equal(pc.utf8_trim_whitespace(c), ""), False) for c in columns
        ]
        keep = functools.reduce(pc.or_, filled)
        lines, columns = lines.filter(keep), [c.filter(keep) for c in columns]
    if not len(lines):
        raise UserError(f"{shown} has a header row but no data rows.")
    return headers, lines, columns, sum(1 for r in footer if any(v.strip() for v in r))


def column_texts(rows: list[list[Any]], width: int) -> list[pa.Array]:
    """The cells of ``rows`` as ``width`` Arrow text columns, as a CSV export would hold them
    (``cell_text``; empty -> null).

    Column by column, not cell by cell: a column of only text, only numbers or only dates
    is converted by Arrow in one call (100,000 rows of ten columns took 4 s cell by cell).
    Other columns (mixed, booleans, times) go through ``cell_text``.
    """
    out: list[pa.Array] = []
    padded = itertools.zip_longest(*rows, fillvalue=None) if rows else iter(())
    for col in itertools.islice(itertools.chain(padded, itertools.repeat(())), width):
        values = list(col) if col else [None] * len(rows)
        kinds = set(map(type, values)) - {type(None)}
        if kinds <= {str}:
            out.append(pc.if_else(pc.equal(pa.array(values, pa.string()), ""), None, values))
        elif kinds <= {float, int}:
            out.append(_number_texts(pa.array(values, pa.float64())))
        elif kinds <= {date}:
            out.append(pc.cast(pa.array(values, pa.date32()), pa.string()))
        elif kinds <= {datetime}:
            stamps = pa.array(values, pa.timestamp("us"))
            day = pc.strftime(stamps, "%Y-%m-%d")
            when = pc.utf8_slice_codeunits(pc.strftime(stamps, "%Y-%m-%d %H:%M:%S"), 0, 19)
            out.append(
                pc.if_else(pc.equal(pc.floor_temporal(stamps, unit="day"), stamps), day, when)
            )
        else:
            out.append(
                pa.array(
                    [None if v is None or v == "" else cell_text(v) for v in values], pa.string()
                )
            )
    return out


def _number_texts(numbers: pa.Array) -> pa.Array:
    """``cell_text`` for a column of numbers: whole numbers below 1e15 without a decimal
    point or exponent (account numbers stored as numbers), others in shortest form."""
    whole = pc.and_(pc.equal(pc.floor(numbers), numbers), pc.less(pc.abs(numbers), 1e15))
    as_int = pc.cast(pc.cast(pc.if_else(whole, numbers, 0.0), pa.int64(), safe=False), pa.string())
    return pc.if_else(whole, as_int, pc.cast(numbers, pa.string()))
