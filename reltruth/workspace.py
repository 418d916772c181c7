"""The DuckDB workspace: where every canonical table, mapping, setting and commitment lives.

Why a module of its own: the app, the CLI and the tests must open the database in exactly
one way (same schema, same lock-down, same transaction rules), so that data loaded in one
is there in the other and a failed import changes nothing.

Modes (docs/app.md ('Sessions and modes')): ``local`` opens a file (default ``.reltruth/workspace.duckdb`` or
``$RELTRUTH_WORKSPACE``); ``demo`` opens a private in-memory database per session.

Lock-down (SECURITY.md): every database this module opens is limited in threads and memory,
loads no extensions, can read and write no file except its own and those staged in its
staging folder, and its configuration is locked so that no query can undo any of this.
Within one process a workspace file is opened once (DuckDB allows one read-write process
per file); each session gets its own connection (``cursor()``) to that one database, and
writes go through ``transaction()``, which serialises them per workspace so that two
sessions importing at once can neither conflict nor both load the same rows.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from reltruth import sql
from reltruth.errors import UserError
from reltruth.schema import STORED
from reltruth.sql import compose

DEFAULT_PATH = Path(".reltruth") / "workspace.duckdb"
CANONICAL_TABLES = tuple(STORED)  # reps, accounts, activities, orders, pipeline, price_list


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
class _Shared:
    """One opened workspace file in this process, shared by every session that opens it."""

    key: Path  # the resolved workspace path
    root: duckdb.DuckDBPyConnection
    staging_root: Path
    write_lock: threading.RLock = field(default_factory=threading.RLock)
    users: int = 0


# Resolved workspace path -> the one open database. Guarded by _SHARED_LOCK.
_SHARED: dict[Path, _Shared] = {}
_SHARED_LOCK = threading.Lock()


@dataclass
class Workspace:
    """One open workspace: a DuckDB connection plus the folder its imports may read from."""

    con: duckdb.DuckDBPyConnection
    path: Path | None  # None: in-memory (demo mode)
    staging_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="reltruth-")))
    _shared: _Shared | None = field(default=None, repr=False, compare=False)
    _own_lock: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)
    _in_transaction: bool = field(default=False, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Whoever opens a workspace closes it: the CLI with ``with``, a browser session when
        # Streamlit ends it (reltruth.ui.lifetime.SessionLifetime). This finalizer is only the
        # backstop for a caller that forgot: at the latest when the process exits.
        self._finalizer = weakref.finalize(self, _cleanup, self.con, self.staging_dir, self._shared)

    @classmethod
    def open(
        cls,
        path: str | Path | None = None,
        *,
        memory: bool = False,
        memory_limit: int | None = None,
    ) -> Workspace:
        """Open (creating if needed) a workspace file, or a private in-memory one.

        ``memory_limit``: bytes for DuckDB when this process opens the file first (a
        command that owns its process, e.g. ``reltruth ingest``), at most the usual limit;
        ``$RELTRUTH_MEMORY_LIMIT`` still wins. Sessions of a server share one database and
        its limit, so the app never passes it."""
        if memory:
            return cls._open_memory()
        db_path = Path(path) if path is not None else default_path()
        key = db_path.expanduser().resolve()
        with _SHARED_LOCK:
            shared = _SHARED.get(key)
            if shared is None:
                shared = _open_file(key, memory_limit)
                _SHARED[key] = shared
            shared.users += 1
        try:
            con = shared.root.cursor()
            staging = Path(tempfile.mkdtemp(prefix="session-", dir=shared.staging_root))
        except BaseException:
            _release(shared)
            raise
        return cls(con=con, path=db_path, staging_dir=staging, _shared=shared)

    @classmethod
    def _open_memory(cls) -> Workspace:
        # Demo mode: the data lives in this connection only; uploads are staged in RAM
        # (/dev/shm) where the system has it, and spilling to disk is off.
        _remove_stale_demo_folders()
        # The process id in the name: a later process can tell a dead one's folder.
        staging = Path(tempfile.mkdtemp(prefix=f"reltruth-demo-{os.getpid()}-", dir=_ram_dir()))
        try:
            con = _connect(":memory:", staging, memory=True)
            con.execute(sql.load("schema"))
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return cls(con=con, path=None, staging_dir=staging)

    def close(self) -> None:
        """Close this session's connection and delete what it staged (safe to call twice)."""
        self._finalizer()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All or nothing: a failed import leaves the workspace exactly as it was.

        Writers of one workspace take turns (a lock per workspace file): two sessions
        importing at once would otherwise each miss the other's uncommitted rows when
        removing duplicates, or abort on a write-write conflict.
        """
        lock = self._shared.write_lock if self._shared is not None else self._own_lock
        with lock:
            self.con.execute("begin transaction")
            self._in_transaction = True
            try:
                yield self.con
            except BaseException:
                # The original error is the one worth reporting, not a failed rollback.
                with contextlib.suppress(duckdb.Error):
                    self.con.execute("rollback")
                raise
            else:
                self.con.execute("commit")
            finally:
                self._in_transaction = False

    def data_version(self) -> int:
        """The version of the loaded data: a number that changes with every import, undo,
        potential estimate and clear, whichever session or process made it. Numbers cached
        under one version are stale under another."""
        rows = self.con.execute("select max(version) from data_version").fetchall()
        return int(rows[0][0] or 0) if rows else 0

    def bump_data_version(self) -> None:
        """Record that the data changed. Call it inside ``transaction()``, with the change,
        so that the change and the new version commit (or roll back) together."""
        if not self._in_transaction:
            raise RuntimeError("bump_data_version() belongs inside ws.transaction()")
        self.con.execute("update data_version set version = version + 1")

    def stage_file(self, src: str | Path, name: str | None = None) -> Path:
        """A copy (or hard link) of ``src`` inside the staging folder, the only place
        the hardened connection reads uploads from. A file already staged is returned as is."""
        src = Path(src)
        dest = self.staging_dir / _staged_name(name or src.name)
        if src.parent.resolve() == self.staging_dir.resolve() and src.name == dest.name:
            return dest
        if dest.exists():
            dest.unlink()
        try:
            os.link(src, dest)
        except OSError:
            shutil.copyfile(src, dest)
        return dest

    def stage_bytes(self, data: bytes | memoryview, name: str) -> Path:
        """``data`` (an upload) written into the staging folder as ``name``.

        In demo mode the folder is in RAM (/dev/shm) where the system has one, so an
        upload staged this way never reaches a disk.
        """
        dest = self.staging_dir / _staged_name(name)
        fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        return dest

    def counts(self) -> dict[str, int]:
        """Rows per canonical table (plus kept-aside unmatched rows)."""
        out: dict[str, int] = {}
        for table in (*CANONICAL_TABLES, "unmatched"):
            # fetchall, not fetchone: DuckDB 2.0 keeps a half-read result open, and the
            # next register() on this connection would fail with "unfinished result".
            rows = self.con.execute(
                compose("select count(*) from {table}", table=sql.quote_ident(table))
            ).fetchall()
            out[table] = int(rows[0][0]) if rows else 0
        return out

    def is_empty(self) -> bool:
        counts = self.counts()
        return not any(counts[t] for t in ("accounts", "activities", "orders"))

    def clear(self) -> None:
        """Delete every loaded row (mappings and settings stay; commitments and meetings go)."""
        with self.transaction() as con:
            for table in (
                *CANONICAL_TABLES,
                "unmatched",
                "imports",
                "commitments",
                "commitment_status",
                "meetings",
            ):
                con.execute(compose("delete from {table}", table=sql.quote_ident(table)))
            self.bump_data_version()


# Never more than this for one database, whatever the machine: a shared server runs several,
# and docs/ingest.md ('Speed') wants a 5-million-line import to peak under 2 GB (DuckDB's limit covers
# its buffers, not Python and the reader's own allocations: 1.5 GiB peaks at about 1.7 GB).
MEMORY_CAP = 3 * 1024**3 // 2
# A demo session holds its data in RAM and may not spill; several run at once.
DEMO_MEMORY_CAP = 1024**3
MEMORY_FLOOR = 256 * 1024**2


def _available_memory() -> int:
    """Bytes of RAM the system could give us now (MemAvailable), or a modest guess."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return 2 * 1024**3


