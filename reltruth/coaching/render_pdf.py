"""The sheet as a PDF (A4 or Letter): the drawing is ``pdf_drawing``, with fpdf2.

Why a module of its own: fpdf2 is imported when a PDF is asked for, not when the app or the
package starts (it took a second of a fresh server's first page, which shows no PDF).
"""

from __future__ import annotations

from reltruth.coaching.model import Sheet


def render_pdf(sheet: Sheet, *, paper: str = "A4", charts: bool = True) -> bytes:
    """A PDF of ``sheet`` on A4 (default) or Letter paper; ``charts=False`` leaves out the
    scoreboard's bars."""
    from reltruth.coaching.pdf_drawing import draw_pdf

    return draw_pdf(sheet, paper=paper, charts=charts)
