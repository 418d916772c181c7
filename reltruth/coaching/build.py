"""Flags -> prompts -> the Sheet: every decision about what the sheet says is made here.

Why split ``build_sheet`` (gathers data from the workspace and the metrics) from
``assemble`` (pure): the wording rules (which prompt leads, how flags on one account merge,
which training topic fits) are the heart of the product and are tested on small
hand-made frames, without a database.

Rules decided here (also in docs/coaching.md):
- money at stake is the engine's one figure (``money_at_stake`` of each account: open
  potential of a trap or claim gap + excess discount; a rep's is the sum over the book);
  a prompt's "at stake" is the sum over its accounts that no other prompt counts, so the
  prompts never add up to more than the rep's total;
- an account's strongest flag is the one with the most money behind it (open potential,
  the value of the hours beyond its potential share, excess discount; ties: the order in
  prompts.toml); its question comes from that flag, the follow-up from the second;
- prompts are ranked by that weight; a rep in the company's top quartile of excess discount
  gets a discount prompt on the accounts where it sits, largest first;
- one prompt per kind of finding: accounts with the same strongest flag share a prompt,
  led by the one with the most money at stake, the others named in it; prompts are
  ranked by the money of all their accounts (so at most six flag prompts, seven in all);
- fewer than three flagged accounts: rep-level prompts fill up to three (time alignment,
  the largest open potential, new customers), never repeating an account or a theme;
- a consistent top performer gets the short sheet (one question); the self-audit is
  always the full sheet, written to "you", with team medians and no colleague named.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import Any

import pandas as pd

from reltruth import format as fmt
from reltruth import settings as settings_words
from reltruth.coaching.model import (
    Actions,
    ChartRow,
    CommitmentLine,
    Demotion,
    Prompt,
    Sheet,
    Shift,
    Stat,
    Trade,
    Training,
)
from reltruth.coaching.templates import fill, templates
from reltruth.errors import UserError
from reltruth.settings import Settings

MAX_PROMPTS = 7
MIN_PROMPTS = 3
MAX_EVIDENCE = 5  # lines of the lead account (plus one naming the others)
CHART_ACCOUNTS = 10
# flags whose money at stake is the account's open potential
OPEN_POTENTIAL_FLAGS = {"claim_gap", "relationship_trap", "neglected_potential", "trade_candidate"}
# flags whose money at stake includes the value of the hours beyond the potential share
HOURS_FLAGS = {"relationship_trap", "demote"}
MAX_ALSO = 3  # further accounts named in one prompt
# Shifts, demotions and trades listed under suggested actions (then "and N more"): a
# one-on-one agrees on a few moves, and two printed pages cannot hold the full lists.
MAX_LIST = 3
MISALLOCATION_FLAGS = {"relationship_trap", "neglected_potential", "demote"}
ESTIMATE_MARK = "≈"


@dataclass(frozen=True)
class DiscountChange:
    """List-weighted discount of the earlier and the later four quarters of the trend."""

    rate_from: float | None
    rate_to: float | None
    period_from: str
    period_to: str


@dataclass(frozen=True)
class SheetInputs:
    """Everything ``assemble`` needs, already read from the workspace and the metrics."""

    rep: Mapping[str, Any]  # the rep's row of Metrics.reps
    team: pd.DataFrame  # Metrics.reps rows of the rep's team (incl. the rep)
    accounts: pd.DataFrame  # Metrics.accounts rows owned by the rep
    trades: pd.DataFrame  # Metrics.trades rows from the rep
    company_growth: float | None
    window_label: str
    as_of: date
    currency: str = "€"
    shifts: pd.DataFrame = field(default_factory=pd.DataFrame)
    discount_history: Mapping[str, DiscountChange] = field(default_factory=dict)
    commitments: tuple[CommitmentLine, ...] = ()
    key_people_share: float | None = None  # share of hours with decision makers (self-audit)
    self_audit: bool = False
    settings: Settings = field(default_factory=Settings)  # the thresholds in force, for words
    potential_rule: str = ""  # the rule behind estimated potentials, in words
    missing_fields: tuple[str, ...] = ()  # optional fields the data lack (Metrics.missing_fields)
    warnings: tuple[str, ...] = ()  # partial windows (Metrics.warnings)
    excess_discount_threshold: float | None = None  # the company's top-quartile cut
    has_deals: bool = False  # a deals export is loaded: win rates on the scoreboard

    @cached_property
    def receivers(self) -> dict[str, list[str]]:
        """Proposed receiving reps per traded account (none on the self-audit)."""
        return {k: [_text(r.get("to_rep_name"))] for k, r in self.trade_rows.items() if r["named"]}

    @cached_property
    def trade_rows(self) -> dict[str, dict[str, Any]]:
        """The engine's trade row per candidate account: a receiver, or why there is none."""
        out: dict[str, dict[str, Any]] = {}
        if not len(self.trades) or "account_id" not in self.trades.columns:
            return out
        for row in self.trades.to_dict("records"):
            named = not self.self_audit and bool(_text(row.get("to_rep_name")))
            out.setdefault(str(row["account_id"]), {**row, "named": named})
        return out


# ---------------------------------------------------------------------------------------
# the sheet
# ---------------------------------------------------------------------------------------


