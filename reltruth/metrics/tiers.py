"""Team aggregates: rep roll-up, tiers per team, coaching priority, the excess-discount quartile."""

from __future__ import annotations

import numpy as np
import pandas as pd

from reltruth import format as fmt
from reltruth import settings as settings_store
from reltruth.metrics.query import num
from reltruth.metrics.result import FLAGS, TIERS
from reltruth.metrics.window import Window
from reltruth.settings import Settings


def team_key(reps: pd.DataFrame) -> pd.Series:
    team = reps["team"] if "team" in reps else pd.Series(None, index=reps.index)
    return team.where(team.notna() & (team.astype(str).str.strip() != ""), "")


def excess_discount_quartile(reps: pd.DataFrame, s: Settings) -> tuple[pd.DataFrame, float | None]:
    """Reps whose excess discount is in the company's top quartile (of the reps with a
    figure): their sheet leads with a discount prompt even when no account creeps."""
    r = reps.copy()
    excess = pd.to_numeric(r["excess_discount"], errors="coerce")
    known = excess.dropna()
    threshold = float(known.quantile(s.excess_discount_quantile)) if len(known) >= 2 else None
    r["excess_discount_top_quartile"] = (
        (excess >= threshold) & (excess > 0) if threshold is not None else False
    )
    return r, threshold


def rep_rollup(
    reps: pd.DataFrame,
    accounts: pd.DataFrame,
    company_growth: float | None,
    company_growth_prior: float | None,
) -> pd.DataFrame:
    r = reps.copy()
    cg = company_growth if company_growth is not None else float("nan")
    cgp = company_growth_prior if company_growth_prior is not None else float("nan")
    r["relative_growth"] = pd.to_numeric(r["growth"], errors="coerce") - cg
    r["relative_growth_prior"] = pd.to_numeric(r["growth_prior"], errors="coerce") - cgp
    owned = accounts[accounts["rep_id"].notna()]
    per_rep = owned.groupby("rep_id")
    r = r.set_index("rep_id")
    for f in FLAGS:
        r[f"n_{f}"] = per_rep[f"is_{f}"].sum().reindex(r.index).fillna(0).astype("int64")
    at_stake_open = owned[owned["is_relationship_trap"] | owned["is_claim_gap"]]
    r["money_at_stake_open_potential"] = (
        at_stake_open.groupby("rep_id")["open_potential"].sum().reindex(r.index).fillna(0.0)
    )
    r["excess_discount"] = (
        owned["excess_discount"].clip(lower=0).groupby(owned["rep_id"]).sum(min_count=1)
    ).reindex(r.index)
    # The same sum as the accounts' money_at_stake (pages, sheets and JSON read one figure).
    r["money_at_stake"] = per_rep["money_at_stake"].sum().reindex(r.index).fillna(0.0)
    r["accounts_without_potential"] = r["accounts"] - r["accounts_with_potential"]
    return r.reset_index()


