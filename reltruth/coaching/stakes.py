"""What a finding puts at stake: an account's flags strongest first, the money behind each."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from reltruth.coaching.cells import cell_flags, cell_num
from reltruth.coaching.templates import templates

# flags whose money at stake is the account's open potential
OPEN_POTENTIAL_FLAGS = {"claim_gap", "relationship_trap", "neglected_potential", "trade_candidate"}
# flags whose money at stake includes the value of the hours beyond the potential share
HOURS_FLAGS = {"relationship_trap", "demote"}
MISALLOCATION_FLAGS = {"relationship_trap", "neglected_potential", "demote"}


def strongest_first(rep: Mapping[str, Any], acc: Mapping[str, Any]) -> list[str]:
    """The account's flags, the one with the most money behind it first (ties: the order
    in prompts.toml, where the claim gap leads)."""
    order: list[str] = templates()["order"]["flags"]
    flags = [f for f in order if f in set(cell_flags(acc))]
    return sorted(flags, key=lambda f: (-flag_money(rep, acc, f), order.index(f)))


def flag_money(rep: Mapping[str, Any], acc: Mapping[str, Any], flag: str) -> float:
    """What one finding puts at stake, in the reporting currency:
    open potential (claim gap, neglected potential, trade candidate), the value of the hours
    beyond the account's potential share (relationship trap, demote), excess discount
    (discount creep)."""
    if flag in OPEN_POTENTIAL_FLAGS - {"relationship_trap"}:
        return max(cell_num(acc.get("open_potential")) or 0.0, 0.0)
    if flag in HOURS_FLAGS:
        return hours_value(rep, acc)
    if flag == "discount_creep":
        return max(cell_num(acc.get("excess_discount")) or 0.0, 0.0)
    return 0.0


def excess_hours(rep: Mapping[str, Any], acc: Mapping[str, Any]) -> float:
    """Hours beyond the account's share of the book's potential: (time share − potential
    share) × the rep's hours, never negative."""
    ts = cell_num(acc.get("time_share")) or 0.0
    ps = cell_num(acc.get("potential_share")) or 0.0
    return max(ts - ps, 0.0) * (cell_num(rep.get("hours")) or 0.0)


def hours_value(rep: Mapping[str, Any], acc: Mapping[str, Any]) -> float:
    """The excess hours at the rep's average revenue per hour: what they could bring in
    elsewhere in the book (an estimate, said so on the sheet)."""
    return excess_hours(rep, acc) * max(cell_num(rep.get("revenue_per_hour")) or 0.0, 0.0)


def money_at_stake(rep: Mapping[str, Any], acc: Mapping[str, Any], flags: Iterable[str]) -> float:
    """An account's money at stake: each kind of money counted once (open potential, value
    of excess hours, excess discount)."""
    flags = set(flags)
    money = 0.0
    if flags & OPEN_POTENTIAL_FLAGS:
        money += max(cell_num(acc.get("open_potential")) or 0.0, 0.0)
    if flags & HOURS_FLAGS:
        money += hours_value(rep, acc)
    if "discount_creep" in flags:
        money += max(cell_num(acc.get("excess_discount")) or 0.0, 0.0)
    return money
