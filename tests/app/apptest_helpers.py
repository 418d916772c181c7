"""AppTest helpers: the app on a workspace file, run page by page like a browser session.

A plain module (not a conftest) so the test files can import its helpers by name."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
PAGES = (
    "pages/data.py",
    "pages/team.py",
    "pages/time_vs_potential.py",
    "pages/relationship_truth.py",
    "pages/discounts.py",
    "pages/account.py",
    "pages/coaching_sheet.py",
    "pages/workshop.py",
)
ANALYSIS_PAGES = PAGES[1:]
TIMEOUT = 120  # seconds per run: metrics on a 2-core machine shared with other test runs


def open_page(at: AppTest, page: str, **sidebar: object) -> AppTest:
    """Switch to ``page`` with the sidebar's choices in ``sidebar`` (e.g. ``sidebar_rep="R01"``).

    The choices are put in the session state under the sidebar widgets' keys, which is
    what a click in the sidebar does.
    """
    for key, value in sidebar.items():
        at.session_state[key] = value
    at.switch_page(page)
    at.run()
    assert not at.exception, f"{page}: {[e.value for e in at.exception]}"
    return at


def texts(at: AppTest) -> list[str]:
    """Every piece of text Streamlit renders as Markdown (where HTML would be dangerous)."""
    out: list[str] = []
    for kind in (
        "markdown",
        "caption",
        "info",
        "warning",
        "error",
        "success",
        "title",
        "header",
        "subheader",
    ):
        out.extend(str(e.value) for e in getattr(at, kind))
    out.extend(str(m.label) for m in at.metric)
    out.extend(str(m.value) for m in at.metric)
    out.extend(str(b.label) for b in at.button)
    out.extend(str(e.label) for e in at.expander)
    return out


def charts(at: AppTest) -> list[object]:
    return list(at.get("vega_lite_chart"))


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    """The first dataframe on the page that has ``column`` (display dataframes have no key)."""
    for df in at.dataframe:
        if column in df.value.columns:
            return df.value
    raise AssertionError(f"no table with a column {column!r}")


def upload(at: AppTest, *paths: Path) -> None:
    """Put files into the Data page's uploader and run the page."""
    at.file_uploader(key="data_upload").set_value(
        [(p.name, p.read_bytes(), "text/csv") for p in paths]
    )
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def sheet_page(ws: object, rep: str) -> AppTest:
    """A new browser session on the workspace ``ws`` (kept in its session state, as
    ``reltruth.ui.session`` keeps it) with ``rep`` chosen, on the Coaching sheet page."""
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.session_state["_reltruth_workspace"] = ws
    at.run()
    at.session_state["sidebar_rep"] = rep
    at.switch_page("pages/coaching_sheet.py")
    return at.run()
