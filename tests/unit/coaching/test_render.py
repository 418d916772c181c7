"""Renderers: CRM text stays text in HTML, Markdown and PDF; the PDF has prompts and a chart."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
import pytest
from coaching_helpers import account, inputs
from pypdf import PdfReader

from reltruth.coaching.build import assemble
from reltruth.coaching.render_html import render_html
from reltruth.coaching.render_markdown import md, render_markdown
from reltruth.coaching.render_pdf import render_pdf

EVIL = [
    "<script>alert(1)</script>",
    '=HYPERLINK("http://x","y")',
    "[click](javascript:alert(1))",
    "Müller & Söhne **Kältetechnik** | Øre",
]


@pytest.fixture(scope="module")
def evil_sheet():  # type: ignore[no-untyped-def]
    frame = pd.DataFrame(
        [
            account(
                f"E{i}", name, flags=[flag], relationship_rating=5, open_potential=100_000.0 - i
            )
            for i, (name, flag) in enumerate(
                zip(
                    EVIL,
                    ["claim_gap", "relationship_trap", "neglected_potential", "claim_gap"],
                    strict=True,
                )
            )
        ]
    )
    return assemble(inputs(accounts=frame, shifts=pd.DataFrame(), discount_history={}))


def test_html_escapes_crm_text(evil_sheet) -> None:  # type: ignore[no-untyped-def]
    html = render_html(evil_sheet)
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)" in html
    assert "Müller &amp; Söhne **Kältetechnik** | Øre" in html
    assert "<a " not in html  # no link is ever made from CRM text
    assert 'http-equiv="Content-Security-Policy"' in html


def test_html_is_self_contained(evil_sheet) -> None:  # type: ignore[no-untyped-def]
    html = render_html(evil_sheet)
    assert 'src="data:image/svg+xml;base64,' in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "@page" in html and "@media print" in html


def test_markdown_escapes_crm_text(evil_sheet) -> None:  # type: ignore[no-untyped-def]
    text = render_markdown(evil_sheet)
    assert "<script>" not in text
    assert r"\<script\>alert(1)\</script\>" in text
    assert r"\[click\](javascript:alert(1))" in text
    assert r"\*\*Kältetechnik\*\* \| Øre" in text
    assert "Müller & Söhne" in text


J = "\u2060"  # the word joiner the escaper puts where an autolink or directive would start
C = J + "\\:" + J  # the ':' of a scheme or directive


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("=SUM(A1)", r"\=SUM(A1)"),
        ("@cmd", r"\@cmd"),
        ("- item", r"\- item"),
        ("+12 %", "+12 %"),
        ("−5.0 pp", "−5.0 pp"),
        ("a\nb", "a b"),
        ("<b>x</b>", r"\<b\>x\</b\>"),
        ("`code`", r"\`code\`"),
        # the escaper of every Markdown context (it replaced export.md_text)
        (
            "[click](http://evil) <img src=x> *bold* | cell",
            r"\[click\](http" + C + r"//evil) \<img src=x\> \*bold\* \| cell",
        ),
        ("two\nlines", "two lines"),
        # no autolink: URLs, e-mail addresses, www., Streamlit directives stay text
        ('=HYPERLINK("http://x","y")', r'\=HYPERLINK("http' + C + r'//x","y")'),
        ("mail lena@example.com", r"mail lena" + J + r"\@example.com"),
        ("see www.example.com", r"see www" + J + r"\.example.com"),
        ("WWW.example.com", r"WWW" + J + r"\.example.com"),
        (":red[alarm] :material/home:", C + r"red\[alarm\] " + C + r"material/home:"),
        ("Note: Frank at 12:30", "Note: Frank at 12:30"),  # plain colons stay
        ("One-on-one coaching sheet: Jonas Weber", "One-on-one coaching sheet: Jonas Weber"),
        ("https://evil.example/x?a=1", r"https" + C + r"//evil.example/x?a=1"),
        ("HTTPS://EVIL.example", r"HTTPS" + C + r"//EVIL.example"),
        ("ftp://files.example", r"ftp" + C + r"//files.example"),
        ("mailto:boss@example.com", r"mailto" + C + r"boss" + J + r"\@example.com"),
        ("<http://evil.example>", r"\<http" + C + r"//evil.example\>"),
        ("<lena@example.com>", r"\<lena" + J + r"\@example.com\>"),
        ("[x](y)", r"\[x\](y)"),
        ("![img](http://evil/p.png)", r"!\[img\](http" + C + r"//evil/p.png)"),
        (
            ":material/warning: :blue-background[x]",
            C + r"material/warning: " + C + r"blue-background\[x\]",
        ),
        (":smile: :rocket:", C + "smile: " + C + "rocket:"),  # emoji codes shown as typed
        ("xmpp:lena@example.com", r"xmpp" + C + r"lena" + J + r"\@example.com"),
    ],
)
def test_md_escape(raw: str, escaped: str) -> None:
    assert md(raw) == escaped


def _pdftotext(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's text as a reader gets it (pypdf, pure Python: no system tool to install)."""
    (tmp_path / "sheet.pdf").write_bytes(pdf)  # kept beside the test's output to be looked at
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def test_pdf_opens_and_shows_text_as_typed(evil_sheet, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pdf = render_pdf(evil_sheet)
    assert pdf.startswith(b"%PDF-")
    text = " ".join(_pdftotext(pdf, tmp_path).split())
    assert "<script>alert(1)</script>" in text
    assert '=HYPERLINK("http://x","y")' in text
    assert "Müller & Söhne **Kältetechnik** | Øre" in text
    assert "€" in text


def test_pdf_has_the_prompts_and_a_chart(tmp_path: Path) -> None:
    sheet = assemble(inputs())
    pdf = render_pdf(sheet)
    text = " ".join(_pdftotext(pdf, tmp_path).split())
    for p in sheet.prompts:
        assert " ".join(p.question.replace("\u00a0", " ").split()) in text.replace("\u00a0", " ")
    assert "Hours to shift" in text and "€127 k at stake" in text.replace("\u00a0", " ")
    # The chart is drawn with the PDF's own shapes and text: its legend, an axis and every
    # charted account (long names cut with an ellipsis) are text in the file.
    assert sheet.chart
    assert "Potential share" in text and "Time share" in text and "0 %" in text
    for row in sheet.chart:
        assert row.account_name[:12] in text
    assert "Potential share" not in " ".join(
        _pdftotext(render_pdf(sheet, charts=False), tmp_path).split()
    )


def _page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's media box in points, as a PDF viewer sizes it."""
    return [
        (round(float(p.mediabox.width)), round(float(p.mediabox.height)))
        for p in PdfReader(io.BytesIO(pdf)).pages
    ]


def test_pdf_on_letter_paper() -> None:
    sizes = _page_sizes(render_pdf(assemble(inputs()), paper="Letter"))
    assert sizes and set(sizes) == {(612, 792)}  # US Letter: 8.5 x 11 in


def test_pdf_on_a4_paper() -> None:
    sizes = _page_sizes(render_pdf(assemble(inputs()), paper="A4"))
    assert sizes and set(sizes) == {(595, 842)}  # A4: 210 x 297 mm


def test_a_typical_sheet_fits_two_pages() -> None:
    for paper in ("A4", "Letter"):
        pages = len(_page_sizes(render_pdf(assemble(inputs()), paper=paper)))
        assert 1 <= pages <= 2, (paper, pages)
