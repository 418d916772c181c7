"""Team mode in a real browser through the real OIDC login flow.

A local OpenID Connect provider (``oidc-provider-mock``, the authorization-code flow) runs
on localhost; ``streamlit run app.py`` runs in team mode against it with an ``[auth]``
secrets file; Chromium signs in as an admin, two managers, two reps and a stranger by
typing the e-mail into the provider's form. Every page a person opens, every websocket
message the browser receives and every download a rep can click is searched for the names
and accounts of other reps.
"""

from __future__ import annotations

import secrets
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
import test_browser
from test_browser import assert_no_exception, shoot, wait_ready

from reltruth import sample, team
from reltruth.workspace import Workspace

pytestmark = pytest.mark.e2e
browser = test_browser.browser  # the shared Chromium fixture of the browser tests
PROVIDER = Path(sys.executable).with_name("oidc-provider-mock")
NAMES = {
    "R01": "Frank Berger",
    "R02": "Lena Vogt",
    "R03": "Tom Brandt",
    "R04": "Aylin Demir",
    "R05": "Jonas Weber",
    "R06": "Sofia Romano",
    "R07": "Mark Ellis",
    "R08": "Nina Petrov",
}
SOUTH_NAME = "Zed Southmann"
LENA = "lena.vogt@nordtec-industrie.de"
FRANK = "frank@example.com"


@pytest.fixture(scope="module")
def provider(server_tools) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The local OIDC provider; its URL (issuer)."""
    stop = server_tools.stop
    port = server_tools.free_port()
    proc = subprocess.Popen(
        [str(PROVIDER), "--port", str(port), "--host", "127.0.0.1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=2):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                stop(proc)
                raise RuntimeError("the OIDC provider did not start") from None
            time.sleep(0.2)  # polling interval, not a wait for readiness
    try:
        yield url
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def team_data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """Two workspaces (north: the sample; south: the sample with another R01) and members."""
    data = tmp_path_factory.mktemp("team")
    mp = pytest.MonkeyPatch()
    mp.setenv("RELTRUTH_DATA", str(data))
    for name in ("north", "south"):
        with Workspace.open(team.workspace_path(name)) as ws:
            sample.load_canonical(ws)
            if name == "south":
                ws.con.execute(
                    "update reps set rep_name = $n where rep_id = 'R01'", {"n": SOUTH_NAME}
                )
            else:
                # accounts Lena neither owns nor works: their names must never reach her
                others = ws.con.execute(
                    "select account_name from accounts where owner_rep_id <> 'R02' "
                    "and account_id not in (select account_id from activities where rep_id = 'R02') "
                    "and account_id not in (select account_id from orders where rep_id = 'R02') "
                    "and length(account_name) > 8"
                ).fetchall()
    team.add_member("admin@example.com", "admin")
    team.add_member("anna@example.com", "manager", "north")
    team.add_member("sam@example.com", "manager", "south")
    team.add_member(LENA, "rep", "north")
    team.add_member(FRANK, "rep", "north", rep_id="R01")
    try:
        yield {"dir": data, "foreign_accounts": [a for (a,) in others]}
    finally:
        mp.undo()


def start_team_app(run_streamlit, provider: str, data: Path, tmp: Path, port: int) -> str:  # type: ignore[no-untyped-def]
    app = f"http://127.0.0.1:{port}"
    secrets_file = tmp / f"secrets-{port}.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "{app}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "reltruth-test"\n'
        'client_secret = "reltruth-test-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    return str(
        run_streamlit(
            tmp / "unused.duckdb",
            mode="team",
            port=port,
            env={"RELTRUTH_DATA": str(data)},
            args=("--secrets.files", str(secrets_file)),
        )
    )


@pytest.fixture(scope="module")
def team_app(provider, team_data, tmp_path_factory, server_tools) -> Iterator[str]:  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("app")
    started = []

    def run(workspace: Path, **options: object) -> str:
        proc, url = server_tools.start_streamlit(workspace, **options)
        started.append(proc)
        return url

    try:
        yield start_team_app(run, provider, team_data["dir"], tmp, server_tools.free_port())
    finally:
        for proc in started:
            server_tools.stop(proc)


class Tab:
    """One browser context (its own cookies) that records every websocket frame it got."""

    def __init__(self, browser, provider: str) -> None:  # type: ignore[no-untyped-def]
        self.provider = provider
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.page = self.context.new_page()
        self.page.set_default_timeout(120_000)
        self.frames: list[bytes] = []
        self.notices: list[str] = []  # URLs answered with "Page not found"
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("websocket", self._watch)
        # Every request the app's pages make: nothing may go to another host (SECURITY.md:
        # nothing leaves the machine). The test provider's own sign-in form is not the app
        # (it fetches its style sheet from a CDN; a company's provider is its own host).
        self.requests: list[tuple[str, str]] = []
        self.context.on("request", lambda req: self.requests.append((req.frame.url, req.url)))

    def _watch(self, ws) -> None:  # type: ignore[no-untyped-def]
        ws.on(
            "framereceived",
            lambda payload: self.frames.append(
                payload if isinstance(payload, bytes) else payload.encode()
            ),
        )

    def received(self) -> str:
        """Everything the server sent over the websocket, as text (protobuf strings are UTF-8)."""
        return b"\n".join(self.frames).decode("utf-8", errors="replace")

    def close(self) -> None:
        self.context.close()
        assert not self.errors, self.errors
        local = {"127.0.0.1", "localhost", "::1"}
        hosts = {
            urlparse(url).hostname or ""
            for frame, url in self.requests
            if not frame.startswith(self.provider)
        }
        assert hosts and hosts <= local, sorted(hosts - local)


@pytest.fixture
def tab(browser, provider) -> Iterator[Tab]:  # type: ignore[no-untyped-def]
    t = Tab(browser, provider)
    yield t
    t.close()


def sign_in(tab: Tab, app: str, email: str) -> None:
    """The real flow: the app's button, the provider's form, back through /oauth2callback."""
    page = tab.page
    page.goto(app)
    wait_ready(page, 'button:has-text("Sign in")')
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector('input[name="sub"]')  # the provider's authorization form
    page.fill('input[name="sub"]', email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{app}/**")
    wait_ready(page, '[data-testid="stSidebar"]')


def open_url(tab: Tab, url: str, expect: str) -> str:
    """Open ``url``; a page not in the session's navigation runs its first page under
    Streamlit's "Page not found" notice, which is closed so the page can be used."""
    tab.page.goto(url)
    wait_ready(tab.page, expect)
    assert_no_exception(tab.page)
    body = tab.page.inner_text("body")
    notice = tab.page.locator('[role="dialog"]')
    if notice.count():
        tab.notices.append(url)
        tab.page.keyboard.press("Escape")
        notice.wait_for(state="detached")
    return body


