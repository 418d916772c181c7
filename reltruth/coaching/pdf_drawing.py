"""The sheet drawn with fpdf2 (pure Python: no browser, no system libraries) for ``render_pdf``.

Why a bundled font: fpdf2's built-in fonts only know Latin-1, so "€", "≥" and names like
"Łukasz" or "Øre" would fail. DejaVu Sans (free licence, in ``fonts/``) covers them. Text
is written with ``markdown=False``: CRM text is drawn as typed, never interpreted.
"""

from __future__ import annotations

import math
from importlib import resources
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from reltruth.coaching.chart_svg import share_axis
from reltruth.coaching.model import Prompt, Sheet
from reltruth.coaching.render_markdown import effect_headings, effect_intro
from reltruth.coaching.templates import templates

FONT = "DejaVu"
INK = (17, 17, 17)
GREY = (85, 85, 85)
BLUE = (29, 78, 216)
ORANGE = (194, 65, 12)
GREEN = (21, 128, 61)
RED = (185, 28, 28)


def _font_path(name: str) -> Path:
    return Path(str(resources.files(__package__).joinpath("fonts", name)))


class _SheetPDF(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font(FONT, "", 7)
        self.set_text_color(*GREY)
        self.cell(0, 4, f"{self.footer_text}  ·  page {self.page_no()}/{{nb}}", align="C")


def draw_pdf(sheet: Sheet, *, paper: str = "A4", charts: bool = True) -> bytes:
    """A1 PDF of ``sheet`` on A4 (default) or Letter paper."""
    lab = templates()["labels"]
    pdf = _SheetPDF(format=paper.upper() if paper.lower() == "a4" else "Letter")
    pdf.footer_text = sheet.footer
    pdf.set_title(sheet.title)
    pdf.set_author("reltruth")
    pdf.add_font(FONT, "", str(_font_path("DejaVuSans.ttf")))
    pdf.add_font(FONT, "B", str(_font_path("DejaVuSans-Bold.ttf")))
    pdf.set_margins(14, 12, 14)
    pdf.set_auto_page_break(True, margin=14)
    pdf.alias_nb_pages()
    pdf.add_page()
    w = pdf.epw

    _text(pdf, sheet.title, 15, bold=True, h=7)
    meta = f"{lab['window']}: {sheet.window_label}"
    if sheet.manager:
        meta += f"   {lab['manager']}: {sheet.manager}"
    if sheet.team:
        meta += f"   {sheet.team}"
    _text(pdf, meta, 8.5, colour=GREY)
    pdf.ln(1)
    tier = f"{lab['tier']}: {sheet.tier_label}"
    if sheet.tier_reason:
        tier += f" — {sheet.tier_reason}"
    pdf.set_fill_color(255, 247, 237)
    pdf.set_font(FONT, "B", 9)
    pdf.set_text_color(*INK)
    pdf.multi_cell(w, 4.6, tier, fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT, padding=1)
    pdf.set_fill_color(255, 255, 255)
    pdf.ln(1)
    _text(pdf, sheet.intro, 9, colour=GREY)

    _heading(pdf, f"{lab['scoreboard']} ({sheet.window_label})")
    _scoreboard(pdf, sheet, lab, charts)
    for n in sheet.notes:  # caveats about the numbers, next to them
        _text(pdf, n, 7.5, colour=GREY)

    _heading(pdf, lab["prompts_self_audit"] if sheet.self_audit else lab["prompts"])
    for p in sheet.prompts:
        _prompt(pdf, p, lab)

    a = sheet.actions
    if not a.empty:
        _heading(pdf, lab["actions"])
        groups = [
            (lab["shifts"], [s.text for s in a.shifts]),
            (lab["demotions"], [d.text for d in a.demotions]),
            (lab["trades"], [t.text for t in a.trades]),
            (lab["training"], [f"{t.topic}: {t.reason}" for t in a.training]),
        ]
        for heading, items in groups:
            if items:
                _text(pdf, heading, 9.5, bold=True)
                for item in items:
                    _bullet(pdf, item)
                pdf.ln(0.8)

    if sheet.advice:
        _heading(pdf, lab["advice"])
        for i, item in enumerate(sheet.advice, 1):
            _bullet(pdf, item, marker=f"{i}.")

    if sheet.effect:
        _effect(pdf, sheet, lab)

    _heading(pdf, lab["commitments"])
    _text(pdf, lab["commitments_earlier"], 9.5, bold=True)
    if sheet.commitments:
        for c in sheet.commitments:
            colour = {"kept": GREEN, "broken": RED}.get(c.status, INK)
            text = f"{c.agreed_on.isoformat()}  {c.text}"
            _bullet(pdf, text)
            if c.target_text:
                _text(pdf, "      " + c.line, 9, colour=colour, bold=c.status in ("kept", "broken"))
    else:
        _text(pdf, lab["commitments_none"], 8.5, colour=GREY)
    pdf.ln(1)
    _today_and_notes(pdf, lab, sheet.blank_commitment_lines)
    if sheet.meeting_notes:  # the notes kept with the meeting, under the box
        _text(pdf, sheet.meeting_notes, 9)
    return bytes(pdf.output())


# ---------------------------------------------------------------------------------------


def _text(
    pdf: FPDF,
    text: str,
    size: float,
    *,
    bold: bool = False,
    colour: tuple[int, int, int] = INK,
    h: float | None = None,
) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.set_text_color(*colour)
    pdf.multi_cell(
        pdf.epw,
        h or size * 0.48,
        text,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
        align="L",
        markdown=False,
    )


def _today_and_notes(pdf: FPDF, lab: dict[str, str], lines: int) -> None:
    """Side by side: empty lines for today's commitments, a box for notes (compact enough
    that a typical sheet stays on two pages)."""
    room = pdf.page_break_trigger - pdf.get_y()
    if room < 8 + 6 * lines + 2:  # fewer lines rather than a page for three empty lines
        lines = max(2, int((room - 10) // 6))
    height = 8 + 6 * lines + 2
    if pdf.will_page_break(height):
        pdf.add_page()
    w, x0, y0 = pdf.epw, pdf.l_margin, pdf.get_y()
    col = (w - 6) / 2
    pdf.set_font(FONT, "B", 9.5)
    pdf.set_text_color(*INK)
    pdf.set_xy(x0, y0)
    pdf.cell(col, 5, lab["commitments_today"])
    pdf.set_xy(x0 + col + 6, y0)
    pdf.cell(col, 5, lab["notes"])
    pdf.set_draw_color(150, 150, 150)
    for i in range(1, lines + 1):
        y = y0 + 6 + 6 * i
        pdf.line(x0, y, x0 + col, y)
    pdf.rect(x0 + col + 6, y0 + 6, col, 6 * lines + 1)
    pdf.set_xy(x0, y0 + height)


def _heading(pdf: FPDF, text: str) -> None:
    if pdf.will_page_break(16):  # keep a heading with what follows it
        pdf.add_page()
    pdf.ln(2.5)
    _text(pdf, text, 11, bold=True, h=5.5)
    pdf.set_draw_color(*BLUE)
    pdf.set_line_width(0.4)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
    pdf.set_line_width(0.2)
    pdf.ln(1.5)


def _effect(pdf: FPDF, sheet: Sheet, lab: dict[str, str]) -> None:
    """The coaching timeline: one row per quarter since the quarter before the first meeting."""
    _heading(pdf, lab["effect"])
    _text(pdf, effect_intro(sheet), 8.5, colour=GREY)
    pdf.set_font(FONT, "", 8)
    pdf.set_text_color(*INK)
    with pdf.table(
        width=pdf.epw,
        col_widths=(34, 24, 28, 26, 20, 26),
        align="LEFT",
        line_height=4.1,
        text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
        first_row_as_headings=True,
        borders_layout="HORIZONTAL_LINES",
        markdown=False,
    ) as table:
        table.row(list(effect_headings()))
        for r in sheet.effect:
            table.row([r.label, *r.texts])


def _bullet(pdf: FPDF, text: str, marker: str = "•") -> None:
    pdf.set_font(FONT, "", 8.8)
    pdf.set_text_color(*INK)
    pdf.cell(5, 4.2, marker)
    pdf.multi_cell(
        pdf.epw - 5, 4.2, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L", markdown=False
    )


def _scoreboard(pdf: FPDF, sheet: Sheet, lab: dict[str, str], charts: bool) -> None:
    drawn = charts and bool(sheet.chart)
    table_w = 100 if drawn else pdf.epw
    top = pdf.get_y()
    who = lab["rep_value_self_audit"] if sheet.self_audit else lab["rep_value"]
    pdf.set_font(FONT, "", 8)
    pdf.set_text_color(*INK)
    with pdf.table(
        width=table_w,
        col_widths=(54, 20, 26),
        align="LEFT",
        line_height=4.1,
        text_align=("LEFT", "RIGHT", "RIGHT"),
        first_row_as_headings=True,
        borders_layout="HORIZONTAL_LINES",
        markdown=False,
    ) as table:
        table.row([lab["stat"], who, lab["team_median"]])
        for s in sheet.scoreboard:
            label = s.label + (f" (company {s.company_text})" if s.company_text else "")
            table.row([label, s.text, s.team_median_text])
    bottom = pdf.get_y()
    if drawn:
        x = pdf.l_margin + table_w + 4
        img_w = pdf.epw - table_w - 4
        height = _bar_chart(pdf, sheet, lab, x, top, img_w)
        pdf.set_xy(x, top + height + 0.5)
        pdf.set_font(FONT, "", 7)
        pdf.set_text_color(*GREY)
        pdf.multi_cell(
            img_w,
            3.2,
            sheet.chart_title,
            align="L",
            markdown=False,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        bottom = max(bottom, pdf.get_y())
    pdf.set_xy(pdf.l_margin, bottom + 1)


def _bar_chart(pdf: FPDF, sheet: Sheet, lab: dict[str, str], x: float, y: float, w: float) -> float:
    """The sheet's chart (``chart.chart``: potential share and time share per account, as
    grouped horizontal bars) drawn with fpdf2's own lines and rectangles; returns its height.

    Why not a Vega-Lite image converted by vl-convert: that cost 0.37 s of a 0.77 s PDF.
    Account names are drawn as text with ``cell`` (never interpreted), cut to fit.
    """
    rows = sheet.chart
    bar, gap, row_h = 1.7, 0.3, 4.6
    label_w = w * 0.42
    plot_x, plot_w = x + label_w + 1.5, w - label_w - 3.5
    step, scale_max, ticks = share_axis(rows)
    # legend
    pdf.set_font(FONT, "", 6.5)
    pdf.set_text_color(*INK)
    lx = plot_x
    for colour, text in ((BLUE, lab["chart_potential"]), (ORANGE, lab["chart_time"])):
        pdf.set_fill_color(*colour)
        pdf.rect(lx, y + 1, 2.2, 2.2, style="F")
        pdf.set_xy(lx + 2.8, y)
        pdf.cell(pdf.get_string_width(text) + 1, 4.2, text)
        lx += 2.8 + pdf.get_string_width(text) + 4
    y0 = y + 5.5
    pdf.set_draw_color(225, 225, 225)
    for t in ticks:  # grid lines behind the bars
        tx = plot_x + plot_w * t / scale_max
        pdf.line(tx, y0, tx, y0 + row_h * len(rows))
    for i, r in enumerate(rows):
        ry = y0 + i * row_h
        pdf.set_text_color(*INK)
        pdf.set_xy(x, ry + 0.4)
        pdf.cell(label_w, row_h - 0.8, _fit(pdf, r.account_name, label_w), align="R")
        for j, (colour, share) in enumerate(((BLUE, r.potential_share), (ORANGE, r.time_share))):
            length = plot_w * max(share, 0.0) / scale_max
            if length > 0:
                pdf.set_fill_color(*colour)
                pdf.rect(plot_x, ry + 0.45 + j * (bar + gap), length, bar, style="F")
    axis_y = y0 + row_h * len(rows)
    pdf.set_draw_color(150, 150, 150)
    pdf.line(plot_x, axis_y, plot_x + plot_w, axis_y)
    pdf.set_text_color(*GREY)
    pdf.set_font(FONT, "", 6)
    for t in ticks:
        text = f"{t * 100:.0f} %" if step >= 0.01 else f"{t * 100:.1f} %"
        tw = pdf.get_string_width(text)
        tx = plot_x + plot_w * t / scale_max
        pdf.set_xy(tx - tw / 2 - 0.5, axis_y + 0.3)
        pdf.cell(tw + 1, 3, text)
    pdf.set_fill_color(255, 255, 255)
    pdf.set_draw_color(0, 0, 0)
    return axis_y + 3.5 - y


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """``text`` cut with an ellipsis to fit ``width`` in the current font."""
    if pdf.get_string_width(text) <= width - 1:
        return text
    while text and pdf.get_string_width(text + "…") > width - 1:
        text = text[:-1]
    return text.rstrip() + "…"


def _prompt(pdf: FPDF, p: Prompt, lab: dict[str, str]) -> None:
    """One prompt; its height is estimated first so that it does not start at the very
    bottom of a page."""
    w = pdf.epw
    stake = f"{p.money_text} {lab['money_at_stake']}" if p.money_text else ""
    pdf.set_font(FONT, "B", 9.5)
    stake_w = pdf.get_string_width(stake) + 2 if stake else 0.0
    # (indent, line height, style, size, colour, text)
    blocks = [(0.0, 4.6, "B", 9.5, INK, f"{p.rank}. {p.title}")]
    blocks += [(4.0, 3.8, "", 8.0, GREY, e) for e in p.evidence]
    blocks += [
        (0.0, 4.3, "B", 8.8, INK, f"{lab['question']}: {p.question}"),
        (0.0, 4.3, "", 8.8, INK, f"{lab['follow_up']}: {p.follow_up}"),
        (0.0, 4.3, "", 8.8, INK, f"{lab['action']}: {p.action}"),
    ]
    height = 2.0
    for i, (indent, h, style, size, _, text) in enumerate(blocks):
        pdf.set_font(FONT, style, size)
        width = w - indent - (stake_w if i == 0 else 0)
        # an estimate from the text's width (words wrap a little early, hence 0.9); a dry
        # run of multi_cell would double fpdf2's line-breaking work, the slow part here
        height += h * math.ceil(pdf.get_string_width(text) / (width * 0.9) or 1)
    # start on this page when the whole prompt fits, or at least its title, evidence and
    # question (about 30 mm); otherwise on the next page
    if pdf.will_page_break(min(height, 30.0)):
        pdf.add_page()
    for i, (indent, h, style, size, colour, text) in enumerate(blocks):
        pdf.set_font(FONT, style, size)
        pdf.set_text_color(*colour)
        y = pdf.get_y()
        if indent:
            pdf.cell(indent, h, "•")
        width = w - indent - (stake_w if i == 0 else 0)
        pdf.multi_cell(
            width, h, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L", markdown=False
        )
        if i == 0 and stake:
            after = pdf.get_y()
            pdf.set_xy(pdf.l_margin + w - stake_w, y)
            pdf.set_text_color(*ORANGE)
            pdf.cell(stake_w, h, stake, align="R")
            pdf.set_xy(pdf.l_margin, after)
    pdf.ln(2)
