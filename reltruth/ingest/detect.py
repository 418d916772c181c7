"""Which canonical table an upload is, and which of its columns mean what.

Why a module of its own: recognition must work from headers alone (before any value is
parsed) so that the Data page can propose a mapping instantly and the CLI can refuse an
unrecognisable file with a clear sentence. Saved mappings (by header signature) live here too:
the next export with the same headers maps the same way without asking.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import duckdb

from reltruth.errors import UserError
from reltruth.ingest import synonyms
from reltruth.ingest.synonyms import IGNORE, REQUIRED
from reltruth.schema import TABLES

Mapping = dict[str, str | None]


def first_row(cur: duckdb.DuckDBPyConnection) -> tuple[Any, ...] | None:
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
    reasons: dict[str, str] = field(default_factory=dict)  # header -> why it was mapped
    guessed: tuple[str, ...] = ()  # required fields taken from a partial match only
    candidates: tuple[tuple[str, float], ...] = ()  # (table, confidence), best first

    @property
    def needs_confirmation(self) -> bool:
        """Whether loading this without the user's word could load the wrong thing: a
        required field was only guessed, or little beyond the required fields was
        recognised in a file of mostly unknown columns (docs/ingest.md)."""
        return bool(self.guessed) or (
            self.confidence < CONFIDENT and _beyond_required(self.table, self.mapping) < 2
        )


# Below this share of recognised columns a proposal needs a second sign (docs/ingest.md).
CONFIDENT = 0.5


class Unrecognised(UserError):
    """No table fits the headers: the app offers mapping by hand, the CLI names its flags."""

    def __init__(self, source: str, headers: list[str]) -> None:
        super().__init__(unrecognised_message(source, headers))
        self.source = source
        self.headers = headers


class Unconfirmed(UserError):
    """A recognition too weak to load without the user's word (``needs_confirmation``)."""

    def __init__(self, source: str, found: Detection) -> None:
        shown = ", ".join(f'"{h}" as {f}' for h, f in found.mapping.items() if f)
        why = (
            f"its required field{'s' if len(found.guessed) > 1 else ''} "
            f"{', '.join(found.guessed)} {'were' if len(found.guessed) > 1 else 'was'} only guessed"
            if found.guessed
            else f"only {found.confidence:.0%} of its columns were recognised"
        )
        others = [f"{t} ({c:.0%} of columns)" for t, c in found.candidates[1:4]]
        super().__init__(
            f"{source} looks like {found.table} ({shown}), but {why}, so it was not loaded "
            "without confirmation"
            + (f"; other candidates: {', '.join(others)}" if others else "")
            + "."
        )
        self.source = source
        self.found = found


def _beyond_required(table: str, mapping: Mapping) -> int:
    fields = {f for f in mapping.values() if f}
    required = {f for group in REQUIRED[table] for f in group}
    return len(fields - required)


def map_headers(
    headers: list[str], table: str
) -> tuple[Mapping, list[str], dict[str, synonyms.Match]]:
    """Header -> field for one table. Every (header, field) pair that matches is ranked by
    score (exact synonym, all words of one, part of one); the best pairs are taken first,
    one field per header and one header per field. A header that lost its field to a
    better one is ignored, with a note."""
    pairs = [(m, h) for h in headers for m in synonyms.matches(table, h)]
    pairs.sort(key=lambda p: (-p[0].score, headers.index(p[1])))
    taken: dict[str, synonyms.Match] = {}
    owner: dict[str, str] = {}
    for match, header in pairs:
        if header in taken or match.field in owner:
            continue
        taken[header] = match
        owner[match.field] = header
    notes = []
    for header in headers:
        if header in taken:
            continue
        hits = synonyms.matches(table, header)
        if hits:
            fld = hits[0].field
            notes.append(f'column "{header}" ignored: "{owner[fld]}" already gives {fld}')
    return {h: (taken[h].field if h in taken else None) for h in headers}, notes, taken


def missing_required(table: str, mapping: Mapping) -> list[tuple[str, ...]]:
    """Required field groups of ``table`` that no header supplies."""
    present = {f for f in mapping.values() if f}
    return [group for group in REQUIRED[table] if not present.intersection(group)]


def _score(table: str, matched: dict[str, synonyms.Match]) -> float:
    # Better-understood columns win; required fields weigh extra so that a file with an
    # activity date, a rep and an account is activities rather than reps with extras.
    required = len(REQUIRED[table])
    return sum(m.score for m in matched.values()) / synonyms.EXACT + 0.5 * required


