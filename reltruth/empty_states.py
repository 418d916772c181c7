"""What a page says when the data it needs is missing: what is missing and how to get it.

Why a module of its own: an empty table that says "nothing to do" reassures a manager that
all is well when the truth is that the data to judge it was never loaded. Each function
looks at what *is* loaded (``Workspace.counts`` and the figures of the window) and names
the missing input; the words read the settings in force. No Streamlit here.
"""

from __future__ import annotations

import pandas as pd

from reltruth import settings as words
from reltruth.settings import Settings


def _n(frame: pd.DataFrame, column: str) -> int:
    """How many rows of ``frame`` have a ``column`` figure."""
    if column not in frame.columns:
        return 0
    return int(pd.to_numeric(frame[column], errors="coerce").notna().sum())


def hours_to_shift(rep: pd.Series, accounts: pd.DataFrame) -> str:
    """Why a rep has no hours to shift: no activities, no potentials, or time already
    in proportion to potential."""
    hours = pd.to_numeric(pd.Series([rep.get("hours")]), errors="coerce").iloc[0]
    if pd.isna(hours) or hours <= 0:
        return (
            "No hours to shift can be worked out: this rep has no activities with accounts in "
            "the window. Upload activities (visits, calls, meetings, emails) on the Data page."
        )
    if _n(accounts, "potential") < 2:
        return (
            "No hours to shift can be worked out: fewer than two of this rep's accounts have a "
            "potential. Upload accounts with their potential, or estimate potentials on the "
            "Data page."
        )
    return "No hours to shift: this rep's time already follows potential closely enough."


def claim_gaps(accounts: pd.DataFrame, s: Settings) -> str:
    """Why the claim-gap list is empty."""
    rated_words = words.rating_words(s.claim_gap_rating)
    if _n(accounts, "relationship_rating") == 0:
        return (
            "Claim gaps cannot be found: no account has a relationship rating. Upload accounts "
            "with the rep's rating (1–5, or words such as Good / Excellent) on the Data page."
        )
    rating = pd.to_numeric(accounts["relationship_rating"], errors="coerce")
    high = accounts[rating >= s.claim_gap_rating]
    if high.empty:
        return f"No claim gaps: no account is {rated_words} in this selection."
    unknown = len(high) - _n(high, "penetration")
    tail = (
        f" {unknown:,} of them have no potential, so their share of wallet is unknown: add "
        "potentials (or estimate them) on the Data page."
        if unknown
        else ""
    )
    return (
        f"No claim gaps: every account {rated_words} with the figures to judge it buys at "
        f"least {words.fraction_words(s.claim_gap_penetration)} of its potential and grows "
        f"faster than the company.{tail}"
    )


def claim_gap_rule(s: Settings) -> str:
    """The claim-gap rule in words, with the thresholds in force."""
    return (
        f"{words.rating_words(s.claim_gap_rating)}, yet buying under "
        f"{words.fraction_words(s.claim_gap_penetration)} of its potential or not growing "
        "faster than the company"
    )


def discounts(counts: dict[str, int]) -> str:
    """Why no account has a discount rate in the window."""
    if not counts.get("orders"):
        return "Upload order or invoice lines on the Data page to see discounts."
    if counts.get("price_list"):
        return (
            "A price list is loaded, but no order line of this selection and window has a list "
            "value: the orders' product ids may not match the price list's. Check the product "
            "column of the orders on the Data page, or pick a longer window."
        )
    return (
        "No order line of this selection and window has a list value: upload lines with a list "
        "price or a discount, or a price list of list prices per product, on the Data page."
    )


def trade_candidates(reps: pd.DataFrame, accounts: pd.DataFrame) -> str:
    """Why the trade list is empty (it needs two windows of growth)."""
    if _n(accounts, "relative_growth_prior") == 0:
        return (
            "Trade candidates cannot be found: they need growth in this and the prior window, "
            "so orders reaching back two windows. Load older orders, or pick a shorter window."
        )
    return "No trade candidates in this window: no big account has stalled for two windows."


def missing_inputs(counts: dict[str, int], accounts: pd.DataFrame) -> list[str]:
    """One line per input missing from the whole workspace, with what it leaves out and how to
    get it, for the pages that summarise everything (Team, Coaching sheet, Account): without
    them a "–" or a short list would pass for an all-clear."""
    lines = []
    if not counts.get("activities"):
        lines.append(
            "No activities are loaded: hours, alignment, misallocated hours and the time flags "
            "(relationship trap, neglected potential, demote) cannot be worked out. Upload "
            "activities (visits, calls, meetings, emails) on the Data page."
        )
    if not counts.get("orders"):
        lines.append(
            "No orders are loaded: revenue, growth, penetration and discounts cannot be worked "
            "out. Upload order or invoice lines on the Data page."
        )
    if counts.get("accounts") and _n(accounts, "potential") == 0:
        lines.append(
            "No account has a potential: penetration, open potential, alignment and the flags "
            "that compare time with potential cannot be worked out. Upload accounts with their "
            "potential, or estimate potentials, on the Data page."
        )
    if counts.get("accounts") and _n(accounts, "relationship_rating") == 0:
        lines.append(
            "No account has a relationship rating: claim gaps cannot be found. Upload accounts "
            "with the rep's rating (1–5, or words such as Good / Excellent) on the Data page."
        )
    if counts.get("orders") and _n(accounts, "list_amount") == 0:
        lines.append(
            "No order line has a list value: discounts, discount creep and excess discount "
            "cannot be worked out. Upload lines with a list price or a discount, or a price "
            "list, on the Data page."
        )
    return lines


def white_space(accounts: pd.DataFrame) -> str:
    """Why no account shows category white space: no categorised order lines in the window,
    or every account buys what most of its peers buy."""
    lists = accounts.get("missing_categories", pd.Series(dtype=object))
    if not lists.map(lambda c: isinstance(c, list)).any():
        return (
            "No product categories on the order lines of this window: export the invoice "
            "lines with their product group (e.g. Product Group) to see which categories an "
            "account does not buy from us."
        )
    return "No white space in this window: every account buys what most of its peers buy."


def key_people(missing_fields: tuple[str, ...], high_potential: int) -> str:
    """Why the key-people table is empty: no contact roles, or no high-potential account."""
    if "contact_role" in missing_fields:
        return (
            "No contact roles in the activities: export the contact role of each visit, call "
            "or meeting (e.g. Decision maker) from the CRM to see the time with decision makers."
        )
    if not high_potential:
        return (
            "No high-potential account: the accounts of these reps have no potentials, or a "
            "book has fewer than two to compare."
        )
    return ""