def assemble(inp: SheetInputs) -> Sheet:
    """The sheet for one rep from data already gathered (pure: no workspace)."""
    t = templates()
    rep = inp.rep
    tier = normalise_tier(rep.get("tier"))
    short = tier == "top" and not inp.self_audit
    common = _rep_values(inp)
    sheet_t = t["sheet"]
    if inp.self_audit:
        title, intro = sheet_t["title_self_audit"], sheet_t["intro_self_audit"]
    else:
        title = sheet_t["title"]
        intro = sheet_t["intro_short"] if short else sheet_t["intro_full"]

    accounts = _sorted_accounts(inp.accounts)
    if short:
        prompts = [_team_learning_prompt(inp, common)]
        actions = Actions()
        extra_notes: list[str] = []
    else:
        prompts, extra_notes = _prompts(inp, accounts, common)
        actions = _actions(inp, accounts, common)
    notes = _notes(inp, accounts, common) + extra_notes

    return Sheet(
        rep_id=str(rep["rep_id"]),
        rep_name=_text(rep.get("rep_name")) or str(rep["rep_id"]),
        manager=_text(rep.get("manager")),
        team=_text(rep.get("team")),
        window_label=inp.window_label,
        as_of=inp.as_of,
        currency=inp.currency,
        tier=tier,
        tier_label=t["tiers"][tier],
        tier_reason=_tier_reason(rep.get("tier_reason"), tier),
        variant="short" if short else "full",
        self_audit=inp.self_audit,
        title=fill(title, common),
        intro=fill(intro, common),
        scoreboard=_scoreboard(inp),
        prompts=tuple(prompts),
        actions=actions,
        advice=_advice(inp, accounts, common) if inp.self_audit else (),
        commitments=inp.commitments,
        chart=_chart(inp.rep, accounts),
        chart_title=fill(t["labels"]["chart_title"], common),
        footer=fill(sheet_t["footer"], common),
        notes=tuple(notes),
    )


def _tier_reason(value: object, tier: str) -> str:
    """The metrics' reason without its leading "marginal: " (the sheet names the tier)."""
    text = _text(value).strip()
    head, sep, rest = text.partition(":")
    return rest.strip() if sep and normalise_tier(head) == tier and len(head) < 25 else text


def normalise_tier(value: object) -> str:
    """top | marginal | core, whatever spelling the metrics use ("top performer", ...)."""
    text = str(value or "").lower()
    if "top" in text:
        return "top"
    if "marginal" in text:
        return "marginal"
    return "core"


# ---------------------------------------------------------------------------------------
# scoreboard
# ---------------------------------------------------------------------------------------


def _scoreboard(inp: SheetInputs) -> tuple[Stat, ...]:
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
        value = _num(rep.get(key))
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


# ---------------------------------------------------------------------------------------
# prompts
# ---------------------------------------------------------------------------------------


def _prompts(
    inp: SheetInputs, accounts: pd.DataFrame, common: dict[str, str]
) -> tuple[list[Prompt], list[str]]:
    """One prompt per kind of finding, led by its account with the most money at stake;
    further accounts of the same kind are named in it rather than asked again."""
    t = templates()
    order: list[str] = t["order"]["flags"]
    groups: dict[str, list[tuple[float, str, dict[str, Any], list[str]]]] = {}
    for acc in accounts.to_dict("records"):
        flags = strongest_first(inp.rep, acc)
        if flags:
            money = money_at_stake(inp.rep, acc, flags)
            name = _text(acc.get("account_name")) or str(acc["account_id"])
            groups.setdefault(flags[0], []).append((money, name, acc, flags))
    weighted: list[tuple[float, Prompt]] = []
    for members in groups.values():
        members.sort(key=lambda m: (-m[0], m[1]))
        weighted.append((sum(m[0] for m in members), _flag_prompt(inp, members, common)))
    discount = _excess_discount_prompt(
        inp, accounts, common, {a for _, p in weighted for a in p.account_ids}
    )
    weighted.sort(key=lambda w: (-w[0], order.index(w[1].kind), w[1].title))
    extra = _evidence_prompts(inp, accounts, common, weighted)
    chosen = [p for _, p in weighted][: MAX_PROMPTS - (discount is not None) - len(extra)]
    if discount is not None:
        # placed by the rep-level figure it is about; never cut for a smaller finding
        weight = _num(inp.rep.get("excess_discount")) or 0.0
        at = next(
            (i for i, (w, _) in enumerate(weighted[: len(chosen)]) if w < weight), len(chosen)
        )
        chosen.insert(at, discount)
    chosen += extra
    chosen += _filler(inp, accounts, common, chosen)
    chosen = _money_shares(inp, accounts, chosen)
    notes = []
    if 0 < len(chosen) < MIN_PROMPTS:
        notes.append(fill(t["sheet"]["note_few_prompts"], {"n": len(chosen)}))
    ranked = [_with_rank(p, i + 1) for i, p in enumerate(chosen)]
    return ranked, notes


EXCESS_KIND = "excess_discount"