def _reasons(headers: list[str], matched: dict[str, synonyms.Match]) -> dict[str, str]:
    out = {}
    for header in headers:
        head = synonyms.parse_header(header)
        if header in matched:
            why = matched[header].why
        elif synonyms.is_ignored_header(header):
            why = "a bookkeeping column of the CRM (ignored)"
        else:
            why = "no known field has this name (ignored)"
        hints = [
            f"unit {head.unit} stated in the header" if head.unit else "",
            f"currency {head.currency} stated in the header" if head.currency else "",
        ]
        hint = "; ".join(h for h in hints if h)
        out[header] = f"{why}; {hint}" if hint else why
    return out


def _guessed(table: str, mapping: Mapping, matched: dict[str, synonyms.Match]) -> tuple[str, ...]:
    by_field = {m.field: m for m in matched.values()}
    out: list[str] = []
    for group in REQUIRED[table]:
        present = [by_field[f] for f in group if f in by_field]
        if present and all(m.how == "partly" for m in present):
            out.extend(m.field for m in present)
    return tuple(out)


def detect(headers: list[str], *, table: str | None = None, source: str = "the file") -> Detection:
    """The best-fitting table for these headers (or the forced ``table``), or a UserError."""
    if table is not None:
        table = check_table(table)
        mapping, notes, matched = map_headers(headers, table)
        return Detection(
            table,
            mapping,
            _confidence(mapping, headers),
            tuple(notes),
            _reasons(headers, matched),
            _guessed(table, mapping, matched),
        )
    candidates = []
    for name in TABLES:
        mapping, notes, matched = map_headers(headers, name)
        if not missing_required(name, mapping):
            candidates.append((_score(name, matched), name, mapping, notes, matched))
    if not candidates:
        raise Unrecognised(source, headers)
    candidates.sort(key=lambda c: (-c[0], TABLES.index(c[1])))
    _, name, mapping, notes, matched = candidates[0]
    return Detection(
        name,
        mapping,
        _confidence(mapping, headers),
        tuple(notes),
        _reasons(headers, matched),
        _guessed(name, mapping, matched),
        tuple((c[1], _confidence(c[2], headers)) for c in candidates),
    )


def unrecognised_message(source: str, headers: list[str]) -> str:
    shown = ", ".join(headers[:6]) + (", ..." if len(headers) > 6 else "")
    return (
        f"could not tell what kind of export {source} is (columns: {shown}): expected columns like "
        "Account Name (accounts), Date + Assigned + Account (activities), Invoice Date + Customer + "
        "Net Value (orders), Stage + Amount (deals), Product + List Price (price list)."
    )


def _confidence(mapping: Mapping, headers: list[str]) -> float:
    usable = [h for h in headers if not synonyms.is_ignored_header(h)]
    if not usable:
        return 0.0
    return round(sum(1 for h in usable if mapping.get(h)) / len(usable), 2)


def check_table(table: str) -> str:
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
    row = first_row(
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


# Saved mappings are bounded: every import of a new layout adds one and each import's undo
# copy holds them all, so thousands of one-off files (a fuzz run filled a demo workspace's
# 1 GiB that way) must not grow the workspace without end. A real team has a few layouts.
MAX_SAVED_MAPPINGS = 200
MAX_SIGNATURE_CHARS = 64 * 1024  # headers longer than this together are no CRM's layout


def save_mapping(
    con: duckdb.DuckDBPyConnection, headers: list[str], table: str, mapping: Mapping
) -> None:
    """Remember how this header layout maps, for the next file that arrives with it: only
    the headers that map to a field (``saved_mapping`` reads a missing one as ignored), and
    only the newest ``MAX_SAVED_MAPPINGS`` layouts are kept."""
    signature = header_signature(headers)
    if len(signature) > MAX_SIGNATURE_CHARS:
        return
    mapped = {h: f for h, f in mapping.items() if f is not None}
    con.execute(
        "insert or replace into mappings (header_signature, target_table, mapping, saved_at) "
        "values ($sig, $table, $mapping, current_timestamp)",
        {"sig": signature, "table": table, "mapping": json.dumps(mapped)},
    )
    con.execute(
        "delete from mappings where header_signature not in (select header_signature "
        "from mappings order by saved_at desc, header_signature limit $keep)",
        {"keep": MAX_SAVED_MAPPINGS},
    )
