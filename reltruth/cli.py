"""The command line:
``python -m reltruth sample|ingest|estimate-potentials|metrics|sheet|whatif|settings|commitments|members|app``
(the README's 'Command line'; ``estimate-potentials`` is the estimation step of docs/ingest.md).

This module only parses arguments and turns errors into one-line messages and exit codes;
each command lives with the code it drives (sample, ingest, metrics, coaching).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from reltruth.errors import UserError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reltruth",
        description="Test 'great relationships' against your own CRM and ERP exports.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("sample", help="write (or load) the built-in sample exports")
    p.add_argument("--out", type=Path, help="folder to write the sample exports to")
    p.add_argument("--scale", type=int, default=1, help="multiply accounts, activities, orders")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--load", action="store_true", help="load the sample into the workspace")
    p.add_argument(
        "--if-empty", action="store_true", help="with --load: only into an empty workspace"
    )
    p.add_argument("--workspace", type=Path)

    p = sub.add_parser("ingest", help="load exports into the workspace")
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--workspace", type=Path)
    p.add_argument("--table", help="reps|accounts|activities|orders|deals|price_list")
    p.add_argument("--map", action="append", default=[], metavar="Header=field")
    p.add_argument("--sheet", help="Excel sheet name (default: the first)")
    p.add_argument(
        "--accept-partial",
        action="store_true",
        help="load the good rows even when more than 5%% are rejected",
    )
    p.add_argument("--json", action="store_true", help="print the load report as JSON")
    p.add_argument(
        "--replace",
        action="store_true",
        help="replace what earlier imports of files of the same names loaded (a re-import "
        "with a corrected mapping) instead of skipping those rows as already loaded",
    )

    p = sub.add_parser("imports", help="the import log (ids for undo), newest first")
    p.add_argument("--workspace", type=Path)

    p = sub.add_parser(
        "undo",
        help="take back an import: every table as it was before it (later imports too)",
    )
    p.add_argument("import_id", help="an id (or its start) from `reltruth imports`")
    p.add_argument("--workspace", type=Path)

    p = sub.add_parser(
        "estimate-potentials",
        help="fill missing account potentials by a rule (marked estimated)",
        description=(
            "Fill the potential of accounts that have none by one rule; stated potentials are "
            "never changed, earlier estimates are replaced, and every estimate is marked."
        ),
    )
    p.add_argument("--workspace", type=Path)
    p.add_argument(
        "--rule",
        required=True,
        choices=("share_of_company_revenue", "per_employee", "per_segment"),
    )
    p.add_argument(
        "--value",
        type=float,
        help="share of company revenue (0.02 = 2 %%) or spend per employee per year",
    )
    p.add_argument(
        "--segment",
        action="append",
        default=[],
        metavar="Segment=amount",
        help='per_segment: the potential of an account in that segment ("*" = any other)',
    )

    p = sub.add_parser("metrics", help="rep and account metrics for a window")
    p.add_argument("--workspace", type=Path)
    p.add_argument("--as-of", help="YYYY-MM-DD (default: the latest date in the data)")
    p.add_argument("--window-months", type=int, choices=(3, 6, 12))
    p.add_argument("--level", choices=("rep", "account"), default="rep")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.add_argument("--pretty", action="store_true", help="with --format json: indented")

    p = sub.add_parser(
        "whatif",
        help="estimate: move hours from relationship traps to neglected accounts",
        description=(
            "An estimate, not a measurement: move N hours a month of one rep from their "
            "relationship-trap accounts to their neglected-potential accounts and estimate the "
            "revenue effect over the next 12 months (low / central / high), capped at open "
            "potential, with the new alignment score. Assumptions: docs/workshop.md."
        ),
    )
    p.add_argument("--rep", required=True, help="rep id or name")
    p.add_argument("--hours", type=float, required=True, help="hours a month to move")
    p.add_argument(
        "--from",
        dest="from_accounts",
        action="append",
        metavar="ACCOUNT",
        help="account id or name giving hours (default: the rep's relationship traps)",
    )
    p.add_argument(
        "--to",
        dest="to_accounts",
        action="append",
        metavar="ACCOUNT",
        help="account id or name receiving hours (default: the rep's neglected accounts)",
    )
    p.add_argument("--workspace", type=Path)
    p.add_argument("--as-of", help="YYYY-MM-DD (default: the latest date in the data)")
    p.add_argument("--window-months", type=int, choices=(3, 6, 12))
    p.add_argument("--format", choices=("text", "json"), default="text")

    p = sub.add_parser("sheet", help="the one-on-one coaching prompt sheet")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--rep", help="rep id or name")
    who.add_argument("--all", action="store_true", help="one sheet per rep")
    p.add_argument("--workspace", type=Path)
    p.add_argument("--format", choices=("html", "pdf", "md"), default="html")
    p.add_argument("--self-audit", action="store_true", help="written to the rep ('you')")
    p.add_argument("--paper", choices=("a4", "letter"), default="a4", help="PDF paper size")
    p.add_argument(
        "--zip", action="store_true", help="with --all: one ZIP file, as the app's Team ZIP"
    )
    p.add_argument("--as-of")
    p.add_argument("--window-months", type=int, choices=(3, 6, 12))
    p.add_argument("--out", type=Path)

    p = sub.add_parser(
        "commitments",
        help="what was agreed in one-on-ones, with the data's verdict",
        description="Commitments per rep: measurable ones (hours, discount, revenue, "
        "penetration at an account; the alignment score) are judged by the data after the "
        "meeting; free-text ones are marked done, not_done or partly by the manager.",
    )
    act = p.add_subparsers(dest="action", required=True)
    c = act.add_parser("list", help="every commitment with its verdict")
    c.add_argument("--rep", help="rep id or name (default: every rep)")
    c.add_argument("--as-of", help="YYYY-MM-DD (default: the latest date in the data)")
    c.add_argument("--json", action="store_true")
    c.add_argument("--workspace", type=Path)
    c = act.add_parser("add", help="record a commitment")
    c.add_argument("--rep", required=True, help="rep id or name")
    c.add_argument("--text", required=True, help="what was agreed, in words")
    c.add_argument("--kind", choices=("hours", "discount", "revenue", "penetration", "alignment"))
    c.add_argument("--account", help="account id or name (not for alignment)")
    c.add_argument("--op", choices=("at-least", "at-most"), help="default: the kind's usual")
    c.add_argument("--value", type=float, help="hours, per cent (12 or 0.12) or an amount")
    c.add_argument("--due", help="YYYY-MM-DD: by when")
    c.add_argument("--agreed-on", help="YYYY-MM-DD (default: today)")
    c.add_argument("--workspace", type=Path)
    c = act.add_parser("done", help="mark a free-text commitment done, not_done or partly")
    c.add_argument("id", help="the id `list` prints (its first characters are enough)")
    c.add_argument("--status", choices=("done", "not_done", "partly"), default="done")
    c.add_argument("--rep", help="rep id or name (narrows the id search)")
    c.add_argument("--on", help="YYYY-MM-DD (default: today)")
    c.add_argument("--workspace", type=Path)

    p = sub.add_parser(
        "settings",
        help="show or change the thresholds, tier measure and default durations",
        description="Every threshold of the flags and tiers, the tier measure and the default "
        "duration per activity type, stored in the workspace (the app's Settings page shows "
        "the same values).",
    )
    act = p.add_subparsers(dest="action", required=True)
    g = act.add_parser("get", help="every setting with its default, or one value")
    g.add_argument("key", nargs="?", help="e.g. top_tier_quantile or duration.visit")
    g.add_argument("--json", action="store_true")
    g.add_argument("--workspace", type=Path)
    s = act.add_parser("set", help="change one setting (fractions as 0.75 or 75%%)")
    s.add_argument("key")
    s.add_argument("value")
    s.add_argument("--workspace", type=Path)
    r = act.add_parser("reset", help="one setting, or --all, back to the default")
    r.add_argument("key", nargs="?")
    r.add_argument("--all", action="store_true")
    r.add_argument("--workspace", type=Path)

    from reltruth import team

    team.add_parser(sub)

    p = sub.add_parser(
        "app",
        help="start the dashboard (Streamlit) on this machine",
        description="Start the dashboard with the server settings of SECURITY.md. Any "
        "Streamlit flag may follow, e.g. `reltruth app --server.port 8600`.",
    )
    return parser


def _handler(command: str) -> Callable[[argparse.Namespace], int]:
    # Imported lazily: `reltruth sample` should not pay for the PDF renderer's import.
    if command == "sample":
        from reltruth.sample.cli import cli_sample

        return cli_sample
    if command == "ingest":
        from reltruth.ingest.cli import cli_ingest

        return cli_ingest
    if command == "imports":
        from reltruth.ingest.cli import cli_imports

        return cli_imports
    if command == "undo":
        from reltruth.ingest.cli import cli_undo

        return cli_undo
    if command == "estimate-potentials":
        from reltruth.ingest.potential import cli_estimate

        return cli_estimate
    if command == "commitments":
        from reltruth.coaching.commitments_cli import cli_commitments

        return cli_commitments
    if command == "settings":
        from reltruth.settings_cli import cli_settings

        return cli_settings
    if command == "metrics":
        from reltruth.metrics.cli import cli_metrics

        return cli_metrics
    if command == "members":
        from reltruth.team import cli_members

        return cli_members
    if command == "app":
        from reltruth.site import cli_app

        return cli_app
    if command == "whatif":
        from reltruth.workshop.whatif import cli_whatif

        return cli_whatif
    from reltruth.coaching import cli_sheet

    return cli_sheet


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    # `reltruth app` hands any flag it does not know to Streamlit; every other command is strict.
    args, extra = parser.parse_known_args(argv)
    if args.command == "app":
        args.streamlit_args = extra
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return _handler(args.command)(args)
    except UserError as exc:
        print(f"reltruth: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("reltruth: interrupted; nothing was changed.", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: one line, the traceback only on request
        if os.environ.get("RELTRUTH_DEBUG"):
            raise
        print(
            f"reltruth: unexpected error ({type(exc).__name__}: {exc}). "
            "Set RELTRUTH_DEBUG=1 for details.",
            file=sys.stderr,
        )
        return 1
