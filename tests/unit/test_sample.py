"""The built-in sample: deterministic, shaped like real exports, and telling its stories.

The story checks recompute the key figures of docs/metrics.md with plain pandas straight from
``canonical_frames`` (independently of ``reltruth.metrics``), so a change to the generator
that breaks a story fails here.
"""

from __future__ import annotations

import argparse
import csv
import io
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from reltruth import metrics, sample
from reltruth.errors import UserError
from reltruth.sample import cast
from reltruth.sample import exports as export_files
from reltruth.sample.days import weekday
from reltruth.settings import DEFAULT_DURATIONS
from reltruth.workspace import Workspace

AS_OF = pd.Timestamp("2026-09-30")
CUR = (pd.Timestamp("2025-09-30"), AS_OF)  # (start, end]
PRIOR = (pd.Timestamp("2024-09-30"), pd.Timestamp("2025-09-30"))
PRIOR2 = (pd.Timestamp("2023-09-30"), pd.Timestamp("2024-09-30"))


def _in(dates: pd.Series, window: tuple[pd.Timestamp, pd.Timestamp]) -> pd.Series:
    return (dates > window[0]) & (dates <= window[1])


def _slope_pp_per_year(q: pd.DataFrame) -> float:
    """Least-squares slope of the quarterly discount rate, pp per year (>= 4 quarters)."""
    if len(q) < 4:
        return float("nan")
    x = q["qi"].to_numpy(dtype=float)
    y = q["rate"].to_numpy()
    return float(np.polyfit(x, y, 1)[0] * 4 * 100)


