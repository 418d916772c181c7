"""Word-set matching: which fields a header may mean in a table, how well, and why."""

from __future__ import annotations

from dataclasses import dataclass

from reltruth.ingest.synonyms.headers import (
    ENTITIES,
    MAX_HEADER_CHARS,
    PERSONS,
    Header,
    is_ignored_header,
    normalise_header,
    parse_header,
)
from reltruth.ingest.synonyms.tables import SYNONYMS


@dataclass(frozen=True)
class Match:
    """Why a header was taken for a field: the spelling it matched and how well."""

    field: str
    score: float  # higher is better; the tier is its integer part
    spelling: str
    how: str  # "exact", "all words", "partly"

    @property
    def why(self) -> str:
        if self.how == "exact":
            return f'is the known spelling "{self.spelling}"'
        if self.how == "all words":
            return f'contains every word of "{self.spelling}"'
        return f'matches part of "{self.spelling}" (a guess: check it)'


EXACT, ALL_WORDS, PARTLY = 3.0, 2.0, 1.0
# Words too common to carry a longer header on their own ("Kunden-Nr." is no product "No.").
_GENERIC = frozenset({"no", "id", "name", "code", "date", "description", "type", "status", "line"})
_DURATION_FIELDS = {
    "minutes": "duration_minutes",
    "seconds": "duration_seconds",
    "milliseconds": "duration_ms",
}


# (word set, field, rank, spelling, unit it states, all its letters run together)
_Entry = tuple[frozenset[str], str, int, str, str | None, str]


def _index() -> dict[str, list[_Entry]]:
    out: dict[str, list[_Entry]] = {}
    for table, fields in SYNONYMS.items():
        entries = []
        for fld, spellings in fields.items():
            for rank, spelling in enumerate([fld, *spellings]):
                parsed = parse_header(spelling)
                joined = normalise_header(spelling).replace(" ", "")
                if parsed.words:
                    entries.append(
                        (frozenset(parsed.words), fld, rank, spelling, parsed.unit, joined)
                    )
        out[table] = entries
    return out


# table -> one entry per spelling of every field. The letters run together let headers
# written in capitals or lower case without separators match API names: Data Loader's
# "CALLDURATIONINSECONDS", HubSpot's "closedate".
INDEX = _index()


def _candidates(table: str, head: Header) -> list[tuple[tuple[str, ...], float, bool]]:
    """The word sequences to match for ``table``: (words, score penalty, exact only)."""
    if head.entity is None:
        return [(head.words, 0.0, False)]
    prefixed = (*head.entity.split(), *head.words)  # "Deal - Owner" is the spelling "Deal Owner"
    if head.entity in PERSONS:
        return [(prefixed, 0.0, True)]  # a contact person's name is never the account's
    own = head.entity in ENTITIES[table]
    # The whole phrase first: "Deal - Status" is the spelling "Deal Status" before the
    # bare "Stage" of "Deal - Stage" (Pipedrive writes both; its status decides a deal).
    return [(prefixed, 0.0, True), (head.words, 0.001 if own else EXACT - ALL_WORDS, False)]


def matches(table: str, header: str) -> list[Match]:
    """Every field ``header`` may mean in ``table``, best first: an exact synonym, then a
    header holding all words of a synonym (covering at least half of its words), then a
    header whose words are part of a longer synonym (a guess)."""
    if len(header) > MAX_HEADER_CHARS or is_ignored_header(header):
        return []
    head = parse_header(header)
    found: dict[str, Match] = {}
    for words, penalty, exact_only in _candidates(table, head):
        wset = frozenset(words)
        if not wset:
            continue
        solid = "".join(words) if len(words) == 1 else ""
        for syn, fld, rank, spelling, syn_unit, joined in INDEX[table]:
            unit = head.unit
            if wset == syn:
                tier, how = EXACT, "exact"
            elif solid and solid == joined:
                tier, how = EXACT, "exact"
                unit = unit or syn_unit  # the API name states it ("...InSeconds")
            elif exact_only:
                continue
            elif syn < wset and 2 * len(syn) >= len(wset) and not syn <= _GENERIC:
                tier, how = ALL_WORDS, "all words"
            elif wset < syn and len(wset) >= 2:
                tier, how = PARTLY, "partly"
            else:
                continue
            extra = len(wset ^ syn)
            score = tier - penalty - 0.01 * extra - 0.0001 * rank
            if fld.startswith("duration_") and (unit or syn_unit):
                # The unit the header states decides the field; a header stating none is
                # read in minutes, or in the unit its values show (load.py).
                fld = _DURATION_FIELDS.get(unit or "", "duration_minutes")
                spelling = " ".join(head.words)
            if fld not in found or score > found[fld].score:
                found[fld] = Match(fld, score, spelling, how)
    return sorted(found.values(), key=lambda m: -m.score)


def lookup(table: str, header: str) -> tuple[str, int] | None:
    """The best field a header means in ``table`` and how good (lower = better), or None."""
    best = matches(table, header)
    if not best:
        return None
    return best[0].field, round((EXACT - best[0].score) * 10000)
