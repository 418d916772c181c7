"""The app in a real browser: every page opens, a file goes through the file uploader, the
Workshop page anonymises and exports a slide, and a
full-page screenshot of each page is saved to ``tests/e2e/screenshots/`` to be looked at.

Playwright drives Debian's Chromium (``/usr/bin/chromium``) against ``streamlit run app.py``
on a free port. Waits are on Streamlit's own signals: ``/_stcore/health``, the app root's
``data-test-script-state`` going back to ``notRunning``, and no spinner or skeleton left.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from reltruth import sample
from reltruth.workshop.slides import png_size
from reltruth.workspace import Workspace

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(__file__).resolve().parent / "screenshots"
DATA = ROOT / "tests" / "data"
PAGES = {
    "team": "Team",
    "time_vs_potential": "Time vs potential",
    "relationship_truth": "Relationship truth",
    "discounts": "Discounts",
    "coaching_sheet": "Coaching sheet",
    "data": "Data",
}
READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'
BUSY = '[data-testid="stSpinner"], [data-testid="stSkeleton"], [data-testid="stStatusWidgetRunningIcon"]'
TIMEOUT_MS = 120_000

# No skip when Chromium is missing: `make test` installs it (make chromium), and a run
# without it must fail rather than pass with the browser untested.
pytestmark = pytest.mark.e2e

sys.path.insert(0, str(ROOT / "tests"))
import hostile_files  # noqa: E402


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    p = context.new_page()
    p.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    p.on("pageerror", lambda exc: errors.append(str(exc)))
    yield p
    context.close()
    assert not errors, errors


@pytest.fixture
def sample_app(tmp_path: Path, run_streamlit) -> str:  # type: ignore[no-untyped-def]
    path = tmp_path / "workspace.duckdb"
    with Workspace.open(path) as ws:  # closed before the server process opens the file
        sample.load_canonical(ws)
    return run_streamlit(path)


@pytest.fixture
def demo_app(tmp_path: Path, run_streamlit) -> str:  # type: ignore[no-untyped-def]
    return run_streamlit(tmp_path / "unused.duckdb", mode="demo")


def wait_ready(page, expect: str | None = None) -> None:  # type: ignore[no-untyped-def]
    """Streamlit has finished the run: script state back to notRunning, nothing pending."""
    if expect:
        page.wait_for_selector(expect)
    page.wait_for_selector(READY)
    page.wait_for_function("sel => document.querySelectorAll(sel).length === 0", arg=BUSY)
    page.wait_for_selector(READY)


def shoot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(exist_ok=True)
    out = SHOTS / f"{name}.png"
    # Streamlit scrolls inside its main section: widen the window to the content so that
    # the full-page screenshot holds the whole page, not the first screen.
    height = page.evaluate(
        '() => Math.max(...[...document.querySelectorAll(\'[data-testid="stMain"], '
        '[data-testid="stAppViewContainer"], section.main\')].map(e => e.scrollHeight), 1000)'
    )
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 80, 12000)})
    wait_ready(page)
    page.screenshot(path=str(out), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})
    return out


def assert_no_exception(page) -> None:  # type: ignore[no-untyped-def]
    assert page.locator('[data-testid="stException"]').count() == 0, page.inner_text(
        '[data-testid="stException"]'
    )


def test_every_page_opens_on_the_sample(page, sample_app):  # type: ignore[no-untyped-def]
    page.goto(sample_app)
    wait_ready(page, "h1")
    for slug, title in PAGES.items():
        page.goto(f"{sample_app}/{slug}" if slug != "data" else sample_app)
        wait_ready(page, f'h1:has-text("{title}")')
        if slug not in ("data", "coaching_sheet"):
            page.wait_for_selector('[data-testid="stVegaLiteChart"]')
            wait_ready(page)
        assert_no_exception(page)
        assert shoot(page, slug).stat().st_size > 10_000


def test_a_page_url_as_the_first_request_of_a_fresh_server(page, sample_app):  # type: ignore[no-untyped-def]
    """Streamlit starts a server with a pages/ folder in its old pages-directory mode, which
    runs a page's script without app.py: the page must still come with app.py's sidebar and
    navigation, and no "page not found"."""
    page.goto(f"{sample_app}/discounts")
    wait_ready(page, 'h1:has-text("Discounts")')
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.get_by_text("6 months", exact=True).count() == 1  # app.py's window picker
    assert sidebar.get_by_text("Coaching sheet").count() >= 1  # st.navigation's page list
    assert "page not found" not in page.inner_text("body").lower()
    assert_no_exception(page)


def test_sidebar_window_and_team_link(page, sample_app):  # type: ignore[no-untyped-def]
    page.goto(f"{sample_app}/team")
    wait_ready(page, 'h1:has-text("Team")')
    page.locator('[data-testid="stSidebar"]').get_by_text("6 months", exact=True).click()
    wait_ready(page, "text=Window: 6 months to 30 Sep 2026")
    assert_no_exception(page)
    page.get_by_role("button", name="Open the time page").click()
    wait_ready(page, 'h1:has-text("Time vs potential")')
    wait_ready(page, '[data-testid="stVegaLiteChart"]')
    assert_no_exception(page)
    assert "6 months to 30 Sep 2026" in page.inner_text("body")
    shoot(page, "time_vs_potential_6_months")


def test_upload_through_the_file_uploader(page, demo_app):  # type: ignore[no-untyped-def]
    page.goto(demo_app)
    wait_ready(page, 'h1:has-text("Data")')
    shoot(page, "data_empty")
    files = [DATA / "bad_rows" / "accounts.csv", DATA / "bad_rows" / "invoices.csv"]
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        [str(f) for f in files]
    )
    wait_ready(page, '[data-testid="stDataFrame"]')
    page.wait_for_selector('button:has-text("Load 2 files")')
    wait_ready(page)
    assert_no_exception(page)
    shoot(page, "data_mapping")
    page.get_by_role("button", name=re.compile(r"^Load 2 files$")).click()
    wait_ready(page, 'h3:has-text("Load report")')
    wait_ready(page, 'h3:has-text("Data health")')
    assert_no_exception(page)
    shoot(page, "data_report")
    body = page.inner_text("body")
    assert "Accounts found" in body


def test_estimate_potentials_on_the_data_page(page, tmp_path, run_streamlit):  # type: ignore[no-untyped-def]
    accounts = tmp_path / "accounts.csv"
    accounts.write_text(
        "Account ID,Account Name,Industry,Employees\n"
        "A1,Northwind Traders,Retail,40\nA2,Contoso Ltd,Retail,10\nA3,Fabrikam Inc,Metalworking,\n"
    )
    path = tmp_path / "workspace.duckdb"
    with Workspace.open(path) as ws:
        from reltruth.ingest import ingest_files

        ingest_files(ws, [accounts])
    url = run_streamlit(path)
    page.goto(url)
    wait_ready(page, 'h3:has-text("Estimate potentials")')
    page.get_by_text("A constant per segment", exact=True).click()
    # The segment table is drawn on a canvas: wait for the grid, then for the run to end.
    wait_ready(page, '[data-testid="stDataFrame"]')
    assert_no_exception(page)
    shoot(page, "data_estimate_potentials")


# --- the Workshop page: tour, anonymise, a chart as a slide ----------------------------------
REAL = ("Frank Berger", "Lena Vogt", "Jonas Weber", "Hansa Maschinenbau", "Maria Keller")


def _download(page, button: str, dest: Path) -> bytes:  # type: ignore[no-untyped-def]
    with page.expect_download() as info:
        page.get_by_role("button", name=button).click()
    info.value.save_as(str(dest))
    return dest.read_bytes()


def test_workshop_tour_anonymise_and_a_slide(page, sample_app, tmp_path):  # type: ignore[no-untyped-def]
    page.goto(f"{sample_app}/workshop")
    wait_ready(page, 'h1:has-text("Workshop")')
    wait_ready(page, "text=The relationship builder")
    assert_no_exception(page)
    body = page.inner_text("body")
    assert "Frank Berger" in body and "23\u00a0%" in body
    shoot(page, "workshop")

    page.locator('[data-testid="stCheckbox"]').filter(has_text=re.compile("^Anonymise$")).click()
    wait_ready(page, "text=Anonymised for projecting")
    wait_ready(page, "text=The relationship builder")
    assert_no_exception(page)
    body = page.inner_text("body")
    for name in REAL:
        assert name not in body, name
    assert "23\u00a0%" in body  # the story's number survives anonymising
    shoot(page, "workshop_anonymised")

    png = _download(page, "PNG for slides", tmp_path / "slide.png")
    assert png_size(png) == (1920, 1080)
    SHOTS.mkdir(exist_ok=True)
    (SHOTS / "workshop_slide_anonymised.png").write_bytes(png)
    svg = _download(page, "SVG for slides", tmp_path / "slide.svg").decode("utf-8")
    assert 'width="1920" height="1080"' in svg
    assert "Quota attainment, by tier" in svg
    assert "reltruth · anonymised data · 12 months to 30 Sep 2026" in svg
    for name in REAL:
        assert name not in svg, name

    # Another page of the same session: the banner and the aliases follow.
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Team", exact=True).click()
    wait_ready(page, 'h1:has-text("Team")')
    wait_ready(page, '[data-testid="stVegaLiteChart"]')
    body = page.inner_text("body")
    assert "Anonymised for projecting" in body
    for name in REAL:
        assert name not in body, name
    assert_no_exception(page)
    shoot(page, "team_anonymised")

    # A reload is a new session: anonymise is per session and starts off again.
    page.reload()
    wait_ready(page, 'h1:has-text("Team")')
    assert "Anonymised for projecting" not in page.inner_text("body")


# --- issue 13: a hostile upload in one demo session, the other untouched ---------------------


def _recording(context, hosts: list[str]) -> None:  # type: ignore[no-untyped-def]
    context.on("request", lambda req: hosts.append(urlparse(req.url).hostname or req.url))


def test_a_far_cell_workbook_in_one_session_leaves_the_other_intact(  # type: ignore[no-untyped-def]
    browser, demo_app, tmp_path: Path
):
    hosts: list[str] = []
    first = browser.new_context(viewport={"width": 1400, "height": 1000})
    second = browser.new_context(viewport={"width": 1400, "height": 1000})
    _recording(first, hosts)
    _recording(second, hosts)
    try:
        a = first.new_page()
        a.set_default_timeout(120_000)
        a.goto(demo_app)
        wait_ready(a, 'h1:has-text("Data")')
        a.get_by_role("button", name="Load the sample data").first.click()
        wait_ready(a, 'h3:has-text("Data health")')
        # Within the session: a new URL would be a new demo session without the data.
        a.locator('[data-testid="stSidebarNav"]').get_by_text("Team", exact=True).click()
        wait_ready(a, 'h1:has-text("Team")')
        wait_ready(a, "text=Reps by coaching priority")

        b = second.new_page()
        b.set_default_timeout(120_000)
        b.goto(demo_app)
        wait_ready(b, 'h1:has-text("Data")')
        far = tmp_path / "far.xlsx"
        far.write_bytes(hostile_files.far_cell_xlsx())
        b.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(far))
        wait_ready(b, "text=too complex to read safely")
        assert "far.xlsx is too complex to read safely" in b.inner_text("body")
        assert_no_exception(b)
        shoot(b, "hostile_far_cell_refused")

        # The server lives and the first session still has its data.
        a.locator('[data-testid="stSidebarNav"]').get_by_text("Discounts", exact=True).click()
        wait_ready(a, 'h1:has-text("Discounts")')
        a.locator('[data-testid="stSidebarNav"]').get_by_text("Team", exact=True).click()
        wait_ready(a, 'h1:has-text("Team")')
        wait_ready(a, '[data-testid="stVegaLiteChart"]')
        assert_no_exception(a)
        assert "Reps by coaching priority" in a.inner_text("body")

        # The toolbar of a table offers no CSV download of its own (client.disableDataExport).
        table = a.locator('[data-testid="stDataFrame"]:visible').first
        table.hover()
        a.wait_for_timeout(0)  # let the hover render its toolbar (no sleep: zero wait)
        labels = a.eval_on_selector_all(
            '[data-testid="stElementToolbar"] button',
            "els => els.map(e => e.getAttribute('aria-label') || e.innerText)",
        )
        # A chart's "Download as PNG" holds no cells; a table's "Download as CSV" would.
        assert not [x for x in labels if "csv" in str(x).lower()], labels
        assert "Search" in labels  # the toolbar was there and looked at
    finally:
        first.close()
        second.close()
    local = {"127.0.0.1", "localhost", "::1"}
    assert hosts and set(hosts) <= local, sorted(set(hosts) - local)


def test_a_closed_tab_releases_its_demo_workspace(  # type: ignore[no-untyped-def]
    browser, tmp_path: Path, server_tools
):
    """A demo session that went away is ended by Streamlit after
    ``server.disconnectedSessionTTL`` (here 1 s), and its end closes the session's database
    and deletes its staged uploads (``lifetime.SessionLifetime``)."""
    proc, url = server_tools.start_streamlit(
        tmp_path / "unused.duckdb", mode="demo", args=("--server.disconnectedSessionTTL", "1")
    )
    try:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(url)
        wait_ready(page, 'h1:has-text("Data")')
        page.get_by_role("button", name="Load the sample data").first.click()
        wait_ready(page, 'h3:has-text("Data health")')
        folders = list(Path("/dev/shm").glob(f"reltruth-demo-{proc.pid}-*"))
        assert len(folders) == 1, folders  # this session's staging folder, in RAM

        context.close()  # the tab goes; the session ends a second after its connection
        deadline = time.monotonic() + 90
        while folders[0].exists() and time.monotonic() < deadline:
            time.sleep(0.2)  # polling a condition (Streamlit's end of session), not a wait
        assert not folders[0].exists(), "the ended session's staged files are still there"
        assert proc.poll() is None  # the server lives on
    finally:
        server_tools.stop(proc)
