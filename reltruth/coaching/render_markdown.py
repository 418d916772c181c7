"""The sheet as Markdown, for pasting into a notes tool (Notion, OneNote, Obsidian, a wiki).

Why escaping matters here too: notes tools render Markdown and often inline HTML, so CRM
text is escaped (``md``) before it is placed: an account called ``<script>…`` or
``[click](http://x)`` shows as typed, and a cell starting with ``=`` cannot become a
formula when the table is pasted into a spreadsheet.
"""

from __future__ import annotations

import re

from reltruth import format as fmt
from reltruth.coaching.model import Sheet
from reltruth.coaching.templates import fill, templates

# CommonMark lets any ASCII punctuation be backslash-escaped; these are the ones that can
# start markup, links, emphasis, tables, HTML or entities in the middle of a line.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$])")
# GitHub-flavoured Markdown (Streamlit's) turns bare URLs ("http://...", "www.") and e-mail
# addresses into links, and Streamlit reads ":red[...]" and ":material/...:" as directives.
# A backslash alone does not stop them in Streamlit: its renderer (remark-gfm) finds URLs and
# addresses in the text *after* escapes are undone, so "http\://x" still became a link (a
# browser test showed it). So the ":" of a scheme (also "mailto:" / "xmpp:") or directive, the
# "@" of an address and the dot of "www." get a WORD JOINER (U+2060: invisible, not a word
# character, so no URL, address or directive pattern spans it) as well as the backslash,
# which renderers that autolink while parsing (GitHub's) need. A plain "Title: name" or
# "12:30" is left as typed.
_JOIN = "\u2060"
_COLON = re.compile(r"(?i)(?:(?<=mailto)|(?<=xmpp)):|:(?=//|[\w-]+[\\]?[\[/:])")
_EMAIL_AT = re.compile(r"(?<=[\w.+-])@")
_WWW_DOT = re.compile(r"(?i)(?<![\w.])(www)\.")
# a cell starting like a formula (=, @, or + / - not followed by a number) is escaped
_FORMULA_START = re.compile(r"[=@]|[+\-−](?![\d.])")


def md(text: object) -> str:
    """``text`` as literal Markdown: markup characters escaped, line breaks flattened, no
    link (URLs, e-mail addresses and "www." shown as text). The one escaper for CRM and
    user text wherever it meets Markdown: headings, labels, expanders, tables, captions."""
    s = " ".join(str(text).split())
    s = _MD_SPECIAL.sub(r"\\\1", s)
    s = _COLON.sub(_JOIN + r"\\:" + _JOIN, s)
    s = _EMAIL_AT.sub(_JOIN + r"\\@", s)
    s = _WWW_DOT.sub(r"\1" + _JOIN + r"\\.", s)
    if _FORMULA_START.match(s):
        s = "\\" + s  # also keeps "- x" or "+ x" from becoming a list item
    return s


