"""Small generated files shaped to cost a reader far more than their size (issue 13).

Why generated, not stored: each is a few kilobytes of code-made bytes, so the corpus test,
the hypothesis fuzz and ``benchmarks/hostile.py`` build the same shapes (and their cousins,
with other sizes) without binary fixtures in the repository.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

_CT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_BOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_BOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def _col(n: int) -> str:
    """Column letters of 1-based column ``n`` (1 -> A, 16384 -> XFD)."""
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _cell(ref: str, text: str) -> str:
    safe = text.replace("&", "&amp;").replace("<", "&lt;")
    return f'<c r="{ref}" t="inlineStr"><is><t>{safe}</t></is></c>'


def xlsx(cells: dict[tuple[int, int], str], dimension: str | None = None) -> bytes:
    """A minimal workbook of inline-string cells keyed (row, column), both 1-based."""
    rows: dict[int, list[str]] = {}
    for (r, c), text in sorted(cells.items()):
        rows.setdefault(r, []).append(_cell(f"{_col(c)}{r}", text))
    body = "".join(f'<row r="{r}">{"".join(cs)}</row>' for r, cs in sorted(rows.items()))
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{dim}<sheetData>{body}</sheetData></worksheet>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _BOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", _BOOK_RELS)
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
    return buf.getvalue()


def _header_row() -> dict[tuple[int, int], str]:
    return {(1, 1): "Account ID", (1, 2): "Account Name", (2, 1): "C1", (2, 2): "Northwind"}


def far_cell_xlsx(row: int = 1_048_576, col: int = 16_384) -> bytes:
    """A header, one row and one cell at XFD1048576: the grid reader allocates 512 GiB."""
    return xlsx({**_header_row(), (row, col): "x"})


def sparse_xlsx(rows: int = 200_000, cols: int = 200) -> bytes:
    """A few cells spread over 200k x 200 (and a dimension that says so)."""
    cells = _header_row()
    cells[(rows, 1)] = "C2"
    cells[(rows // 2, cols)] = "y"
    return xlsx(cells, dimension=f"A1:{_col(cols)}{rows}")


def lying_dimension_xlsx() -> bytes:
    """A small sheet whose <dimension> claims the whole grid."""
    return xlsx(_header_row(), dimension="A1:XFD1048576")


def ragged_csv(wide_rows: int = 60, wide: int = 1_008, short_rows: int = 6_000) -> bytes:
    """A wide head (60 rows of 1,008 columns), then thousands of short rows of 8."""
    head = ",".join(f"h{i}" for i in range(wide)) + "\n"
    row = ",".join("1" for _ in range(wide)) + "\n"
    short = ",".join("2" for _ in range(8)) + "\n"
    return (head + row * (wide_rows - 1) + short * short_rows).encode()


def long_header_csv(size: int = 70 * 1024) -> bytes:
    """A first row over 64 KB (a long header cell), then ordinary rows."""
    return ("Account ID,Account Name," + "x" * size + "\nC1,Northwind,1\nC2,Contoso,2\n").encode()


def huge_field_csv(size: int = 9 * 1024 * 1024) -> bytes:
    """One field over the reader's line limit."""
    return ("Account ID,Account Name\nC1," + "y" * size + "\nC2,Contoso\n").encode()


def many_columns_csv(cols: int = 20_000) -> bytes:
    return (",".join(f"c{i}" for i in range(cols)) + "\n" + "1," * (cols - 1) + "1\n").encode()


def nested_parquet(depth: int = 30) -> bytes:
    """A list column nested ``depth`` deep around one number (casting it to text took
    longer than two minutes at depth 30: the cost grows with the depth of the type)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    value: object = 1
    for _ in range(depth):
        value = [value]
    typ: pa.DataType = pa.int64()
    for _ in range(depth):
        typ = pa.list_(typ)
    table = pa.table(
        {
            "Account ID": pa.array(["C1"]),
            "Account Name": pa.array(["Northwind"]),
            "deep": pa.array([value], typ),
        }
    )
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


def damaged_parquet() -> bytes:
    """A sound footer over damaged data pages."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {
            "Account ID": pa.array([f"C{i}" for i in range(2_000)]),
            "Account Name": pa.array([f"Name {i}" for i in range(2_000)]),
        }
    )
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="snappy")
    data = bytearray(buf.getvalue())
    for i in range(40, min(len(data) - 2_000, 4_000), 7):  # data pages, not the footer
        data[i] ^= 0x5A
    return bytes(data)


def big_number_csv() -> bytes:
    return b"Account ID,Account Name,Employees\nC1,Northwind,100000000000000000000\nC2,Contoso,12\n"


def zip_renamed_csv() -> bytes:
    """A zip (not a workbook) named .csv."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.txt", "hello")
    return buf.getvalue()


def nul_csv() -> bytes:
    return b"Account ID,Account Name\n" + b"C1,North\x00wind\n" * 100


# name -> (file name, bytes maker): the corpus every hostile-file test runs.
CORPUS: dict[str, tuple[str, Callable[[], bytes]]] = {
    "far_cell": ("far.xlsx", far_cell_xlsx),
    "sparse": ("sparse.xlsx", sparse_xlsx),
    "lying_dimension": ("dimension.xlsx", lying_dimension_xlsx),
    "ragged": ("ragged.csv", ragged_csv),
    "long_header": ("long_header.csv", long_header_csv),
    "huge_field": ("huge_field.csv", huge_field_csv),
    "many_columns": ("many_columns.csv", many_columns_csv),
    "nested": ("nested.parquet", nested_parquet),
    "damaged": ("damaged.parquet", damaged_parquet),
    "big_number": ("big_number.csv", big_number_csv),
    "zip_as_csv": ("zip.csv", zip_renamed_csv),
    "xlsx_as_csv": ("far_renamed.csv", far_cell_xlsx),
    "nul": ("nul.csv", nul_csv),
}
