"""The one-on-one coaching prompt sheet: flags -> prompts -> Sheet -> HTML / PDF / Markdown.

The sheet is what a sales manager takes into the one-on-one (docs/coaching.md), and the
product's reason to exist. ``build_sheet`` makes the model (``model.Sheet``; ``build_sheets``
a whole team's from one pass), the renderers lay it out, ``commitments`` keeps what was
agreed, ``cli_sheet`` drives it all from the command line. The wording lives in
``prompts.toml``.
"""

from reltruth.coaching import commitments
from reltruth.coaching.gather import build_sheet, build_sheets, iter_sheets
from reltruth.coaching.model import Sheet
from reltruth.coaching.output import (
    MIME,
    PAPERS,
    cli_sheet,
    file_name,
    render,
    sheets_zip,
    zip_sheets,
)
from reltruth.coaching.render_html import render_html
from reltruth.coaching.render_markdown import render_markdown
from reltruth.coaching.render_pdf import render_pdf

__all__ = [
    "Sheet",
    "build_sheet",
    "build_sheets",
    "iter_sheets",
    "cli_sheet",
    "commitments",
    "file_name",
    "render",
    "render_html",
    "render_markdown",
    "render_pdf",
    "sheets_zip",
    "zip_sheets",
    "MIME",
    "PAPERS",
]
