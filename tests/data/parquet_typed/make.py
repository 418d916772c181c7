"""Writes orders.parquet with typed columns (date, timestamp, decimal, double, integer)."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

HERE = Path(__file__).parent

table = pa.table(
    {
        "order_id": pa.array([1, 2], pa.int64()),
        "order_date": pa.array([dt.date(2026, 3, 15), dt.date(2026, 4, 1)], pa.date32()),
        "created_at": pa.array([dt.datetime(2026, 3, 15, 14, 30), None], pa.timestamp("us")),
        "net_amount": pa.array([Decimal("1234.50"), Decimal("80.00")], pa.decimal128(12, 2)),
        "discount": pa.array([0.125, 0.0], pa.float64()),
        "account": pa.array(["Acme Corp", "Beta AG"], pa.string()),
    }
)
pq.write_table(table, HERE / "orders.parquet")
