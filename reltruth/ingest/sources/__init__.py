"""Where a file's rows come from: one module per source format, each ending in a RawTable.

``base`` is what every source hands on (the RawTable, clean headers, footers, the shape
limits); ``csv_layout`` reads a CSV's head and tail, ``csv_read`` has DuckDB read its rows,
``csv_lines`` gives rows their line numbers and reasons; ``excel`` and ``parquet`` run in the
reader worker (``worker``), never in the server. ``reltruth.ingest.read`` is the front door.
"""
