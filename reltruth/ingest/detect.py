"""Which canonical table an upload is, and which of its columns mean what.

Why a module of its own: recognition must work from headers alone (before any value is
parsed) so that the Data page can propose a mapping instantly and the CLI can refuse an
unrecognisable file with a clear sentence. Saved mappings (by header signature) live here too:
the next export with the same headers maps the same way without asking.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import duckdb

from reltruth.errors import UserError
from reltruth.ingest import synonyms
from reltruth.ingest.synonyms import IGNORE, REQUIRED, TABLES

Mapping = dict[str, str | None]


def _one(cur: duckdb.DuckDBPyConnection) -> tuple[Any, ...] | None:
    """The first row of a result, fetched to the end: DuckDB 2 refuses new work on a
    connection while a result is still open (``fetchone`` would leave it open)."""
    rows = cur.fetchall()
    return rows[0] if rows else None


@dataclass(frozen=True)
class Detection:
    """A proposed table and mapping with how sure we are (share of headers understood)."""

    table: str
    mapping: Mapping
    confidence: float
    notes: tuple[str, ...] = ()


def map_headers(headers: list[str], table: str) -> tuple[Mapping, list[str]]:
    """Header -> field for one table; where two headers mean the same field the better
    spelling wins and the other is ignored (with a note)."""
    best: dict[str, tuple[int, str]] = {}
    for header in headers:
        hit = synonyms.lookup(table, header)
        if hit is None:
            continue
        fld, rank = hit
        if fld not in best or rank < best[fld][0]:
            best[fld] = (rank, header)
    chosen = {header: fld for fld, (_, header) in best.items()}
    notes = []
    for header in headers:
        hit = synonyms.lookup(table, header)
        if hit and header not in chosen:
            notes.append(f'column "{header}" ignored: "{best[hit[0]][1]}" already gives {hit[0]}')
    return {h: chosen.get(h) for h in headers}, notes


def missing_required(table: str, mapping: Mapping) -> list[tuple[str, ...]]:
    """Required field groups of ``table`` that no header supplies."""
    present = {f for f in mapping.values() if f}
    return [group for group in REQUIRED[table] if not present.intersection(group)]


def _score(table: str, mapping: Mapping) -> float:
    # More understood columns wins; required fields weigh extra so that a file with an
    # activity date, a rep and an account is activities rather than reps with extras.
    mapped = sum(1 for f in mapping.values() if f)
    required = len(REQUIRED[table])
    return mapped + 0.5 * required


def detect(headers: list[str], *, table: str | None = None, source: str = "the file") -> Detection:
    """The best-fitting table for these headers (or the forced ``table``), or a UserError."""
    if table is not None:
        table = _check_table(table)
        mapping, notes = map_headers(headers, table)
        return Detection(table, mapping, _confidence(mapping, headers), tuple(notes))
    candidates = []
    for name in TABLES:
        mapping, notes = map_headers(headers, name)
        if not missing_required(name, mapping):
            candidates.append((_score(name, mapping), name, mapping, notes))
    if not candidates:
        raise UserError(unrecognised_message(source, headers))
    candidates.sort(key=lambda c: (-c[0], TABLES.index(c[1])))
    _, name, mapping, notes = candidates[0]
    return Detection(name, mapping, _confidence(mapping, headers), tuple(notes))


def unrecognised_message(source: str, headers: list[str]) -> str:
    shown = ", ".join(headers[:6]) + (", ..." if len(headers) > 6 else "")
    return (
        f"could not tell what kind of export {source} is (columns: {shown}): expected columns like "
        "Account Name (accounts), Date + Assigned + Account (activities), Invoice Date + Customer + "
        "Net Value (orders), Stage + Amount (deals), Product + List Price (price list); "
        "use --table and --map to say which."
    )


def _confidence(mapping: Mapping, headers: list[str]) -> float:
    usable = [h for h in headers if not synonyms.is_ignored_header(h)]
    if not usable:
        return 0.0
    return round(sum(1 for h in usable if mapping.get(h)) / len(usable), 2)


def _check_table(table: str) -> str:
    key = table.strip().lower().replace("-", "_").replace(" ", "_")
    key = {
        "pricelist": "price_list",
        "prices": "price_list",
        "opportunities": "deals",
        "invoices": "orders",
        "users": "reps",
    }.get(key, key)
    if key not in TABLES:
        raise UserError(f'unknown table "{table}": use one of {", ".join(TABLES)}.')
    return key


def parse_overrides(items: list[str] | dict[str, str | None] | None) -> Mapping:
    """``["Header=field", ...]`` (CLI ``--map``) as a mapping; ``field`` empty or ``ignore`` = ignored."""
    if not items:
        return {}
    if isinstance(items, dict):
        return {h: _field_or_none(f) for h, f in items.items()}
    out: Mapping = {}
    for item in items:
        header, sep, fld = item.rpartition("=")
        if not sep or not header.strip():
            raise UserError(f'--map "{item}" is not of the form "Header=field".')
        out[header.strip()] = _field_or_none(fld)
    return out


def _field_or_none(fld: str | None) -> str | None:
    if fld is None:
        return None
    fld = fld.strip()
    return None if fld in ("", IGNORE) else fld


def apply_overrides(table: str, mapping: Mapping, overrides: Mapping, source: str) -> Mapping:
    """The mapping with the user's choices on top; a field the table does not know is refused."""
    if not overrides:
        return dict(mapping)
    allowed = set(synonyms.fields_of(table))
    by_norm = {synonyms.normalise_header(h): h for h in mapping}
    out = dict(mapping)
    for header, fld in overrides.items():
        real = header if header in mapping else by_norm.get(synonyms.normalise_header(header))
        if real is None:
            continue  # an override for another file of the same call
        if fld is not None and fld not in allowed:
            raise UserError(
                f'"{fld}" is not a field of {table} (for column "{header}" of {source}); '
                f"use one of {', '.join(sorted(allowed))} or ignore."
            )
        if fld is not None:  # one column per field: the override takes it from any other column
            out = {h: (None if f == fld else f) for h, f in out.items()}
        out[real] = fld
    return out


def header_signature(headers: list[str]) -> str:
    """Sorted normalised headers: the same export layout gives the same signature."""
    return "|".join(sorted(synonyms.normalise_header(h) for h in headers))


def saved_mapping(con: duckdb.DuckDBPyConnection, headers: list[str]) -> tuple[str, Mapping] | None:
    """The table and mapping saved for this header layout, if any."""
    row = _one(
        con.execute(
            "select target_table, mapping from mappings where header_signature = $sig",
            {"sig": header_signature(headers)},
        )
    )
    if row is None:
        return None
    stored = json.loads(row[1])
    by_norm = {synonyms.normalise_header(h): f for h, f in stored.items()}
    return str(row[0]), {h: by_norm.get(synonyms.normalise_header(h)) for h in headers}


def save_mapping(
    con: duckdb.DuckDBPyConnection, headers: list[str], table: str, mapping: Mapping
) -> None:
    """Remember how this header layout maps, for the next file that arrives with it."""
    con.execute(
        "insert or replace into mappings (header_signature, target_table, mapping, saved_at) "
        "values ($sig, $table, $mapping, current_timestamp)",
        {"sig": header_signature(headers), "table": table, "mapping": json.dumps(mapping)},
    )
