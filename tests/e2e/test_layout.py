"""Layout in a real browser, looked at: the Team page at 1,280 and 1,920 px (money columns
on screen), the sheet chart on the Coaching sheet page with 2 accounts and with the
sample's ten. Screenshots go to ``tests/e2e/screenshots/``."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_browser import SHOTS, assert_no_exception, browser, page, sample_app, wait_ready

from reltruth.workspace import Workspace

__all__ = ["browser", "page", "sample_app"]  # fixtures shared with test_browser.py
pytestmark = pytest.mark.e2e


def shoot_at(page, name: str, width: int, height: int = 1000) -> Path:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": width, "height": height})
    wait_ready(page)
    out = SHOTS / f"{name}.png"
    page.screenshot(path=str(out))
    return out


def shoot_sheet_chart(page, url: str, name: str, *, rows: int) -> None:  # type: ignore[no-untyped-def]
    """The Coaching sheet page's chart: at least one 26 px band per bar drawn (never
    squeezed into a strip), saved as ``name``.png."""
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{url}/coaching_sheet")
    wait_ready(page, 'h1:has-text("Coaching sheet")')
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.wait_for()
    wait_ready(page)
    chart.scroll_into_view_if_needed()
    assert_no_exception(page)
    box = chart.bounding_box()
    assert box is not None and box["height"] >= rows * 26
    SHOTS.mkdir(exist_ok=True)
    chart.screenshot(path=str(SHOTS / f"{name}.png"))


@pytest.mark.parametrize("width", [1280, 1920])
def test_team_page_money_first(page, sample_app, width: int) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": width, "height": 1000})
    page.goto(f"{sample_app}/team")
    wait_ready(page, 'h1:has-text("Team")')
    table = page.locator('.st-key-team_table [data-testid="stDataFrame"]')
    table.wait_for()
    table.scroll_into_view_if_needed()
    assert_no_exception(page)
    assert "Tiers are ranked on quota attainment" in page.inner_text("body")
    assert shoot_at(page, f"team_{width}", width).stat().st_size > 10_000


def test_sheet_chart_with_two_accounts(page, tmp_path, run_streamlit) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "workspace.duckdb"
    with Workspace.open(path) as ws:
        ws.con.execute(
            "insert into reps (rep_id, rep_name) values ('R01', 'Frank Berger');"
            "insert into accounts (account_id, account_name, owner_rep_id, potential) values "
            "('A1', 'Westfalia Anlagenbau GmbH & Co. KG', 'R01', 240000), "
            "('A2', 'Northwind', 'R01', 40000);"
            "insert into activities (row_key, activity_id, activity_date, rep_id, account_id, "
            "activity_type, duration_minutes, travel_minutes) values "
            "('a1', 'a1', date '2026-08-10', 'R01', 'A1', 'visit', 600, 0), "
            "('a2', 'a2', date '2026-09-10', 'R01', 'A2', 'visit', 900, 0);"
            "insert into orders (row_key, order_id, order_date, account_id, net_amount, "
            "list_amount, currency) values ('o1', 'o1', date '2026-09-30', 'A1', 1000, 1000, 'EUR')"
        )
    url = run_streamlit(path)
    shoot_sheet_chart(page, url, "sheet_chart_2_accounts", rows=2)


def test_sheet_chart_with_the_samples_ten_accounts(page, sample_app) -> None:  # type: ignore[no-untyped-def]
    shoot_sheet_chart(page, sample_app, "sheet_chart_10_accounts", rows=10)


def test_sheet_chart_for_a_rep_with_forty_accounts(page, tmp_path, run_streamlit) -> None:  # type: ignore[no-untyped-def]
    """Forty accounts with long names: the sheet's chart shows the ten that matter most (as
    printed), each with its whole label, one band per bar."""
    path = tmp_path / "workspace.duckdb"
    with Workspace.open(path) as ws:
        ws.con.execute("insert into reps (rep_id, rep_name) values ('R01', 'Frank Berger')")
        for i in range(40):
            ws.con.execute(
                "insert into accounts (account_id, account_name, owner_rep_id, potential) "
                "values ($id, $name, 'R01', $potential)",
                {
                    "id": f"A{i:02d}",
                    "name": f"Account {i:02d} Maschinenbau und Anlagentechnik GmbH & Co. KG",
                    "potential": 10_000 * (i + 1),
                },
            )
            ws.con.execute(
                "insert into activities (row_key, activity_id, activity_date, rep_id, "
                "account_id, activity_type, duration_minutes, travel_minutes) values "
                "($k, $k, date '2026-09-10', 'R01', $id, 'visit', $m, 0)",
                {"k": f"a{i}", "id": f"A{i:02d}", "m": 60 * (40 - i)},
            )
            ws.con.execute(
                "insert into orders (row_key, order_id, order_date, account_id, net_amount, "
                "list_amount, currency) values ($k, $k, date '2026-09-30', $id, 1000, 1100, 'EUR')",
                {"k": f"o{i}", "id": f"A{i:02d}"},
            )
    url = run_streamlit(path)
    shoot_sheet_chart(page, url, "sheet_chart_40_accounts", rows=10)


def test_account_page(page, sample_app) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{sample_app}/account")
    wait_ready(page, 'h1:has-text("Account")')
    assert_no_exception(page)
    text = page.inner_text("body")
    assert "Orders and discount by quarter" in text and "Owner now:" in text
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "account.png"), full_page=True)


def test_a_selected_row_opens_its_account(page, sample_app) -> None:  # type: ignore[no-untyped-def]
    """Discounts page: a click on a row's selector in the trend table, then "Open the account
    page": the Account page opens on that account, and the address names it."""
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{sample_app}/discounts")
    wait_ready(page, 'h1:has-text("Discounts")')
    table = page.locator('.st-key-discount_slopes [data-testid="stDataFrame"]')
    table.wait_for()
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    assert box is not None
    # the row selector column is the first ~30 px; a header row and a data row are ~35 px
    page.mouse.click(box["x"] + 15, box["y"] + 35 + 17)
    button = page.get_by_role("button", name="Open the account page")
    button.wait_for()
    button.click()
    wait_ready(page, 'h1:has-text("Account")')
    assert_no_exception(page)
    assert "account=" in page.url
    assert "Orders and discount by quarter" in page.inner_text("body")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "account_from_discounts.png"))
