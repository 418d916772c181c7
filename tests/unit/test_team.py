"""The team-mode members store: default deny, roles per workspace, the CLI, the audit log."""

from __future__ import annotations

from pathlib import Path

import pytest

from reltruth import cli, team
from reltruth.errors import UserError


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RELTRUTH_DATA", str(tmp_path / "team"))
    return tmp_path / "team"


def test_nobody_is_a_member_of_a_new_store() -> None:
    assert team.members() == []
    assert team.memberships("anna@example.com") == []
    assert team.principal("anna@example.com", "north") is None
    assert team.principal("anna@example.com", None) is None


@pytest.mark.parametrize("email", [None, "", "  ", "not-an-address", "a@b@c"])
def test_a_missing_or_malformed_email_matches_nobody(email: object) -> None:
    team.add_member("anna@example.com", "manager", "north")
    assert team.memberships(email) == []
    assert team.principal(email, "north") is None


def test_roles_are_per_workspace_and_emails_ignore_case() -> None:
    team.add_member("Boss@Example.com", "admin")
    team.add_member("anna@example.com", "manager", "north")
    team.add_member("anna@example.com", "manager", "south")
    team.add_member("rep1@example.com", "rep", "north", rep_id="R01")
    assert team.principal("BOSS@example.com", None) == team.Principal(
        "boss@example.com", "admin", "", None, True
    )
    assert team.principal("boss@example.com", "north") is None  # admin is no manager
    rows = team.memberships("anna@example.com")
    assert team.workspaces_of(rows) == ["north", "south"]
    assert team.principal("anna@example.com", "south", rows) == team.Principal(
        "anna@example.com", "manager", "south"
    )
    assert team.principal("anna@example.com", "east", rows) is None
    rep = team.principal("rep1@example.com", "north")
    assert rep is not None and rep.role == "rep" and rep.rep_id == "R01"
    assert team.principal("rep1@example.com", "south") is None


def test_adding_again_replaces_the_role_and_remove_denies() -> None:
    team.add_member("rep1@example.com", "rep", "north", rep_id="R01")
    team.add_member("rep1@example.com", "manager", "north")
    assert [m.role for m in team.memberships("rep1@example.com")] == ["manager"]
    assert team.remove_member("rep1@example.com", "north") == 1
    assert team.principal("rep1@example.com", "north") is None
    assert team.remove_member("rep1@example.com") == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("x", "manager", "north"), "not an e-mail"),
        (("a@b.c", "owner", "north"), "role must be"),
        (("a@b.c", "manager", None), "needs a workspace"),
        (("a@b.c", "manager", "../etc"), "Workspace names"),
        (("a@b.c", "manager", "North"), "Workspace names"),
        (("a@b.c", "admin", "north"), "no workspace"),
        (("a@b.c", "manager", "north", "R01"), "Only a rep"),
    ],
)
def test_bad_members_are_refused_in_one_line(args: tuple[str, ...], message: str) -> None:
    with pytest.raises(UserError, match=message):
        team.add_member(*args)
    assert team.members() == []


def test_workspace_files_live_under_the_data_folder(data_dir: Path) -> None:
    assert team.workspace_path("north") == data_dir / "workspaces" / "north.duckdb"
    for bad in ("../x", "a/b", "", ".hidden", "x" * 41):
        with pytest.raises(UserError):
            team.workspace_path(bad)


def test_audit_log_keeps_who_where_what() -> None:
    team.audit("anna@example.com", "north", "page: Team")
    team.audit("anna@example.com", "north", "download: team.csv")
    log = team.audit_log()
    assert [(r[1], r[2], r[3]) for r in log] == [
        ("anna@example.com", "north", "download: team.csv"),
        ("anna@example.com", "north", "page: Team"),
    ]
    assert all(r[0] is not None for r in log)


def test_cli_members_add_list_remove(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    assert cli.main(["members", "add", "anna@example.com", "manager", "--workspace", "north"]) == 0
    assert (
        cli.main(
            ["members", "add", "r@example.com", "rep", "--workspace", "north", "--rep-id", "R01"]
        )
        == 0
    )
    assert cli.main(["members", "list"]) == 0
    out = capsys.readouterr().out
    assert "anna@example.com\tmanager\tnorth\t-" in out
    assert "r@example.com\trep\tnorth\tR01" in out
    assert cli.main(["members", "remove", "anna@example.com"]) == 0
    assert cli.main(["members", "remove", "anna@example.com"]) == 2  # one line, not a traceback
    assert "not a member" in capsys.readouterr().err
    assert cli.main(["members", "add", "bad", "manager", "--workspace", "north"]) == 2
    assert [m.email for m in team.members()] == ["r@example.com"]
