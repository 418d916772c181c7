"""Workspaces where one optional field in turn is entirely missing (issue 14's acceptance).

A plain module shared by the unit and the AppTest tests: the built-in sample with one field
emptied, as a plain HubSpot companies export (no "owner since") or an ERP without list
prices would load it."""

from __future__ import annotations

from reltruth import sample
from reltruth.workspace import Workspace

# field (a key of metrics.marts.OPTIONAL_FIELDS) -> the statements that empty it everywhere
EMPTIED: dict[str, tuple[str, ...]] = {
    "owner_since": ("update accounts set owner_since = null",),
    "relationship_rating": ("update accounts set relationship_rating = null",),
    "segment": ("update accounts set segment = null",),
    "region": ("update accounts set region = null", "update reps set region = null"),
    "contact_role": ("update activities set contact_role = null",),
    "travel_minutes": ("update activities set travel_minutes = null",),
    "list_amount": ("update orders set list_amount = null", "delete from price_list"),
    "quota": ("update reps set quota = null",),
    "team": ("update reps set team = null",),
}


def load_without(ws: Workspace, field: str) -> None:
    """The sample, then ``field`` emptied in the same transaction (one data version)."""
    sample.load_canonical(ws)
    with ws.transaction() as con:
        for statement in EMPTIED[field]:
            con.execute(statement)
        ws.bump_data_version()