def _money_shares(inp: SheetInputs, accounts: pd.DataFrame, prompts: list[Prompt]) -> list[Prompt]:
    """Each prompt's share of the rep's money at stake: the engine's money_at_stake of its
    accounts, each account counted by the first prompt that names it (the discount prompt:
    the excess discount of the accounts no other prompt names). The shares never add up to
    more than the rep's total."""
    money = _column(accounts, "money_at_stake")
    excess = _column(accounts, "excess_discount")
    elsewhere = {a for p in prompts if p.kind != EXCESS_KIND for a in p.account_ids}
    counted: set[str] = set()
    out = []
    for p in prompts:
        if p.kind == EXCESS_KIND:
            ids = [a for a in p.account_ids if a not in elsewhere and a not in counted]
            amount = sum(max(excess.get(a, 0.0), 0.0) for a in ids)
        else:
            ids = [a for a in p.account_ids if a not in counted]
            amount = sum(money.get(a, 0.0) for a in ids)
        counted.update(ids)
        text = fmt.money(amount, inp.currency) if amount >= 0.5 else ""
        out.append(replace(p, money_at_stake=amount, money_text=text))
    return out


def _column(accounts: pd.DataFrame, col: str) -> dict[str, float]:
    if col not in accounts.columns:
        return {}
    values = pd.to_numeric(accounts[col], errors="coerce").fillna(0.0)
    return dict(zip(accounts["account_id"].astype(str), values.astype(float), strict=True))


def _excess_discount_prompt(
    inp: SheetInputs, accounts: pd.DataFrame, common: dict[str, str], asked: set[str]
) -> Prompt | None:
    """For a rep in the company's top quartile of excess discount: the discount question on
    the accounts where the excess sits, largest first, with the rep-level figure, whether or
    not an account's trend crosses the creep threshold."""
    if (
        not bool(inp.rep.get("excess_discount_top_quartile") is True)
        or "excess_discount" not in accounts
    ):
        return None
    excess = pd.to_numeric(accounts["excess_discount"], errors="coerce")
    where = accounts.assign(_excess=excess)[excess > 0]
    where = where.sort_values(["_excess", "account_id"], ascending=[False, True])
    if where.empty:
        return None
    t = templates()["rep"][EXCESS_KIND]
    named = [
        f"{_text(a.get('account_name')) or a['account_id']} ({fmt.money(a['_excess'], inp.currency)})"
        for a in where.head(MAX_ALSO).to_dict("records")
    ]
    more = len(where) - len(named)
    values = {
        **common,
        "rep_excess": fmt.money(_num(inp.rep.get("excess_discount")), inp.currency),
        "threshold": fmt.money(inp.excess_discount_threshold, inp.currency),
        "n_accounts": str(len(where)),
        "excess_accounts": ", ".join(named)
        + (fill(templates()["sheet"]["and_more"], {"n": more}) if more else ""),
        "top_account": _text(where.iloc[0].get("account_name")) or str(where.iloc[0]["account_id"]),
    }
    p = _rep_prompt(EXCESS_KIND, t, values, inp.currency)
    ids = tuple(str(a) for a in where["account_id"])
    names = tuple(_names(where))
    return replace(p, account_ids=ids, account_names=names)


# Evidence prompts (issue 20), in the order they follow the flag prompts: (kind, the account
# column that raises it, the column that ranks its accounts)
EVIDENCE_PROMPTS = (
    ("stalled_deal", "is_stalled_great_relationship", "stalled_value"),
    ("key_people", "no_decision_maker_contact", "potential"),
)


def _evidence_prompts(
    inp: SheetInputs,
    accounts: pd.DataFrame,
    common: dict[str, str],
    weighted: list[tuple[float, Prompt]],
) -> list[Prompt]:
    """Prompts raised by one account's evidence rather than a flag: an offer open past the
    rep's median cycle at an account rated high ("he never closes or asks for a resolution of
    an offer"), a high-potential account without a decision maker for longer than the
    setting. An account whose neglected-potential prompt already asks who the key people
    are is not asked again."""
    t = templates()["evidence"]
    neglected = {a for _, p in weighted if p.kind == "neglected_potential" for a in p.account_ids}
    out = []
    for kind, column, rank_by in EVIDENCE_PROMPTS:
        if column not in accounts.columns:
            continue
        rows = accounts[accounts[column].fillna(False).astype(bool)]
        if kind == "key_people":
            rows = rows[~rows["account_id"].astype(str).isin(neglected)]
        if rows.empty:
            continue
        rows = rows.assign(_rank=pd.to_numeric(rows[rank_by], errors="coerce").fillna(0.0))
        rows = rows.sort_values(["_rank", "account_id"], ascending=[False, True])
        out.append(_evidence_prompt(inp, kind, t[kind], rows, common))
    return out


def _evidence_prompt(
    inp: SheetInputs,
    kind: str,
    table: Mapping[str, Any],
    rows: pd.DataFrame,
    common: dict[str, str],
) -> Prompt:
    records = rows.to_dict("records")
    values = _account_values(inp, records[0], common)
    lines = [fill(line, values) for line in table["evidence"]]
    if kind == "key_people" and values["decision_maker_share"] == fmt.MISSING:
        lines = lines[:1]  # no hours with a contact role there: no share to quote
    others = records[1:]
    if others:
        named = [fill(table["also_account"], _account_values(inp, o, common)) for o in others]
        shown = named[:MAX_ALSO]
        more = len(named) - len(shown)
        text = "; ".join(shown) + (
            fill(templates()["sheet"]["and_more"], {"n": more}) if more else ""
        )
        lines.append(fill(table["also"], {**values, "accounts": text}))
    title = fill(table["title"], values)
    if others:
        title += fill(templates()["sheet"]["title_more"], {"n": len(others)})
    p = _rep_prompt(kind, {**table, "evidence": []}, values, inp.currency)
    return replace(
        p,
        title=title,
        evidence=tuple(lines),
        account_ids=tuple(str(r["account_id"]) for r in records),
        account_names=tuple(_names(rows)),
    )