def render_markdown(sheet: Sheet) -> str:
    lab = templates()["labels"]
    out: list[str] = [f"# {md(sheet.title)}", ""]
    meta = [f"**{md(lab['window'])}:** {md(sheet.window_label)}"]
    if sheet.manager:
        meta.append(f"**{md(lab['manager'])}:** {md(sheet.manager)}")
    if sheet.team:
        meta.append(md(sheet.team))
    out += [" · ".join(meta), ""]
    tier = f"**{md(lab['tier'])}: {md(sheet.tier_label)}**"
    if sheet.tier_reason:
        tier += f" — {md(sheet.tier_reason)}"
    out += [tier, "", f"*{md(sheet.intro)}*", ""]

    who = lab["rep_value_self_audit"] if sheet.self_audit else lab["rep_value"]
    out += [f"## {md(lab['scoreboard'])} ({md(sheet.window_label)})", ""]
    out += [
        f"| {md(lab['stat'])} | {md(who)} | {md(lab['team_median'])} |",
        "| --- | ---: | ---: |",
    ]
    for s in sheet.scoreboard:
        label = md(s.label) + (f" (company {md(s.company_text)})" if s.company_text else "")
        out.append(f"| {label} | {md(s.text)} | {md(s.team_median_text)} |")
    out.append("")
    if sheet.chart:
        out += [f"*{md(sheet.chart_title)}*", ""]
        out += [
            f"| Account | {md(lab['chart_time'])} | {md(lab['chart_potential'])} |",
            "| --- | ---: | ---: |",
        ]
        for r in sheet.chart:
            out.append(
                f"| {md(r.account_name)} | {fmt.pct(r.time_share)} | {fmt.pct(r.potential_share)} |"
            )
        out.append("")

    for n in sheet.notes:  # caveats about the numbers, next to them
        out += [f"*{md(n)}*", ""]
    title = lab["prompts_self_audit"] if sheet.self_audit else lab["prompts"]
    out += [f"## {md(title)}", ""]
    for p in sheet.prompts:
        stake = f" — {md(p.money_text)} {md(lab['money_at_stake'])}" if p.money_text else ""
        out += [f"### {p.rank}\\. {md(p.title)}{stake}", ""]
        out += [f"- {md(e)}" for e in p.evidence]
        out += [
            "",
            f"**{md(lab['question'])}:** {md(p.question)}",
            "",
            f"**{md(lab['follow_up'])}:** {md(p.follow_up)}",
            "",
            f"**{md(lab['action'])}:** {md(p.action)}",
            "",
        ]

    a = sheet.actions
    if not a.empty:
        out += [f"## {md(lab['actions'])}", ""]
        groups = [
            (lab["shifts"], [s.text for s in a.shifts]),
            (lab["demotions"], [d.text for d in a.demotions]),
            (lab["trades"], [t.text for t in a.trades]),
            (lab["training"], [f"{t.topic}: {t.reason}" for t in a.training]),
        ]
        for heading, items in groups:
            if items:
                out += [f"**{md(heading)}**", ""] + [f"- {md(i)}" for i in items] + [""]

    if sheet.advice:
        out += [f"## {md(lab['advice'])}", ""]
        out += [f"{i}. {md(x)}" for i, x in enumerate(sheet.advice, 1)] + [""]

    if sheet.effect:
        out += [f"## {md(lab['effect'])}", "", f"*{md(effect_intro(sheet))}*", ""]
        heads = effect_headings()
        out += ["| " + " | ".join(md(h) for h in heads) + " |"]
        out += ["| --- |" + " ---: |" * (len(heads) - 1)]
        out += ["| " + " | ".join(md(x) for x in (r.label, *r.texts)) + " |" for r in sheet.effect]
        out.append("")
    out += [f"## {md(lab['commitments'])}", "", f"**{md(lab['commitments_earlier'])}**", ""]
    if sheet.commitments:
        for c in sheet.commitments:
            if c.target_text:
                out.append(f"- {c.agreed_on.isoformat()}: {md(c.text)} — {md(c.line)}")
            else:
                out.append(f"- {c.agreed_on.isoformat()}: {md(c.line)}")
    else:
        out.append(md(lab["commitments_none"]))
    out += ["", f"**{md(lab['commitments_today'])}**", ""]
    out += ["- [ ] " for _ in range(sheet.blank_commitment_lines)]
    out += ["", f"## {md(lab['notes'])}", ""]
    # the notes kept with the meeting, one escaped line each (a blank line stays a break)
    out += [md(line) for line in sheet.meeting_notes.splitlines()] + ["", ""]
    out += ["---", "", f"*{md(sheet.footer)}*", ""]
    return "\n".join(out)


def effect_headings() -> tuple[str, ...]:
    """The coaching timeline's column headings, in ``EffectRow.texts`` order after the
    quarter (shared by every renderer)."""
    lab = templates()["labels"]
    keys = ("quarter", "alignment", "penetration", "growth", "discount", "kept")
    return tuple(lab["effect_" + k] for k in keys)


def effect_intro(sheet: Sheet) -> str:
    since = fmt.day(sheet.effect_since) if sheet.effect_since else ""
    return fill(templates()["labels"]["effect_intro"], {"since": since})
