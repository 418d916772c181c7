"""Team mode's server store: who may sign in, which workspaces they reach, what they opened.

Why a module of its own: in team mode (``RELTRUTH_MODE=team``, docs/app.md) reltruth serves
several managers and their reps from one server. Who sees what must not depend on a page
remembering a check, so the answer lives here, below the UI: the ``members`` table maps a
signed-in e-mail to a role per workspace, and nothing else grants access (default deny).

Layout of the data folder (``$RELTRUTH_DATA``, default ``.reltruth/team``)::

    members.duckdb              this store: members and the audit log
    workspaces/<name>.duckdb    one workspace per name (a manager may own several)

Workspace names are checked against a strict pattern and only ever come from this store:
no path from the browser names a file. The store is opened for each operation and closed
again, so the CLI (``reltruth members ...``) can change it while the app runs.
"""

from __future__ import annotations

import argparse
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from reltruth import sql
from reltruth.errors import UserError

DEFAULT_DATA = Path(".reltruth") / "team"
ROLES = ("admin", "manager", "rep")
WORKSPACE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_LOCK = threading.Lock()  # one operation at a time on the store within this process


@dataclass(frozen=True)
class Membership:
    """One row of ``members``: ``email`` is ``role`` in ``workspace`` ('' for admin)."""

    email: str
    role: str
    workspace: str
    rep_id: str | None = None


@dataclass(frozen=True)
class Principal:
    """Who a session acts for: a signed-in member in one workspace (or an admin outside any).

    ``rep_id`` is the rep a ``rep`` principal is; it is None for managers and admins, and
    for a rep whose link could not be resolved (who then sees nothing: default deny).
    """

    email: str
    role: str
    workspace: str
    rep_id: str | None = None
    is_admin: bool = False


def data_dir() -> Path:
    """The team-mode data folder: ``$RELTRUTH_DATA`` or ``.reltruth/team``."""
    env = os.environ.get("RELTRUTH_DATA")
    return Path(env) if env else DEFAULT_DATA


def store_path() -> Path:
    return data_dir() / "members.duckdb"


def normalise_email(email: object) -> str:
    """E-mails compare case-insensitively; an empty or malformed one matches nobody."""
    text = str(email or "").strip().lower()
    return text if EMAIL.match(text) else ""


def check_workspace_name(name: str) -> str:
    """A workspace name is a short slug: it becomes a file name under the data folder."""
    if not WORKSPACE_NAME.match(name or ""):
        raise UserError(
            f"Workspace names are 1-40 lower-case letters, digits, '-' or '_' "
            f"starting with a letter or digit, not {name!r}."
        )
    return name


def workspace_path(name: str) -> Path:
    """The file of workspace ``name`` (a checked name, never a path from outside)."""
    return data_dir() / "workspaces" / f"{check_workspace_name(name)}.duckdb"


@contextmanager
def _store() -> Iterator[duckdb.DuckDBPyConnection]:
    path = store_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(
            f"Cannot create the team data folder {path.parent} ({exc.strerror})."
        ) from exc
    with _LOCK:
        try:
            con = duckdb.connect(
                str(path),
                config={
                    "threads": 1,
                    "autoinstall_known_extensions": False,
                    "autoload_known_extensions": False,
                    "enable_external_access": False,
                },
            )
        except duckdb.IOException as exc:
            raise UserError(
                f"The members store {path} is busy or unreadable; try again ({exc})."
            ) from exc
        try:
            con.execute(sql.load("team/schema"))
            yield con
        finally:
            con.close()


