"""The template values: a rep's and an account's figures in the sheet's words."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from reltruth import format as fmt
from reltruth import settings as settings_words
from reltruth.coaching.cells import cell_date, cell_num, cell_text, is_estimated
from reltruth.coaching.inputs import SheetInputs
from reltruth.coaching.stakes import excess_hours, hours_value
from reltruth.coaching.templates import templates
from reltruth.settings import Settings

ESTIMATE_MARK = "≈"


def rep_values(inp: SheetInputs) -> dict[str, str]:
    rep, cur = inp.rep, inp.currency
    team_new = pd.to_numeric(
        inp.team.get("new_accounts", pd.Series(dtype=float)), errors="coerce"
    ).dropna()
    name = cell_text(rep.get("rep_name")) or str(rep["rep_id"])
    return {
        "rep": name,
        "window": inp.window_label,
        "company_growth": fmt.signed_pct(inp.company_growth),
        "rep_growth": fmt.signed_pct(cell_num(rep.get("growth"))),
        "rep_relative_growth": fmt.pp_from_fraction(cell_num(rep.get("relative_growth"))),
        "rep_penetration": fmt.pct(cell_num(rep.get("weighted_penetration"))),
        "rep_hours": fmt.hours(cell_num(rep.get("hours"))),
        "alignment_score": fmt.pct(cell_num(rep.get("alignment_score"))),
        "misallocated_hours": fmt.hours(cell_num(rep.get("misallocated_hours"))),
        "new_accounts": fmt.count(cell_num(rep.get("new_accounts"))),
        "team_new_accounts": fmt.count(float(team_new.median())) if len(team_new) else fmt.MISSING,
        "tier_reason": cell_text(rep.get("tier_reason")),
        "revenue_total": fmt.money(cell_num(rep.get("revenue")), cur),
        "win_rate": fmt.pct(cell_num(rep.get("win_rate"))),
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


def account_values(
    inp: SheetInputs, acc: Mapping[str, Any], common: dict[str, str]
) -> dict[str, str]:
    cur = inp.currency
    rating = cell_num(acc.get("relationship_rating"))
    words = templates()["rating_words"]
    hist = inp.discount_history.get(str(acc["account_id"]))
    receivers = inp.receivers.get(str(acc["account_id"]), [])
    owner_since = acc.get("owner_since")
    # "≈": an estimated potential (and what is built on it) never reads as a fact
    mark = ESTIMATE_MARK if is_estimated(acc) else ""
    return {
        **common,
        "account": cell_text(acc.get("account_name")) or str(acc["account_id"]),
        "rating": fmt.count(rating),
        "rating_word": words.get(str(int(rating)), "") if rating is not None else fmt.MISSING,
        "penetration": fmt.pct(cell_num(acc.get("penetration"))),
        "potential": mark + fmt.money(cell_num(acc.get("potential")), cur),
        "open_potential": mark + fmt.money(cell_num(acc.get("open_potential")), cur),
        "revenue": fmt.money(cell_num(acc.get("revenue")), cur),
        "growth": fmt.signed_pct(cell_num(acc.get("growth"))),
        "relative_growth": fmt.pp_from_fraction(cell_num(acc.get("relative_growth"))),
        "hours": fmt.hours(cell_num(acc.get("hours"))),
        "time_share": fmt.pct(cell_num(acc.get("time_share"))),
        "potential_share": fmt.pct(cell_num(acc.get("potential_share"))),
        "allocation_ratio": fmt.ratio(cell_num(acc.get("allocation_ratio"))),
        "revenue_per_hour": fmt.money(cell_num(acc.get("revenue_per_hour")), cur),
        "discount_rate": fmt.pct(cell_num(acc.get("discount_rate")), 1),
        "discount_trend": fmt.pp(cell_num(acc.get("discount_trend_pp_per_year"))),
        "excess_discount": fmt.money(cell_num(acc.get("excess_discount")), cur),
        "discount_from": fmt.pct(hist.rate_from, 1) if hist else fmt.MISSING,
        "discount_to": fmt.pct(hist.rate_to, 1) if hist else fmt.MISSING,
        "discount_from_period": hist.period_from if hist else "",
        "discount_to_period": hist.period_to if hist else "",
        "owner_since": fmt.day(cell_date(owner_since)) if cell_date(owner_since) else "unknown",
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
        + fmt.money(cell_num(acc.get("white_space_potential")), inp.currency),
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
    last = cell_date(acc.get("last_decision_maker_contact"))
    days = cell_num(acc.get("days_without_decision_maker"))
    when = (
        f"{fmt.day(last)}, {fmt.count(days)} days before {fmt.day(inp.as_of)}"
        if last is not None and days is not None
        else "none recorded"
    )
    return {
        "last_decision_maker": when,
        "decision_maker_share": fmt.pct(cell_num(acc.get("decision_maker_hours_share"))),
        "key_people_top": settings_words.top_words(
            inp.settings.key_people_potential_quantile, plain=True
        ),
        "key_people_days": str(inp.settings.key_people_max_days),
    }


def _stalled_values(inp: SheetInputs, acc: Mapping[str, Any]) -> dict[str, str]:
    return {
        "stalled_deals": fmt.count(cell_num(acc.get("stalled_deals"))),
        "stalled_days": fmt.count(cell_num(acc.get("stalled_days_open"))),
        "stalled_value": fmt.money(cell_num(acc.get("stalled_value")), inp.currency),
        "median_cycle": fmt.count(cell_num(acc.get("median_cycle_days"))),
    }


def _bought_values(inp: SheetInputs, acc: Mapping[str, Any]) -> dict[str, str]:
    """What the discount bought: "up 6.0 pp in two years while volume at list fell 4.0 %"."""
    change, volume = (
        cell_num(acc.get("discount_change")),
        cell_num(acc.get("volume_at_list_change")),
    )
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
        "orders_from": fmt.count(cell_num(acc.get("orders_early"))),
        "orders_to": fmt.count(cell_num(acc.get("orders_late"))),
        "categories_from": fmt.count(cell_num(acc.get("categories_early"))),
        "categories_to": fmt.count(cell_num(acc.get("categories_late"))),
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
    taken = cell_date(acc.get("takeover_date"))
    if taken is None or not cell_num(acc.get("is_takeover")):
        return {"takeover_date": "", "held_days": ""}
    return {
        "takeover_date": fmt.day(taken),
        "held_days": fmt.count(cell_num(acc.get("held_days"))),
        "company_growth": fmt.signed_pct(cell_num(acc.get("company_growth_since_takeover"))),
    }
