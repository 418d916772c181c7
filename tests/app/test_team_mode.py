"""Team mode through AppTest's simulated ``st.user``: sign-in first, members only, a rep sees
only their own numbers, a manager only their own workspace, the admin the members and the
audit log. (The real OIDC flow in a browser is in tests/e2e/test_team_browser.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_helpers import APP, PAGES, TIMEOUT, texts
from streamlit.testing.v1 import AppTest

from reltruth import sample, team
from reltruth.ui.auth import REP_PAGES
from reltruth.workspace import Workspace

NORTH_REPS = {
    "R01": "Frank Berger",
    "R02": "Lena Vogt",
    "R03": "Tom Brandt",
    "R04": "Aylin Demir",
    "R05": "Jonas Weber",
    "R06": "Sofia Romano",
    "R07": "Mark Ellis",
    "R08": "Nina Petrov",
}
SOUTH_NAME = "Zed Southmann"  # south's R01: a name that exists only in the south workspace


@pytest.fixture
def team_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RELTRUTH_MODE", "team")
    monkeypatch.setenv("RELTRUTH_DATA", str(tmp_path / "team"))
    for name in ("north", "south"):
        with Workspace.open(team.workspace_path(name)) as ws:
            sample.load_canonical(ws)
            if name == "south":
                ws.con.execute(
                    "update reps set rep_name = $n where rep_id = 'R01'", {"n": SOUTH_NAME}
                )
    team.add_member("admin@example.com", "admin")
    team.add_member("anna@example.com", "manager", "north")
    team.add_member("sam@example.com", "manager", "south")
    team.add_member("lena.vogt@nordtec-industrie.de", "rep", "north")  # linked by e-mail
    team.add_member("frank@example.com", "rep", "north", rep_id="R01")
    return tmp_path / "team"


def session_of(email: str | None, script: Path = APP) -> AppTest:
    at = AppTest.from_file(str(script), default_timeout=TIMEOUT)
    at.user = {"is_logged_in": False} if email is None else {"is_logged_in": True, "email": email}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def everything(at: AppTest) -> str:
    """All text the run sent: Markdown, widgets' labels and options, every table's cells."""
    parts = texts(at)
    for kind in ("selectbox", "multiselect", "radio", "segmented_control"):
        for w in at.get(kind):
            parts.extend(str(o) for o in getattr(w, "options", []) or [])
            parts.append(str(getattr(w, "value", "")))
    parts.extend(str(t.value) for t in at.text)
    for df in at.dataframe:
        parts.append(df.value.to_csv())
    return "\n".join(parts)


@pytest.mark.parametrize("script", [APP, *(APP.parent / p for p in PAGES)])
def test_not_signed_in_sees_only_the_sign_in(team_server: Path, script: Path) -> None:
    at = session_of(None, script)
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.dataframe and not at.selectbox and not at.get("vega_lite_chart")
    shown = everything(at)
    for word in (*NORTH_REPS.values(), SOUTH_NAME, "north", "south", "Workspace"):
        assert word not in shown


def test_a_signed_in_stranger_sees_the_access_page(team_server: Path) -> None:
    for email in ("stranger@example.com", ""):
        at = session_of(email)
        assert [t.value for t in at.title] == ["Ask your manager for access"]
        assert not at.dataframe and "Lena" not in everything(at)


def test_a_rep_sees_only_their_own_numbers_on_every_page(team_server: Path) -> None:
    others = [n for r, n in NORTH_REPS.items() if r != "R02"]
    at = session_of("lena.vogt@nordtec-industrie.de")
    assert at.title[0].value == "Time vs potential"  # a rep's first page
    for page in (*PAGES, "pages/admin.py"):
        if page not in REP_PAGES:  # not in a rep's navigation: cannot be opened
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(page)
            continue
        at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
        shown = everything(at)
        assert not [n for n in others if n in shown], page
        assert SOUTH_NAME not in shown
        # the sheet's downloads go through the same scoped metrics and workspace
    at.switch_page("pages/coaching_sheet.py")
    at.run()
    assert "Lena Vogt" in everything(at)


def test_an_explicit_link_wins(team_server: Path) -> None:
    at = session_of("frank@example.com")
    shown = everything(at)
    assert "Frank Berger" in shown and "Lena Vogt" not in shown


def test_a_manager_sees_their_workspace_not_another(team_server: Path) -> None:
    north = session_of("anna@example.com")
    north.switch_page("pages/team.py")
    north.run()
    shown = everything(north)
    assert all(n in shown for n in NORTH_REPS.values()) and SOUTH_NAME not in shown
    south = session_of("sam@example.com")
    south.switch_page("pages/team.py")
    south.run()
    shown = everything(south)
    assert SOUTH_NAME in shown and "Frank Berger" not in shown
    labels = [str(c.value) for c in (*south.caption, *south.text)]
    assert "Workspace: south" in labels and not [t for t in labels if "north" in t]


def test_admin_page_lists_members_and_the_audit_log(team_server: Path) -> None:
    session_of("anna@example.com").switch_page("pages/team.py").run()
    at = session_of("admin@example.com")
    assert [t.value for t in at.title] == ["Admin"]
    members = at.dataframe[0].value
    assert "lena.vogt@nordtec-industrie.de" in members["E-mail"].tolist()
    log = at.dataframe[1].value
    assert ("anna@example.com", "page: Team") in set(zip(log["Who"], log["What"], strict=True))
    assert "Frank Berger" not in everything(at)  # the admin outside a workspace sees no data


def test_a_rep_cannot_open_the_admin_page(team_server: Path) -> None:
    at = session_of("lena.vogt@nordtec-industrie.de")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/admin.py")


def test_sign_out_ends_access(team_server: Path) -> None:
    at = session_of("anna@example.com")
    at.sidebar.button(key="sign_out").click().run()
    assert [b.label for b in at.button] == ["Sign in"]
    assert "Frank Berger" not in everything(at)
