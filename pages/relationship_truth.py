"""Relationship truth: the reps' claimed relationships against what the accounts buy.

"If your relationships are so great, why aren't they buying everything from you?" The
charts put the claimed rating beside penetration and growth against the company; the
claim-gap list names the "great relationships" that are not buying; trade candidates are
accounts that have not grown for two windows, with the reps proposed to take them over.
The lists come from ``reltruth.views.relationship_truth``; this page only draws them.
"""

from __future__ import annotations

import streamlit as st

from reltruth import charts
from reltruth.ui import lifetime, session, widgets
from reltruth.ui.format import Col, money_text, with_unit
from reltruth.views import relationship_truth as view

lifetime.require_entrypoint()
st.title("Relationship truth")
session.workspace()  # stops the page with a friendly note while the workspace is empty
m = session.metrics()
cur = session.currency()
team, rep_ids = widgets.scope(m.reps)
v = view.truth_view(m, rep_ids, team)
accounts = v.accounts
widgets.window_caption(m.window.label, f"{len(accounts):,} accounts of {v.reps:,} reps")
ACCOUNT, REP = Col("account_name", "Account", pin=True), Col("rep_name", "Rep")
RATING = Col("relationship_rating", "Claimed rating (1–5)", "int")
GROWTH = Col("relative_growth", "Growth vs company", "pp")
POTENTIAL = Col("potential", with_unit("Potential", cur, "/year"), "money")
PENETRATION = Col("penetration", "Penetration", "pct")
stamp = m.window.as_of.isoformat()
PENETRATION_AXIS = "Penetration (share of wallet, %)"
GROWTH_AXIS = "Growth against the company (pp)"

if not v.rated:
    st.info(view.NO_RATINGS)
else:
    numbers = [ACCOUNT, REP, RATING, PENETRATION, GROWTH, widgets.ESTIMATE_COL, POTENTIAL]
    numbers.append(Col("flags", "Flags", "list"))
    st.caption(v.charts_note)
    left, right = st.columns(2)
    with left:
        st.subheader("Claimed relationship vs penetration", anchor=False)
        widgets.chart(
            charts.rating_vs(accounts, "penetration", PENETRATION_AXIS, ".0%", clip=(0.0, 1.5)),
            accounts,
            numbers,
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
            charts.rating_vs(accounts, "relative_growth", GROWTH_AXIS, "pp", clip=(-1.0, 1.0)),
            accounts,
            numbers,
            key="truth_growth",
            empty="Upload two windows of orders to see growth against the company.",
            currency=cur,
            file_name="rating-vs-growth.csv",
            title="Claimed relationship vs growth",
            unit="rating 1–5, growth against the company (pp)",
        )

st.subheader("Claim gaps", anchor=False)
st.markdown(f"> *{view.QUESTION}*")
if v.gaps.is_empty:
    st.info(v.gaps.missing)
else:
    st.metric(
        "Open potential at claim-gap accounts",
        money_text(v.gaps_open_potential, cur),
        help=f"What these accounts could still buy per year ({m.window.label}).",
    )
    widgets.table(
        v.gaps.rows,
        [
            ACCOUNT,
            REP,
            RATING,
            PENETRATION,
            GROWTH,
            widgets.ESTIMATE_COL,
            Col("open_potential", with_unit("Open potential", cur, "/year"), "money"),
            Col("hours", "Hours", "hours"),
            Col("flag_reasons", "Why flagged", "list"),
        ],
        key="truth_gaps",
        account_col="account_id",
        currency=cur,
        file_name=f"claim-gaps-{stamp}.csv",
    )
widgets.estimate_note(accounts, m.potential_rule)

st.subheader("Category white space", anchor=False)
st.caption(view.WHITE_SPACE_NOTE)
widgets.section(
    v.white_space,
    [
        ACCOUNT,
        REP,
        Col("missing_categories", "Does not buy (most peers do)", "list"),
        Col("white_space_potential", with_unit("≈ White space", cur, "/year"), "money"),
        RATING,
        Col("segment", "Segment"),
        # long: last, so the white space itself is on screen without scrolling
        Col("categories_bought", "Buys from us", "list"),
    ],
    key="truth_white_space",
    currency=cur,
    file_name=f"white-space-{stamp}.csv",
)

st.subheader("Key people in the high-potential accounts", anchor=False)
st.caption(v.key_people_note)
widgets.section(
    v.key_people,
    [
        ACCOUNT,
        REP,
        Col("quiet", f"More than {m.settings.key_people_max_days} days"),
        Col("last_decision_maker_contact", "Last decision-maker contact", "date"),
        Col("decision_maker_hours_share", "Hours with decision makers", "pct"),
        POTENTIAL,
    ],
    key="truth_key_people",
    currency=cur,
    file_name=f"key-people-{stamp}.csv",
)

st.subheader("Trade candidates", anchor=False)
st.caption(view.TRADES_NOTE)
widgets.section(
    v.trades,
    [
        ACCOUNT,
        Col("from_rep_name", "Owner now"),
        Col("to_rep_name", "Proposed receiver"),
        Col("reason", "Why"),
    ],
    key="truth_trades",
    account_col="account_id",
    file_name=f"trade-candidates-{stamp}.csv",
)
