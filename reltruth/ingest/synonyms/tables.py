"""Per input table: the fields a mapping may name, the required groups, every field's spellings."""

from __future__ import annotations

from reltruth.ingest.synonyms import accounts, activities, deals, orders, price_list, reps
from reltruth.schema import INPUTS

# Fields a mapping may name that are not columns of the canonical table: they say how a value
# is written (duration units) or help build a row key (line number). ``ignore`` drops a column.
IGNORE = "ignore"

# One module per table: its SPELLINGS, then its MORE, spellings from more exports appended after
# them (so those keep their precedence), grouped by where they come from. Sources:
# tests/data/exports/README.md names the public samples and importers each set was taken from.
# Headers are parsed before matching (``parse_header``): "No." / "#" / "Nr." / "Nummer" read as
# "no", units and currencies in brackets or after "in" are hints, not words, so "Amount (LCY)"
# is the spelling "Amount".
_BY_TABLE: dict[str, tuple[dict[str, list[str]], dict[str, list[str]]]] = {
    "reps": (reps.SPELLINGS, reps.MORE),
    "accounts": (accounts.SPELLINGS, accounts.MORE),
    "activities": (activities.SPELLINGS, activities.MORE),
    "orders": (orders.SPELLINGS, orders.MORE),
    "deals": (deals.SPELLINGS, deals.MORE),
    "price_list": (price_list.SPELLINGS, price_list.MORE),
}


def _assemble() -> dict[str, dict[str, list[str]]]:
    out: dict[str, dict[str, list[str]]] = {}
    for table, (first, more_by_field) in _BY_TABLE.items():
        fields = {fld: list(spellings) for fld, spellings in first.items()}  # modules untouched
        for fld, more in more_by_field.items():
            known = fields.setdefault(fld, [])
            known.extend(m for m in more if m not in known)
        out[table] = fields
    return out


# table -> field -> header spellings (raw; normalised on import), best first.
SYNONYMS: dict[str, dict[str, list[str]]] = _assemble()

# What a table needs to be loadable: each entry is a set of alternatives (one must be mapped).
REQUIRED: dict[str, list[tuple[str, ...]]] = {name: list(t.required) for name, t in INPUTS.items()}


def fields_of(table: str) -> list[str]:
    """Every field a mapping may name for ``table`` (the Data page's choices)."""
    return list(INPUTS[table].fields)


def examples_of(table: str, n: int = 3) -> list[str]:
    """A few typical headers for a table, for messages like "expected columns like ..."."""
    return [SYNONYMS[table][f][0] for group in REQUIRED[table] for f in group[:1]][:n]
