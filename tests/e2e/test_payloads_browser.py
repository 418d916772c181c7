"""Issue 13 in a real browser: CRM names that are formulas or links, on every page.

Every rep and account is renamed to a formula payload (``=HYPERLINK(...)``, ``@SUM(1)``,
``+cmd|...``, tab-prefixed, full-width ``＝``) or to text GitHub-flavoured Markdown would
turn into a link (a URL, ``www.``, an e-mail address, ``mailto:``, ``<http://...>``,
``[x](y)``, a ``:material/...:`` directive); a commitment carries the same. Then, page by
page (Data with a load report, Team, Time vs potential, Relationship truth, Discounts,
Account, Coaching sheet, Workshop, Settings) every expander is opened and

- every download button is clicked and every cell of every CSV / Excel file it gives (also
  inside a zip) is checked: no live formula;
- every table's toolbar is looked at: no download of its own (it would pass the sanitiser);
- no link (``<a>``) or image comes from CRM or commitment text;
- every request the browser makes goes to this machine.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import openpyxl
import pytest
import test_browser
from test_browser import assert_no_exception, shoot, wait_ready

from reltruth import sample
from reltruth.coaching import commitments
from reltruth.workspace import Workspace

pytestmark = pytest.mark.e2e
browser = test_browser.browser  # the shared Chromium fixture of the browser tests
page = test_browser.page  # a fresh context per test; fails on any page error

REP_NAMES = {
    "R01": '=HYPERLINK("http://evil-rep.example","click")',
    "R02": "@SUM(1) Lena",
    "R03": "+cmd|' /C calc'!A0",
    "R04": "\t=1+2 Aylin",
    "R05": "\uff1d1+2 Jonas",
    "R06": "-2+3 Sofia",
    "R07": "Mark mailto:boss@evil-mail.example",
    "R08": "www.evil-www.example Nina",
}
# Account names: one of these around each real name, in turn (a formula must come first).
ACCOUNT_PAYLOADS = (
    '=HYPERLINK("http://evil-acc.example","{}")',
    "@SUM(1) {}",
    "+cmd|' /C calc'!A0 {}",
    "\t=1+2 {}",
    "\uff1d1+2 {}",
    "http://evil-http.example/{}",
    "{} sales@evil-email.example",
    "[{}](http://evil-md.example)",
    "<http://evil-angle.example> {}",
    ":material/warning: :red[{}]",
)
COMMITMENT = (
    "[evil](http://evil-commit.example) see www.evil-commit.example or "
    "boss@evil-commit.example, <https://evil-commit.example> :material/home:"
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
PAGES = {
    "data": "Data",
    "team": "Team",
    "time_vs_potential": "Time vs potential",
    "relationship_truth": "Relationship truth",
    "discounts": "Discounts",
    "account": "Account",
    "coaching_sheet": "Coaching sheet",
    "workshop": "Workshop",
    "settings": "Settings",
}
LOCAL = {"127.0.0.1", "localhost", "::1"}


@pytest.fixture
def payload_app(tmp_path: Path, run_streamlit) -> str:  # type: ignore[no-untyped-def]
    path = tmp_path / "workspace.duckdb"
    with Workspace.open(path) as ws:  # closed before the server process opens the file
        sample.load_canonical(ws)
        for rep_id, name in REP_NAMES.items():
            ws.con.execute(
                "update reps set rep_name = $n where rep_id = $r", {"n": name, "r": rep_id}
            )
        ids = [
            r[0] for r in ws.con.execute("select account_id from accounts order by 1").fetchall()
        ]
        for n, account_id in enumerate(ids):
            ws.con.execute(
                "update accounts set account_name = format($p, account_name) where account_id = $a",
                {"p": ACCOUNT_PAYLOADS[n % len(ACCOUNT_PAYLOADS)], "a": account_id},
            )
        for rep_id in REP_NAMES:  # whichever rep the coaching sheet opens on
            commitments.add(ws, rep_id, COMMITMENT, agreed_on=date(2026, 9, 1))
    return run_streamlit(path)


def _upload(tmp_path: Path) -> Path:
    """An accounts export of payload names, one row with a bad number (a rejected line)."""
    rows = [["Account ID", "Account Name", "Account Owner", "Annual Potential"]]
    for n in range(40):
        name = ACCOUNT_PAYLOADS[n % len(ACCOUNT_PAYLOADS)].format(f"Upload {n}")
        rows.append([f"U{n}", name, REP_NAMES["R01"], "not a number" if n == 7 else "1000"])
    out = tmp_path / "payload accounts.csv"
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    out.write_text(buf.getvalue(), encoding="utf-8")
    return out


def _live(cell: str) -> bool:
    return cell.startswith(FORMULA_START) and not NUMBER.fullmatch(cell.strip())


def _cells(name: str, data: bytes) -> list[str]:
    """Every cell of a spreadsheet download (a formula cell as its formula, '=...')."""
    if name.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return [c for n in zf.namelist() for c in _cells(n, zf.read(n))]
    if name.endswith(".csv"):
        return [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for c in row]
    if name.endswith(".xlsx"):
        book = openpyxl.load_workbook(io.BytesIO(data))
        return [
            ("=" + str(c.value).lstrip("=")) if c.data_type == "f" else str(c.value)
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for c in row
            if c.value is not None
        ]
    return []


def _open_expanders(p) -> None:  # type: ignore[no-untyped-def]
    closed = p.locator('[data-testid="stExpander"] details:not([open]) > summary')
    while closed.count():
        closed.first.click()
    wait_ready(p)


def _toolbar_labels(p) -> list[str]:  # type: ignore[no-untyped-def]
    labels: list[str] = []
    tables = p.locator('[data-testid="stDataFrame"]:visible')
    for i in range(tables.count()):
        tables.nth(i).scroll_into_view_if_needed()
        tables.nth(i).hover()
        labels += p.eval_on_selector_all(
            '[data-testid="stElementToolbar"] button',
            "els => els.map(e => e.getAttribute('aria-label') || e.innerText)",
        )
    return [str(x) for x in labels]


def _downloads(p, dest: Path) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    files: dict[str, bytes] = {}
    buttons = p.locator('[data-testid="stDownloadButton"] button')
    for i in range(buttons.count()):
        button = buttons.nth(i)
        button.scroll_into_view_if_needed()
        with p.expect_download() as info:
            button.click()
        name = info.value.suggested_filename
        target = dest / f"{len(files)}-{name}"
        info.value.save_as(str(target))
        files[name] = target.read_bytes()
        wait_ready(p)
    return files


def _links_and_images(p) -> list[str]:  # type: ignore[no-untyped-def]
    return p.eval_on_selector_all(
        "a[href], img[src]",
        "els => els.map(e => (e.getAttribute('href') || e.getAttribute('src')) + ' ' + e.innerText)",
    )


def test_formula_and_link_payloads_on_every_page(  # type: ignore[no-untyped-def]
    page, payload_app, tmp_path: Path
):
    hosts: list[str] = []
    page.context.on("request", lambda req: hosts.append(urlparse(req.url).hostname or req.url))
    downloads: dict[str, dict[str, bytes]] = {}
    toolbars: dict[str, list[str]] = {}
    links: dict[str, list[str]] = {}
    page_texts: dict[str, str] = {}

    page.goto(payload_app)
    wait_ready(page, 'h1:has-text("Data")')
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        str(_upload(tmp_path))
    )
    page.wait_for_selector('button:has-text("Load 1 file")')
    wait_ready(page)
    page.get_by_role("button", name=re.compile(r"^Load 1 file$")).click()
    wait_ready(page, 'h3:has-text("Load report")')
    _open_expanders(page)
    assert "not a number" in page.inner_text("body")  # the rejected line is reported

    for slug, title in PAGES.items():
        if slug != "data":  # same session: the sidebar's navigation
            page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()
        wait_ready(page, f'h1:has-text("{title}")')
        _open_expanders(page)
        assert_no_exception(page)
        folder = tmp_path / slug
        folder.mkdir()
        downloads[slug] = _downloads(page, folder)
        toolbars[slug] = _toolbar_labels(page)
        links[slug] = _links_and_images(page)
        page_texts[slug] = page.inner_text("body")
        shoot(page, f"payloads_{slug}")

    # Every page with tables had its buttons clicked (the test looked at something).
    spreadsheets = {
        f"{slug}/{name}": _cells(name, data)
        for slug, files in downloads.items()
        for name, data in files.items()
        if name.endswith((".csv", ".xlsx", ".zip"))
    }
    for slug in ("data", "team", "time_vs_potential", "relationship_truth", "discounts"):
        assert any(k.startswith(slug + "/") for k in spreadsheets), (slug, list(downloads[slug]))
    assert any(name.endswith((".html", ".md", ".pdf")) for name in downloads["coaching_sheet"])
    cells = [c for cs in spreadsheets.values() for c in cs]
    assert any("HYPERLINK" in c for c in cells) and any("SUM(1)" in c for c in cells)
    live = {k: [c for c in cs if _live(c)] for k, cs in spreadsheets.items()}
    assert not {k: v for k, v in live.items() if v}, live

    for slug, labels in toolbars.items():
        # A chart's "Download as PNG" holds no cells; a table's "Download as CSV" would.
        assert not [x for x in labels if re.search("(?i)csv|download(?! as png)", x)], (
            slug,
            labels,
        )
    assert any(toolbars.values()), "no table toolbar was looked at"

    # The commitment was shown, as text: its directive too (no icon in its place).
    sheet_text = page_texts["coaching_sheet"]
    assert "evil-commit.example" in sheet_text and "material/home:" in sheet_text
    for slug, found in links.items():
        assert not [x for x in found if "evil" in x or "mailto:" in x], (slug, found)
        for x in found:
            href = x.split(" ", 1)[0]
            host = urlparse(href).hostname
            assert host is None or host in LOCAL, (slug, x)

    assert hosts and set(hosts) <= LOCAL, sorted(set(hosts) - LOCAL)
