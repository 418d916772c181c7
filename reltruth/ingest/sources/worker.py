"""What the reader worker does with one staged file (SECURITY.md, "the sandbox"): a CSV's layout
and the check of its shape, or an Excel sheet / Parquet file written out as Parquet of text
columns for the server to load.

Why a module of its own: everything that looks inside an upload runs here, in a process with
its own memory, processor and clock limits, never in the server.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from reltruth.ingest import sandbox
from reltruth.ingest.sources.base import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_REJECT_FIELDS,
    worker_connection,
)
from reltruth.ingest.sources.csv_layout import CsvPlan, plan_csv
from reltruth.ingest.sources.csv_lines import count_lines
from reltruth.ingest.sources.csv_read import broken_csv, csv_call, csv_columns, csv_params
from reltruth.ingest.sources.excel import xlsx_text
from reltruth.ingest.sources.parquet import parquet_text
from reltruth.sql import compose


def worker_task(task: dict[str, Any], shown: str, bounds: sandbox.Limits) -> dict[str, Any]:
    """What the worker does for one staged file; a JSON-able answer for the server."""
    staged = Path(task["staged"])
    kind = task["kind"]
    if kind == "xlsx":
        headers, lines, columns, footer = xlsx_text(staged, shown, task.get("sheet"))
        if len(lines) * len(headers) > MAX_CELLS:
            raise sandbox.too_complex(shown, f"it holds more than {MAX_CELLS:,} cells")
        out = sandbox.output_path(staged, ".text.parquet")
        _write_text_parquet(out, headers, lines, columns)
        return {
            "path": str(out),
            "headers": headers,
            "rows_read": len(lines),
            "footer_lines": footer,
        }
    if kind == "parquet":
        return parquet_text(staged, shown, sandbox.output_path(staged, ".text.parquet"), bounds)
    plan = plan_csv(staged, shown)
    _check_csv(plan, shown, bounds)
    return {
        "source": str(plan.source),
        "encoding": plan.encoding,
        "layout": {**plan.layout.__dict__, "rows": [list(r) for r in plan.layout.rows]},
        "tail": dict(plan.tail.__dict__),
    }


def _check_csv(plan: CsvPlan, shown: str, bounds: sandbox.Limits) -> None:
    """Read the whole CSV once in the worker, cheaply (rows with the wrong number of fields
    skipped, not kept), so that a file the server's reading would pay for far beyond its
    size fails here: DuckDB sets each ragged row aside with one error per missing field
    (1,000 short rows under a 900-column header took 17 s and gigabytes)."""
    ncols = len(plan.layout.headers)
    if ncols > MAX_COLUMNS:
        raise sandbox.too_complex(
            shown, f"it has {ncols:,} columns (at most {MAX_COLUMNS:,} are read)"
        )
    con = worker_connection(plan.source, bounds)
    try:
        params, _ = csv_params(plan.source, plan.layout, None)
        params = {k: v for k, v in params.items() if k not in ("rej", "scan")}
        call = csv_call(csv_columns(plan.layout, None), "", keep_rejects=False)
        rows = int(
            con.execute(compose("select count(*) from {call}", call=call), params).fetchall()[0][0]
        )
    except duckdb.OutOfMemoryException:
        raise
    except duckdb.Error as exc:
        raise broken_csv(shown) from exc
    finally:
        con.close()
    if rows * ncols > MAX_CELLS:
        raise sandbox.too_complex(shown, f"it holds {rows * ncols:,} cells (at most {MAX_CELLS:,})")
    # Lines that are not accepted rows: rejects (and blank lines, footers: an upper bound).
    others = max(0, count_lines(plan.source) - plan.layout.header_end - rows)
    if others * ncols > MAX_REJECT_FIELDS:
        raise sandbox.too_complex(
            shown,
            f"{others:,} of its lines do not have the {ncols:,} fields of its header "
            "(fix the file, or save it again as CSV)",
        )


def _write_text_parquet(
    out: Path, headers: list[str], lines: pa.Array, columns: list[pa.Array]
) -> None:
    """The worker's answer: ``__line`` and text columns c1..cN (names are ours, not the
    file's), as Parquet beside the staged file."""
    import pyarrow.parquet as pq

    names = [f"c{i}" for i in range(1, len(headers) + 1)]
    table = pa.table({"__line": lines} | dict(zip(names, columns, strict=True)))
    pq.write_table(table, out, compression="none")
