"""The sheet as one self-contained HTML file, laid out for print on A4 and Letter.

Why hand-built HTML with one escaping helper rather than a template engine: the page is
small, and every piece of text passes through ``esc`` exactly once, so CRM text (an account
called ``<script>…``) can only ever appear as text. No external CSS, fonts or scripts: the
file opens offline and prints the same everywhere. The chart is an SVG inside ``<img>``
as a data URI, which cannot run script.
"""

from __future__ import annotations

import html
import re

from reltruth.coaching import chart as sheet_chart
from reltruth.coaching.model import Prompt, Sheet
from reltruth.coaching.render_markdown import effect_headings, effect_intro
from reltruth.coaching.templates import templates

# Content fits the narrower page (A4, 210 mm) and the shorter one (Letter, 279 mm): no
# @page size is forced, so the printer's paper is used with the same margins.
CSS = """
@page { margin: 10mm 12mm 10mm 12mm; }
* { box-sizing: border-box; }
html { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif;
       font-size: 8.8pt; color: #111; line-height: 1.28; }
body { margin: 0 auto; max-width: 186mm; padding: 8mm 0; }
h1 { font-size: 15pt; margin: 0 0 1mm 0; }
h2 { font-size: 11pt; margin: 3.5mm 0 1.5mm 0; border-bottom: 0.4mm solid #1d4ed8;
     padding-bottom: 0.6mm; break-after: avoid; }
h3 { font-size: 10pt; margin: 0 0 1mm 0; }
p { margin: 0 0 1mm 0; }
.meta { color: #333; margin-bottom: 2mm; }
.meta span { margin-right: 5mm; white-space: nowrap; }
.tier { border-left: 1.2mm solid #c2410c; padding: 1mm 2.5mm; background: #fff7ed;
        margin: 2mm 0; }
.intro { font-style: italic; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.35mm 1.5mm; border-bottom: 0.2mm solid #ddd;
         vertical-align: top; overflow-wrap: anywhere; }
td.num, th.num { text-align: right; white-space: nowrap; }
.score-chart { display: flex; gap: 4mm; align-items: flex-start; }
.score-chart > div { flex: 1 1 44%; min-width: 0; }
.score-chart > div:first-child { flex: 1 1 56%; }
.chart img { width: 100%; height: auto; display: block; }
.chart .caption { font-size: 8pt; color: #444; }
.prompt { border: 0.3mm solid #ccc; border-radius: 1mm;
          padding: 1.2mm 2.5mm; margin: 0 0 1.6mm 0; }
.prompt .stake { float: right; font-weight: bold; color: #c2410c; white-space: nowrap;
                 margin-left: 3mm; }
.prompt ul { margin: 0.3mm 0 0.6mm 0; padding-left: 4.5mm; color: #333; font-size: 8.5pt; }
.prompt .q { font-weight: bold; margin: 1mm 0 0.5mm 0; }
.label { font-variant: small-caps; color: #555; margin-right: 1mm; }
.actions ul, .advice ol { margin: 0.5mm 0 1.5mm 0; padding-left: 5mm; }
.actions { columns: 2; column-gap: 6mm; }
.actions h3 { margin-top: 1mm; break-after: avoid; }
.actions li { break-inside: avoid; }
.commit li { margin-bottom: 0.8mm; }
.kept { color: #15803d; font-weight: bold; }
.broken { color: #b91c1c; font-weight: bold; }
.blank { border-bottom: 0.3mm solid #999; height: 5.5mm; }
.today-notes { display: flex; gap: 6mm; break-inside: avoid; }
.today-notes > div { flex: 1 1 50%; }
.notes-box { border: 0.3mm solid #999; height: 17mm; margin-top: 1mm; }
.small { font-size: 8pt; color: #444; }
footer { margin-top: 4mm; font-size: 7.5pt; color: #666; border-top: 0.2mm solid #ccc;
         padding-top: 1mm; }
@media print {
  body { padding: 0; max-width: none; }
  footer { display: none; }  /* the window is in the header; a lone footer line made a page */
  /* a long prompt may continue on the next page, but never splits a line of it and
     never leaves its title alone at the bottom */
  .prompt h3 { break-after: avoid; }
  .prompt li, .prompt p, .commit li, tr { break-inside: avoid; }
  .prompt { box-decoration-break: clone; -webkit-box-decoration-break: clone; }
  h2 { break-after: avoid; }
}
@media screen and (max-width: 700px) { .score-chart { display: block; } }
"""