def _estimated(acc: Mapping[str, Any]) -> bool:
    return bool(acc.get("potential_estimated") is True or acc.get("potential_estimated") == 1)


def _rule(inp: SheetInputs) -> str:
    return inp.potential_rule or templates()["sheet"]["rule_unknown"]


def strongest_first(rep: Mapping[str, Any], acc: Mapping[str, Any]) -> list[str]:
    """The account's flags, the one with the most money behind it first (ties: the order
    in prompts.toml, where the claim gap leads)."""
    order: list[str] = templates()["order"]["flags"]
    flags = [f for f in order if f in set(_flags(acc))]
    return sorted(flags, key=lambda f: (-flag_money(rep, acc, f), order.index(f)))


def flag_money(rep: Mapping[str, Any], acc: Mapping[str, Any], flag: str) -> float:
    """What one finding puts at stake, in the reporting currency:
    open potential (claim gap, neglected potential, trade candidate), the value of the hours
    beyond the account's potential share (relationship trap, demote), excess discount
    (discount creep)."""
    if flag in OPEN_POTENTIAL_FLAGS - {"relationship_trap"}:
        return max(_num(acc.get("open_potential")) or 0.0, 0.0)
    if flag in HOURS_FLAGS:
        return hours_value(rep, acc)
    if flag == "discount_creep":
        return max(_num(acc.get("excess_discount")) or 0.0, 0.0)
    return 0.0


def excess_hours(rep: Mapping[str, Any], acc: Mapping[str, Any]) -> float:
    """Hours beyond the account's share of the book's potential: (time share − potential
    share) × the rep's hours, never negative."""
    ts = _num(acc.get("time_share")) or 0.0
    ps = _num(acc.get("potential_share")) or 0.0
    return max(ts - ps, 0.0) * (_num(rep.get("hours")) or 0.0)


def hours_value(rep: Mapping[str, Any], acc: Mapping[str, Any]) -> float:
    """The excess hours at the rep's average revenue per hour: what they could bring in
    elsewhere in the book (an estimate, said so on the sheet)."""
    return excess_hours(rep, acc) * max(_num(rep.get("revenue_per_hour")) or 0.0, 0.0)


def money_at_stake(rep: Mapping[str, Any], acc: Mapping[str, Any], flags: Iterable[str]) -> float:
    """An account's money at stake: each kind of money counted once (open potential, value
    of excess hours, excess discount)."""
    flags = set(flags)
    money = 0.0
    if flags & OPEN_POTENTIAL_FLAGS:
        money += max(_num(acc.get("open_potential")) or 0.0, 0.0)
    if flags & HOURS_FLAGS:
        money += hours_value(rep, acc)
    if "discount_creep" in flags:
        money += max(_num(acc.get("excess_discount")) or 0.0, 0.0)
    return money


def _flag_prompt(
    inp: SheetInputs,
    members: list[tuple[float, str, dict[str, Any], list[str]]],
    common: dict[str, str],
) -> Prompt:
    """The prompt of one kind: the lead account's question and evidence, the others named."""
    t = templates()
    ft = t["flags"]
    _, _, acc, flags = members[0]
    values = _account_values(inp, acc, common)
    primary = ft[flags[0]]
    history = inp.discount_history.get(str(acc["account_id"]))
    has_history = (
        history is not None and history.rate_from is not None and history.rate_to is not None
    )
    lines: list[list[str]] = []
    # a trap's evidence already says what a demotion's would (hours against potential)
    for flag in [f for f in flags if not (f == "demote" and "relationship_trap" in flags)]:
        key = (
            "evidence_without_history"
            if flag == "discount_creep" and not has_history
            else "evidence"
        )
        flag_lines = [fill(line, values) for line in ft[flag][key]]
        # issue 20's evidence goes second, after the line that raised the flag
        if flag == "claim_gap" and values["missing_category"]:
            flag_lines.insert(1, fill(ft[flag]["evidence_white_space"], values))
        if flag == "discount_creep" and values["volume_change"]:
            # first: a further flag contributes only its first line, and this is the one
            # that says what the discount bought
            flag_lines.insert(0, fill(ft[flag]["evidence_bought"], values))
        lines.append(flag_lines)
    # the strongest flag's first two lines, then each further flag's first line, then the
    # rest of the strongest flag's, as long as there is room
    evidence = lines[0][:2] + [x[0] for x in lines[1:]] + lines[0][2:]
    evidence = _dedupe(evidence)[:MAX_EVIDENCE]
    if _estimated(acc) and flags[0] != "discount_creep":
        evidence.append(fill(t["sheet"]["evidence_estimated"], {**values, "rule": _rule(inp)}))
    if values["takeover_date"]:
        evidence.append(fill(t["sheet"]["evidence_takeover"], values))
    others = members[1:]
    if others:
        named = [
            fill(ft[flags[0]]["also_account"], _account_values(inp, o[2], common))
            for o in others[:MAX_ALSO]
        ]
        more = len(others) - len(named)
        also = "; ".join(named) + (fill(t["sheet"]["and_more"], {"n": more}) if more else "")
        evidence.append(fill(ft[flags[0]]["also"], {**values, "accounts": also}))
    question_t = primary["question"]
    if flags[0] == "discount_creep" and not has_history:
        question_t = primary["question_without_history"]
    if flags[0] == "discount_creep" and values["volume_change"]:
        question_t = primary["question_bought"]
    if flags[0] == "claim_gap" and values["missing_category"]:
        question_t = primary["question_white_space"]
    follow_t = ft[flags[1]]["follow_up"] if len(flags) > 1 else primary["follow_up"]
    money = 0.0  # the share of the rep's money at stake: set by _money_shares
    names = tuple(m[1] for m in members)
    title = fill(primary["title"], values)
    if others:
        title += fill(t["sheet"]["title_more"], {"n": len(others)})
    if len(flags) > 1:
        labels = t["flag_names"]
        title += fill(t["sheet"]["also"], {"flags": ", ".join(labels[f] for f in flags[1:])})
    return Prompt(
        rank=0,
        kind=flags[0],
        flags=tuple(flags),
        account_ids=tuple(str(m[2]["account_id"]) for m in members),
        account_names=names,
        money_at_stake=money,
        money_text=fmt.money(money, inp.currency) if money >= 0.5 else "",
        title=title,
        evidence=tuple(evidence),
        question=fill(question_t, values),
        follow_up=fill(follow_t, values),
        action=_flag_action(inp, flags[0], primary, values),
    )


