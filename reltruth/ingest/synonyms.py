"""Header synonyms: what the columns of real CRM and ERP exports mean in reltruth's terms.

Why a module of its own: recognising an upload is only as good as this list. It is data,
kept in one place so that adding a CRM's spelling is a one-line change with a test, and so
that the Data page can show which fields exist for each table.

Covered: Salesforce (report labels and API names), HubSpot, Dynamics 365, Pipedrive, the
built-in sample exports and the Maven "CRM Sales Opportunities" data set. Headers are
normalised before matching (``normalise_header``): camelCase split, case folded, punctuation
dropped, ``%`` read as "pct". Within one field the earlier synonym wins when a file has
several matching columns (e.g. ``Type`` beats ``Subject`` for the activity type).
"""

from __future__ import annotations

import re

TABLES = ("reps", "accounts", "activities", "orders", "deals", "price_list")

# Fields a mapping may name that are not columns of the canonical table: they say how a value
# is written (duration units) or help build a row key (line number). ``ignore`` drops a column.
IGNORE = "ignore"

_REP_NAME = ["rep name", "sales rep", "salesperson", "sales person", "sales agent", "rep", "agent"]

# table -> field -> header spellings (raw; normalised on import), best first.
SYNONYMS: dict[str, dict[str, list[str]]] = {
    "reps": {
        "rep_id": [
            "User ID",
            "UserId",
            "Rep ID",
            "Sales Rep ID",
            "Salesperson ID",
            "Agent ID",
            "Sales Agent ID",
            "Employee ID",
            "Owner ID",
            "Salesperson Code",
            "Id",
        ],
        "rep_name": [
            "Full Name",
            *_REP_NAME,
            "Name",
            "User",
            "User Name",
            "Owner",
            "Owner Name",
            "Employee",
            "Employee Name",
        ],
        "manager": [
            "Manager",
            "Sales Manager",
            "Manager Name",
            "Reports To",
            "Team Lead",
            "Team Leader",
        ],
        "team": ["Sales Team", "Team", "Team Name", "Division", "Sales Unit", "Business Unit"],
        "region": ["Region", "Regional Office", "Sales Region", "Territory", "Office", "Area"],
        "email": ["Email", "E-mail", "Email Address", "Primary Email", "Work Email"],
        "quota": [
            "Annual Quota",
            "Quota",
            "Sales Quota",
            "Annual Target",
            "Revenue Target",
            "Sales Target",
            "Target",
        ],
    },
    "accounts": {
        "account_id": [
            "Account ID",
            "AccountId",
            "Customer No",
            "Customer Number",
            "Customer ID",
            "Account Number",
            "Account No",
            "Company ID",
            "Organization ID",
            "Organisation ID",
            "Record ID",
            "Id",
        ],
        "account_name": [
            "Account Name",
            "Account",
            "Company Name",
            "Company",
            "Customer Name",
            "Customer",
            "Organization Name",
            "Organization",
            "Organisation",
            "Client Name",
            "Client",
            "Name",
        ],
        "owner_rep_id": ["Owner ID", "OwnerId", "Account Owner ID", "Company Owner ID"],
        "owner_rep_name": [
            "Account Owner",
            "Owner",
            "Company Owner",
            "Account Manager",
            "Key Account Manager",
            "Owner Name",
            "Assigned To",
            "Assigned to user",
            *_REP_NAME,
        ],
        "potential": [
            "Annual Potential",
            "Potential",
            "Account Potential",
            "Sales Potential",
            "Wallet",
            "Wallet Size",
            "Annual Wallet",
            "Share of Wallet Potential",
        ],
        "segment": [
            "Segment",
            "Customer Segment",
            "Industry",
            "Sector",
            "Vertical",
            "Account Segment",
        ],
        "region": [
            "Billing Region",
            "Region",
            "Sales Region",
            "Territory",
            "Billing Country",
            "Country",
            "Country/Region",
            "Address 1: Country/Region",
            "Office Location",
            "Regional Office",
        ],
        "relationship_rating": [
            "Relationship",
            "Relationship Rating",
            "Relationship Strength",
            "Relationship Quality",
            "Rating",
            "Account Rating",
        ],
        "owner_since": [
            "Owner Since",
            "Owned Since",
            "Owner Assigned Date",
            "Owner Assigned",
            "Account Owner Since",
        ],
        "company_revenue": [
            "Annual Revenue",
            "AnnualRevenue",
            "Company Revenue",
            "Revenue",
            "Turnover",
        ],
        "employees": [
            "Employees",
            "Number of Employees",
            "NumberOfEmployees",
            "No. of Employees",
            "Employee Count",
            "Headcount",
        ],
    },
    "activities": {
        "activity_id": [
            "Activity ID",
            "Task ID",
            "Event ID",
            "Engagement ID",
            "Activity Record ID",
            "Record ID",
            "Id",
        ],
        "activity_date": [
            "Activity Date",
            "ActivityDate",
            "Date",
            "Due Date",
            "Actual End",
            "Actual Start",
            "Start Date",
            "Start Time",
            "Activity Timestamp",
            "Date of Activity",
            "Due Date Only",
            "Created Date",
        ],
        "rep_id": [
            "Owner ID",
            "OwnerId",
            "Assigned To ID",
            "User ID",
            "Rep ID",
            "HubSpot Owner ID",
            "Activity Owner ID",
        ],
        "rep_name": [
            "Assigned",
            "Assigned To",
            "Assigned to user",
            "Activity Owner",
            "Activity assigned to",
            "Task Owner",
            "Call Owner",
            "HubSpot Owner",
            "Owner",
            *_REP_NAME,
            "User",
        ],
        "account_id": [
            "Account ID",
            "AccountId",
            "What ID",
            "WhatId",
            "Company ID",
            "Customer ID",
            "Customer No",
            "Regarding ID",
            "Organization ID",
        ],
        "account_name": [
            "Company / Account",
            "Account Name",
            "Account",
            "Company",
            "Company Name",
            "Associated Company",
            "Associated Companies",
            "Related To",
            "What",
            "Regarding",
            "Organization",
            "Organisation",
            "Customer",
            "Customer Name",
        ],
        "activity_type": [
            "Activity Type",
            "Type",
            "Task Subtype",
            "TaskSubtype",
            "Event Type",
            "Activity",
            "Subject",
        ],
        "duration_minutes": [
            "Duration (min)",
            "Duration (minutes)",
            "DurationInMinutes",
            "Duration in Minutes",
            "Actual Duration",
            "Actual Duration (Minutes)",
            "Duration (mins)",
            "Duration",
            "Minutes",
            "Duration HH:MM",
        ],
        "duration_seconds": [
            "CallDurationInSeconds",
            "Call Duration in Seconds",
            "Duration (s)",
            "Duration (sec)",
            "Duration (seconds)",
            "Call Duration (seconds)",
        ],
        "duration_ms": [
            "Call duration (ms)",
            "hs_call_duration",
            "Duration (ms)",
            "Duration (milliseconds)",
            "Call duration (milliseconds)",
            "hs_meeting_duration",
        ],
        "travel_minutes": [
            "Travel Time (min)",
            "Travel Time",
            "Travel Minutes",
            "Travel (min)",
            "Travel Duration",
        ],
        "contact_role": ["Contact Role", "Role", "Buying Role", "Contact Buying Role", "Job Role"],
    },
    "orders": {
        "order_id": [
            "Invoice No",
            "Invoice Number",
            "Invoice ID",
            "Order ID",
            "Order No",
            "Order Number",
            "Document No",
            "Sales Order",
            "Billing Document",
        ],
        "line_no": ["Line", "Line No", "Line Number", "Position", "Pos", "Item Position"],
        "order_date": [
            "Invoice Date",
            "Order Date",
            "Document Date",
            "Posting Date",
            "Billing Date",
            "Sale Date",
            "Transaction Date",
            "Date",
        ],
        "account_id": [
            "Customer No",
            "Customer Number",
            "Customer ID",
            "Account ID",
            "Debtor No",
            "Sold-to Party",
            "Sold To",
            "Client ID",
        ],
        "account_name": [
            "Customer Name",
            "Customer",
            "Account Name",
            "Account",
            "Company Name",
            "Company",
            "Client",
            "Client Name",
        ],
        "rep_id": ["Rep ID", "Sales Rep ID", "Salesperson Code", "Salesperson ID", "Owner ID"],
        "rep_name": ["Account Owner", "Owner", *_REP_NAME],
        "net_amount": [
            "Net Value",
            "Net Amount",
            "Net",
            "Net Sales",
            "Net Revenue",
            "Line Amount",
            "Line Total",
            "Amount",
            "Revenue",
            "Sales",
            "Invoice Amount",
            "Total",
        ],
        "list_amount": [
            "List Value",
            "List Amount",
            "Gross Value",
            "Gross Amount",
            "Value at List Price",
            "List Total",
            "Gross Sales",
        ],
        "discount_amount": ["Discount Amount", "Discount Value", "Discount", "Rebate"],
        "discount_pct": ["Discount %", "Discount Pct", "Discount Percent", "Discount Rate"],
        "product": [
            "Item",
            "Product",
            "Product Name",
            "Item Name",
            "Article",
            "SKU",
            "Material",
            "Item Description",
        ],
        "product_category": [
            "Product Group",
            "Product Category",
            "Category",
            "Item Group",
            "Product Line",
            "Product Family",
            "Series",
        ],
        "quantity": ["Qty", "Quantity", "Units"],
        "currency": ["Currency", "Currency Code", "CurrencyIsoCode", "Currency ISO Code", "Curr"],
    },
    "deals": {
        "deal_id": [
            "opportunity_id",
            "Opportunity ID",
            "Deal ID",
            "Opportunity Number",
            "Record ID",
            "Id",
        ],
        "account_id": ["Account ID", "AccountId", "Company ID", "Organization ID"],
        "account_name": [
            "Account",
            "Account Name",
            "Associated Company",
            "Company",
            "Company Name",
            "Organization",
            "Organization Name",
            "Potential Customer",
            "Customer",
        ],
        "rep_id": ["Owner ID", "OwnerId"],
        "rep_name": ["Opportunity Owner", "Deal Owner", "Owner", "Assigned to user", *_REP_NAME],
        "product": ["Product", "Product Name", "Item"],
        "stage": [
            "Deal Stage",
            "Stage",
            "StageName",
            "Stage Name",
            "Status",
            "Deal Status",
            "Status Reason",
            "Pipeline Stage",
            "Opportunity Status",
        ],
        "is_won": ["IsWon", "Is Won", "Won"],
        "engage_date": [
            "Engage Date",
            "Created Date",
            "CreatedDate",
            "Create Date",
            "Deal created",
            "Deal Created On",
            "Opened Date",
        ],
        "close_date": [
            "Close Date",
            "CloseDate",
            "Actual Close Date",
            "Closed Date",
            "Deal closed on",
            "Won time",
            "Est. Close Date",
            "Expected close date",
        ],
        "value": [
            "Close Value",
            "Amount",
            "Deal Value",
            "Value",
            "Deal Amount",
            "Actual Revenue",
            "Est. Revenue",
            "Opportunity Amount",
            "Revenue",
        ],
        "quantity": ["Quantity", "Qty"],
        "currency": [
            "Currency",
            "Currency Code",
            "CurrencyIsoCode",
            "Deal Currency",
            "Value currency",
        ],
    },
    "price_list": {
        "product": ["Product", "Product Name", "Item", "Item Name", "Article", "SKU"],
        "list_price": [
            "List Price",
            "sales_price",
            "Sales Price",
            "Price",
            "Unit Price",
            "MSRP",
            "Standard Price",
            "List",
        ],
        "series": ["Series", "Product Group", "Product Family", "Product Line", "Category"],
    },
}