def test_first_request_of_a_fresh_server_to_a_page_url_shows_only_sign_in(
    provider, team_data, run_streamlit, tmp_path, tab, server_tools
):  # type: ignore[no-untyped-def]
    port = server_tools.free_port()
    app = start_team_app(run_streamlit, provider, team_data["dir"], tmp_path, port)
    for path in ("/team", "/discounts", "/admin", "/"):
        body = open_url(tab, f"{app}{path}", 'button:has-text("Sign in")')
        labels = [t.strip() for t in tab.page.locator("button").all_inner_texts()]
        assert [t for t in labels if t] == ["Sign in"], labels
        assert tab.page.locator('[data-testid="stSidebarNav"]').count() == 0
        assert tab.page.locator('[data-testid="stDataFrame"]').count() == 0
        shown = body + tab.received()
        for word in (
            *NAMES.values(),
            SOUTH_NAME,
            "north",
            "south",
            *team_data["foreign_accounts"][:20],
        ):
            assert word not in shown, (path, word)
    shoot(tab.page, "team_sign_in")


def test_a_stranger_sees_the_access_page(team_app, tab):  # type: ignore[no-untyped-def]
    tab.page.goto(team_app)
    wait_ready(tab.page, 'button:has-text("Sign in")')
    tab.page.get_by_role("button", name="Sign in").click()
    tab.page.wait_for_selector('input[name="sub"]')
    tab.page.fill('input[name="sub"]', "stranger@example.com")
    tab.page.get_by_role("button", name="Authorize").click()
    wait_ready(tab.page, 'h1:has-text("Ask your manager for access")')
    body = tab.page.inner_text("body") + tab.received()
    assert "Frank Berger" not in body and "north" not in body
    shoot(tab.page, "team_access_page")


