"""The built-in story data set, in the shape a CRM and an ERP would export it.

Why it exists: a sales trainer needs one click to a realistic data set whose stories match
the seeds (a relationship builder, a consistent top performer, a neglected newcomer), and
the benchmarks need the same data multiplied to millions of rows. Both come from one
deterministic generator, so the workshop demo and the benchmark test the same shapes.

Scale N is N independent copies of the eight-rep cast (copy 0 *is* the scale-1 sample), each
generated from its own ``numpy`` generator seeded with ``(seed, copy)`` and written before
the next one is made, so memory stays flat however large N is. The numbers behind the
stories, and why they were chosen, are in ``docs/sample.md``.

The package's public face is re-exported here (callers say ``sample.load_canonical(ws)``);
the cast and its stories are ``reltruth.sample.cast``, one module per part of the generator.
"""

from __future__ import annotations

from reltruth.sample.canonical import CANONICAL_COLUMNS, canonical_frames, load_canonical
from reltruth.sample.cli import cli_sample
from reltruth.sample.exports import FILES, SAMPLE_DIR, load_sample, write_sample

__all__ = [
    "CANONICAL_COLUMNS",
    "FILES",
    "SAMPLE_DIR",
    "canonical_frames",
    "cli_sample",
    "load_canonical",
    "load_sample",
    "write_sample",
]