_BLOCK_END = re.compile(r"</(li|p|h1|h2|h3|tr|section|ul|ol|table|header|div)>")


def esc(text: object) -> str:
    """The one escaping helper: every piece of text on the page goes through it."""
    return html.escape(str(text), quote=True)


def render_html(sheet: Sheet, *, charts: bool = True) -> str:
    """A complete, self-contained HTML document for ``sheet``."""
    lab = templates()["labels"]
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # no script on this page, ever; images only from data URIs
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "img-src data:; style-src 'unsafe-inline'\">",
        f"<title>{esc(sheet.title)}</title>",
        f"<style>{CSS}</style></head><body>",
        _header(sheet, lab),
        _score_and_chart(sheet, lab, charts),
        _notes(sheet),
        _prompts(sheet, lab),
        _actions(sheet, lab),
        _advice(sheet, lab),
        _effect(sheet, lab),
        _commitments(sheet, lab),
        f"<footer>{esc(sheet.footer)}</footer>",
        "</body></html>",
    ]
    # one block element per line, so that golden-file diffs read line by line (CRM text is
    # escaped, so a closing tag here is always ours)
    text = "\n".join(p for p in parts if p)
    return _BLOCK_END.sub(lambda m: m.group(0) + "\n", text).replace("\n\n", "\n") + "\n"


def _header(sheet: Sheet, lab: dict[str, str]) -> str:
    meta = [f"<span>{esc(lab['window'])}: {esc(sheet.window_label)}</span>"]
    if sheet.manager:
        meta.append(f"<span>{esc(lab['manager'])}: {esc(sheet.manager)}</span>")
    if sheet.team:
        meta.append(f"<span>{esc(sheet.team)}</span>")
    tier = f"<strong>{esc(lab['tier'])}: {esc(sheet.tier_label)}</strong>"
    if sheet.tier_reason:
        tier += f" — {esc(sheet.tier_reason)}"
    return (
        f"<header><h1>{esc(sheet.title)}</h1>"
        f'<div class="meta">{"".join(meta)}</div>'
        f'<div class="tier">{tier}</div>'
        f'<p class="intro">{esc(sheet.intro)}</p></header>'
    )


def _score_and_chart(sheet: Sheet, lab: dict[str, str], charts: bool) -> str:
    who = lab["rep_value_self_audit"] if sheet.self_audit else lab["rep_value"]
    rows = [
        f'<tr><th>{esc(lab["stat"])}</th><th class="num">{esc(who)}</th>'
        f'<th class="num">{esc(lab["team_median"])}</th></tr>'
    ]
    for s in sheet.scoreboard:
        company = (
            f' <span class="small">(company {esc(s.company_text)})</span>' if s.company_text else ""
        )
        rows.append(
            f'<tr><td>{esc(s.label)}{company}</td><td class="num">{esc(s.text)}</td>'
            f'<td class="num">{esc(s.team_median_text)}</td></tr>'
        )
    table = f'<table class="score">{"".join(rows)}</table>'
    chart_html = ""
    if charts and sheet.chart:
        uri = sheet_chart.svg_data_uri(sheet)
        if uri:
            chart_html = (
                f'<div class="chart"><img src="{esc(uri)}" alt="{esc(sheet.chart_title)}">'
                f'<div class="caption">{esc(sheet.chart_title)}</div></div>'
            )
    title = (
        f'<h2>{esc(lab["scoreboard"])} <span class="small">({esc(sheet.window_label)})</span></h2>'
    )
    if not chart_html:
        return title + table
    return f'{title}<div class="score-chart"><div>{table}</div><div>{chart_html}</div></div>'


def _prompt(p: Prompt, lab: dict[str, str]) -> str:
    stake = (
        f'<span class="stake">{esc(p.money_text)} {esc(lab["money_at_stake"])}</span>'
        if p.money_text
        else ""
    )
    evidence = "".join(f"<li>{esc(e)}</li>" for e in p.evidence)
    return (
        f'<section class="prompt">{stake}<h3>{p.rank}. {esc(p.title)}</h3>'
        f"<ul>{evidence}</ul>"
        f'<p class="q"><span class="label">{esc(lab["question"])}</span>{esc(p.question)}</p>'
        f'<p><span class="label">{esc(lab["follow_up"])}</span>{esc(p.follow_up)}</p>'
        f'<p><span class="label">{esc(lab["action"])}</span>{esc(p.action)}</p></section>'
    )


