"""reltruth.views.coaching_sheet on hand-made reps, sheets, meetings and commitments: what the
Coaching sheet page computes around the sheet, checked against values worked out by hand."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pandas as pd
import pytest

from reltruth.coaching import commitments as cm
from reltruth.coaching import meetings as mt
from reltruth.coaching.model import Actions, CommitmentLine, Prompt, Sheet, Stat, Training
from reltruth.views import coaching_sheet as view
from reltruth.workspace import Workspace

AS_OF = date(2026, 9, 30)
LABELS = {
    "stat": "Measure",
    "rep_value": "Frank",
    "rep_value_self_audit": "You",
    "team_median": "Team median",
    "shifts": "Shift hours",
    "demotions": "Serve more cheaply",
    "trades": "Hand over",
    "training": "Training",
}


def _prompt(rank: int, *accounts: str) -> Prompt:
    return Prompt(
        rank, "relationship_trap", (), accounts, accounts, 0.0, "", "t", (), "q", "f", "a"
    )


def _sheet(**changes: object) -> Sheet:
    fields: dict[str, object] = {
        "rep_id": "R01",
        "rep_name": "Frank",
        "manager": "",
        "team": "North",
        "window_label": "12 months to 30 Sep 2026",
        "as_of": AS_OF,
        "currency": "€",
        "tier": "core",
        "tier_label": "Core",
        "tier_reason": "",
        "variant": "full",
        "self_audit": False,
        "title": "Coaching sheet: Frank",
        "intro": "",
        "scoreboard": (
            Stat("alignment", "Alignment", 0.4, "40 %", "55 %"),
            Stat("discount", "Discount", 0.08, "8 %", "6 %", company_text="7 %"),
        ),
        "prompts": (),
        "actions": Actions(),
        "advice": (),
        "commitments": (),
        "chart": (),
        "chart_title": "",
        "footer": "",
    }
    return Sheet(**{**fields, **changes})  # type: ignore[arg-type]


def test_rep_choices_of_the_selected_team() -> None:
    reps = pd.DataFrame(
        {
            "rep_id": ["R01", "R02", "R03"],
            "rep_name": ["Frank", "Ana", "Ola"],
            "tier": ["core", "top", "marginal"],
            "team": ["North", "South", "North"],
        }
    )
    north = view.rep_choices(reps, "North")
    assert north.ids == ("R01", "R03")
    assert north.labels == {"R01": "Frank · core", "R03": "Ola · marginal"}
    assert north.empty == ""
    assert view.rep_choices(reps, None).ids == ("R01", "R02", "R03")
    none = view.rep_choices(reps, "West")
    assert none.ids == () and none.empty == "No reps in the selected team for this window."
    # an export without names or tiers: the id, and no tier
    bare = view.rep_choices(pd.DataFrame({"rep_id": [7]}), "North")
    assert bare.labels == {"7": "7"}
    unnamed = view.rep_choices(pd.DataFrame({"rep_id": ["R9"], "rep_name": [None]}), None)
    assert unnamed.labels == {"R9": "R9"}


def test_next_quarter_end() -> None:
    assert view.next_quarter_end(date(2026, 8, 15)) == date(2026, 9, 30)
    assert view.next_quarter_end(date(2026, 9, 30)) == date(2026, 12, 31)
    assert view.next_quarter_end(date(2026, 12, 31)) == date(2027, 3, 31)
    assert view.next_quarter_end(date(2026, 1, 1)) == date(2026, 3, 31)


def test_form_defaults_and_fields() -> None:
    blank = view.form_defaults(None, AS_OF)
    assert blank == view.FormDefaults("", None, None, None, 0.0, date(2026, 12, 31), AS_OF)
    discount = cm.Commitment("c1", "R01", date(2026, 7, 1), "Hold discount", "discount", "A1",
                             "<=", 0.12, None)  # fmt: skip
    d = view.form_defaults(discount, AS_OF)
    assert d.value == pytest.approx(12.0)  # a fraction shown as a percent
    assert (d.kind, d.account_id, d.op, d.due, d.agreed_on) == (
        "discount", "A1", "<=", date(2026, 12, 31), date(2026, 7, 1)
    )  # fmt: skip
    hours = cm.Commitment("c2", "R01", date(2026, 7, 1), "Visit", "hours", "A1", None, 20.0,
                          date(2026, 10, 31))  # fmt: skip
    assert view.form_defaults(hours, AS_OF).value == 20.0
    assert view.form_defaults(hours, AS_OF).due == date(2026, 10, 31)
    args = {"account_id": "A1", "op": ">=", "value": 5.0, "due": AS_OF, "agreed_on": AS_OF}
    assert view.commitment_fields(text="Call Contoso", kind=None, **args) == {
        "text": "Call Contoso",
        "target_kind": None,
        "account_id": None,
        "target_op": None,
        "target_value": None,
        "due_date": None,
        "agreed_on": AS_OF,
    }
    rep_wide = view.commitment_fields(text="Align", kind="alignment", **args)
    assert rep_wide["account_id"] is None and rep_wide["target_value"] == 5.0
    at_account = view.commitment_fields(text="Visit", kind="hours", **args)
    assert (at_account["account_id"], at_account["target_op"], at_account["due_date"]) == (
        "A1", ">=", AS_OF
    )  # fmt: skip


def test_scoreboard_and_action_lists() -> None:
    sheet = _sheet()
    assert view.scoreboard(sheet, LABELS).to_dict("list") == {
        "Measure": ["Alignment", "Discount (company 7 %)"],
        "Frank": ["40 %", "8 %"],
        "Team median": ["55 %", "6 %"],
    }
    assert list(view.scoreboard(_sheet(self_audit=True), LABELS).columns)[1] == "You"
    assert view.action_lists(sheet, LABELS) == []
    training = _sheet(actions=Actions(training=(Training("Pricing", "discount 8 %"),)))
    assert view.action_lists(training, LABELS) == [("Training", ["Pricing: discount 8 %"])]


def test_accounts_for_a_commitment_prompted_first_then_by_name() -> None:
    accounts = pd.DataFrame(
        {
            "account_id": ["A1", "A2", "A3", "A4", "B1"],
            "account_name": ["zeta", "Alpha", None, "beta", "Other's"],
            "rep_id": ["R01", "R01", "R01", "R01", "R02"],
        }
    )
    sheet = _sheet(prompts=(_prompt(1, "A4", "B1"), _prompt(2, "A1", "A4")))
    # prompted A4 then A1 (B1 is another rep's); then Alpha, A3 (no name: its id) by name
    assert view.commitment_accounts(accounts, "R01", sheet) == {
        "A4": "beta",
        "A1": "zeta",
        "A3": "A3",
        "A2": "Alpha",
    }
    # an accounts export without names: the ids, in order
    ids_only = accounts.drop(columns="account_name")
    assert list(view.commitment_accounts(ids_only, "R01", _sheet()).items()) == [
        ("A1", "A1"), ("A2", "A2"), ("A3", "A3"), ("A4", "A4")
    ]  # fmt: skip


def test_zip_and_meeting_file_names() -> None:
    assert view.zip_file_name("North East", AS_OF) == "sheets-North-East-2026-09-30.zip"
    assert view.zip_file_name(None, AS_OF) == "sheets-all-2026-09-30.zip"


@pytest.fixture
def ws() -> Iterator[Workspace]:
    w = Workspace.open(memory=True)
    w.con.execute(
        "insert into reps (rep_id, rep_name) values ('R01', 'Frank');"
        "insert into accounts (account_id, account_name, owner_rep_id) values "
        "('A1', 'Contoso', 'R01')"
    )
    yield w
    w.close()


def test_history_agreed_commitments_and_todays_rows(ws: Workspace) -> None:
    assert view.history(ws, "R01", AS_OF) == view.History((), None)
    met = date(2026, 6, 30)
    mt.save(ws, _sheet(as_of=met), met_on=met, window_months=12, notes="Talked pricing.")
    mt.save(ws, _sheet(), met_on=AS_OF, window_months=12, notes="")
    h = view.history(ws, "R01", AS_OF)
    assert [k.met_on for k in h.past] == [AS_OF, met]  # the last one first
    assert h.today is not None and h.today.met_on == AS_OF
    assert h.labels[met] == "30 Jun 2026 (data to 30 Jun 2026)"
    assert h.meeting(met).notes == "Talked pricing."
    assert view.history(ws, "R01", date(2026, 10, 1)).today is None
    assert view.meeting_file_name(h.meeting(met), "pdf").endswith("-meeting-2026-06-30.pdf")

    free = cm.add(ws, "R01", "Ask for the tender", agreed_on=met)
    hours = cm.add(ws, "R01", "See Contoso", agreed_on=met, target_kind="hours",
                   account_id="A1", target_value=10.0, due_date=AS_OF)  # fmt: skip
    agreed = view.agreed_then(ws, h.meeting(met), AS_OF, "€")
    by_text = {a.text: a for a in agreed}
    assert len(agreed) == 2
    assert not by_text["Ask for the tender"].measurable
    assert by_text["Ask for the tender"].line == (
        "Ask for the tender (no measurable target: ask how it went)"  # not marked yet
    )
    # no hours logged at Contoso by the due date: the target of 10 h is missed
    assert by_text["See Contoso"].measurable
    assert by_text["See Contoso"].line == "≥ 10\u00a0h at Contoso by 30 Sep 2026: 0.0\u00a0h ✗"
    assert view.agreed_then(ws, h.meeting(AS_OF), AS_OF, "€") == ()

    cm.set_status(ws, free.commitment_id, "partly", AS_OF)
    lines = (
        CommitmentLine(free.commitment_id, met, free.text, "", "partly", "½", "", "½ Ask"),
        CommitmentLine(
            hours.commitment_id, met, hours.text, "≥ 10 h at Contoso", "broken", "✗", "0 h", "✗ 0 h"
        ),  # fmt: skip
    )
    rows = view.commitment_rows(ws, _sheet(commitments=lines), "R01")
    assert [(r.text, r.verdict, r.free_text, r.marked) for r in rows] == [
        ("Ask for the tender", False, True, "partly"),
        ("See Contoso", True, False, None),
    ]


def test_a_rep_without_a_tier_is_labelled_by_name_alone() -> None:
    reps = pd.DataFrame({"rep_id": ["R01", "R02"], "rep_name": ["Frank", "Ana"]})
    reps["tier"] = pd.Series(["core", None], dtype=object)
    assert view.rep_choices(reps, None).labels == {"R01": "Frank · core", "R02": "Ana"}
    reps["tier"] = pd.Series(["core", float("nan")], dtype=object)
    assert view.rep_choices(reps, None).labels["R02"] == "Ana"