def _flag_action(
    inp: SheetInputs, flag: str, table: Mapping[str, str], values: dict[str, str]
) -> str:
    if inp.self_audit and "self_audit_action" in table:
        return fill(table["self_audit_action"], values)
    if flag == "trade_candidate" and not values.get("to_rep"):
        return fill(table["action_no_receiver"], values)
    return fill(table["action"], values)


def _filler(
    inp: SheetInputs, accounts: pd.DataFrame, common: dict[str, str], chosen: list[Prompt]
) -> list[Prompt]:
    """Rep-level prompts up to three, none repeating an account or a theme already asked."""
    t = templates()["rep"]
    out: list[Prompt] = []
    need = MIN_PROMPTS - len(chosen)
    if need <= 0:
        return out
    asked = {a for p in chosen for a in p.account_ids}
    themes = {f for p in chosen for f in p.flags}
    misallocated = _num(inp.rep.get("misallocated_hours")) or 0.0
    if misallocated >= 1 and not themes & MISALLOCATION_FLAGS:
        out.append(_rep_prompt("alignment", t["alignment"], common, inp.currency))
    open_left = accounts[~accounts["account_id"].astype(str).isin(asked)]
    if "open_potential" in open_left.columns:
        open_left = open_left.assign(
            _open=pd.to_numeric(open_left["open_potential"], errors="coerce")
        )
        open_left = open_left[open_left["_open"] > 0].sort_values("_open", ascending=False)
        if len(open_left):
            acc = open_left.iloc[0].to_dict()
            values = _account_values(inp, acc, common)
            p = _rep_prompt("largest_open", t["largest_open"], values, inp.currency)
            out.append(
                replace(
                    p, account_ids=(str(acc["account_id"]),), account_names=(values["account"],)
                )
            )
    out.append(_rep_prompt("new_accounts", t["new_accounts"], common, inp.currency))
    return out[:need]


def _rep_prompt(
    kind: str,
    table: Mapping[str, Any],
    values: Mapping[str, str],
    currency: str,
    money: float = 0.0,
) -> Prompt:
    return Prompt(
        rank=0,
        kind=kind,
        flags=(),
        account_ids=(),
        account_names=(),
        money_at_stake=money,
        money_text=fmt.money(money, currency) if money else "",
        title=fill(table["title"], values),
        evidence=tuple(fill(line, values) for line in table["evidence"]),
        question=fill(table["question"], values),
        follow_up=fill(table["follow_up"], values),
        action=fill(
            table.get("self_audit_action", table["action"])
            if values.get("_self_audit")
            else table["action"],
            values,
        ),
    )


def _team_learning_prompt(inp: SheetInputs, common: dict[str, str]) -> Prompt:
    p = _rep_prompt("team_learning", templates()["rep"]["team_learning"], common, inp.currency)
    return _with_rank(p, 1)


def _with_rank(p: Prompt, rank: int) -> Prompt:
    return replace(p, rank=rank)


# ---------------------------------------------------------------------------------------
# actions, advice, chart, notes
# ---------------------------------------------------------------------------------------