def key_figures(frames: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Account and rep figures for the 12 months to AS_OF, the documented definitions in pandas."""
    acc = frames["accounts"].copy()
    orders = frames["orders"].copy()
    # docs/metrics.md (staging): a won deal is revenue only at an account no invoice covers
    invoiced = set(orders.loc[orders["source"] == "orders", "account_id"])
    orders = orders[(orders["source"] != "deals") | ~orders["account_id"].isin(invoiced)]
    acts = frames["activities"].copy()
    reps = frames["reps"].copy()
    orders["d"] = pd.to_datetime(orders["order_date"])
    acts["d"] = pd.to_datetime(acts["activity_date"])

    def revenue(window: tuple[pd.Timestamp, pd.Timestamp]) -> pd.Series:
        o = orders[_in(orders["d"], window)]
        return o.groupby("account_id")["net_amount"].sum()

    acc = acc.set_index("account_id")
    acc["rev"] = revenue(CUR).reindex(acc.index).fillna(0.0)
    acc["rev_prior"] = revenue(PRIOR).reindex(acc.index).fillna(0.0)
    acc["rev_prior2"] = revenue(PRIOR2).reindex(acc.index).fillna(0.0)
    company_growth = acc["rev"].sum() / acc["rev_prior"].sum() - 1
    company_growth_prior = acc["rev_prior"].sum() / acc["rev_prior2"].sum() - 1
    acc["growth"] = (acc["rev"] / acc["rev_prior"] - 1).where(acc["rev_prior"] > 0)
    acc["growth_prior"] = (acc["rev_prior"] / acc["rev_prior2"] - 1).where(acc["rev_prior2"] > 0)
    acc["rel_growth"] = acc["growth"] - company_growth
    acc["rel_growth_prior"] = acc["growth_prior"] - company_growth_prior
    # a takeover in this or the prior window (docs/metrics.md, Evidence): the new owner's
    # days against as many days before them, the company over the same spans
    for aid, since in pd.to_datetime(acc["owner_since"]).items():
        if pd.isna(since) or not PRIOR[0] < since < AS_OF:
            continue
        before = (since - (AS_OF - since), since)
        mine = orders[orders["account_id"] == aid]
        rev_before = mine.loc[_in(mine["d"], before), "net_amount"].sum()
        if abs(rev_before) < 0.005:
            continue  # opened by its owner: no predecessor
        rev_since = mine.loc[_in(mine["d"], (since, AS_OF)), "net_amount"].sum()
        company = (
            orders.loc[_in(orders["d"], (since, AS_OF)), "net_amount"].sum()
            / orders.loc[_in(orders["d"], before), "net_amount"].sum()
            - 1
        )
        acc.loc[aid, "growth"] = rev_since / rev_before - 1
        acc.loc[aid, "rel_growth"] = rev_since / rev_before - 1 - company
    acc["penetration"] = acc["rev"] / acc["potential"]

    # hours: the owner's activities in the window, blank durations at the per-type default
    a = acts[_in(acts["d"], CUR)].merge(
        acc[["owner_rep_id"]], left_on="account_id", right_index=True
    )
    minutes = a["duration_minutes"].fillna(a["activity_type"].map(DEFAULT_DURATIONS))
    a = a.assign(hours=(minutes + a["travel_minutes"].fillna(0)) / 60)
    # time share = hours / the owner's hours on all accounts in W, taken literally: a rep's
    # time on accounts handed over during the window (to Jonas) counts in the denominator
    rep_hours = a.groupby("rep_id")["hours"].sum()
    own = a[a["rep_id"] == a["owner_rep_id"]]
    acc["hours"] = own.groupby("account_id")["hours"].sum().reindex(acc.index).fillna(0.0)
    by_rep = acc.groupby("owner_rep_id")
    acc["time_share"] = acc["hours"] / acc["owner_rep_id"].map(rep_hours)
    acc["potential_share"] = acc["potential"] / by_rep["potential"].transform("sum")
    acc["allocation_ratio"] = acc["time_share"] / acc["potential_share"]

    # discounts: list-weighted; trend over the last 8 calendar quarters (2024Q4..2026Q3)
    cur = orders[_in(orders["d"], CUR)].groupby("account_id")[["net_amount", "list_amount"]].sum()
    acc["discount_rate"] = (1 - cur["net_amount"] / cur["list_amount"]).reindex(acc.index)
    acc["benchmark"] = acc.groupby("segment")["discount_rate"].transform("median")
    q = orders[(orders["d"] > pd.Timestamp("2024-09-30")) & (orders["d"] <= AS_OF)].copy()
    q["qi"] = (q["d"].dt.year - 2024) * 4 + q["d"].dt.quarter - 4
    qa = q.groupby(["account_id", "qi"])[["net_amount", "list_amount"]].sum().reset_index()
    qa["rate"] = 1 - qa["net_amount"] / qa["list_amount"]
    acc["discount_trend"] = pd.Series(
        {k: _slope_pp_per_year(g) for k, g in qa.groupby("account_id")}
    ).reindex(acc.index)

    # flags, docs/metrics.md defaults
    pen_median = acc["penetration"].median()
    pot_median = acc["potential"].median()
    q75 = by_rep["potential"].transform(lambda s: s.quantile(0.75))
    q25 = by_rep["potential"].transform(lambda s: s.quantile(0.25))
    rel_le0 = acc["rel_growth"] <= 0
    acc["trap"] = (acc["allocation_ratio"] >= 1.5) & ((acc["penetration"] < pen_median) | rel_le0)
    acc["neglected"] = (acc["potential"] >= q75) & (acc["allocation_ratio"] <= 0.5)
    acc["claim_gap"] = (acc["relationship_rating"] >= 4) & ((acc["penetration"] < 0.5) | rel_le0)
    acc["creep"] = (acc["discount_trend"] >= 1.0) & (acc["discount_rate"] >= acc["benchmark"])
    # demote (docs/metrics.md, corrected by issue 14): also not growing faster than the company
    acc["demote"] = (
        (acc["potential"] <= q25) & (acc["time_share"] > acc["potential_share"]) & rel_le0
    )
    tenure = (AS_OF - pd.to_datetime(acc["owner_since"])).dt.days / 365.25
    acc["trade"] = (
        (acc["potential"] >= pot_median)
        & rel_le0
        & (acc["rel_growth_prior"] <= 0)
        & (acc["claim_gap"] | acc["trap"] | acc["creep"])
        & (tenure >= 2)
    )

    # reps
    reps = reps.set_index("rep_id")
    reps["revenue"] = by_rep["rev"].sum()
    reps["revenue_prior"] = by_rep["rev_prior"].sum()
    reps["attainment"] = reps["revenue"] / reps["quota"]
    reps["attainment_prior"] = reps["revenue_prior"] / reps["quota"]
    reps["growth"] = reps["revenue"] / reps["revenue_prior"] - 1
    reps["hours"] = rep_hours
    reps["alignment"] = (
        1
        - 0.5
        * (acc["time_share"] - acc["potential_share"]).abs().groupby(acc["owner_rep_id"]).sum()
    )
    first = orders.groupby("account_id")["d"].min()
    acc["is_new"] = _in(first.reindex(acc.index), CUR)
    reps["new_accounts"] = acc.groupby("owner_rep_id")["is_new"].sum()
    reps["discount_rate"] = 1 - (
        cur.join(acc["owner_rep_id"])
        .groupby("owner_rep_id")[["net_amount", "list_amount"]]
        .sum()
        .pipe(lambda t: t["net_amount"] / t["list_amount"])
    )
    qr = q.merge(acc[["owner_rep_id"]], left_on="account_id", right_index=True)
    qr = qr.groupby(["owner_rep_id", "qi"])[["net_amount", "list_amount"]].sum().reset_index()
    qr["rate"] = 1 - qr["net_amount"] / qr["list_amount"]
    reps["discount_trend"] = pd.Series(
        {k: _slope_pp_per_year(g) for k, g in qr.groupby("owner_rep_id")}
    )
    for flag in ("trap", "neglected", "claim_gap", "creep", "demote", "trade"):
        reps[f"n_{flag}"] = acc.groupby("owner_rep_id")[flag].sum()
    team = reps.groupby("team")
    reps["top"] = (
        reps["attainment"] >= team["attainment"].transform(lambda s: s.quantile(0.75))
    ) & (reps["attainment_prior"] >= team["attainment_prior"].transform(lambda s: s.quantile(0.75)))
    reps["marginal"] = reps["attainment"] < team["attainment"].transform("median")
    acc.attrs["company_growth"] = company_growth
    acc.attrs["company_growth_prior"] = company_growth_prior
    return acc, reps


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return sample.canonical_frames()


@pytest.fixture(scope="module")
def figures(frames: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    return key_figures(frames)


def _invoice_lines(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The order rows of invoice_lines.csv (won deals are order rows too, source 'deals')."""
    orders = frames["orders"]
    return orders[orders["source"] == "orders"]


def _story(frames: dict[str, pd.DataFrame], names: tuple[str, ...]) -> list[str]:
    acc = frames["accounts"]
    ids = acc.loc[acc["account_name"].isin(names), "account_id"].tolist()
    assert len(ids) == len(names)
    return ids


# --- shape and determinism --------------------------------------------------------------


def test_canonical_frames_have_the_schema_columns(frames: dict[str, pd.DataFrame]) -> None:
    for table, cols in sample.CANONICAL_COLUMNS.items():
        assert list(frames[table].columns) == cols


def test_sample_size_and_dates(frames: dict[str, pd.DataFrame]) -> None:
    assert len(frames["reps"]) == 8
    assert 280 <= len(frames["accounts"]) <= 330
    assert 30_000 <= len(frames["activities"]) <= 50_000
    assert 40_000 <= len(frames["orders"]) <= 60_000
    for table, col in (("activities", "activity_date"), ("orders", "order_date")):
        dates = pd.to_datetime(frames[table][col])
        assert dates.min() >= pd.Timestamp("2023-10-01")
        assert dates.max() == AS_OF  # so as_of = the latest date = 2026-09-30
    assert frames["accounts"]["account_name"].is_unique
    # keyed by their ids, as ingestion keys them (row_key null: schema.sql)
    assert frames["activities"]["row_key"].isna().all()
    assert frames["activities"]["activity_id"].is_unique
    lines = _invoice_lines(frames)
    assert lines["row_key"].isna().all()
    assert not lines.duplicated(["order_id", "line_no"]).any()
    # a deal is keyed by its id; the won ones are the order rows that are not invoice lines
    deals = frames["pipeline"]
    assert (deals["row_key"] == "id:" + deals["deal_id"]).all() and deals["deal_id"].is_unique
    won = frames["orders"][frames["orders"]["source"] == "deals"]
    assert sorted(won["order_id"]) == sorted(deals.loc[deals["stage"] == "won", "deal_id"])
    assert len(lines) + len(won) == len(frames["orders"])
    # every date is in the data's span: no deal moves as_of
    assert pd.to_datetime(deals["engage_date"]).min() >= pd.Timestamp("2023-10-01")
    closed = deals[deals["stage"] != "open"]
    assert pd.to_datetime(closed["close_date"]).max() <= AS_OF


def test_deterministic_and_seed_sensitive() -> None:
    a = sample.canonical_frames(seed=7)
    b = sample.canonical_frames(seed=7)
    c = sample.canonical_frames(seed=8)
    for table in a:
        pd.testing.assert_frame_equal(a[table], b[table])
    assert not a["orders"]["net_amount"].equals(c["orders"]["net_amount"])


def test_scale_multiplies_reps_accounts_activities_and_orders() -> None:
    one = sample.canonical_frames(scale=1)
    two = sample.canonical_frames(scale=2)
    assert len(two["reps"]) == 16
    assert two["reps"]["rep_name"].is_unique
    assert two["accounts"]["account_name"].is_unique
    assert set(two["reps"]["team"]) == {"North", "South", "North 2", "South 2"}
    for table in ("accounts", "activities", "orders", "pipeline"):
        assert 1.7 < len(two[table]) / len(one[table]) < 2.3
        # copy 0 of a bigger scale is the scale-1 sample itself
        pd.testing.assert_frame_equal(two[table].iloc[: len(one[table])], one[table])


@pytest.mark.parametrize("scale", [0, -1, 1000])
def test_bad_scale_is_a_user_error(scale: int) -> None:
    with pytest.raises(UserError):
        sample.canonical_frames(scale=scale)


def test_credit_notes_and_blank_durations(frames: dict[str, pd.DataFrame]) -> None:
    orders = _invoice_lines(frames)
    credits = orders[orders["net_amount"] < 0]
    assert 50 <= len(credits) <= 600
    assert (credits["order_id"].str.startswith("GS-")).all()
    assert (credits["list_amount"] < 0).all() and (credits["quantity"] < 0).all()
    acts = frames["activities"]
    blank = acts["duration_estimated"]
    assert 0.03 < blank.mean() < 0.2
    # a blank duration carries the per-type default, as ingestion loads it
    defaults = acts.loc[blank, "activity_type"].map(DEFAULT_DURATIONS)
    assert (acts.loc[blank, "duration_minutes"] == defaults).all()
    roles = {"Decision maker", "Influencer", "User", "Purchasing"}
    assert set(acts["contact_role"].dropna()) == roles


# --- the exports ------------------------------------------------------------------------


def test_exports_of_a_canonically_loaded_sample_load_nothing_twice(tmp_path: Path) -> None:
    from reltruth.ingest import ingest_files

    with Workspace.open(memory=True) as ws:
        sample.load_canonical(ws)
        before = ws.counts()
        report = ingest_files(ws, sample.write_sample(tmp_path))
        # only the three unmatched activities, which exist in the export alone, are new
        assert [(f.file, f.rows_loaded) for f in report.files if f.rows_loaded] == [
            ("activities.csv", 3)
        ]
        assert ws.counts() == {**before, "unmatched": 3}


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("sample")
    paths = sample.write_sample(out)
    return {p.name: p for p in paths}


def test_committed_sample_data_is_a_fresh_generation(exports: dict[str, Path]) -> None:
    for name, path in exports.items():
        committed = sample.SAMPLE_DIR / name
        assert committed.read_bytes() == path.read_bytes(), f"sample_data/{name} has drifted"


def test_export_headers_are_the_contract(exports: dict[str, Path]) -> None:
    def header(name: str, delimiter: str) -> list[str]:
        with exports[name].open(encoding="utf-8", newline="") as f:
            return next(csv.reader(f, delimiter=delimiter))

    assert header("users.csv", ",") == [
        "User ID",
        "Full Name",
        "Manager",
        "Sales Team",
        "Region",
        "Email",
        "Annual Quota",
    ]
    assert header("accounts.csv", ",") == [
        "Account ID",
        "Account Name",
        "Account Owner",
        "Annual Potential",
        "Industry",
        "Billing Region",
        "Relationship",
        "Owner Since",
        "Annual Revenue",
        "Employees",
    ]
    assert header("activities.csv", ",") == [
        "Activity ID",
        "Date",
        "Assigned",
        "Company / Account",
        "Activity Type",
        "Duration (min)",
        "Travel Time (min)",
        "Contact Role",
    ]
    assert header("invoice_lines.csv", ";") == [
        "Invoice No",
        "Line",
        "Invoice Date",
        "Customer No",
        "Item",
        "Product Group",
        "Qty",
        "List Value",
        "Net Value",
        "Currency",
    ]


def test_accounts_export_is_salesforce_shaped(
    exports: dict[str, Path], frames: dict[str, pd.DataFrame]
) -> None:
    text = exports["accounts.csv"].read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    n = len(frames["accounts"])
    assert rows[n + 2] == [f"Grand Totals ({n} records)"]
    assert rows[-2] == ["Confidential Information - Do Not Distribute"]
    assert rows[-1][0].startswith("Copyright (c)")
    body = pd.DataFrame(rows[1 : n + 1], columns=rows[0])
    müller = body[body["Account Name"] == "Müller & Söhne Metallbau"].iloc[0]
    assert müller["Account Owner"] == "Frank Berger"
    assert müller["Relationship"] == "Excellent"
    rheinstahl = body[body["Account Name"] == "Rheinstahl Anlagenbau AG"].iloc[0]
    assert rheinstahl["Annual Potential"] == "1,200,000"
    assert pd.to_datetime(rheinstahl["Owner Since"], format="%m/%d/%Y") > pd.Timestamp("2025-09-30")
    assert '"Schulz, Braun & Partner GmbH"' in text and "Café Lumière SARL" in text


def test_activities_export_names_reps_and_accounts(
    exports: dict[str, Path], frames: dict[str, pd.DataFrame]
) -> None:
    acts = pd.read_csv(exports["activities.csv"], dtype=str, keep_default_na=False)
    assert len(acts) == len(frames["activities"]) + len(cast.UNMATCHED)
    assert set(acts["Assigned"]) == set(frames["reps"]["rep_name"])
    known = set(frames["accounts"]["account_name"])
    unmatched = sorted(set(acts["Company / Account"]) - known)
    assert unmatched == ["Hansa Maschinenbau", "Nordlicht Logistik GmbH"]
    assert acts["Date"].str.fullmatch(r"\d\d/\d\d/20\d\d").all()
    blank = int((acts["Duration (min)"] == "").sum())
    assert blank == frames["activities"]["duration_estimated"].sum()
    assert set(acts["Activity Type"]) == {"Visit", "Meeting", "Call", "Email", "Other"}


def test_invoice_lines_use_decimal_comma_and_european_dates(
    exports: dict[str, Path], frames: dict[str, pd.DataFrame]
) -> None:
    lines = pd.read_csv(exports["invoice_lines.csv"], sep=";", dtype=str)
    orders = _invoice_lines(frames)
    assert len(lines) == len(orders)
    assert lines["Invoice Date"].str.fullmatch(r"\d\d\.\d\d\.20\d\d").all()
    assert lines["Net Value"].str.fullmatch(r"-?\d+,\d\d").all()
    assert set(lines["Currency"]) == {"EUR"}
    net = lines["Net Value"].str.replace(",", ".").astype(float)
    assert net.sum() == pytest.approx(orders["net_amount"].sum(), abs=0.01)
    assert (net < 0).sum() == (orders["net_amount"] < 0).sum()


def test_decimal_comma_formatting() -> None:
    out = export_files._decimal_comma(np.array([1234.5, -88.2, 0.05, -0.4, 0.0, 7]))
    assert out.to_pylist() == ["1234,50", "-88,20", "0,05", "-0,40", "0,00", "7,00"]


# --- the stories (docs/metrics.md rules, 12 months to 30 Sep 2026 vs the 12 before) --------


def test_frank_is_a_marginal_relationship_builder(
    frames: dict[str, pd.DataFrame], figures: tuple[pd.DataFrame, pd.DataFrame]
) -> None:
    acc, reps = figures
    comfort = _story(frames, cast.COMFORT_NAMES)
    gaps = _story(frames, cast.CLAIM_GAP_NAMES)
    c = acc.loc[comfort]
    assert (c["relationship_rating"] == 5).all()
    assert (c["allocation_ratio"] >= 1.5).all()
    assert (c["trap"] & c["claim_gap"] & c["demote"] & c["creep"]).all()
    assert c["time_share"].sum() > 0.3  # a third of his hours on five small accounts
    g = acc.loc[gaps]
    assert (g["relationship_rating"] == 5).all()
    assert (g["penetration"] < 0.5).all()
    assert (g["rel_growth"] <= 0).all() and (g["rel_growth_prior"] <= 0).all()
    assert (g["claim_gap"] & g["creep"] & g["trade"]).all()
    assert (g["discount_trend"].between(1.5, 4.0)).all()  # designed: +2.2 to +3 pp a year
    frank = reps.loc["R01"]
    assert frank["marginal"] and not frank["top"]
    assert frank["discount_trend"] >= 1.0
    assert frank["new_accounts"] <= 1
    assert frank["growth"] < acc.attrs["company_growth"]


def test_lena_is_a_consistent_top_performer(figures: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    acc, reps = figures
    lena = reps.loc["R02"]
    assert lena["top"]
    assert lena["attainment"] == reps["attainment"].max()
    assert lena["attainment_prior"] == reps["attainment_prior"].max()
    assert lena["alignment"] == reps["alignment"].max() and lena["alignment"] > 0.85
    assert abs(lena["discount_trend"]) < 0.5
    assert lena["new_accounts"] >= 3
    # the natural receiver of Frank's trade candidates: same region, fewer hours than the
    # team median and the best revenue per hour
    north = reps[reps["team"] == "North"]
    assert lena["hours"] < north["hours"].median()
    per_hour = north["revenue"] / north["hours"]
    assert per_hour["R02"] > per_hour.median() and per_hour["R02"] > 1.3 * per_hour["R01"]
    assert lena["n_trap"] <= 1 and lena["n_creep"] == 0  # a trap at most, by chance


def test_jonas_neglects_his_biggest_accounts(
    frames: dict[str, pd.DataFrame], figures: tuple[pd.DataFrame, pd.DataFrame]
) -> None:
    acc, reps = figures
    mine = acc[acc["owner_rep_id"] == "R05"]
    assert (pd.to_datetime(mine["owner_since"]) > pd.Timestamp("2025-09-30")).all()
    top = mine[mine["potential"] >= mine["potential"].quantile(0.75)]
    assert top["neglected"].all() and (top["allocation_ratio"] <= 0.5).all()
    rheinstahl = acc.loc[_story(frames, ("Rheinstahl Anlagenbau AG",))[0]]
    assert rheinstahl["potential"] == 1_200_000 and rheinstahl["neglected"]
    bottom = mine[mine["potential"] <= mine["potential"].quantile(0.25)]
    # his small accounts take more time than potential; those not growing faster than the
    # company are the ones to demote (the corrected rule, docs/metrics.md)
    assert (bottom["time_share"] > bottom["potential_share"]).all()
    assert (bottom["demote"] == (bottom["rel_growth"] <= 0)).all() and bottom["demote"].any()
    assert not mine["trade"].any()  # held for less than two years
    assert reps.loc["R05", "alignment"] == reps["alignment"].min()


def test_frank_leaves_an_offer_open_at_a_great_relationship(
    frames: dict[str, pd.DataFrame], figures: tuple[pd.DataFrame, pd.DataFrame]
) -> None:
    """docs/metrics.md (Evidence, win rates): an open deal older than its owner's median won
    cycle, at an account of that owner rated 4 or 5. The sample has exactly one."""
    acc, _ = figures
    deals = frames["pipeline"].copy()
    for col in ("engage_date", "close_date"):
        deals[col] = pd.to_datetime(deals[col])
    won = deals[deals["stage"] == "won"]
    median = (won["close_date"] - won["engage_date"]).dt.days.groupby(won["rep_id"]).median()
    open_ = deals[deals["stage"] == "open"].copy()
    open_["days_open"] = (AS_OF - open_["engage_date"]).dt.days
    stalled = open_[open_["days_open"] > open_["rep_id"].map(median)]
    owner = acc.loc[stalled["account_id"], "owner_rep_id"].to_numpy()
    great = acc.loc[stalled["account_id"], "relationship_rating"].to_numpy() >= 4
    story = stalled[(stalled["rep_id"].to_numpy() == owner) & great]
    weser = _story(frames, ("Weser Antriebstechnik GmbH",))
    assert list(story["account_id"]) == weser and list(story["rep_id"]) == ["R01"]
    assert story["days_open"].iloc[0] == (AS_OF - pd.Timestamp(cast.STALLED_DEAL_SINCE)).days
    assert story["days_open"].iloc[0] > 3 * median["R01"]
    # no other open deal is past its owner's median, at any account
    assert len(stalled) == 1
    # win rates tell the same story: the builder closes the fewest deals, the top performer
    # the most (deals closed in the window, by count)
    closed = deals[(deals["close_date"] > CUR[0]) & (deals["stage"] != "open")]
    rate = closed.groupby("rep_id")["stage"].apply(lambda s: (s == "won").mean())
    assert rate.idxmax() == "R02" and rate["R01"] < rate.drop(["R01", "R05"]).min()
    # no won deal is revenue: every account with deals is invoiced (docs/metrics.md)
    lines = _invoice_lines(frames)
    assert set(deals["account_id"]) <= set(lines["account_id"])


def test_the_others_are_ordinary(figures: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    _, reps = figures
    others = reps.loc[["R03", "R04", "R06", "R07", "R08"]]
    assert not others["top"].any()  # Lena is the only consistent top performer
    assert others["attainment"].between(0.85, 1.15).all()
    assert others["alignment"].between(0.6, 0.9).all()
    assert (others["n_trap"] + others["n_neglected"] + others["n_claim_gap"]).min() >= 1


# --- loading ---------------------------------------------------------------------------


def test_load_canonical_fills_the_workspace(frames: dict[str, pd.DataFrame]) -> None:
    with Workspace.open(memory=True) as ws:
        sample.load_canonical(ws)
        counts = ws.counts()
        for table in ("reps", "accounts", "activities", "orders"):
            assert counts[table] == len(frames[table])
        total = ws.con.execute("select sum(net_amount) from orders").fetchone()
        assert total is not None and total[0] == pytest.approx(frames["orders"]["net_amount"].sum())
        day = ws.con.execute("select max(activity_date) from activities").fetchone()
        assert day is not None and day[0] == date(2026, 9, 30)


def test_load_sample_without_the_committed_files_generates_them(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """An installed package has no ``sample_data/`` beside it: the sample is generated."""
    with Workspace.open(memory=True) as ws:
        sample.load_sample(ws)
        committed = ws.counts()
    monkeypatch.setattr(sample, "SAMPLE_DIR", tmp_path / "not-there")
    with Workspace.open(memory=True) as ws:
        sample.load_sample(ws)
        assert ws.counts() == committed


def test_sample_load_takes_its_scale(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``sample --load --scale 2`` loads the scaled sample, as ``sample --out --scale 2`` writes it."""
    from reltruth.cli import main

    one, two = tmp_path / "one.duckdb", tmp_path / "two.duckdb"
    assert main(["sample", "--load", "--workspace", str(one)]) == 0
    assert main(["sample", "--load", "--scale", "2", "--workspace", str(two)]) == 0
    with Workspace.open(one) as ws:
        small = ws.counts()
    with Workspace.open(two) as ws:
        big = ws.counts()
    for table in ("accounts", "reps"):
        assert big[table] == 2 * small[table], table
    # each copy draws its own visits and orders, so only about twice as many
    for table in ("activities", "orders"):
        assert 1.9 * small[table] < big[table] < 2.1 * small[table], table
    assert "rows loaded into orders" in capsys.readouterr().out
    with Workspace.open(memory=True) as ws, pytest.raises(UserError, match="1 or more"):
        sample.load_sample(ws, scale=0)


def test_load_sample_through_ingestion(frames: dict[str, pd.DataFrame]) -> None:
    with Workspace.open(memory=True) as ws:
        report = sample.load_sample(ws)
        counts = ws.counts()
        assert counts["accounts"] == len(frames["accounts"])
        assert counts["activities"] == len(frames["activities"])
        assert counts["orders"] == len(frames["orders"])
        assert counts["unmatched"] == len(cast.UNMATCHED)
        for f in report.files:
            assert f.rows_read == f.rows_loaded + f.rows_duplicate + f.rows_rejected
            assert f.rows_rejected == 0
        names = sorted({n for f in report.files for n in f.unmatched_accounts})
        assert names == ["Hansa Maschinenbau", "Nordlicht Logistik GmbH"]
        revenue = ws.con.execute("select sum(net_amount) from orders").fetchone()
        assert revenue is not None
        assert revenue[0] == pytest.approx(frames["orders"]["net_amount"].sum(), abs=0.5)
        # the ingested rows are the canonical frames: same values, same estimated durations
        cols = ", ".join(
            [
                "account_id",
                "account_name",
                "owner_rep_id",
                "potential",
                "segment",
                "region",
                "relationship_rating",
                "owner_since",
                "company_revenue",
                "employees",
            ]
        )
        got = ws.con.execute(f"select {cols} from accounts order by account_id").df()
        want = frames["accounts"].sort_values("account_id")[got.columns].reset_index(drop=True)
        got["owner_since"] = pd.to_datetime(got["owner_since"]).dt.date
        pd.testing.assert_frame_equal(got, want, check_dtype=False)
        cols = ", ".join(
            [
                "activity_id",
                "activity_date",
                "rep_id",
                "account_id",
                "activity_type",
                "duration_minutes",
                "duration_estimated",
                "travel_minutes",
                "contact_role",
            ]
        )
        got = ws.con.execute(f"select {cols} from activities order by activity_id").df()
        want = frames["activities"].sort_values("activity_id")[got.columns].reset_index(drop=True)
        got["activity_date"] = pd.to_datetime(got["activity_date"]).dt.date
        pd.testing.assert_frame_equal(got, want, check_dtype=False)
        keys = ["order_id", "product", "net_amount", "quantity"]
        cols = ", ".join([*keys, "order_date", "account_id", "list_amount", "product_category"])
        got = ws.con.execute(f"select {cols}, currency from orders where source = 'orders'").df()
        got = got.sort_values(keys).reset_index(drop=True)
        want = _invoice_lines(frames).sort_values(keys)[got.columns].reset_index(drop=True)
        got["order_date"] = pd.to_datetime(got["order_date"]).dt.date
        pd.testing.assert_frame_equal(got, want, check_dtype=False)
        # the opportunities export: every deal in pipeline, the won ones also as order rows
        cols = (
            "row_key, deal_id, account_id, rep_id, stage, stage_raw, engage_date, close_date, value"
        )
        got = ws.con.execute(f"select {cols} from pipeline order by deal_id").df()
        want = frames["pipeline"].sort_values("deal_id")[got.columns].reset_index(drop=True)
        for col in ("engage_date", "close_date"):
            got[col] = pd.to_datetime(got[col]).dt.date
        pd.testing.assert_frame_equal(got, want, check_dtype=False)
        cols = "row_key, order_id, order_date, account_id, rep_id, net_amount, source_file"
        got = ws.con.execute(
            f"select {cols} from orders where source = 'deals' order by order_id"
        ).df()
        won = frames["orders"][frames["orders"]["source"] == "deals"]
        want = won.sort_values("order_id")[got.columns].reset_index(drop=True)
        got["order_date"] = pd.to_datetime(got["order_date"]).dt.date
        pd.testing.assert_frame_equal(got, want, check_dtype=False)
        reps = ws.con.execute("select rep_id, rep_name, team, quota from reps order by rep_id").df()
        want = frames["reps"][["rep_id", "rep_name", "team", "quota"]]
        pd.testing.assert_frame_equal(reps, want, check_dtype=False)


def _args(**kw: object) -> argparse.Namespace:
    base = {"out": None, "scale": 1, "seed": 7, "load": False, "if_empty": False, "workspace": None}
    base.update(kw)
    return argparse.Namespace(**base)


def test_cli_writes_the_exports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert sample.cli_sample(_args(out=tmp_path)) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(sample.FILES)
    assert "invoice_lines.csv" in capsys.readouterr().out


def test_cli_needs_out_or_load() -> None:
    with pytest.raises(UserError):
        sample.cli_sample(_args())


def test_cli_load_if_empty_leaves_a_filled_workspace_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ws.duckdb"
    with Workspace.open(path) as ws:
        ws.con.execute("insert into accounts (account_id, account_name) values ('x', 'X GmbH')")
    assert sample.cli_sample(_args(load=True, if_empty=True, workspace=path)) == 0
    assert "already holds data" in capsys.readouterr().out
    with Workspace.open(path) as ws:
        assert ws.counts()["accounts"] == 1


def test_write_sample_at_scale_two_streams_every_copy(tmp_path: Path) -> None:
    paths = {p.name: p for p in sample.write_sample(tmp_path, scale=2)}
    frames = sample.canonical_frames(scale=2)
    acts = pd.read_csv(paths["activities.csv"], dtype=str, keep_default_na=False)
    lines = pd.read_csv(paths["invoice_lines.csv"], sep=";", dtype=str)
    users = pd.read_csv(paths["users.csv"], dtype=str)
    assert len(acts) == len(frames["activities"]) + len(cast.UNMATCHED)
    assert acts["Activity ID"].is_unique
    assert len(lines) == len(_invoice_lines(frames))
    assert not lines.duplicated(["Invoice No", "Line"]).any()
    deals = pd.read_csv(paths["opportunities.csv"], dtype=str, skipfooter=5, engine="python")
    assert len(deals) == len(frames["pipeline"]) and deals["Opportunity ID"].is_unique
    assert len(users) == 16 and users["Full Name"].is_unique
    footer = paths["accounts.csv"].read_text(encoding="utf-8").splitlines()[-4]
    assert footer == f'"Grand Totals ({len(frames["accounts"])} records)"'


def test_cli_main_wires_the_sample_command(tmp_path: Path) -> None:
    from reltruth.cli import main

    assert main(["sample", "--out", str(tmp_path), "--seed", "7"]) == 0
    assert (tmp_path / "users.csv").read_bytes() == (sample.SAMPLE_DIR / "users.csv").read_bytes()
    assert main(["sample", "--out", str(tmp_path), "--scale", "0"]) == 2  # one-line UserError


def test_slope_helper_worked_by_hand() -> None:
    # +0.5 pp a quarter is +2 pp a year
    q = pd.DataFrame({"qi": [0, 1, 2, 3], "rate": [0.100, 0.105, 0.110, 0.115]})
    assert _slope_pp_per_year(q) == pytest.approx(2.0)
    assert np.isnan(_slope_pp_per_year(q.head(3)))  # fewer than 4 quarters: no trend


def test_weekends_move_to_weekdays(frames: dict[str, pd.DataFrame]) -> None:
    days = np.array(
        [date(2026, 10, 3), date(2026, 10, 4), date(2026, 10, 5)], dtype="datetime64[D]"
    )
    moved = weekday(days.astype(np.int64)).astype("datetime64[D]")
    assert moved.tolist() == [date(2026, 10, 2), date(2026, 10, 5), date(2026, 10, 5)]
    for table, col in (("activities", "activity_date"), ("orders", "order_date")):
        assert (pd.to_datetime(frames[table][col]).dt.day_of_week < 5).all()


def test_the_app_tells_the_same_story(frames: dict[str, pd.DataFrame]) -> None:
    """The real metrics engine on the sample agrees with the independent figures above."""
    acc, reps = key_figures(frames)
    with Workspace.open(memory=True) as ws:
        sample.load_canonical(ws)
        m = metrics.compute(ws)
    assert m.window.as_of == date(2026, 9, 30)
    assert m.company_growth == pytest.approx(acc.attrs["company_growth"])
    got = m.reps.set_index("rep_id")
    assert got.loc["R02", "tier"] == "top"
    assert set(got.index[got["tier"] == "top"]) == {"R02"}
    assert got.loc["R01", "tier"] == "marginal" and got.loc["R05", "tier"] == "marginal"
    assert got["coaching_priority"].idxmin() == "R01"
    names = {
        "trap": "relationship_trap",
        "neglected": "neglected_potential",
        "claim_gap": "claim_gap",
        "creep": "discount_creep",
        "demote": "demote",
        "trade": "trade_candidate",
    }
    flags = m.accounts.set_index("account_id")["flags"]
    for mine, theirs in names.items():
        expected = set(acc.index[acc[mine]])
        assert {a for a, f in flags.items() if theirs in f} == expected, theirs
    trades = m.trades[m.trades["from_rep_id"] == "R01"].dropna(subset=["to_rep_id"])
    # Frank's trade candidates go to the North reps with fewer hours than the team's median,
    # Lena (the top performer, best revenue per hour) and Aylin, two each at most
    assert set(trades["to_rep_id"]) == {"R02", "R04"}
    assert trades["to_rep_id"].value_counts().max() <= 2
