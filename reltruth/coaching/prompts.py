"""Prompt selection: one prompt per kind of finding, evidence prompts, fillers, shares of money."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import pandas as pd

from reltruth import format as fmt
from reltruth.coaching.cells import cell_num, cell_text, is_estimated, names_of, records
from reltruth.coaching.inputs import SheetInputs, potential_rule_words
from reltruth.coaching.model import Prompt
from reltruth.coaching.stakes import MISALLOCATION_FLAGS, money_at_stake, strongest_first
from reltruth.coaching.templates import fill, templates
from reltruth.coaching.values import account_values

MAX_PROMPTS = 7
MIN_PROMPTS = 3
MAX_EVIDENCE = 5  # lines of the lead account (plus one naming the others)
MAX_ALSO = 3  # further accounts named in one prompt


def choose_prompts(
    inp: SheetInputs, accounts: pd.DataFrame, common: dict[str, str]
) -> tuple[list[Prompt], list[str]]:
    """One prompt per kind of finding, led by its account with the most money at stake;
    further accounts of the same kind are named in it rather than asked again."""
    t = templates()
    order: list[str] = t["order"]["flags"]
    groups: dict[str, list[tuple[float, str, dict[str, Any], list[str]]]] = {}
    for acc in records(accounts):
        flags = strongest_first(inp.rep, acc)
        if flags:
            money = money_at_stake(inp.rep, acc, flags)
            name = cell_text(acc.get("account_name")) or str(acc["account_id"])
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
        weight = cell_num(inp.rep.get("excess_discount")) or 0.0
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
        f"{cell_text(a.get('account_name')) or a['account_id']} ({fmt.money(a['_excess'], inp.currency)})"
        for a in records(where.head(MAX_ALSO))
    ]
    more = len(where) - len(named)
    values = {
        **common,
        "rep_excess": fmt.money(cell_num(inp.rep.get("excess_discount")), inp.currency),
        "threshold": fmt.money(inp.excess_discount_threshold, inp.currency),
        "n_accounts": str(len(where)),
        "excess_accounts": ", ".join(named)
        + (fill(templates()["sheet"]["and_more"], {"n": more}) if more else ""),
        "top_account": cell_text(where.iloc[0].get("account_name"))
        or str(where.iloc[0]["account_id"]),
    }
    p = _rep_prompt(EXCESS_KIND, t, values, inp.currency)
    ids = tuple(str(a) for a in where["account_id"])
    names = tuple(names_of(where))
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
    found = records(rows)
    values = account_values(inp, found[0], common)
    lines = [fill(line, values) for line in table["evidence"]]
    if kind == "key_people" and values["decision_maker_share"] == fmt.MISSING:
        lines = lines[:1]  # no hours with a contact role there: no share to quote
    others = found[1:]
    if others:
        named = [fill(table["also_account"], account_values(inp, o, common)) for o in others]
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
        account_ids=tuple(str(r["account_id"]) for r in found),
        account_names=tuple(names_of(rows)),
    )


def _flag_prompt(
    inp: SheetInputs,
    members: list[tuple[float, str, dict[str, Any], list[str]]],
    common: dict[str, str],
) -> Prompt:
    """The prompt of one kind: the lead account's question and evidence, the others named."""
    t = templates()
    ft = t["flags"]
    _, _, acc, flags = members[0]
    values = account_values(inp, acc, common)
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
    if is_estimated(acc) and flags[0] != "discount_creep":
        evidence.append(
            fill(t["sheet"]["evidence_estimated"], {**values, "rule": potential_rule_words(inp)})
        )
    if values["takeover_date"]:
        evidence.append(fill(t["sheet"]["evidence_takeover"], values))
    others = members[1:]
    if others:
        named = [
            fill(ft[flags[0]]["also_account"], account_values(inp, o[2], common))
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
    misallocated = cell_num(inp.rep.get("misallocated_hours")) or 0.0
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
            values = account_values(inp, acc, common)
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


def team_learning_prompt(inp: SheetInputs, common: dict[str, str]) -> Prompt:
    p = _rep_prompt("team_learning", templates()["rep"]["team_learning"], common, inp.currency)
    return _with_rank(p, 1)


def _with_rank(p: Prompt, rank: int) -> Prompt:
    return replace(p, rank=rank)


def _dedupe(lines: list[str]) -> list[str]:
    seen: set[str] = set()
    return [x for x in lines if not (x in seen or seen.add(x))]  # type: ignore[func-returns-value]
