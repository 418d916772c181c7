"""The sheet's other sections: scoreboard, suggested actions, training, advice, chart, notes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from reltruth import format as fmt
from reltruth.coaching.cells import (
    cell_date,
    cell_flags,
    cell_num,
    cell_text,
    is_estimated,
    names_of,
    normalise_tier,
    records,
)
from reltruth.coaching.inputs import SheetInputs, potential_rule_words
from reltruth.coaching.model import Actions, ChartRow, Demotion, Shift, Stat, Trade, Training
from reltruth.coaching.stakes import MISALLOCATION_FLAGS, strongest_first
from reltruth.coaching.templates import fill, templates
from reltruth.coaching.values import account_values

CHART_ACCOUNTS = 10
# Shifts, demotions and trades listed under suggested actions (then "and N more"): a
# one-on-one agrees on a few moves, and two printed pages cannot hold the full lists.
MAX_LIST = 3


def scoreboard(inp: SheetInputs) -> tuple[Stat, ...]:
    rep, team, cur = inp.rep, inp.team, inp.currency

    def median(col: str) -> float | None:
        if col not in team.columns:
            return None
        values = pd.to_numeric(team[col], errors="coerce").dropna()
        return float(values.median()) if len(values) else None

    def money(v: float | None) -> str:
        return fmt.money(v, cur)

    def trend(v: float | None) -> str:
        return fmt.pp(v)

    def disc(v: float | None) -> str:
        return fmt.pct(v, 1)

    rows: list[tuple[str, str, Callable[[float | None], str], str]] = [
        ("revenue", "Revenue", money, ""),
        ("growth", "Growth", fmt.signed_pct, fmt.signed_pct(inp.company_growth)),
        ("relative_growth", "Growth against the company", fmt.pp_from_fraction, ""),
        ("weighted_penetration", "Share of wallet (weighted)", fmt.pct, ""),
        ("hours", "Hours on accounts", fmt.hours, ""),
        ("revenue_per_hour", "Revenue per hour", money, ""),
        ("alignment_score", "Hours aligned with potential", fmt.pct, ""),
        ("misallocated_hours", "Misallocated hours", fmt.hours, ""),
        ("discount_rate", "Discount rate", disc, ""),
        ("discount_trend_pp_per_year", "Discount trend a year", trend, ""),
        ("new_accounts", "New accounts", fmt.count, ""),
        # the engine's one figure (the Team page's, the JSON's); the prompts share it out
        ("money_at_stake", "Money at stake", money, ""),
    ]
    if inp.has_deals:  # from a deals export only: without one a win rate would read as 0 %
        rows[-1:-1] = [
            ("win_rate", "Win rate (deals closed)", fmt.pct, ""),
            ("win_rate_value", "Win rate (value)", fmt.pct, ""),
            ("open_pipeline", "Open pipeline", money, ""),
        ]
    out = []
    for key, label, render, company in rows:
        value = cell_num(rep.get(key))
        out.append(
            Stat(
                key=key,
                label=label,
                value=value,
                text=render(value),
                team_median_text=render(median(key)),
                company_text=company,
            )
        )
    return tuple(out)


def suggested_actions(inp: SheetInputs, accounts: pd.DataFrame, common: dict[str, str]) -> Actions:
    t = templates()
    at = t["actions"]
    shifts = []
    frame = inp.shifts
    if len(frame):
        frame = frame.assign(_h=pd.to_numeric(frame["hours_per_month"], errors="coerce"))
        frame = frame[frame["_h"] > 0].sort_values("_h", ascending=False)
        for row in records(frame):
            values = {
                "hours_per_month": fmt.hours(row["_h"]),
                "from_account": cell_text(row.get("from_account_name"))
                or str(row["from_account_id"]),
                "to_account": cell_text(row.get("to_account_name")) or str(row["to_account_id"]),
            }
            shifts.append(
                Shift(
                    values["from_account"],
                    values["to_account"],
                    float(row["_h"]),
                    fill(at["shift"], values),
                )
            )
    demotions = []
    trades = []
    for acc in records(accounts):
        flags = set(cell_flags(acc))
        values = account_values(inp, acc, common)
        if "demote" in flags:
            demotions.append(
                Demotion(str(acc["account_id"]), values["account"], fill(at["demote"], values))
            )
        if "trade_candidate" in flags:
            receiver = values["to_rep"] or None
            row = inp.trade_rows.get(str(acc["account_id"]), {})
            if inp.self_audit:
                trades.append(
                    Trade(
                        str(acc["account_id"]),
                        values["account"],
                        None,
                        fill(at["trade_self_audit"], values),
                    )
                )
            elif receiver:
                text = fill(at["trade"], values)
                if normalise_tier(row.get("to_rep_tier")) == "top":
                    now = cell_num(row.get("to_rep_hours")) or 0.0
                    after = now + (cell_num(row.get("account_hours")) or 0.0)
                    text += fill(
                        at["trade_top"], {"now": fmt.hours(now), "after": fmt.hours(after)}
                    )
                trades.append(Trade(str(acc["account_id"]), values["account"], receiver, text))
            else:
                why = cell_text(row.get("reason")) or at["no_receiver_unknown"]
                trades.append(
                    Trade(
                        str(acc["account_id"]),
                        values["account"],
                        None,
                        fill(at["trade_no_receiver"], {**values, "why": why}),
                    )
                )
    return Actions(
        _capped(shifts, lambda n: Shift("", "", 0.0, fill(at["more_on_time_page"], {"n": n}))),
        _capped(demotions, lambda n: Demotion("", "", fill(at["more_on_time_page"], {"n": n}))),
        _capped(trades, lambda n: Trade("", "", None, fill(at["more"], {"n": n}))),
        _training(inp, accounts),
    )


def _capped(items: list[Any], more: Any) -> tuple[Any, ...]:
    """At most MAX_LIST items (largest first, as they come sorted), then one line saying
    how many more and where they are listed."""
    if len(items) <= MAX_LIST:
        return tuple(items)
    return (*items[:MAX_LIST], more(len(items) - MAX_LIST))


def _training(inp: SheetInputs, accounts: pd.DataFrame) -> tuple[Training, ...]:
    """The dominant consultative-selling topic, plus the runner-up when it is at least half
    as frequent: flags counted per account."""
    t = templates()["training"]
    flag_sets = [set(cell_flags(a)) for a in records(accounts)]
    counts = {
        "needs_discovery": sum("claim_gap" in f for f in flag_sets),
        "value_selling": sum("discount_creep" in f for f in flag_sets),
        "account_planning": sum(bool(f & MISALLOCATION_FLAGS) for f in flag_sets),
    }
    ranked = sorted((k for k in counts if counts[k] > 0), key=lambda k: -counts[k])
    if not ranked:
        return ()
    top = counts[ranked[0]]
    chosen = [ranked[0]] + [k for k in ranked[1:2] if counts[k] * 2 >= top]
    misallocated = fmt.hours(cell_num(inp.rep.get("misallocated_hours")))
    return tuple(
        Training(t[k], fill(t[k + "_reason"], {"n": counts[k], "misallocated_hours": misallocated}))
        for k in chosen
    )


def self_audit_advice(
    inp: SheetInputs, accounts: pd.DataFrame, common: dict[str, str]
) -> tuple[str, ...]:
    t = templates()["advice"]
    by_potential = accounts.sort_values("_potential", ascending=False).head(5)
    top_potential = ", ".join(names_of(by_potential)) or fmt.MISSING
    by_time = accounts.sort_values("_time_share", ascending=False).head(3)
    top_time_share = float(by_time["_time_share"].sum())
    top_time_potential = float(by_time["_potential_share"].sum())
    if inp.key_people_share is None:
        key_people = t["key_people_unknown"]
    else:
        key_people = fill(t["key_people_share"], {"share": fmt.pct(inp.key_people_share)})
    if "no_decision_maker_contact" in accounts.columns:
        quiet = accounts[accounts["no_decision_maker_contact"].fillna(False).astype(bool)]
        if len(quiet):
            key_people += " " + fill(
                t["key_people_quiet"],
                {
                    "key_people_days": inp.settings.key_people_max_days,
                    "accounts": ", ".join(names_of(quiet)),
                },
            )
    demote = [
        n
        for n, a in zip(names_of(accounts), records(accounts), strict=True)
        if "demote" in cell_flags(a)
    ]
    demote_list = (
        fill(t["demote_list"], {"accounts": ", ".join(demote)}) if demote else t["demote_none"]
    )
    values = {
        **common,
        "top_potential": top_potential,
        "key_people": key_people,
        "top_time": ", ".join(names_of(by_time)) or fmt.MISSING,
        "top_time_share": fmt.pct(top_time_share),
        "top_time_potential_share": fmt.pct(top_time_potential),
        "demote_list": demote_list,
    }
    return tuple(fill(t[k], values) for k in ("rank", "key_people", "time", "demote"))


def chart_rows(rep: Mapping[str, Any], accounts: pd.DataFrame) -> tuple[ChartRow, ...]:
    """The accounts that matter most for time against potential: the largest by either share."""
    if accounts.empty:
        return ()
    top = accounts.assign(_key=accounts[["_time_share", "_potential_share"]].max(axis=1))
    top = top.sort_values(["_key", "_potential"], ascending=False).head(CHART_ACCOUNTS)
    top = top.sort_values("_potential", ascending=False)
    rows = []
    for acc, name in zip(records(top), names_of(top), strict=True):
        flags = strongest_first(rep, acc)
        rows.append(
            ChartRow(
                name,
                float(acc["_time_share"]),
                float(acc["_potential_share"]),
                flags[0] if flags else "",
            )
        )
    return tuple(rows)


def sheet_notes(inp: SheetInputs, accounts: pd.DataFrame, common: dict[str, str]) -> list[str]:
    t = templates()["sheet"]
    notes = []
    est = cell_num(inp.rep.get("hours_estimated_share"))
    if est and est >= 0.005:
        notes.append(fill(t["note_estimated_hours"], {"share": fmt.pct(est)}))
    if "potential_estimated" in accounts.columns and any(
        is_estimated(a) for a in records(accounts)
    ):
        notes.append(fill(t["note_estimated_potential"], {"rule": potential_rule_words(inp)}))
    if "is_takeover" in accounts.columns:
        taken = accounts[accounts["is_takeover"].fillna(False).astype(bool)]
        if len(taken):
            named = [
                f"{name} ({fmt.day(cell_date(day))})"
                for name, day in zip(names_of(taken), taken["takeover_date"], strict=True)
            ]
            shown = ", ".join(named[: MAX_LIST * 2])
            more = len(named) - min(len(named), MAX_LIST * 2)
            shown += fill(t["and_more"], {"n": more}) if more else ""
            notes.append(fill(t["note_takeover"], {"accounts": shown}))
    missing = templates()["missing"]
    notes += [missing[f] for f in inp.missing_fields if f in missing]
    notes += list(inp.warnings)
    return notes