def _actions(inp: SheetInputs, accounts: pd.DataFrame, common: dict[str, str]) -> Actions:
    t = templates()
    at = t["actions"]
    shifts = []
    frame = inp.shifts
    if len(frame):
        frame = frame.assign(_h=pd.to_numeric(frame["hours_per_month"], errors="coerce"))
        frame = frame[frame["_h"] > 0].sort_values("_h", ascending=False)
        for row in frame.to_dict("records"):
            values = {
                "hours_per_month": fmt.hours(row["_h"]),
                "from_account": _text(row.get("from_account_name")) or str(row["from_account_id"]),
                "to_account": _text(row.get("to_account_name")) or str(row["to_account_id"]),
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
    for acc in accounts.to_dict("records"):
        flags = set(_flags(acc))
        values = _account_values(inp, acc, common)
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
                    now = _num(row.get("to_rep_hours")) or 0.0
                    after = now + (_num(row.get("account_hours")) or 0.0)
                    text += fill(
                        at["trade_top"], {"now": fmt.hours(now), "after": fmt.hours(after)}
                    )
                trades.append(Trade(str(acc["account_id"]), values["account"], receiver, text))
            else:
                why = _text(row.get("reason")) or at["no_receiver_unknown"]
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
    flag_sets = [set(_flags(a)) for a in accounts.to_dict("records")]
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
    misallocated = fmt.hours(_num(inp.rep.get("misallocated_hours")))
    return tuple(
        Training(t[k], fill(t[k + "_reason"], {"n": counts[k], "misallocated_hours": misallocated}))
        for k in chosen
    )


def _advice(inp: SheetInputs, accounts: pd.DataFrame, common: dict[str, str]) -> tuple[str, ...]:
    t = templates()["advice"]
    by_potential = accounts.sort_values("_potential", ascending=False).head(5)
    top_potential = ", ".join(_names(by_potential)) or fmt.MISSING
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
                    "accounts": ", ".join(_names(quiet)),
                },
            )
    demote = [
        n
        for n, a in zip(_names(accounts), accounts.to_dict("records"), strict=True)
        if "demote" in _flags(a)
    ]
    demote_list = (
        fill(t["demote_list"], {"accounts": ", ".join(demote)}) if demote else t["demote_none"]
    )
    values = {
        **common,
        "top_potential": top_potential,
        "key_people": key_people,
        "top_time": ", ".join(_names(by_time)) or fmt.MISSING,
        "top_time_share": fmt.pct(top_time_share),
        "top_time_potential_share": fmt.pct(top_time_potential),
        "demote_list": demote_list,
    }
    return tuple(fill(t[k], values) for k in ("rank", "key_people", "time", "demote"))


def _chart(rep: Mapping[str, Any], accounts: pd.DataFrame) -> tuple[ChartRow, ...]:
    """The accounts that matter most for time against potential: the largest by either share."""
    if accounts.empty:
        return ()
    top = accounts.assign(_key=accounts[["_time_share", "_potential_share"]].max(axis=1))
    top = top.sort_values(["_key", "_potential"], ascending=False).head(CHART_ACCOUNTS)
    top = top.sort_values("_potential", ascending=False)
    rows = []
    for acc, name in zip(top.to_dict("records"), _names(top), strict=True):
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


def _notes(inp: SheetInputs, accounts: pd.DataFrame, common: dict[str, str]) -> list[str]:
    t = templates()["sheet"]
    notes = []
    est = _num(inp.rep.get("hours_estimated_share"))
    if est and est >= 0.005:
        notes.append(fill(t["note_estimated_hours"], {"share": fmt.pct(est)}))
    if "potential_estimated" in accounts.columns and any(
        _estimated(a) for a in accounts.to_dict("records")
    ):
        notes.append(fill(t["note_estimated_potential"], {"rule": _rule(inp)}))
    if "is_takeover" in accounts.columns:
        taken = accounts[accounts["is_takeover"].fillna(False).astype(bool)]
        if len(taken):
            named = [
                f"{name} ({fmt.day(_as_date(day))})"
                for name, day in zip(_names(taken), taken["takeover_date"], strict=True)
            ]
            shown = ", ".join(named[: MAX_LIST * 2])
            more = len(named) - min(len(named), MAX_LIST * 2)
            shown += fill(t["and_more"], {"n": more}) if more else ""
            notes.append(fill(t["note_takeover"], {"accounts": shown}))
    missing = templates()["missing"]
    notes += [missing[f] for f in inp.missing_fields if f in missing]
    notes += list(inp.warnings)
    return notes


# ---------------------------------------------------------------------------------------
# values for the templates
# ---------------------------------------------------------------------------------------


def _rep_values(inp: SheetInputs) -> dict[str, str]:
    rep, cur = inp.rep, inp.currency
    team_new = pd.to_numeric(
        inp.team.get("new_accounts", pd.Series(dtype=float)), errors="coerce"
    ).dropna()
    name = _text(rep.get("rep_name")) or str(rep["rep_id"])
    return {
        "rep": name,
        "window": inp.window_label,
        "company_growth": fmt.signed_pct(inp.company_growth),
        "rep_growth": fmt.signed_pct(_num(rep.get("growth"))),
        "rep_relative_growth": fmt.pp_from_fraction(_num(rep.get("relative_growth"))),
        "rep_penetration": fmt.pct(_num(rep.get("weighted_penetration"))),
        "rep_hours": fmt.hours(_num(rep.get("hours"))),
        "alignment_score": fmt.pct(_num(rep.get("alignment_score"))),
        "misallocated_hours": fmt.hours(_num(rep.get("misallocated_hours"))),
        "new_accounts": fmt.count(_num(rep.get("new_accounts"))),
        "team_new_accounts": fmt.count(float(team_new.median())) if len(team_new) else fmt.MISSING,
        "tier_reason": _text(rep.get("tier_reason")),
        "revenue_total": fmt.money(_num(rep.get("revenue")), cur),
        "win_rate": fmt.pct(_num(rep.get("win_rate"))),
        "_self_audit": "1" if inp.self_audit else "",
        "whose": "your" if inp.self_audit else "the rep's",
        "whose_book": "your book's" if inp.self_audit else "the book's",
        **threshold_values(inp.settings),
    }


