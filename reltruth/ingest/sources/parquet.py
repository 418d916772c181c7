"""A Parquet file as text cells, run in the reader worker: nesting bounded, nested values
flattened to text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from reltruth.errors import UserError
from reltruth.ingest import sandbox
from reltruth.ingest.sources.base import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_NESTING,
    clean_headers,
    worker_connection,
)
from reltruth.ingest.values import quote_ident
from reltruth.sql import compose

# ---------------------------------------------------------------------------------------
# Parquet


def _depth(typ: pa.DataType) -> int:
    """Levels of lists, structs and maps in a type (0 for a plain value)."""
    if not typ.num_fields:
        return 0
    return 1 + max(_depth(typ.field(i).type) for i in range(typ.num_fields))


def parquet_text(staged: Path, shown: str, out: Path, bounds: sandbox.Limits) -> dict[str, Any]:
    """In the worker: Parquet is already typed; every column is cast to VARCHAR so the rest
    of ingestion sees one shape (dates become ISO text, numbers plain point-decimal text)."""
    import pyarrow.parquet as pq

    try:
        meta = pq.read_metadata(staged)
        schema = meta.schema.to_arrow_schema()
    except (pa.ArrowException, OSError) as exc:
        raise UserError(f"{shown} could not be read as a Parquet file.") from exc
    if len(schema) > MAX_COLUMNS:
        raise sandbox.too_complex(
            shown, f"it has {len(schema):,} columns (at most {MAX_COLUMNS:,} are read)"
        )
    for col in schema:
        if _depth(col.type) > MAX_NESTING:
            raise sandbox.too_complex(
                shown,
                f'column "{col.name}" is nested {_depth(col.type)} levels deep (at most '
                f"{MAX_NESTING} are read; flatten it before exporting)",
            )
    if meta.num_rows * max(len(schema), 1) > MAX_CELLS:
        raise sandbox.too_complex(
            shown, f"it holds {meta.num_rows * len(schema):,} cells (at most {MAX_CELLS:,})"
        )
    con = worker_connection(staged, bounds)
    try:
        described = con.execute(
            "describe select * from read_parquet($p)", {"p": str(staged)}
        ).fetchall()
        originals = [str(r[0]) for r in described]
        headers = clean_headers(originals)
        select = ", ".join(
            f"cast({quote_ident(o)} as varchar) as c{i}" for i, o in enumerate(originals, start=1)
        )
        # No lines in Parquet: number rows as a spreadsheet would (header = line 1).
        result = con.execute(
            compose(
                "select (file_row_number + 2)::bigint as __line, {select} "
                "from read_parquet($p, file_row_number = true)",
                select=select,
            ),
            {"p": str(staged)},
        )
        writer = None
        rows = 0
        try:
            for batch in result.to_arrow_reader(100_000) or ():
                if writer is None:
                    writer = pq.ParquetWriter(out, batch.schema, compression="none")
                writer.write_batch(batch)
                rows += batch.num_rows
        finally:
            if writer is not None:
                writer.close()
    except duckdb.OutOfMemoryException:
        raise
    except duckdb.Error as exc:
        raise UserError(
            f"{shown} could not be read as a Parquet file: part of its data is damaged."
        ) from exc
    finally:
        con.close()
    if rows == 0:
        raise UserError(f"{shown} has columns but no data rows.")
    return {"path": str(out), "headers": headers, "rows_read": rows}