def rank_tiers(reps: pd.DataFrame, s: Settings, window: Window, partial: str = "") -> pd.DataFrame:
    """Tiers within each team (the whole company where reps have no team). The measure is
    the ``tier_measure`` setting: quota attainment, relative growth, or (auto, the default)
    quota attainment when every rep of the team has a quota, else relative growth.

    top: measure >= the team's ``top_tier_quantile`` quantile (linear interpolation) in the
    current AND the prior window; marginal: measure < the team's median now; core: the rest,
    and everyone in a team with fewer than two reps that have the measure.
    """
    r = reps.copy()
    team = team_key(r)
    quota = pd.to_numeric(r["quota"], errors="coerce")
    all_quota = (quota > 0).groupby(team).transform("all").astype(bool)
    if s.tier_measure != "auto":  # chosen by the manager: one measure for every team
        all_quota = pd.Series(s.tier_measure == "quota_attainment", index=r.index)
    part = quota * window.months / 12
    revenue = pd.to_numeric(r["revenue"], errors="coerce")
    revenue_prior = pd.to_numeric(r["revenue_prior"], errors="coerce")
    cur = (revenue / part).where(all_quota, pd.to_numeric(r["relative_growth"], errors="coerce"))
    prior = (revenue_prior / part).where(
        all_quota, pd.to_numeric(r["relative_growth_prior"], errors="coerce")
    )
    # A team without revenue in a window has nothing to rank: all at 0 % would tie at the
    # top quantile and make every rep a top performer.
    sold = revenue.fillna(0).groupby(team).transform("sum") > 0
    sold_prior = revenue_prior.fillna(0).groupby(team).transform("sum") > 0
    cur, prior = cur.where(sold).astype(float), prior.where(sold_prior).astype(float)
    if partial:
        # The prior window is not covered whole: its revenue is not a measure to rank by.
        prior = prior * np.nan

    def team_stat(values: pd.Series, q: float) -> pd.Series:
        grouped = values.groupby(team)
        stat = team.map(grouped.quantile(q)).astype(float)
        return stat.where(team.map(grouped.count()) >= 2)

    top_cur = team_stat(cur, s.top_tier_quantile)
    top_prior = team_stat(prior, s.top_tier_quantile)
    cut = team_stat(cur, s.marginal_tier_quantile)
    is_top = (cur >= top_cur) & (prior >= top_prior)
    is_marginal = ~is_top & (cur < cut)
    r["tier"] = np.select([is_top.to_numpy(), is_marginal.to_numpy()], ["top", "marginal"], "core")
    names = np.where(all_quota.to_numpy(), "quota attainment", "relative growth")
    top_words = settings_store.top_words(s.top_tier_quantile)
    low_words = settings_store.bottom_words(s.marginal_tier_quantile)
    q = s.marginal_tier_quantile
    cut_words = "median" if abs(q - 0.5) < 1e-9 else f"{fmt.pct(q)} quantile"
    reasons, figures = [], []
    for i, (tier, name, t) in enumerate(zip(r["tier"], names, team.tolist(), strict=True)):
        show = fmt.pct if name == "quota attainment" else fmt.pp_from_fraction
        figures.append(show(num(cur.iloc[i])))
        label = f"team {t}" if t else "the company"
        c, p = num(cur.iloc[i]), num(prior.iloc[i])
        tc, tp, med = num(top_cur.iloc[i]), num(top_prior.iloc[i]), num(cut.iloc[i])
        if c is None:
            why = (
                " (no orders in this window)"
                if not sold.iloc[i]
                else ""
                if name == "quota attainment"
                else " (no revenue in the prior window)"
            )
            if partial and sold.iloc[i] and name != "quota attainment":
                why = " (the data do not cover the prior window whole)"
            reasons.append(f"core: no {name} in this window{why}")
        elif med is None:
            reasons.append(f"core: fewer than two reps in {label} have a {name} to compare")
        elif tier == "top":
            reasons.append(
                f"top: {name} {show(c)} ≥ {top_words} of {label} ({show(tc)}) now and "
                f"{show(p)} ≥ {show(tp)} in the prior window"
            )
        elif tier == "marginal":
            reasons.append(
                f"marginal: {name} {show(c)} in the {low_words} of {label} ({cut_words} {show(med)})"
            )
        else:
            why_not_top = (
                f"; {show(p)} in the prior window < {show(tp)}"
                if tc is not None and c >= tc and p is not None and tp is not None
                else ""
            )
            reasons.append(
                f"core: {name} {show(c)} ({cut_words} of {label} {show(med)}, "
                f"{top_words} {show(tc)}{why_not_top})"
            )
    r["tier_reason"] = reasons
    r["tier_measure"] = names
    r["tier_value"] = cur
    r["tier_figure"] = figures  # the measure as the tier reason writes it ("83 %", "+9.0 pp")
    r["tier_value_prior"] = prior
    return r


def tier_measure(reps: pd.DataFrame) -> str:
    """The measure that ranked these reps' tiers: "quota attainment", "relative growth", or
    "mixed" (auto, where some teams have every quota and others do not)."""
    used = set(reps.get("tier_measure", pd.Series(dtype=str)).dropna().astype(str))
    if len(used) == 1:
        return used.pop()
    return "mixed" if used else "relative growth"


def tier_measure_sentence(reps: pd.DataFrame, s: Settings) -> str:
    """What ranks the tiers and where the lines are, in the words of the settings in force."""
    measure = tier_measure(reps)
    what = {
        "quota attainment": "quota attainment (revenue ÷ the window's share of the annual quota)",
        "relative growth": "growth against the company (the rep's growth − the company's, in pp)",
        "mixed": "quota attainment in teams where every rep has a quota, growth against the "
        "company in the others",
    }[measure]
    chosen = "" if s.tier_measure == "auto" else " (chosen in Settings)"
    return (
        f"Tiers are ranked on {what}{chosen}, within each team: marginal = the "
        f"{settings_store.bottom_words(s.marginal_tier_quantile)} in this window; top = the "
        f"{settings_store.top_words(s.top_tier_quantile)} in this and the prior window."
    )


def coaching_priority(reps: pd.DataFrame) -> pd.DataFrame:
    """1 = coach first: marginal performers first, top performers last, money at stake within."""
    order = {t: i for i, t in enumerate(TIERS)}
    r = reps.assign(_tier_order=reps["tier"].map(order))
    r = r.sort_values(["_tier_order", "money_at_stake", "rep_id"], ascending=[True, False, True])
    r["coaching_priority"] = range(1, len(r) + 1)
    return r.drop(columns="_tier_order").reset_index(drop=True)
