"""``reltruth sample``: write the sample's exports or load them into the workspace."""

from __future__ import annotations

import argparse

from reltruth.errors import UserError
from reltruth.sample.exports import load_sample, write_sample


def cli_sample(args: argparse.Namespace) -> int:
    """``reltruth sample --out DIR [--scale N] [--seed S]`` or ``--load [--if-empty] [--scale N]``."""
    if args.load:
        from reltruth.workspace import Workspace

        with Workspace.open(args.workspace) as ws:
            if args.if_empty and not ws.is_empty():
                print("The workspace already holds data; the sample was not loaded.")
                return 0
            report = load_sample(ws, scale=args.scale, seed=args.seed)
            for f in report.files:
                print(
                    f"{f.file}: {f.rows_loaded:,} rows loaded into {f.table}"
                    + (f", {f.rows_duplicate:,} already there" if f.rows_duplicate else "")
                    + (f", {f.rows_rejected:,} rejected" if f.rows_rejected else "")
                )
                if f.unmatched_accounts:
                    print(f"  kept aside, account not found: {', '.join(f.unmatched_accounts)}")
        return 0
    if args.out is None:
        raise UserError("Say where to write the sample (--out DIR) or load it (--load).")
    for path in write_sample(args.out, scale=args.scale, seed=args.seed):
        print(f"{path}: {path.stat().st_size / 1e6:,.1f} MB")
    return 0