def memory_limit(*, memory: bool = False) -> int:
    """Bytes one database may use: half of what is available, capped (lower in demo mode).

    ``$RELTRUTH_MEMORY_LIMIT`` (e.g. ``2GB``) overrides it for an administrator.
    """
    cap = DEMO_MEMORY_CAP if memory else MEMORY_CAP
    return max(MEMORY_FLOOR, min(_available_memory() // 2, cap))


def _memory_limit_override() -> str | None:
    """``$RELTRUTH_MEMORY_LIMIT`` checked, so that a typo is one clear line at start-up."""
    value = os.environ.get("RELTRUTH_MEMORY_LIMIT", "").strip()
    if not value:
        return None
    if not re.fullmatch(r"\d+(\.\d+)?\s*([KMGT]i?B|B)", value, flags=re.IGNORECASE):
        raise UserError(f"RELTRUTH_MEMORY_LIMIT must be a size like 2GB or 512MB, not {value!r}.")
    return value


def _config(
    *, memory: bool = False, limit: int | None = None
) -> dict[str, str | bool | int | float | list[str]]:
    """Connection settings given to ``duckdb.connect``: resources suited to a 2-core
    machine and no extensions. The settings that must come after these (the allowed
    folders, then external access off, then the lock) are applied by ``_lock_down``."""
    config: dict[str, str | bool | int | float | list[str]] = {
        "threads": max(1, min(os.cpu_count() or 2, 2)),
        "memory_limit": _memory_limit_override()
        or f"{min(limit or memory_limit(memory=memory), memory_limit(memory=memory))}B",
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "allow_community_extensions": False,
        "allow_unsigned_extensions": False,
        "allow_persistent_secrets": False,
        "python_enable_replacements": False,  # no `select * from some_python_variable`
        "max_temp_directory_size": "8GiB",
    }
    if memory:
        config["temp_directory"] = ""  # demo data never spills to disk
    return config


def _lock_down(con: duckdb.DuckDBPyConnection, staging_root: Path) -> None:
    """Files outside the staging folder become unreachable and the settings final.

    DuckDB requires this order: ``allowed_directories`` can only be set while external
    access is still on, and ``lock_configuration`` must come last (after it nothing,
    this function included, can change a setting).
    """
    # The trailing separator matters: the list holds prefixes, "/x/staging" alone would
    # also allow "/x/staging-evil".
    allowed = str(staging_root.resolve()) + os.sep
    con.execute("set allowed_directories = $dirs", {"dirs": [allowed]})
    con.execute("set enable_external_access = false")
    con.execute("set lock_configuration = true")


def _connect(
    database: str, staging_root: Path, *, memory: bool = False, limit: int | None = None
) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(database, config=_config(memory=memory, limit=limit))
    try:
        _lock_down(con, staging_root)
    except BaseException:
        con.close()
        raise
    return con


def _open_file(path: Path, limit: int | None = None) -> _Shared:
    """Open a workspace file for this process, locked down, schema in place."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(
            f"Cannot create the workspace folder {path.parent} ({exc.strerror})."
        ) from exc
    _check_is_workspace(path)
    staging_root = path.with_name(path.name + ".staging")
    staging_root.mkdir(mode=0o700, exist_ok=True)
    try:
        root = _connect(str(path), staging_root, limit=limit)
    except duckdb.IOException as exc:
        raise _open_error(path, exc) from exc
    try:
        root.execute(sql.load("schema"))
        _migrate(root)
    except BaseException:
        root.close()
        raise
    # This process now holds DuckDB's lock on the file, so whatever is left in the staging
    # folder belongs to a process that died (killed mid-import): delete it.
    for leftover in staging_root.iterdir():
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)
    return _Shared(key=path, root=root, staging_root=staging_root)


def _migrate(con: duckdb.DuckDBPyConnection) -> None:
    """Bring a workspace made by an earlier version up to the current schema (only when it
    needs it: an ALTER writes to the file even when it changes nothing)."""
    row = con.execute(
        "select count(*) from duckdb_columns() where database_name = current_database() "
        "and table_name = 'orders' and column_name = 'line_no'"
    ).fetchall()
    if row and row[0][0] == 0:
        con.execute(sql.load("migrate_row_keys"))


def _check_is_workspace(path: Path) -> None:
    """Refuse an existing file that is not a DuckDB database: DuckDB would otherwise
    open, say, a CSV given by mistake as a read-only table instead of failing."""
    try:
        with path.open("rb") as fh:
            head = fh.read(12)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise UserError(f"Cannot open the workspace {path} ({exc.strerror}).") from exc
    if head and head[8:12] != b"DUCK":
        raise UserError(f"{path} is not a reltruth workspace (it is not a DuckDB database file).")


def _open_error(path: Path, exc: duckdb.IOException) -> UserError:
    text = str(exc)
    if "lock" in text.lower():
        return UserError(
            f"The workspace {path} is open in another reltruth process (the app or a "
            "command); close it or use another --workspace."
        )
    if "not a valid DuckDB database" in text:
        return UserError(f"{path} is not a reltruth workspace (it is not a DuckDB database file).")
    return UserError(f"Cannot open the workspace {path}: {text.splitlines()[0]}")


def _staged_name(name: str) -> str:
    """A plain file name: an upload called "../../x.csv" stays inside the staging folder."""
    base = Path(name.replace("\\", "/")).name.strip()
    # DuckDB's readers expand glob characters in a path: "acts_*.csv" staged as such would
    # read every staged file matching it. The staged copy never has them (messages use the
    # user's own name).
    base = re.sub(r"[*?\[\]{}]", "_", base)
    return base if base not in {"", ".", ".."} else "upload"


def _cleanup(con: duckdb.DuckDBPyConnection, staging_dir: Path, shared: _Shared | None) -> None:
    try:
        con.close()
    finally:
        shutil.rmtree(staging_dir, ignore_errors=True)
        if shared is not None:
            _release(shared)


def is_open(path: str | Path) -> bool:
    """Whether this process holds the workspace file at ``path`` open (any session)."""
    with _SHARED_LOCK:
        return Path(path).expanduser().resolve() in _SHARED


def _release(shared: _Shared) -> None:
    """One session fewer; the last one closes the database (checkpointing it)."""
    with _SHARED_LOCK:
        shared.users -= 1
        if shared.users > 0 or _SHARED.get(shared.key) is not shared:
            return
        del _SHARED[shared.key]
        shared.root.close()
        with contextlib.suppress(OSError):  # only when empty: never another process's uploads
            shared.staging_root.rmdir()


def _ram_dir() -> str | None:
    """/dev/shm when the system has a writable one (files there never reach a disk)."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK) else None


_STALE_CHECKED = False
OLD_DEMO_FOLDER_SECONDS = 24 * 3600
_DEMO_FOLDER = re.compile(r"reltruth-demo-(\d+)-")


def _remove_stale_demo_folders() -> None:
    """Once per process: delete demo staging folders whose process is gone (a server that
    was killed or crashed leaves its visitors' uploads in RAM otherwise). Only this user's
    folders; a folder without a process id in its name (from before ids were written) goes
    once it is a day old."""
    global _STALE_CHECKED
    if _STALE_CHECKED:
        return
    _STALE_CHECKED = True
    root = Path(_ram_dir() or tempfile.gettempdir())
    for folder in root.glob("reltruth-demo-*"):
        try:
            if folder.is_symlink() or not folder.is_dir() or folder.stat().st_uid != os.getuid():
                continue
        except OSError:
            continue
        found = _DEMO_FOLDER.match(folder.name)
        if found and _alive(int(found.group(1))):
            continue
        if not found and time.time() - folder.stat().st_mtime < OLD_DEMO_FOLDER_SECONDS:
            continue  # an older reltruth's folder may still be in use: only when surely stale
        shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: not ours to judge
    return True
