"""What the exports leave unsaid but the data shows: an owner for accounts that have none,
a team for reps that only name their manager.

Why: deals exports such as Maven's give accounts no owner while every deal names its rep;
without an owner an account belongs to nobody on the Team page and in the coaching sheet.
The inference is a rule the user can see (docs/ingest.md "Inferred owners"): the rep with
the most revenue on the account in the last 12 months of the data, else the most hours.
Every inferred owner is recorded in ``inferred_owners`` and reported; a stated owner loaded
later wins.
"""

from __future__ import annotations

import duckdb

from reltruth import sql


def infer_owners(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Set the owner of accounts without a stated one; returns how many per basis."""
    con.execute(
        "delete from inferred_owners where account_id not in (select account_id from accounts)"
    )
    con.execute(
        "create or replace temp table __owner_candidates as " + sql.load("ingest/owner_candidates")
    )
    con.execute(
        "update accounts set owner_rep_id = c.rep_id from __owner_candidates as c "
        "where accounts.account_id = c.account_id"
    )
    con.execute(
        "insert or replace into inferred_owners (account_id, basis) "
        "select account_id, basis from __owner_candidates"
    )
    counts = dict(
        con.execute("select basis, count(*) from __owner_candidates group by basis").fetchall()
    )
    con.execute("drop table __owner_candidates")
    return {str(k): int(v) for k, v in counts.items()}


def teams_by_manager(con: duckdb.DuckDBPyConnection) -> int:
    """Reps with a manager but no team get their manager's name as team; returns how many."""
    rows = con.execute(
        "update reps set team = manager where (team is null or trim(team) = '') "
        "and nullif(trim(manager), '') is not null returning rep_id"
    ).fetchall()
    return len(rows)
