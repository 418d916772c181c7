"""render_pdf: fpdf2 is loaded when a PDF is asked for, not by the app's pages (the app
imports the coaching package, for its Markdown escaper, on every page). What the PDF shows
is tested in test_render.py."""

from __future__ import annotations

import subprocess
import sys


def test_the_pages_modules_do_not_load_fpdf() -> None:
    """fpdf2 took a second of a fresh server's first page, which shows no PDF."""
    code = (
        "import sys\n"
        "import reltruth.ui.sidebar, reltruth.ui.session, reltruth.ui.widgets\n"
        "import reltruth.views.team, reltruth.views.discounts, reltruth.views.coaching_sheet\n"
        "from reltruth import coaching\n"
        "coaching.render_pdf, coaching.render_html, coaching.build_sheet\n"
        "print(sorted(m for m in ('fpdf', 'reltruth.coaching.pdf_drawing') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
