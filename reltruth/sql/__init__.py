"""Query files: one query per file, its first line states its grain.

``load("marts/account_window")`` returns the text of ``sql/marts/account_window.sql``.
Values are always bound as named parameters (``$as_of``), never formatted in; the only text
code puts into SQL is identifiers (generated or allow-listed table and column names), and
those go through ``quote_ident``.

This is also the one module that composes SQL text: statements whose table or column names
are only known at run time (a file's headers, a staging table) are written as a fixed
template and filled by ``compose``, so the project has a single place where text is
formatted into SQL, and ruff's S608 check holds everywhere else.
"""

import string
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import LiteralString


@cache
def load(name: str) -> str:
    """The text of ``reltruth/sql/<name>.sql``."""
    return resources.files(__package__).joinpath(f"{name}.sql").read_text(encoding="utf-8")


def quote_ident(name: str) -> str:
    """The one way an identifier enters SQL: double-quoted, inner quotes doubled."""
    return '"' + name.replace('"', '""') + '"'


def quote_idents(names: Iterable[str]) -> str:
    """A comma-separated list of quoted identifiers (a select list, an insert's columns)."""
    return ", ".join(quote_ident(n) for n in names)


def compose(template: LiteralString, /, **parts: str) -> str:
    """A statement from a template written in code and parts made by code.

    ``compose("select {col} from {table}", col=quote_ident(header), table=quote_ident(t))``.
    A part is an identifier from ``quote_ident`` or an expression built from such identifiers
    and fixed SQL; never a value read from data (values are bound as ``$name`` parameters).
    Every placeholder must be given and every part used: a misspelt name fails here, in
    code under test, rather than as a malformed statement at a user's import.
    """
    wanted = {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}
    if wanted != parts.keys():
        missing, unused = sorted(wanted - parts.keys()), sorted(parts.keys() - wanted)
        raise ValueError(f"compose: missing parts {missing}, unused parts {unused}")
    return template.format(**parts)
