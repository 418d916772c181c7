"""assemble: flags -> prompts -> the Sheet, from SheetInputs (pure: no workspace).

Why split ``build_sheet`` (gathers data from the workspace and the metrics) from
``assemble`` (pure): the wording rules (which prompt leads, how flags on one account merge,
which training topic fits) are the heart of the product and are tested on small
hand-made frames, without a database.

Every decision about what the sheet says is made in this module's siblings: ``prompts``
(which prompts, in what order), ``stakes`` (the money behind a finding), ``sections`` (the
scoreboard, actions, training, advice, chart, notes) and ``values`` (the figures in words),
reading the metrics' rows through ``cells``. Rules decided there (also in docs/coaching.md):
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

import pandas as pd

from reltruth.coaching.cells import cell_text, normalise_tier
from reltruth.coaching.inputs import SheetInputs
from reltruth.coaching.model import Actions, Sheet
from reltruth.coaching.prompts import choose_prompts, team_learning_prompt
from reltruth.coaching.sections import (
    chart_rows,
    scoreboard,
    self_audit_advice,
    sheet_notes,
    suggested_actions,
)
from reltruth.coaching.templates import fill, templates
from reltruth.coaching.values import rep_values
from reltruth.errors import UserError


def assemble(inp: SheetInputs) -> Sheet:
    """The sheet for one rep from data already gathered (pure: no workspace)."""
    t = templates()
    rep = inp.rep
    tier = normalise_tier(rep.get("tier"))
    short = tier == "top" and not inp.self_audit
    common = rep_values(inp)
    sheet_t = t["sheet"]
    if inp.self_audit:
        title, intro = sheet_t["title_self_audit"], sheet_t["intro_self_audit"]
    else:
        title = sheet_t["title"]
        intro = sheet_t["intro_short"] if short else sheet_t["intro_full"]

    accounts = _sorted_accounts(inp.accounts)
    if short:
        prompts = [team_learning_prompt(inp, common)]
        actions = Actions()
        extra_notes: list[str] = []
    else:
        prompts, extra_notes = choose_prompts(inp, accounts, common)
        actions = suggested_actions(inp, accounts, common)
    notes = sheet_notes(inp, accounts, common) + extra_notes

    return Sheet(
        rep_id=str(rep["rep_id"]),
        rep_name=cell_text(rep.get("rep_name")) or str(rep["rep_id"]),
        manager=cell_text(rep.get("manager")),
        team=cell_text(rep.get("team")),
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
        scoreboard=scoreboard(inp),
        prompts=tuple(prompts),
        actions=actions,
        advice=self_audit_advice(inp, accounts, common) if inp.self_audit else (),
        commitments=inp.commitments,
        chart=chart_rows(inp.rep, accounts),
        chart_title=fill(t["labels"]["chart_title"], common),
        footer=fill(sheet_t["footer"], common),
        notes=tuple(notes),
    )


def _tier_reason(value: object, tier: str) -> str:
    """The metrics' reason without its leading "marginal: " (the sheet names the tier)."""
    text = cell_text(value).strip()
    head, sep, rest = text.partition(":")
    return rest.strip() if sep and normalise_tier(head) == tier and len(head) < 25 else text


def _sorted_accounts(accounts: pd.DataFrame) -> pd.DataFrame:
    """The rep's accounts with numeric helper columns, largest potential first."""
    a = accounts.copy()
    for col in ("potential", "time_share", "potential_share"):
        values = a[col] if col in a.columns else pd.Series(0.0, index=a.index)
        a["_" + col] = pd.to_numeric(values, errors="coerce").fillna(0.0).astype(float)
    if "account_id" not in a.columns:
        raise UserError("The metrics have no account ids; reload the data.")
    return a.sort_values(["_potential", "account_id"], ascending=[False, True])
