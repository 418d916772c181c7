"""Recognition and mapping: which table an export is and what its columns mean."""

from __future__ import annotations

import pytest

from reltruth.errors import UserError
from reltruth.ingest import detect
from reltruth.ingest.synonyms import normalise_header
from reltruth.workspace import Workspace

SAMPLE_USERS = ["User ID", "Full Name", "Manager", "Sales Team", "Region", "Email", "Annual Quota"]
SAMPLE_ACCOUNTS = [
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
SAMPLE_ACTIVITIES = [
    "Activity ID",
    "Date",
    "Assigned",
    "Company / Account",
    "Activity Type",
    "Duration (min)",
    "Travel Time (min)",
    "Contact Role",
]
SAMPLE_INVOICES = [
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


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("CallDurationInSeconds", "call duration in seconds"),
        ("Company / Account", "company account"),
        ("  Discount %", "discount pct"),
        ("hs_call_duration", "hs call duration"),
        ("OwnerId", "owner id"),
    ],
)
def test_normalise_header(raw: str, expected: str) -> None:
    assert normalise_header(raw) == expected


@pytest.mark.parametrize(
    ("headers", "table"),
    [
        (SAMPLE_USERS, "reps"),
        (SAMPLE_ACCOUNTS, "accounts"),
        (SAMPLE_ACTIVITIES, "activities"),
        (SAMPLE_INVOICES, "orders"),
        (
            [
                "account",
                "sector",
                "year_established",
                "revenue",
                "employees",
                "office_location",
                "subsidiary_of",
            ],
            "accounts",
        ),
        (["product", "series", "sales_price"], "price_list"),
        (["sales_agent", "manager", "regional_office"], "reps"),
        (
            [
                "opportunity_id",
                "sales_agent",
                "product",
                "account",
                "deal_stage",
                "engage_date",
                "close_date",
                "close_value",
            ],
            "deals",
        ),
        # Salesforce API names (Task) and report labels (Opportunity)
        (
            ["Id", "OwnerId", "WhatId", "ActivityDate", "Subject", "Type", "DurationInMinutes"],
            "activities",
        ),
        (
            [
                "Opportunity Name",
                "Account Name",
                "Opportunity Owner",
                "Stage",
                "Amount",
                "Close Date",
            ],
            "deals",
        ),
        (["Id", "AccountId", "StageName", "IsWon", "Amount", "CloseDate", "OwnerId"], "deals"),
        # HubSpot calls and deals
        (
            [
                "Record ID",
                "Activity date",
                "Activity assigned to",
                "Associated Company",
                "Call duration (ms)",
            ],
            "activities",
        ),
        (
            [
                "Record ID",
                "Deal Name",
                "Deal owner",
                "Deal Stage",
                "Amount",
                "Close Date",
                "Associated Company",
            ],
            "deals",
        ),
        # Dynamics 365 Excel exports
        (
            [
                "(Do Not Modify) Activity",
                "Regarding",
                "Owner",
                "Activity Type",
                "Actual Duration",
                "Actual End",
            ],
            "activities",
        ),
        (
            [
                "(Do Not Modify) Opportunity",
                "Potential Customer",
                "Owner",
                "Status",
                "Est. Revenue",
                "Actual Close Date",
            ],
            "deals",
        ),
        # Pipedrive
        (
            ["Subject", "Organization", "Assigned to user", "Due date", "Duration", "Type"],
            "activities",
        ),
        (["Title", "Organization", "Owner", "Status", "Deal value", "Won time"], "deals"),
    ],
)
def test_detect_table(headers: list[str], table: str) -> None:
    assert detect.detect(headers).table == table


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            SAMPLE_ACTIVITIES,
            {
                "Activity ID": "activity_id",
                "Date": "activity_date",
                "Assigned": "rep_name",
                "Company / Account": "account_name",
                "Activity Type": "activity_type",
                "Duration (min)": "duration_minutes",
                "Travel Time (min)": "travel_minutes",
                "Contact Role": "contact_role",
            },
        ),
        (
            SAMPLE_INVOICES,
            {
                "Invoice No": "order_id",
                "Line": "line_no",
                "Invoice Date": "order_date",
                "Customer No": "account_id",
                "Item": "product",
                "Product Group": "product_category",
                "Qty": "quantity",
                "List Value": "list_amount",
                "Net Value": "net_amount",
                "Currency": "currency",
            },
        ),
        (
            SAMPLE_ACCOUNTS,
            {
                "Account ID": "account_id",
                "Account Name": "account_name",
                "Account Owner": "owner_rep_name",
                "Annual Potential": "potential",
                "Industry": "segment",
                "Billing Region": "region",
                "Relationship": "relationship_rating",
                "Owner Since": "owner_since",
                "Annual Revenue": "company_revenue",
                "Employees": "employees",
            },
        ),
        (
            SAMPLE_USERS,
            {
                "User ID": "rep_id",
                "Full Name": "rep_name",
                "Manager": "manager",
                "Sales Team": "team",
                "Region": "region",
                "Email": "email",
                "Annual Quota": "quota",
            },
        ),
        (
            [
                "opportunity_id",
                "sales_agent",
                "product",
                "account",
                "deal_stage",
                "engage_date",
                "close_date",
                "close_value",
            ],
            {
                "opportunity_id": "deal_id",
                "sales_agent": "rep_name",
                "product": "product",
                "account": "account_name",
                "deal_stage": "stage",
                "engage_date": "engage_date",
                "close_date": "close_date",
                "close_value": "value",
            },
        ),
        (
            ["product", "series", "sales_price"],
            {"product": "product", "series": "series", "sales_price": "list_price"},
        ),
    ],
)
def test_mapping_of_known_exports(headers: list[str], expected: dict[str, str]) -> None:
    assert detect.detect(headers).mapping == expected


