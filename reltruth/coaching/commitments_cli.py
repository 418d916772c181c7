"""``reltruth commitments list|add|done``: the commitments of a workspace from the terminal.

Why a module of its own: the terminal names a commitment by the first characters of its id
and a rep or an account by id or name; resolving those and printing the verdicts is the
command line's business, not the store's (``commitments.py``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from reltruth.coaching.commitments import (
    SELECT,
    Commitment,
    account_name,
    add,
    evaluate,
    from_row,
    line,
    list_for_rep,
    set_status,
)
from reltruth.errors import UserError
from reltruth.workspace import Workspace

OP_WORDS = {"at-least": ">=", "at-most": "<=", ">=": ">=", "<=": "<="}


def find(ws: Workspace, prefix: str, rep_id: str | None = None) -> Commitment:
    """The commitment whose id starts with ``prefix`` (the CLI prints 8 characters)."""
    hits = [c for c in all_commitments(ws, rep_id) if c.commitment_id.startswith(prefix.strip())]
    if len(hits) != 1 or not prefix.strip():
        raise UserError(
            f"No commitment with the id {prefix!r}; `reltruth commitments list` shows them."
            if len(hits) <= 1
            else f"The id {prefix!r} fits {len(hits)} commitments: give more characters."
        )
    return hits[0]


def all_commitments(ws: Workspace, rep_id: str | None = None) -> list[Commitment]:
    return list_for_rep(ws, rep_id) if rep_id else [from_row(r) for r in _all_rows(ws)]


def _all_rows(ws: Workspace) -> list[tuple[Any, ...]]:
    return ws.con.execute(SELECT + "order by rep_id, agreed_on, created_at").fetchall()


def resolve_rep(ws: Workspace, rep: str) -> str:
    """A rep id from an id or a name (case and spacing ignored)."""
    from reltruth.workspace import name_key

    rows = ws.con.execute("select rep_id, rep_name from reps").fetchall()
    for rep_id, name in rows:
        if str(rep_id) == rep or (name and name_key(str(name)) == name_key(rep)):
            return str(rep_id)
    raise UserError(f"No rep {rep!r} in this workspace (give the rep id or name).")


def resolve_account(ws: Workspace, account: str) -> str:
    """An account id from an id or a name (case and spacing ignored)."""
    from reltruth.workspace import name_key

    rows = ws.con.execute(
        "select account_id from accounts where account_id = $a", {"a": account}
    ).fetchall()
    if rows:
        return str(rows[0][0])
    key = name_key(account)
    matches = [
        str(i)
        for i, n in ws.con.execute("select account_id, account_name from accounts").fetchall()
        if n and name_key(str(n)) == key
    ]
    if len(matches) != 1:
        raise UserError(
            f"No account {account!r} in this workspace (give the account id or name)."
            if not matches
            else f"{len(matches)} accounts are called {account!r}: give the account id."
        )
    return matches[0]


def cli_commitments(args: Any) -> int:
    """``reltruth commitments list|add|done``: what was agreed, and the verdicts."""
    from reltruth.metrics.window import latest_date

    ws = Workspace.open(getattr(args, "workspace", None))
    try:
        rep_id = resolve_rep(ws, args.rep) if getattr(args, "rep", None) else None
        if args.action == "add":
            assert rep_id is not None
            c = add(
                ws,
                rep_id,
                args.text,
                agreed_on=_day(args.agreed_on, "--agreed-on") or date.today(),
                target_kind=args.kind,
                account_id=resolve_account(ws, args.account) if args.account else None,
                target_value=args.value,
                due_date=_day(args.due, "--due"),
                target_op=OP_WORDS[args.op] if args.op else None,
            )
            print(f"{c.commitment_id[:8]}  {c.agreed_on.isoformat()}  {c.text}")
            return 0
        if args.action == "done":
            c = find(ws, args.id, rep_id)
            set_status(ws, c.commitment_id, args.status, _day(args.on, "--on") or date.today())
            print(f"{c.commitment_id[:8]}  {c.text}: {args.status.replace('_', ' ')}")
            return 0
        as_of = _day(args.as_of, "--as-of") or latest_date(ws) or date.today()
        rows = []
        for c in all_commitments(ws, rep_id):  # agreed after as_of: "not started" / open
            ev = evaluate(ws, c, as_of)
            shown = line(c, ev, account_name(ws, c.account_id))
            rows.append((c, shown))
        if getattr(args, "json", False):
            import json

            out = [
                {
                    "id": c.commitment_id,
                    "rep_id": c.rep_id,
                    "agreed_on": c.agreed_on.isoformat(),
                    "text": c.text,
                    "status": s.status,
                    "line": s.line,
                }
                for c, s in rows
            ]
            print(json.dumps(out, ensure_ascii=False, indent=2))
        elif not rows:
            print("No commitments recorded" + (f" for {args.rep}." if rep_id else "."))
        else:
            print(f"Verdicts as of {as_of.isoformat()}:")
            for c, s in rows:
                said = f"{c.text} — {s.line}" if c.measurable else s.line
                print(f"{c.commitment_id[:8]}  {c.rep_id}  {c.agreed_on.isoformat()}  {said}")
        return 0
    finally:
        ws.close()


def _day(text: str | None, option: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{option} {text!r} is not a date; write it as YYYY-MM-DD.") from None
