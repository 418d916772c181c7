"""Header synonyms: what the columns of real CRM and ERP exports mean in reltruth's terms.

Why a module of its own: recognising an upload is only as good as this list. It is data,
kept in one place so that adding a CRM's spelling is a one-line change with a test, and so
that the Data page can show which fields exist for each table.

Covered: Salesforce (report labels, API names), HubSpot, Dynamics 365 Sales and Business
Central, Pipedrive, Zoho CRM, Odoo, German / French / Spanish / Dutch ERP headers, the
built-in sample exports and the Maven "CRM Sales Opportunities" data set. Headers are parsed
before matching (``parse_header``: entity prefix, unit / currency hints, "No." / "#" / "Nr.")
and matched on word sets with a score (``matches``: exact > all words > part, a guess), so
each column's mapping can say why. Within one field the earlier synonym wins when a file has
several matching columns (e.g. ``Type`` beats ``Subject`` for the activity type).

The spellings are data, one module per table (``reps.py`` ... ``price_list.py``, assembled in
``tables.py``); reading a header is ``headers.py``, matching it ``match.py``. This package's
public face is re-exported here (callers say ``synonyms.matches(table, header)``).
"""

from __future__ import annotations

from reltruth.ingest.synonyms.headers import (
    MAX_HEADER_CHARS,
    Header,
    is_ignored_header,
    normalise_header,
    parse_header,
)
from reltruth.ingest.synonyms.match import ALL_WORDS, EXACT, PARTLY, Match, lookup, matches
from reltruth.ingest.synonyms.tables import IGNORE, REQUIRED, SYNONYMS, examples_of, fields_of

__all__ = [
    "ALL_WORDS",
    "EXACT",
    "IGNORE",
    "MAX_HEADER_CHARS",
    "PARTLY",
    "REQUIRED",
    "SYNONYMS",
    "Header",
    "Match",
    "examples_of",
    "fields_of",
    "is_ignored_header",
    "lookup",
    "matches",
    "normalise_header",
    "parse_header",
]