def _prompts(sheet: Sheet, lab: dict[str, str]) -> str:
    title = lab["prompts_self_audit"] if sheet.self_audit else lab["prompts"]
    return f"<h2>{esc(title)}</h2>" + "".join(_prompt(p, lab) for p in sheet.prompts)


def _actions(sheet: Sheet, lab: dict[str, str]) -> str:
    a = sheet.actions
    if a.empty:
        return ""
    out = [f'<h2>{esc(lab["actions"])}</h2><div class="actions">']
    groups = [
        (lab["shifts"], [s.text for s in a.shifts]),
        (lab["demotions"], [d.text for d in a.demotions]),
        (lab["trades"], [t.text for t in a.trades]),
        (lab["training"], [f"{t.topic}: {t.reason}" for t in a.training]),
    ]
    for heading, items in groups:
        if items:
            lis = "".join(f"<li>{esc(i)}</li>" for i in items)
            out.append(f"<h3>{esc(heading)}</h3><ul>{lis}</ul>")
    out.append("</div>")
    return "".join(out)


def _advice(sheet: Sheet, lab: dict[str, str]) -> str:
    if not sheet.advice:
        return ""
    items = "".join(f"<li>{esc(a)}</li>" for a in sheet.advice)
    return f'<h2>{esc(lab["advice"])}</h2><div class="advice"><ol>{items}</ol></div>'


def _effect(sheet: Sheet, lab: dict[str, str]) -> str:
    """The coaching timeline: one row per quarter since the quarter before the first meeting."""
    if not sheet.effect:
        return ""
    heads = effect_headings()
    head = f"<th>{esc(heads[0])}</th>" + "".join(
        f'<th class="num">{esc(h)}</th>' for h in heads[1:]
    )
    rows = [f"<tr>{head}</tr>"]
    for r in sheet.effect:
        cells = "".join(f'<td class="num">{esc(t)}</td>' for t in r.texts)
        rows.append(f"<tr><td>{esc(r.label)}</td>{cells}</tr>")
    return (
        f"<h2>{esc(lab['effect'])}</h2>"
        f'<p class="small">{esc(effect_intro(sheet))}</p>'
        f'<table class="score">{"".join(rows)}</table>'
    )


def _commitments(sheet: Sheet, lab: dict[str, str]) -> str:
    out = [f'<h2>{esc(lab["commitments"])}</h2><div class="commit">']
    out.append(f"<h3>{esc(lab['commitments_earlier'])}</h3>")
    if sheet.commitments:
        items = []
        for c in sheet.commitments:
            cls = {"kept": "kept", "broken": "broken"}.get(c.status, "")
            verdict = f' — <span class="{cls}">{esc(c.line)}</span>' if c.target_text else ""
            text = esc(c.text) if c.target_text else esc(c.line)
            items.append(
                f'<li><span class="small">{esc(c.agreed_on.isoformat())}</span> '
                f"{text}{verdict}</li>"
            )
        out.append(f"<ul>{''.join(items)}</ul>")
    else:
        out.append(f'<p class="small">{esc(lab["commitments_none"])}</p>')
    # today's commitments and the notes side by side: compact enough for two pages
    out.append('<div class="today-notes"><div>')
    out.append(f"<h3>{esc(lab['commitments_today'])}</h3>")
    out.append('<div class="blank"></div>' * sheet.blank_commitment_lines)
    out.append(f"</div><div><h3>{esc(lab['notes'])}</h3>{_notes_box(sheet)}</div></div>")
    out.append("</div>")
    return "".join(out)


def _notes_box(sheet: Sheet) -> str:
    """The box to write in, or the notes kept with the meeting (escaped, line breaks kept)."""
    if not sheet.meeting_notes:
        return '<div class="notes-box"></div>'
    # styled here, not in the sheet's CSS: a sheet without kept notes stays byte-identical
    kept = "height: auto; min-height: 17mm; padding: 1mm 2mm; white-space: pre-wrap"
    return f'<div class="notes-box" style="{kept}">{esc(sheet.meeting_notes)}</div>'


def _notes(sheet: Sheet) -> str:
    if not sheet.notes:
        return ""
    return "".join(f'<p class="small">{esc(n)}</p>' for n in sheet.notes)
