"""Query files: one query per file, its first line states its grain.

``load("marts/account_window")`` returns the text of ``sql/marts/account_window.sql``.
Values are always bound as named parameters (``$as_of``), never formatted in; the only text
code puts into SQL is identifiers (generated or allow-listed table and column names), and
those go through ``quote_ident``.
"""

from functools import cache
from importlib import resources


@cache
def load(name: str) -> str:
    """The text of ``reltruth/sql/<name>.sql``."""
    return resources.files(__package__).joinpath(f"{name}.sql").read_text(encoding="utf-8")


def quote_ident(name: str) -> str:
    """The one way an identifier enters SQL: double-quoted, inner quotes doubled."""
    return '"' + name.replace('"', '""') + '"'
