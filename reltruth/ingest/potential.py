"""Estimating account potential where the export has none (spec section 2, accounts).

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

from reltruth.errors import UserError
from reltruth.ingest.detect import _one
from reltruth.workspace import Workspace

RULES = ("share_of_company_revenue", "per_employee", "per_segment")


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
            row = _one(
                con.execute(
                    "update accounts set potential = coalesce(s.seg_potential, $default), potential_estimated = true "  # noqa: S608
                    "from (select a.account_id, sp.potential as seg_potential from accounts a left join __segment_potential sp "
                    "on sp.segment = lower(trim(a.segment))) s "
                    f"where accounts.account_id = s.account_id and {target} "
                    "and coalesce(s.seg_potential, $default) is not null",
                    {"default": None if default is None else float(default)},
                )
            )
            con.execute("drop table if exists __segment_potential")
        else:
            if isinstance(value, dict):
                raise UserError(f"{rule} needs one number, not a value per segment.")
            _check_values([value])
            source = "company_revenue" if rule == "share_of_company_revenue" else "employees"
            row = _one(
                con.execute(
                    f"update accounts set potential = $v * {source}, potential_estimated = true "  # noqa: S608 - allow-listed
                    f"where {target} and {source} is not null and {source} > 0",
                    {"v": float(value)},
                )
            )
        return int(row[0]) if row else 0


def _check_values(values: object) -> None:
    for v in values:  # type: ignore[attr-defined]
        if not isinstance(v, int | float) or v <= 0:
            raise UserError(f"an estimation value must be a positive number, not {v!r}.")