def threshold_values(s: Settings) -> dict[str, str]:
    """The thresholds in force, in the sheet's words (never a literal in the templates)."""
    return {
        "book_top": settings_words.top_words(s.neglect_potential_quantile, plain=True),
        "book_bottom": settings_words.bottom_words(s.demote_potential_quantile, plain=True),
        "trend_quarters": settings_words.number_words(s.creep_quarters),
    }


def _account_values(
    inp: SheetInputs, acc: Mapping[str, Any], common: dict[str, str]
) -> dict[str, str]:
    cur = inp.currency
    rating = _num(acc.get("relationship_rating"))
    words = templates()["rating_words"]
    hist = inp.discount_history.get(str(acc["account_id"]))
    receivers = inp.receivers.get(str(acc["account_id"]), [])
    owner_since = acc.get("owner_since")
    # "≈": an estimated potential (and what is built on it) never reads as a fact
    mark = ESTIMATE_MARK if _estimated(acc) else ""
    return {
        **common,
        "account": _text(acc.get("account_name")) or str(acc["account_id"]),
        "rating": fmt.count(rating),
        "rating_word": words.get(str(int(rating)), "") if rating is not None else fmt.MISSING,
        "penetration": fmt.pct(_num(acc.get("penetration"))),
        "potential": mark + fmt.money(_num(acc.get("potential")), cur),
        "open_potential": mark + fmt.money(_num(acc.get("open_potential")), cur),
        "revenue": fmt.money(_num(acc.get("revenue")), cur),
        "growth": fmt.signed_pct(_num(acc.get("growth"))),
        "relative_growth": fmt.pp_from_fraction(_num(acc.get("relative_growth"))),
        "hours": fmt.hours(_num(acc.get("hours"))),
        "time_share": fmt.pct(_num(acc.get("time_share"))),
        "potential_share": fmt.pct(_num(acc.get("potential_share"))),
        "allocation_ratio": fmt.ratio(_num(acc.get("allocation_ratio"))),
        "revenue_per_hour": fmt.money(_num(acc.get("revenue_per_hour")), cur),
        "discount_rate": fmt.pct(_num(acc.get("discount_rate")), 1),
        "discount_trend": fmt.pp(_num(acc.get("discount_trend_pp_per_year"))),
        "excess_discount": fmt.money(_num(acc.get("excess_discount")), cur),
        "discount_from": fmt.pct(hist.rate_from, 1) if hist else fmt.MISSING,
        "discount_to": fmt.pct(hist.rate_to, 1) if hist else fmt.MISSING,
        "discount_from_period": hist.period_from if hist else "",
        "discount_to_period": hist.period_to if hist else "",
        "owner_since": fmt.day(_as_date(owner_since)) if _as_date(owner_since) else "unknown",
        "to_rep": " or ".join(receivers),
        "excess_hours": fmt.hours(excess_hours(inp.rep, acc)),
        "hours_value": fmt.money(hours_value(inp.rep, acc), cur),
        **_white_space_values(inp, acc),
        **_key_people_values(inp, acc),
        **_stalled_values(inp, acc),
        **_bought_values(inp, acc),
        **_takeover_values(acc),
    }


def _listed(items: list[str], most: int = 3) -> str:
    """ "A", "A and B", "A, B and C", "A, B and 4 other categories"."""
    if len(items) > most:
        return f"{', '.join(items[: most - 1])} and {len(items) - most + 1} other categories"
    return " and ".join([", ".join(items[:-1]), items[-1]]) if len(items) > 1 else "".join(items)


def _white_space_values(inp: SheetInputs, acc: Mapping[str, Any]) -> dict[str, str]:
    """The categories the account buys and the first one most of its peers buy and it does
    not ("none of our Hydraulics, which 7 of 10 Machinery accounts buy")."""
    missing = acc.get("missing_categories")
    detail = acc.get("missing_categories_detail")
    if not isinstance(missing, list) or not missing or not isinstance(detail, list):
        return {k: "" for k in _WHITE_SPACE_KEYS}
    first = detail[0]
    segment = first.get("peer_segment")
    mark = ESTIMATE_MARK
    return {
        "categories_bought": _listed(list(acc.get("categories_bought") or [])),
        "missing_category": str(first["category"]),
        "missing_categories": _listed([str(m) for m in missing], most=4),
        "peers_buying": str(first["peers_buying"]),
        "peers": str(first["peers"]),
        "peer_group": f"{segment} accounts" if segment else "of our other customers",
        "white_space_potential": mark
        + fmt.money(_num(acc.get("white_space_potential")), inp.currency),
    }


