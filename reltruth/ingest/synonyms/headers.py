"""A header as recognition reads it: its name's words, its entity prefix, unit and currency."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

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


# Units and currencies a header may state (in brackets or after "in"): hints for the value
# parser, not words of the field's name.
_UNIT_WORDS = {
    "ms": "milliseconds",
    "msec": "milliseconds",
    "millisecond": "milliseconds",
    "milliseconds": "milliseconds",
    "s": "seconds",
    "sec": "seconds",
    "secs": "seconds",
    "second": "seconds",
    "seconds": "seconds",
    "sekunden": "seconds",
    "min": "minutes",
    "mins": "minutes",
    "minute": "minutes",
    "minutes": "minutes",
    "minuten": "minutes",
    "minutos": "minutes",
    "h": "hours",
    "hr": "hours",
    "hrs": "hours",
    "hour": "hours",
    "hours": "hours",
    "std": "hours",
    "stunden": "hours",
    "heures": "hours",
    "horas": "hours",
    "uren": "hours",
    "hh mm": "clock",
    "h mm": "clock",
    "hh mm ss": "clock",
}
_CURRENCY_SIGNS = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY", "₹": "INR", "chf": "CHF"}
# Entities CRMs put before every column ("Deal - Value": Pipedrive). The table's own entity
# is dropped; another entity's column counts only as a weaker match; a person's never.
ENTITIES = {
    "reps": {"user", "salesperson", "employee"},
    "accounts": {"organization", "organisation", "company", "account", "customer"},
    "activities": {"activity", "call", "meeting", "task", "event", "engagement"},
    "orders": {"invoice", "order", "sales invoice line", "line"},
    "deals": {"deal", "opportunity"},
    "price_list": {"product", "item", "price"},
}
PERSONS = {"person", "contact", "lead"}
ALL_ENTITIES = set().union(*ENTITIES.values(), PERSONS)
_PREFIX = re.compile(r"^\s*([A-Za-z][A-Za-z ]{1,30}?)\s+-\s+(\S.*)$")
_BRACKET = re.compile(r"[\(\[]([^\)\]]*)[\)\]]")
_CLOCK_HINT = re.compile(r"[\(\[]?\bh{1,2}:mm(:ss)?\b[\)\]]?", re.I)
_NUMBER_MARK = re.compile(r"(?i)(?<![A-Za-z])(n[°º]|nº|#)|\b(nr|no|nummer|numero|número|num)\b\.?")


# No synonym is near this long; a longer header (a fuzz run's 300 KB one took the server
# seconds of word splitting per table tried) means no field and is not parsed.
MAX_HEADER_CHARS = 500


@dataclass(frozen=True)
class Header:
    """A header as recognition reads it: the words of its name and what else it says."""

    text: str  # as in the file
    words: tuple[str, ...]  # the name's words, normalised ("customer", "no")
    entity: str | None = None  # "deal" from "Deal - Value"
    unit: str | None = None  # a duration unit the header states (minutes, seconds, ...)
    currency: str | None = None  # a currency the header states (EUR, USD, LCY, ...)


def _ascii(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _hint(text: str) -> tuple[str | None, str | None]:
    """(unit, currency) when ``text`` (a bracket's content, or what follows "in") is one."""
    raw = text.strip()
    low = _NON_ALNUM.sub(" ", raw.lower()).strip()
    if low in _UNIT_WORDS:
        return _UNIT_WORDS[low], None
    if raw.lower() in _CURRENCY_SIGNS:
        return None, _CURRENCY_SIGNS[raw.lower()]
    if re.fullmatch(r"[A-Z]{3}", raw):
        return None, raw
    return None, None


def parse_header(header: str) -> Header:
    """The words of a header's name, its entity prefix, and the unit or currency it states:
    ``"Deal - Value (EUR)"`` -> words ("value",), entity "deal", currency "EUR";
    ``"CallDurationInSeconds"`` -> ("call", "duration"), unit "seconds";
    ``"Kunden-Nr."`` / ``"Customer #"`` -> (..., "no")."""
    text = str(header).strip()
    if len(text) > MAX_HEADER_CHARS:  # no field's name: no words (and no seconds spent)
        return Header(header, ())
    entity = None
    m = _PREFIX.match(text)
    if m and _ascii(m.group(1)).lower().strip() in ALL_ENTITIES:
        entity, text = _ascii(m.group(1)).lower().strip(), m.group(2)
    unit = currency = None
    clock = _CLOCK_HINT.search(text)
    if clock:  # "Duration HH:MM" (Pipedrive): the values are a clock
        unit, text = "clock", text[: clock.start()] + " " + text[clock.end() :]
    for content in _BRACKET.findall(text):
        u, c = _hint(content)
        if content.strip() == "%":
            continue  # "Discount (%)" is a word of the name
        if u or c:
            unit, currency = unit or u, currency or c
            text = text.replace(f"({content})", " ").replace(f"[{content}]", " ")
    for sign, code in _CURRENCY_SIGNS.items():
        if len(sign) == 1 and sign in text:
            currency = currency or code
            text = text.replace(sign, " ")
    text = _CAMEL.sub(" ", text)
    words_in = re.split(r"\s+in\s+", text.strip(), flags=re.I)
    if len(words_in) > 1:
        u, c = _hint(words_in[-1])
        if u or c:
            unit, currency = unit or u, currency or c
            text = " in ".join(words_in[:-1])
    text = _NUMBER_MARK.sub(" no ", _ascii(text))
    text = text.replace("%", " pct ").replace("_", " ").lower()
    words = tuple(_NON_ALNUM.sub(" ", text).split())
    return Header(str(header), words, entity, unit, currency)