def test_better_spelling_wins_and_other_column_is_ignored() -> None:
    found = detect.detect(["ActivityDate", "OwnerId", "WhatId", "Subject", "Type"])
    assert found.mapping["Type"] == "activity_type"
    assert found.mapping["Subject"] is None
    assert any("Subject" in note for note in found.notes)


def test_duration_units_are_told_apart() -> None:
    headers = ["ActivityDate", "OwnerId", "WhatId", "CallDurationInSeconds"]
    assert detect.detect(headers).mapping["CallDurationInSeconds"] == "duration_seconds"
    hubspot = ["Activity date", "Activity assigned to", "Associated Company", "hs_call_duration"]
    assert detect.detect(hubspot).mapping["hs_call_duration"] == "duration_ms"


def test_dynamics_do_not_modify_columns_are_ignored() -> None:
    found = detect.detect(["(Do Not Modify) Activity", "Regarding", "Owner", "Actual End"])
    assert found.mapping["(Do Not Modify) Activity"] is None
    assert found.confidence == 1.0  # the hidden columns do not count against the guess


def test_unrecognisable_headers_give_one_line_message() -> None:
    with pytest.raises(UserError, match="could not tell what kind of export weather.csv is") as exc:
        detect.detect(["city", "temperature", "humidity"], source="weather.csv")
    assert "\n" not in str(exc.value)


def test_forced_table_and_overrides() -> None:
    found = detect.detect(["Kunde", "Datum", "Betrag"], table="orders")
    assert found.table == "orders"
    mapping = detect.apply_overrides(
        "orders",
        found.mapping,
        detect.parse_overrides(["Kunde=account_name", "Datum=order_date", "Betrag=net_amount"]),
        "x.csv",
    )
    assert mapping == {"Kunde": "account_name", "Datum": "order_date", "Betrag": "net_amount"}
    assert not detect.missing_required("orders", mapping)


def test_override_ignore_and_unknown_field() -> None:
    found = detect.detect(SAMPLE_USERS)
    mapping = detect.apply_overrides(
        "reps", found.mapping, detect.parse_overrides(["Email=ignore", "Region="]), "u"
    )
    assert mapping["Email"] is None and mapping["Region"] is None
    with pytest.raises(UserError, match='"potential" is not a field of reps'):
        detect.apply_overrides(
            "reps", found.mapping, detect.parse_overrides(["Email=potential"]), "u"
        )
    with pytest.raises(UserError, match="Header=field"):
        detect.parse_overrides(["Email"])


def test_override_takes_the_field_from_another_column() -> None:
    found = detect.detect(SAMPLE_USERS)
    mapping = detect.apply_overrides("reps", found.mapping, {"Email": "rep_name"}, "u")
    assert mapping["Email"] == "rep_name" and mapping["Full Name"] is None


def test_saved_mapping_is_found_by_header_signature() -> None:
    with Workspace.open(memory=True) as ws:
        detect.save_mapping(
            ws.con,
            ["Kunde", "Datum", "Betrag"],
            "orders",
            {"Kunde": "account_name", "Datum": "order_date", "Betrag": "net_amount"},
        )
        # same headers, other order and spelling: same layout
        saved = detect.saved_mapping(ws.con, ["betrag", "KUNDE", "Datum"])
        assert saved == (
            "orders",
            {"betrag": "net_amount", "KUNDE": "account_name", "Datum": "order_date"},
        )
        assert detect.saved_mapping(ws.con, ["Kunde", "Datum"]) is None


def test_saved_mappings_are_bounded_and_keep_only_mapped_headers() -> None:
    # Thousands of one-off layouts (a fuzz run) once filled a demo workspace: only the
    # newest layouts are kept, each with the headers that map to a field.
    with Workspace.open(memory=True) as ws:
        for n in range(detect.MAX_SAVED_MAPPINGS + 20):
            headers = ["Kunde", f"Notiz {n}"]
            with ws.transaction() as con:  # one import call each: its own saved_at
                detect.save_mapping(
                    con, headers, "accounts", {"Kunde": "account_name"} | {headers[1]: None}
                )
        count = ws.con.execute("select count(*) from mappings").fetchall()[0][0]
        assert count == detect.MAX_SAVED_MAPPINGS
        newest = ["Kunde", f"Notiz {detect.MAX_SAVED_MAPPINGS + 19}"]
        assert detect.saved_mapping(ws.con, newest) == (
            "accounts",
            {"Kunde": "account_name", newest[1]: None},
        )
        assert detect.saved_mapping(ws.con, ["Kunde", "Notiz 0"]) is None
        stored = ws.con.execute("select max(length(mapping)) from mappings").fetchall()[0][0]
        assert stored == len('{"Kunde": "account_name"}')
        # a layout whose headers run to megabytes is no CRM's: not remembered
        detect.save_mapping(ws.con, ["x" * 70_000], "accounts", {"x" * 70_000: None})
        assert detect.saved_mapping(ws.con, ["x" * 70_000]) is None