# What a table needs to be loadable: each entry is a set of alternatives (one must be mapped).
REQUIRED: dict[str, list[tuple[str, ...]]] = {
    "reps": [("rep_id", "rep_name")],
    "accounts": [("account_id", "account_name")],
    "activities": [("activity_date",), ("rep_id", "rep_name"), ("account_id", "account_name")],
    "orders": [("order_date",), ("account_id", "account_name"), ("net_amount",)],
    "deals": [("stage", "is_won"), ("value",)],
    "price_list": [("product",), ("list_price",)],
}

# Dynamics 365 adds hidden bookkeeping columns to every Excel export.
_IGNORED_PREFIXES = ("do not modify",)

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise_header(header: str) -> str:
    """Header text reduced to lower-case words: ``"CallDurationInSeconds"`` ->
    ``"call duration in seconds"``, ``"Company / Account"`` -> ``"company account"``."""
    text = _CAMEL.sub(" ", str(header).strip())
    text = text.replace("%", " pct ").replace("_", " ").lower()
    return _NON_ALNUM.sub(" ", text).strip()


def is_ignored_header(header: str) -> bool:
    """Columns no CRM user means as data (Dynamics' "(Do Not Modify) ..." columns)."""
    return normalise_header(header).startswith(_IGNORED_PREFIXES)


def _index() -> dict[str, dict[str, tuple[str, int]]]:
    out: dict[str, dict[str, tuple[str, int]]] = {}
    for table, fields in SYNONYMS.items():
        idx: dict[str, tuple[str, int]] = {}
        for fld, spellings in fields.items():
            idx.setdefault(normalise_header(fld), (fld, -1))  # the canonical name itself
            for rank, spelling in enumerate(spellings):
                idx.setdefault(normalise_header(spelling), (fld, rank))
        out[table] = idx
    return out


# table -> normalised header -> (field, rank): the first table entry wins for a spelling.
INDEX = _index()


def lookup(table: str, header: str) -> tuple[str, int] | None:
    """The canonical field a header means in ``table`` and how good a spelling it is (lower = better)."""
    if is_ignored_header(header):
        return None
    return INDEX[table].get(normalise_header(header))


def fields_of(table: str) -> list[str]:
    """Every field a mapping may name for ``table`` (the Data page's choices)."""
    return list(SYNONYMS[table])


def examples_of(table: str, n: int = 3) -> list[str]:
    """A few typical headers for a table, for messages like "expected columns like ..."."""
    return [SYNONYMS[table][f][0] for group in REQUIRED[table] for f in group[:1]][:n]