def _run(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> Any:
    return con.execute(sql.load(f"team/{name}"), params)


def add_member(
    email: str, role: str, workspace: str | None = None, rep_id: str | None = None
) -> Membership:
    """Add ``email`` as ``role`` of ``workspace`` (admins belong to no workspace)."""
    address = normalise_email(email)
    if not address:
        raise UserError(f"{email!r} is not an e-mail address.")
    if role not in ROLES:
        raise UserError(f"The role must be one of {', '.join(ROLES)}, not {role!r}.")
    if role == "admin":
        if workspace or rep_id:
            raise UserError("An admin belongs to no workspace and is linked to no rep.")
        name = ""
    else:
        if not workspace:
            raise UserError(f"A {role} needs a workspace (--workspace NAME).")
        name = check_workspace_name(workspace)
    if rep_id is not None and role != "rep":
        raise UserError("Only a rep is linked to a rep id.")
    link = str(rep_id).strip() or None if rep_id is not None else None
    with _store() as con:
        _run(con, "member_add", email=address, role=role, workspace=name, rep_id=link)
    return Membership(address, role, name, link)


def remove_member(email: str, workspace: str | None = None) -> int:
    """Remove ``email`` from ``workspace`` (from everything when None); rows removed."""
    address = normalise_email(email)
    with _store() as con:
        return len(_run(con, "member_remove", email=address, workspace=workspace).fetchall())


def members() -> list[Membership]:
    with _store() as con:
        rows = _run(con, "members").fetchall()
    return [Membership(r[0], r[1], r[2], r[3]) for r in rows]


def memberships(email: object) -> list[Membership]:
    """The rows of one e-mail; none for an empty or malformed address (default deny)."""
    address = normalise_email(email)
    if not address:
        return []
    with _store() as con:
        rows = _run(con, "memberships", email=address).fetchall()
    return [Membership(r[0], r[1], r[2], r[3]) for r in rows]


def workspaces_of(rows: list[Membership]) -> list[str]:
    """The workspaces these memberships open (managers' and reps'), by name."""
    return sorted({m.workspace for m in rows if m.role in ("manager", "rep") and m.workspace})


def is_admin(rows: list[Membership]) -> bool:
    return any(m.role == "admin" for m in rows)


def principal(
    email: object, workspace: str | None, rows: list[Membership] | None = None
) -> Principal | None:
    """The principal of ``email`` in ``workspace`` (None: no access there, default deny).

    ``workspace=None`` gives an admin's principal outside any workspace (the Admin page).
    """
    address = normalise_email(email)
    if not address:
        return None
    rows = memberships(address) if rows is None else rows
    admin = is_admin(rows)
    if workspace is None:
        return Principal(address, "admin", "", None, True) if admin else None
    for m in rows:
        if m.workspace == workspace and m.role in ("manager", "rep"):
            return Principal(address, m.role, workspace, m.rep_id, admin)
    return None


def audit(email: str, workspace: str | None, what: str) -> None:
    """Write one access to the audit log (who, when, which page or download)."""
    with _store() as con:
        _run(con, "audit_add", email=email, workspace=workspace or None, what=what[:200])


def audit_log(limit: int = 1000) -> list[tuple[Any, str, str | None, str]]:
    with _store() as con:
        return [tuple(r) for r in _run(con, "audit", limit=limit).fetchall()]  # type: ignore[misc]


# --- the command line: reltruth members add|remove|list ----------------------------------


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "members",
        help="team mode: who may sign in, with which role, in which workspace",
        description=(
            "Manage the members of a team-mode server (RELTRUTH_DATA names its data folder). "
            "Nobody who is not listed here sees anything."
        ),
    )
    p.add_argument("--data", type=Path, help="the team data folder (default $RELTRUTH_DATA)")
    msub = p.add_subparsers(dest="members_command", required=True)
    a = msub.add_parser("add", help="add a member, or change their role or link")
    a.add_argument("email")
    a.add_argument("role", choices=ROLES)
    a.add_argument("--workspace", help="the workspace (managers and reps)")
    a.add_argument("--rep-id", help="a rep's id in the workspace (default: matched by e-mail)")
    r = msub.add_parser("remove", help="remove a member (from one workspace or all)")
    r.add_argument("email")
    r.add_argument("--workspace")
    msub.add_parser("list", help="list the members")


def cli_members(args: argparse.Namespace) -> int:
    if args.data is not None:
        os.environ["RELTRUTH_DATA"] = str(args.data)
    if args.members_command == "add":
        m = add_member(args.email, args.role, args.workspace, args.rep_id)
        where = f" of {m.workspace}" if m.workspace else ""
        link = f" (rep {m.rep_id})" if m.rep_id else ""
        print(f"{m.email}: {m.role}{where}{link}")
        return 0
    if args.members_command == "remove":
        n = remove_member(args.email, args.workspace)
        if not n:
            raise UserError(
                f"{args.email} is not a member{' of ' + args.workspace if args.workspace else ''}."
            )
        print(f"removed {n} membership{'s' if n != 1 else ''} of {normalise_email(args.email)}")
        return 0
    for m in members():
        print("\t".join((m.email, m.role, m.workspace or "-", m.rep_id or "-")))
    return 0
