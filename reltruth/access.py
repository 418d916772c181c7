"""Row-level access in team mode: what a principal may see of a workspace.

Why a module of its own: a rep must see only their own numbers on every page, download and
sheet, including pages written later that forget to check. So the filter does not sit in
the pages but in the two things every page reads (docs/app.md, "Team mode"):

- the metrics: ``scope_metrics`` keeps a rep's own row and accounts and drops everything
  that names another rep (trades); team figures survive only as medians and totals;
- the workspace: ``scoped_workspace`` copies a rep's own rows (their rep row, accounts,
  activities, order lines, deals, commitments) into a private in-memory workspace, and
  that copy is the only workspace a rep's session ever hands to a page.

Default deny: no principal, an unknown role, or a rep whose rep id is unknown gets
``AccessDenied``, never the unfiltered data.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import pandas as pd

from reltruth import sql
from reltruth.errors import UserError
from reltruth.sql import compose
from reltruth.team import Principal, normalise_email
from reltruth.workspace import Workspace

if TYPE_CHECKING:
    from reltruth.metrics import Metrics

# The tables a rep's copy holds, in insertion order, each from sql/team/rep_scope/<name>.sql.
SCOPED_TABLES = (
    "reps",
    "accounts",
    "activities",
    "orders",
    "pipeline",
    "price_list",
    "settings",
    "commitments",
    "commitment_status",
)
# Not copied: meetings (the manager's notes of one-on-ones), mappings and the import log.


class AccessDenied(UserError):
    """The principal may not see this (shown as one line; nothing of the data with it)."""


def sees_everything(p: Principal | None) -> bool:
    """A manager of the workspace sees all of it; nobody else does."""
    return p is not None and p.role == "manager"


def own_rep(p: Principal | None) -> str:
    """The rep id a rep principal may see; AccessDenied for anyone else (default deny)."""
    if p is None or p.role != "rep" or not p.rep_id:
        raise AccessDenied("You are not linked to a rep of this workspace; ask your manager.")
    return p.rep_id


def check(p: Principal | None) -> None:
    """Raise unless ``p`` is a manager or a linked rep of a workspace."""
    if not sees_everything(p):
        own_rep(p)


def scope_metrics(m: Metrics, p: Principal | None) -> Metrics:
    """The metrics ``p`` may see: all for a manager, the rep's own for a rep."""
    if sees_everything(p):
        return m
    rep = own_rep(p)
    return dataclasses.replace(
        m,
        reps=_rows_of(m.reps, "rep_id", rep),
        accounts=_rows_of(m.accounts, "rep_id", rep),
        trades=m.trades.iloc[0:0],  # every trade names a second rep
    )


def _rows_of(frame: pd.DataFrame, column: str, rep: str) -> pd.DataFrame:
    if column not in frame.columns:
        return frame.iloc[0:0]
    return frame[frame[column].astype(str) == rep].reset_index(drop=True)


def allowed_rep(p: Principal | None, rep_id: str | None) -> bool:
    """May ``p`` see rep ``rep_id``? (managers: any; reps: themselves only)."""
    if sees_everything(p):
        return True
    try:
        return rep_id is not None and str(rep_id) == own_rep(p)
    except AccessDenied:
        return False


def link_rep(ws: Workspace, p: Principal) -> Principal:
    """A rep without an explicit link is the workspace rep with their e-mail (exactly one)."""
    if p.role != "rep" or p.rep_id:
        return p
    rows = ws.con.execute(
        sql.load("team/rep_by_email"), {"email": normalise_email(p.email)}
    ).fetchall()
    return dataclasses.replace(p, rep_id=str(rows[0][0])) if len(rows) == 1 else p


def scoped_workspace(ws: Workspace, p: Principal | None) -> Workspace:
    """A private in-memory workspace holding only what ``p`` may see of ``ws``.

    For a manager the answer is ``ws`` itself. For a rep, their rows are copied (the
    copy carries ``ws``'s data version); nothing of another rep is in it, so no query a
    page runs on it can show another rep's rows.
    """
    if sees_everything(p):
        return ws
    rep = own_rep(p)
    copy = Workspace.open(memory=True)
    try:
        with copy.transaction() as con:
            for name in SCOPED_TABLES:
                rows = ws.con.sql(
                    sql.load(f"team/rep_scope/{name}"), params=_params(name, rep)
                ).to_arrow_table()
                con.register("scoped_rows", rows)
                # the table name comes from the fixed tuple above, never from data
                insert = compose(
                    "insert into {name} by name select * from scoped_rows",
                    name=sql.quote_ident(name),
                )
                con.execute(insert)
                con.unregister("scoped_rows")
            con.execute(sql.load("team/data_version_set"), {"version": ws.data_version()})
    except BaseException:
        copy.close()
        raise
    return copy


def _params(name: str, rep: str) -> dict[str, str]:
    return {} if name in ("price_list", "settings") else {"rep_id": rep}
