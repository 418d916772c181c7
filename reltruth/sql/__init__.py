"""Query files: one query per file, its first line states its grain.

``load("marts/account_window")`` returns the text of ``sql/marts/account_window.sql``.
Values are always bound as named parameters (``$as_of``), never formatted in.
"""

from functools import cache
from importlib import resources


@cache
def load(name: str) -> str:
    """The text of ``reltruth/sql/<name>.sql``."""
    return resources.files(__package__).joinpath(f"{name}.sql").read_text(encoding="utf-8")