_WHITE_SPACE_KEYS = (
    "categories_bought",
    "missing_category",
    "missing_categories",
    "peers_buying",
    "peers",
    "peer_group",
    "white_space_potential",
)


def _key_people_values(inp: SheetInputs, acc: Mapping[str, Any]) -> dict[str, str]:
    last = _as_date(acc.get("last_decision_maker_contact"))
    days = _num(acc.get("days_without_decision_maker"))
    when = (
        f"{fmt.day(last)}, {fmt.count(days)} days before {fmt.day(inp.as_of)}"
        if last is not None and days is not None
        else "none recorded"
    )
    return {
        "last_decision_maker": when,
        "decision_maker_share": fmt.pct(_num(acc.get("decision_maker_hours_share"))),
        "key_people_top": settings_words.top_words(
            inp.settings.key_people_potential_quantile, plain=True
        ),
        "key_people_days": str(inp.settings.key_people_max_days),
    }


def _stalled_values(inp: SheetInputs, acc: Mapping[str, Any]) -> dict[str, str]:
    return {
        "stalled_deals": fmt.count(_num(acc.get("stalled_deals"))),
        "stalled_days": fmt.count(_num(acc.get("stalled_days_open"))),
        "stalled_value": fmt.money(_num(acc.get("stalled_value")), inp.currency),
        "median_cycle": fmt.count(_num(acc.get("median_cycle_days"))),
    }


def _bought_values(inp: SheetInputs, acc: Mapping[str, Any]) -> dict[str, str]:
    """What the discount bought: "up 6.0 pp in two years while volume at list fell 4.0 %"."""
    change, volume = _num(acc.get("discount_change")), _num(acc.get("volume_at_list_change"))
    if change is None or volume is None:
        return {k: "" for k in _BOUGHT_KEYS}
    quarters = inp.settings.creep_quarters
    span = (
        f"{settings_words.number_words(quarters // 4)} year{'s' if quarters >= 8 else ''}"
        if quarters % 4 == 0
        else f"{settings_words.number_words(quarters)} quarters"
    )
    return {
        "discount_change": f"{'up' if change >= 0 else 'down'} {fmt.pp(abs(change) * 100)[1:]}",
        "trend_span": "a year" if quarters == 4 else span,
        "volume_change": f"{'fell' if volume < 0 else 'rose'} {fmt.pct(abs(volume), 1)}",
        "orders_from": fmt.count(_num(acc.get("orders_early"))),
        "orders_to": fmt.count(_num(acc.get("orders_late"))),
        "categories_from": fmt.count(_num(acc.get("categories_early"))),
        "categories_to": fmt.count(_num(acc.get("categories_late"))),
    }


_BOUGHT_KEYS = (
    "discount_change",
    "trend_span",
    "volume_change",
    "orders_from",
    "orders_to",
    "categories_from",
    "categories_to",
)


def _takeover_values(acc: Mapping[str, Any]) -> dict[str, str]:
    """For an account taken over in this or the prior window, the growth it is measured by
    compares with the company's over the same spans, not the window's."""
    taken = _as_date(acc.get("takeover_date"))
    if taken is None or not _num(acc.get("is_takeover")):
        return {"takeover_date": "", "held_days": ""}
    return {
        "takeover_date": fmt.day(taken),
        "held_days": fmt.count(_num(acc.get("held_days"))),
        "company_growth": fmt.signed_pct(_num(acc.get("company_growth_since_takeover"))),
    }


# ---------------------------------------------------------------------------------------
# small helpers
# ---------------------------------------------------------------------------------------


def _sorted_accounts(accounts: pd.DataFrame) -> pd.DataFrame:
    """The rep's accounts with numeric helper columns, largest potential first."""
    a = accounts.copy()
    for col in ("potential", "time_share", "potential_share"):
        values = a[col] if col in a.columns else pd.Series(0.0, index=a.index)
        a["_" + col] = pd.to_numeric(values, errors="coerce").fillna(0.0).astype(float)
    if "account_id" not in a.columns:
        raise UserError("The metrics have no account ids; reload the data.")
    return a.sort_values(["_potential", "account_id"], ascending=[False, True])


def _flags(acc: Mapping[str, Any]) -> list[str]:
    flags = acc.get("flags")
    if flags is None or isinstance(flags, float):
        return []
    if isinstance(flags, str):
        return [f.strip() for f in flags.split(",") if f.strip()]
    return [str(f) for f in flags]


def _names(frame: pd.DataFrame) -> list[str]:
    return [_text(r.get("account_name")) or str(r["account_id"]) for r in frame.to_dict("records")]


def _num(value: object) -> float | None:
    return None if fmt.is_missing(value) else float(value)  # type: ignore[arg-type]


def _text(value: object) -> str:
    return "" if value is None or fmt.is_missing(value) else str(value)


def _as_date(value: object) -> date | None:
    # NaT (a missing owner_since read through pandas) is neither None nor a float NaN
    if value is None or value is pd.NaT or fmt.is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        stamp = pd.Timestamp(str(value))
    except ValueError:
        return None
    return None if pd.isna(stamp) else stamp.date()


def _dedupe(lines: list[str]) -> list[str]:
    seen: set[str] = set()
    return [x for x in lines if not (x in seen or seen.add(x))]  # type: ignore[func-returns-value]
