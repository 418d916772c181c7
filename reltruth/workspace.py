"""The DuckDB workspace: where every canonical table, mapping, setting and commitment lives.

Why a module of its own: the app, the CLI and the tests must open the database in exactly
one way (same schema, same lock-down, same transaction rules), so that data loaded in one
is there in the other and a failed import changes nothing.

Modes (spec section 8): ``local`` opens a file (default ``.reltruth/workspace.duckdb`` or
``$RELTRUTH_WORKSPACE``); ``demo`` opens a private in-memory database per session.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from reltruth import sql

DEFAULT_PATH = Path(".reltruth") / "workspace.duckdb"
CANONICAL_TABLES = ("reps", "accounts", "activities", "orders", "pipeline", "price_list")


def default_path() -> Path:
    """Where the local workspace lives: ``$RELTRUTH_WORKSPACE`` or ``.reltruth/workspace.duckdb``."""
    env = os.environ.get("RELTRUTH_WORKSPACE")
    return Path(env) if env else DEFAULT_PATH


def name_key(name: str | None) -> str | None:
    """The id derived from a name: matching ignores case and surrounding/extra spaces.

    SQL twin: ``lower(trim(regexp_replace(name, '\\s+', ' ', 'g')))`` (see ``NAME_KEY_SQL``).
    """
    if name is None:
        return None
    key = " ".join(str(name).split()).lower()
    return key or None


# The SQL twin of name_key, for set-based matching. '{col}' is an identifier from code, never data.
NAME_KEY_SQL = "nullif(lower(trim(regexp_replace({col}, '\\s+', ' ', 'g'))), '')"


@dataclass
class Workspace:
    """One open workspace: a DuckDB connection plus the folder its imports may read from."""

    con: duckdb.DuckDBPyConnection
    path: Path | None  # None: in-memory (demo mode)
    staging_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="reltruth-")))

    @classmethod
    def open(cls, path: str | Path | None = None, *, memory: bool = False) -> Workspace:
        """Open (creating if needed) a workspace file, or a private in-memory one."""
        if memory:
            con = duckdb.connect(":memory:", config=_config())
            db_path = None
        else:
            db_path = Path(path) if path is not None else default_path()
            db_path.parent.mkdir(parents=True, exist_ok=True)
            con = duckdb.connect(str(db_path), config=_config())
        ws = cls(con=con, path=db_path)
        con.execute(sql.load("schema"))
        return ws

    def close(self) -> None:
        self.con.close()
        shutil.rmtree(self.staging_dir, ignore_errors=True)

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All or nothing: a failed import leaves the workspace exactly as it was."""
        self.con.execute("begin transaction")
        try:
            yield self.con
        except BaseException:
            self.con.execute("rollback")
            raise
        else:
            self.con.execute("commit")

    def stage_file(self, src: str | Path, name: str | None = None) -> Path:
        """A copy (or hard link) of ``src`` inside the staging folder, the only place
        the hardened connection reads uploads from."""
        src = Path(src)
        dest = self.staging_dir / (name or src.name)
        if dest.exists():
            dest.unlink()
        try:
            os.link(src, dest)
        except OSError:
            shutil.copyfile(src, dest)
        return dest

    def counts(self) -> dict[str, int]:
        """Rows per canonical table (plus kept-aside unmatched rows)."""
        out: dict[str, int] = {}
        for table in (*CANONICAL_TABLES, "unmatched"):
            row = self.con.execute(f"select count(*) from {table}").fetchone()  # noqa: S608 - allow-listed name
            out[table] = int(row[0]) if row else 0
        return out

    def is_empty(self) -> bool:
        counts = self.counts()
        return not any(counts[t] for t in ("accounts", "activities", "orders"))

    def clear(self) -> None:
        """Delete every loaded row (mappings and settings stay; commitments go)."""
        with self.transaction() as con:
            for table in (*CANONICAL_TABLES, "unmatched", "imports", "commitments"):
                con.execute(f"delete from {table}")  # noqa: S608 - allow-listed name


def _config() -> dict[str, str | int | bool]:
    """Connection settings suited to a 2-core laptop. Hardening is extended in issue 6."""
    return {
        "threads": max(1, min(os.cpu_count() or 2, 4)),
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
    }
