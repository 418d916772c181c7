"""Relationship truth: the reps' claimed relationships against what the accounts buy.

"If your relationships are so great, why aren't they buying everything from you?" The
charts put the claimed rating beside penetration and growth against the company; the
claim-gap list names the "great relationships" that are not buying; trade candidates are
accounts that have not grown for two windows, with the reps proposed to take them over.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from reltruth import charts, empty_states
from reltruth import settings as settings_words
from reltruth.ui import session, widgets
from reltruth.ui.format import Col, money_text, with_unit

QUESTION = "If your relationships are so great, why aren't they buying everything from you?"

session.require_entrypoint()
st.title("Relationship truth")
ws = session.workspace()
m = session.metrics()
cur = session.currency()
reps = widgets.team_reps(m.reps)
rep_filter = session.selected_rep()
rep_ids = {str(r) for r in reps["rep_id"]} if rep_filter is None else {rep_filter}
accounts = widgets.with_estimate_marks(m.accounts[m.accounts["rep_id"].astype(str).isin(rep_ids)])
widgets.window_caption(m.window.label, f"{len(accounts):,} accounts of {len(rep_ids):,} reps")

if (
    "relationship_rating" not in accounts.columns
    or accounts["relationship_rating"].notna().sum() == 0
):
    st.info(
        "Upload accounts with a relationship rating (1–5, or words such as Good / Excellent) "
        "to test the claims against penetration and growth."
    )
else:
    numbers_cols = [
        Col("account_name", "Account", pin=True),
        Col("rep_name", "Rep"),
        Col("relationship_rating", "Claimed rating (1–5)", "int"),
        Col("penetration", "Penetration", "pct"),
        Col("relative_growth", "Growth vs company", "pp"),
        widgets.ESTIMATE_COL,
        Col("potential", with_unit("Potential", cur, "/year"), "money"),
        Col("flags", "Flags", "list"),
    ]
    st.caption(
        "Each dot is an account, by the rep's own rating of the relationship. Red: a claim "
        f"gap ({empty_states.claim_gap_rule(m.settings)}). Penetration above 150 % and growth "
        "beyond ±100 pp sit on the edge."
    )
    left, right = st.columns(2)
    with left:
        st.subheader("Claimed relationship vs penetration", anchor=False)
        widgets.chart(
            charts.rating_vs(
                accounts,
                "penetration",
                "Penetration (share of wallet, %)",
                ".0%",
                clip=(0.0, 1.5),
            ),
            accounts,
            numbers_cols,
            key="truth_penetration",
            empty="Upload orders and potentials to see penetration.",
            currency=cur,
            file_name="rating-vs-penetration.csv",
            title="Claimed relationship vs penetration",
            unit="rating 1–5, % of potential bought",
        )
    with right:
        st.subheader("Claimed relationship vs growth", anchor=False)
        widgets.chart(
            charts.rating_vs(
                accounts,
                "relative_growth",
                "Growth against the company (pp)",
                "pp",
                clip=(-1.0, 1.0),
            ),
            accounts,
            numbers_cols,
            key="truth_growth",
            empty="Upload two windows of orders to see growth against the company.",
            currency=cur,
            file_name="rating-vs-growth.csv",
            title="Claimed relationship vs growth",
            unit="rating 1–5, growth against the company (pp)",
        )

st.subheader("Claim gaps", anchor=False)
st.markdown(f"> *{QUESTION}*")
flags = accounts.get("flags", pd.Series([[]] * len(accounts), index=accounts.index))
gaps = accounts[flags.map(lambda f: "claim_gap" in charts.flag_list(f))]
if gaps.empty:
    st.info(empty_states.claim_gaps(accounts, m.settings))
else:
    gaps = gaps.sort_values("open_potential", ascending=False)
    st.metric(
        "Open potential at claim-gap accounts",
        money_text(pd.to_numeric(gaps["open_potential"], errors="coerce").sum(), cur),
        help=f"What these accounts could still buy per year ({m.window.label}).",
    )
    widgets.table(
        gaps,
        [
            Col("account_name", "Account", pin=True),
            Col("rep_name", "Rep"),
            Col("relationship_rating", "Claimed rating (1–5)", "int"),
            Col("penetration", "Penetration", "pct"),
            Col("relative_growth", "Growth vs company", "pp"),
            widgets.ESTIMATE_COL,
            Col("open_potential", with_unit("Open potential", cur, "/year"), "money"),
            Col("hours", "Hours", "hours"),
            Col("flag_reasons", "Why flagged", "list"),
        ],
        key="truth_gaps",
        account_col="account_id",
        currency=cur,
        file_name=f"claim-gaps-{m.window.as_of.isoformat()}.csv",
    )
widgets.estimate_note(accounts, m.potential_rule)

st.subheader("Category white space", anchor=False)
st.caption(
    "What the account does not buy from us: the product categories most of its peers (the "
    "other accounts of its segment that bought in this window) buy and it does not. ≈ The "
    "value is an estimate: the account's potential × those categories' share of the peers' "
    "revenue."
)
missing = accounts.get("missing_categories", pd.Series(None, index=accounts.index))
white = accounts[missing.map(lambda c: isinstance(c, list) and len(c) > 0)]
if white.empty:
    st.info(empty_states.white_space(accounts))
else:
    white = white.sort_values("white_space_potential", ascending=False, na_position="last")
    widgets.table(
        white,
        [
            Col("account_name", "Account", pin=True),
            Col("rep_name", "Rep"),
            Col("missing_categories", "Does not buy (most peers do)", "list"),
            Col("white_space_potential", with_unit("≈ White space", cur, "/year"), "money"),
            Col("relationship_rating", "Claimed rating (1–5)", "int"),
            Col("segment", "Segment"),
            # long: last, so the white space itself is on screen without scrolling
            Col("categories_bought", "Buys from us", "list"),
        ],
        key="truth_white_space",
        currency=cur,
        file_name=f"white-space-{m.window.as_of.isoformat()}.csv",
    )

st.subheader("Key people in the high-potential accounts", anchor=False)
st.caption(
    f"Accounts in the {settings_words.top_words(m.settings.key_people_potential_quantile)} of "
    "their owner's book: the share of the owner's hours there spent with decision makers and "
    "the last decision-maker contact. First: those with no decision-maker contact for more "
    f"than {m.settings.key_people_max_days} days (a setting)."
)
is_high = accounts.get("is_high_potential", pd.Series(False, index=accounts.index))
high = accounts[is_high.fillna(False).astype(bool)]
if empty := empty_states.key_people(m.missing_fields, len(high)):
    st.info(empty)
else:
    # the accounts without a decision maker first: they are what the section is for
    high = high.assign(
        quiet=high["no_decision_maker_contact"].map(lambda q: "no contact" if q else ""),
        _quiet=high["no_decision_maker_contact"].astype(bool),
    ).sort_values(["_quiet", "potential"], ascending=[False, False])
    widgets.table(
        high,
        [
            Col("account_name", "Account", pin=True),
            Col("rep_name", "Rep"),
            Col("quiet", f"More than {m.settings.key_people_max_days} days"),
            Col("last_decision_maker_contact", "Last decision-maker contact", "date"),
            Col("decision_maker_hours_share", "Hours with decision makers", "pct"),
            Col("potential", with_unit("Potential", cur, "/year"), "money"),
        ],
        key="truth_key_people",
        currency=cur,
        file_name=f"key-people-{m.window.as_of.isoformat()}.csv",
    )

st.subheader("Trade candidates", anchor=False)
st.caption(
    "Big accounts that have not grown faster than the company in this or the prior window, "
    "with a claim gap, relationship trap or discount creep. The receiver has fewer hours than "
    "their team's median and the best revenue per hour, same segment and region first, the "
    "owner's team first; nobody receives more than two trades in a window."
)
trades = m.trades
if trades is not None and not trades.empty:
    trades = trades[trades["from_rep_id"].astype(str).isin(rep_ids)]
if trades is None or trades.empty:
    st.info(empty_states.trade_candidates(reps, accounts))
else:
    names = dict(
        zip(m.accounts["account_id"].astype(str), m.accounts["account_name"], strict=False)
    )
    rep_names = widgets.rep_names(m.reps)
    view = trades.assign(
        account_name=trades["account_id"].astype(str).map(lambda i: names.get(i) or i),
        from_rep_name=trades["from_rep_id"].astype(str).map(lambda i: rep_names.get(i, i)),
        to_rep_name=trades["to_rep_name"].map(lambda n: n if isinstance(n, str) else "none"),
    )
    widgets.table(
        view,
        [
            Col("account_name", "Account", pin=True),
            Col("from_rep_name", "Owner now"),
            Col("to_rep_name", "Proposed receiver"),
            Col("reason", "Why"),
        ],
        key="truth_trades",
        account_col="account_id",
        file_name=f"trade-candidates-{m.window.as_of.isoformat()}.csv",
    )
