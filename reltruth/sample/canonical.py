"""The sample as canonical tables: the frames, and the fast load straight into a workspace."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa

from reltruth.sample.deals import won_orders
from reltruth.sample.scale import Chunk, chunks
from reltruth.schema import STORED
from reltruth.sql import compose, quote_ident

if TYPE_CHECKING:
    from reltruth.workspace import Workspace

# The sample's canonical frames have the stored tables' columns (reltruth/schema.py).
CANONICAL_COLUMNS = {
    # "pipeline": every deal of the opportunities export (won ones are also order rows,
    # source 'deals')
    t: STORED[t].column_names
    for t in ("reps", "accounts", "activities", "orders", "pipeline")
}


def _canonical(chunk: Chunk) -> dict[str, pd.DataFrame]:
    frames = {
        "reps": chunk.reps,
        "accounts": chunk.accounts,
        "activities": chunk.activities,
        "orders": pd.concat(
            [chunk.orders[CANONICAL_COLUMNS["orders"]], won_orders(chunk.deals)],
            ignore_index=True,
        ),
        "pipeline": chunk.deals,
    }
    out = {}
    for table, frame in frames.items():
        f = frame[CANONICAL_COLUMNS[table]].copy()
        for col in ("owner_since", "activity_date", "order_date", "engage_date", "close_date"):
            if col in f:
                f[col] = pd.to_datetime(f[col]).dt.date
        out[table] = f
    return out


def canonical_frames(scale: int = 1, seed: int = 7) -> dict[str, pd.DataFrame]:
    """The sample as canonical tables (``reps``, ``accounts``, ``activities``, ``orders``).

    Activities naming an account that is not in the accounts export exist only in the
    export (ingestion keeps them aside as unmatched), so they are not here.
    """
    parts: dict[str, list[pd.DataFrame]] = {t: [] for t in CANONICAL_COLUMNS}
    for chunk in chunks(scale, seed):
        for table, frame in _canonical(chunk).items():
            parts[table].append(frame)
    return {t: pd.concat(fs, ignore_index=True) for t, fs in parts.items()}


def load_canonical(ws: Workspace, scale: int = 1, seed: int = 7) -> None:
    """Insert the sample straight into the workspace tables, one copy at a time.

    The fast path for metric tests and benchmarks: no parsing. Rows are keyed by their ids
    as ingestion keys them, so loading the exports afterwards adds nothing twice.
    """
    with ws.transaction() as con:
        ws.bump_data_version()
        for chunk in chunks(scale, seed):
            for table, frame in _canonical(chunk).items():
                arrow = pa.Table.from_pandas(frame, preserve_index=False)
                con.register("__sample_chunk", arrow)
                cols = ", ".join(quote_ident(c) for c in CANONICAL_COLUMNS[table])
                con.execute(
                    compose(
                        "insert into {table} ({cols}) select {cols} from __sample_chunk",
                        table=quote_ident(table),
                        cols=cols,
                    )
                )
                con.unregister("__sample_chunk")
