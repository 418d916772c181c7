"""Estimating account potential where the export has none (docs/ingest.md).

Why a module of its own: most CRMs hold no "annual wallet" field, yet penetration, time vs
potential and every flag need one. The user picks one transparent rule; the estimate only
fills accounts without a stated potential and is marked ``potential_estimated`` so that every
screen and sheet can say so.

Rules:
- ``share_of_company_revenue``: potential = value × company_revenue (value 0.02 = 2 % of what
  the customer turns over; check the unit of company_revenue first: Maven's is in millions);
- ``per_employee``: potential = value × employees (spend per head per year);
- ``per_segment``: potential = value[segment] (a constant per segment; a ``"*"`` key applies to
  accounts with another or no segment).
"""

from __future__ import annotations

import argparse
import json

from reltruth.errors import UserError
from reltruth.ingest.detect import first_row
from reltruth.sql import compose
from reltruth.workspace import Workspace

RULES = ("share_of_company_revenue", "per_employee", "per_segment")
RULE_LABELS = {
    "share_of_company_revenue": "A share of the customer's company revenue",
    "per_employee": "Spend per employee",
    "per_segment": "A constant per segment",
}


def segments(ws: Workspace) -> list[tuple[str, int]]:
    """Segments of the accounts an estimate would fill (no stated potential), with counts;
    accounts without a segment are counted under ""."""
    rows = ws.con.execute(
        "select coalesce(trim(segment), '') as s, count(*) from accounts "
        "where potential is null or potential_estimated group by s order by 2 desc, 1"
    ).fetchall()
    return [(str(name), int(n)) for name, n in rows]


def estimate_potentials(
    ws: Workspace, rule: str, value: float | dict[str, float], *, overwrite_estimates: bool = True
) -> int:
    """Fill missing potentials by ``rule``; returns how many accounts got an estimate.

    Stated potentials are never touched; earlier estimates are replaced (a new rule wins)
    unless ``overwrite_estimates`` is False.
    """
    if rule not in RULES:
        raise UserError(f'unknown estimation rule "{rule}": use one of {", ".join(RULES)}.')
    target = (
        "(potential is null or potential_estimated)" if overwrite_estimates else "potential is null"
    )
    with ws.transaction() as con:
        ws.bump_data_version()
        # The rule is kept so that every mark of an estimate can name the rule actually used
        # (read by metrics.marts.potential_rule); the key is not a Settings field.
        con.execute(
            "insert or replace into settings (key, value) values ($key, $value)",
            {
                "key": "potential_estimate",
                "value": json.dumps({"rule": rule, "value": value, "text": rule_text(rule, value)}),
            },
        )
        if overwrite_estimates:
            con.execute(
                "update accounts set potential = null, potential_estimated = false where potential_estimated"
            )
        if rule == "per_segment":
            if not isinstance(value, dict) or not value:
                raise UserError(
                    "a constant per segment needs a value for each segment, e.g. {'Retail': 50000}."
                )
            _check_values(value.values())
            default = value.get("*")
            con.execute(
                "create or replace temp table __segment_potential as "
                "select unnest($segments) as segment, unnest($values) as potential",
                {
                    "segments": [k.strip().lower() for k in value if k != "*"],
                    "values": [float(v) for k, v in value.items() if k != "*"],
                },
            )
            row = first_row(
                con.execute(
                    compose(
                        "update accounts set potential = coalesce(s.seg_potential, $default), potential_estimated = true "
                        "from (select a.account_id, sp.potential as seg_potential from accounts a left join __segment_potential sp "
                        "on sp.segment = lower(trim(a.segment))) s "
                        "where accounts.account_id = s.account_id and {target} "
                        "and coalesce(s.seg_potential, $default) is not null",
                        target=target,
                    ),
                    {"default": None if default is None else float(default)},
                )
            )
            con.execute("drop table if exists __segment_potential")
        else:
            if isinstance(value, dict):
                raise UserError(f"{rule} needs one number, not a value per segment.")
            _check_values([value])
            source = "company_revenue" if rule == "share_of_company_revenue" else "employees"
            row = first_row(
                con.execute(
                    compose(
                        "update accounts set potential = $v * {source}, potential_estimated = true "
                        "where {target} and {source} is not null and {source} > 0",
                        source=source,
                        target=target,
                    ),
                    {"v": float(value)},
                )
            )
        return int(row[0]) if row else 0


def rule_text(rule: str, value: float | dict[str, float]) -> str:
    """The rule and its value in words, for the footnote of every estimated potential."""
    if isinstance(value, dict):
        parts = [f"{k} {v:,.0f}" for k, v in value.items() if k != "*"]
        if "*" in value:
            parts.append(f"others {value['*']:,.0f}")
        return "a constant per segment (" + "; ".join(parts) + ")"
    if rule == "share_of_company_revenue":
        return f"{value * 100:g} % of the customer's company revenue"
    return f"{value:,.0f} per employee"


def _check_values(values: object) -> None:
    for v in values:  # type: ignore[attr-defined]
        if not isinstance(v, int | float) or v <= 0:
            raise UserError(f"an estimation value must be a positive number, not {v!r}.")


def parse_segments(items: list[str]) -> dict[str, float]:
    """``["Retail=50000", "*=20000"]`` -> ``{"Retail": 50000.0, "*": 20000.0}``."""
    out: dict[str, float] = {}
    for item in items:
        name, sep, amount = item.rpartition("=")
        try:
            value = float(amount.replace(",", "").strip())
        except ValueError:
            value = None
        if not sep or not name.strip() or value is None:
            raise UserError(f'"{item}" is not Segment=amount (for example "Retail=50000").')
        out[name.strip()] = value
    return out


def cli_estimate(args: argparse.Namespace) -> int:
    """``reltruth estimate-potentials --rule R (--value X | --segment S=X ...)``."""
    if args.rule == "per_segment":
        if args.value is not None:
            raise UserError("per_segment takes --segment Segment=amount, not --value.")
        value: float | dict[str, float] = parse_segments(list(args.segment or []))
    else:
        if args.value is None or args.segment:
            raise UserError(f"{args.rule} takes one --value (and no --segment).")
        value = float(args.value)
    ws = Workspace.open(args.workspace) if args.workspace else Workspace.open()
    try:
        n = estimate_potentials(ws, args.rule, value)
        row = first_row(ws.con.execute("select count(*) from accounts where potential is null"))
    finally:
        ws.close()
    left = int(row[0]) if row else 0
    still = f"; {left:,} still have none (the rule's column is empty for them)" if left else ""
    print(f"{n:,} accounts got an estimated potential ({args.rule}){still}.")
    return 0