def test_rep_sees_only_their_own_numbers_pages_and_downloads(team_app, team_data, tab):  # type: ignore[no-untyped-def]
    sign_in(tab, team_app, LENA)
    others = [n for r, n in NAMES.items() if r != "R02"]
    forbidden = [*others, SOUTH_NAME, *team_data["foreign_accounts"]]
    bodies = []
    # "/" is a rep's first page, Time vs potential (Streamlit serves a default page at "/")
    assert "Time vs potential" in open_url(tab, team_app, 'h1:has-text("Time vs potential")')
    for path in ("/coaching_sheet", "/team", "/discounts", "/data", "/admin"):
        bodies.append(open_url(tab, f"{team_app}{path}", "h1"))
    # a rep's navigation: Time vs potential and the Coaching sheet only; other URLs fall back
    assert sorted(tab.notices) == sorted(
        f"{team_app}{p}" for p in ("/team", "/discounts", "/data", "/admin")
    ), tab.notices
    nav = tab.page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "Time vs potential" in nav and "Coaching sheet" in nav
    assert "Team" not in nav.split() and "Data" not in nav and "Admin" not in nav
    downloads = _downloads(tab, team_app)
    assert downloads, "no download was offered to the rep"
    text = "\n".join(bodies) + tab.received() + "\n".join(downloads)
    assert "Lena Vogt" in text
    leaked = [w for w in forbidden if w in text]
    assert not leaked, leaked[:10]
    shoot(tab.page, "team_rep_sheet")


def _downloads(tab: Tab, app: str) -> list[str]:
    """Click every download a rep has on the sheet (HTML, Markdown) and the time page."""
    out: list[str] = []
    page = tab.page
    open_url(tab, f"{app}/coaching_sheet", 'h1:has-text("Coaching sheet")')
    for label in ("Download HTML (print)", "Download Markdown"):
        with page.expect_download() as info:
            page.get_by_role("button", name=label).click()
        out.append(Path(info.value.path()).read_text(encoding="utf-8"))
    open_url(tab, app, 'h1:has-text("Time vs potential")')
    summaries = page.locator('[data-testid="stExpander"] summary')
    for i in range(summaries.count()):
        summaries.nth(i).click()
        wait_ready(page)  # an expander with a key reruns the script
    for button in page.get_by_role("button", name="Download CSV").all():
        with page.expect_download() as info:
            button.click()
        out.append(Path(info.value.path()).read_text(encoding="utf-8-sig"))
        wait_ready(page)
    return out


def test_an_explicitly_linked_rep_sees_themselves(team_app, tab):  # type: ignore[no-untyped-def]
    sign_in(tab, team_app, FRANK)
    body = open_url(tab, team_app, 'h1:has-text("Time vs potential")')
    text = body + tab.received()
    assert "Frank Berger" in text and "Lena Vogt" not in text


def test_managers_see_their_own_workspace_only(team_app, browser, provider):  # type: ignore[no-untyped-def]
    north, south = Tab(browser, provider), Tab(browser, provider)
    try:
        sign_in(north, team_app, "anna@example.com")
        body = open_url(north, f"{team_app}/team", 'h1:has-text("Team")')
        assert all(n in body + north.received() for n in NAMES.values())
        assert SOUTH_NAME not in body + north.received()
        shoot(north.page, "team_manager_north")
        sign_in(south, team_app, "sam@example.com")
        body = open_url(south, f"{team_app}/team", 'h1:has-text("Team")')
        assert SOUTH_NAME in body and "Frank Berger" not in body + south.received()
    finally:
        north.close()
        south.close()


def test_admin_sees_members_and_audit_then_sign_out_ends_access(team_app, tab):  # type: ignore[no-untyped-def]
    sign_in(tab, team_app, "admin@example.com")
    body = open_url(tab, f"{team_app}/admin", 'h1:has-text("Admin")')
    assert "Audit log" in body
    received = tab.received()
    assert LENA in received  # the members table
    assert "page: Admin" in received  # the audit log, which holds this very visit
    assert "Frank Berger" not in body + received  # the admin reads no workspace's data
    shoot(tab.page, "team_admin")
    tab.page.locator('[data-testid="stSidebar"]').get_by_role("button", name="Sign out").click()
    # Streamlit ends the session at the provider too (RP-initiated logout): confirm it there
    tab.page.get_by_role("button", name="End session").click()
    tab.page.wait_for_url(f"{team_app}/**")
    wait_ready(tab.page, 'button:has-text("Sign in")')
    tab.frames.clear()
    body = open_url(tab, f"{team_app}/admin", 'button:has-text("Sign in")')
    assert "Audit log" not in body + tab.received() and LENA not in body + tab.received()
