"""The sheet's chart: time share against potential share per account, as SVG for HTML.

Why its own module (and not ``reltruth.charts``): the sheet must draw its chart without a
browser and without Streamlit. ``chart`` is the Altair chart the app's page shows; the HTML
file's SVG (inline as a data URI) is written by ``chart_svg`` with the same bars, colours and
label limit, and the PDF draws them itself (``pdf_drawing._bar_chart``). Account names are
chart *data*: drawn as escaped text, and an SVG inside an ``<img>`` can run no script.
"""

from __future__ import annotations

import base64

import altair as alt
import pandas as pd

from reltruth.coaching.model import Sheet
from reltruth.coaching.templates import templates

TIME_COLOUR = "#c2410c"  # hours: warm
POTENTIAL_COLOUR = "#1d4ed8"  # potential: cool
LABEL_LIMIT = 150  # px; longer account names are shortened with an ellipsis
# px per character of an 11 px DejaVu Sans label (wide capitals and "&" included): on screen
# the label column is as wide as the longest name needs, up to APP_LABEL_MAX
APP_CHAR_PX = 7
APP_LABEL_MAX = 520
ROW_HEIGHT = 26  # px per account (13 a bar): two 8 px bars and an 11 px label never crowd


def chart(sheet: Sheet, width: int = 280, *, in_app: bool = False) -> alt.Chart | None:
    """Grouped horizontal bars, accounts by potential, one bar for each share.

    ``in_app``: for the page, every account keeps its label (Vega hides labels it finds
    overlapping unless told not to) at its full length, and the height grows by a fixed
    step per account, so 2 accounts are not squeezed and 40 are not crowded."""
    if not sheet.chart:
        return None
    labels = templates()["labels"]
    time_label, potential_label = labels["chart_time"], labels["chart_potential"]
    rows = []
    for i, r in enumerate(sheet.chart):
        account = r.account_name
        rows.append({"order": i, "account": account, "measure": time_label, "share": r.time_share})
        rows.append(
            {"order": i, "account": account, "measure": potential_label, "share": r.potential_share}
        )
    data = pd.DataFrame(rows)
    n = len(sheet.chart)
    longest = max(len(r.account_name) for r in sheet.chart)
    label_limit = min(APP_LABEL_MAX, APP_CHAR_PX * longest) if in_app else LABEL_LIMIT
    return (
        alt.Chart(data)
        .mark_bar(height=8)
        .encode(
            y=alt.Y(
                "account:N",
                sort=alt.EncodingSortField("order", order="ascending"),
                title=None,
                axis=alt.Axis(
                    labelLimit=label_limit,
                    labelFontSize=11,
                    labelOverlap=False,
                ),
            ),
            yOffset=alt.YOffset("measure:N", sort=[potential_label, time_label]),
            x=alt.X(
                "share:Q",
                scale=alt.Scale(nice=True, zero=True),
                axis=alt.Axis(format="%", labelFontSize=10, tickCount=4),
                title=None,
            ),
            color=alt.Color(
                "measure:N",
                scale=alt.Scale(
                    domain=[potential_label, time_label], range=[POTENTIAL_COLOUR, TIME_COLOUR]
                ),
                legend=alt.Legend(orient="top", title=None, labelFontSize=11),
            ),
            tooltip=["account:N", "measure:N", alt.Tooltip("share:Q", format=".1%")],
        )
        # on the page a step per bar (two per account): a fixed height is shared with the
        # legend and the axis, which left two accounts a 20 px strip
        # and the page's full width, so that whole names leave the bars room
        .properties(
            width="container" if in_app else width,
            height=alt.Step(ROW_HEIGHT // 2) if in_app else max(60, 22 * n),
        )
        .configure_view(stroke=None)
        .configure(font="DejaVu Sans")
    )


def svg(sheet: Sheet) -> str | None:
    """The printed chart as SVG text, drawn by ``chart_svg`` (no JavaScript engine)."""
    # imported here: chart_svg reads this module's colours and label limit
    from reltruth.coaching import chart_svg

    return chart_svg.svg(sheet)


def svg_data_uri(sheet: Sheet) -> str | None:
    """``data:image/svg+xml;base64,…`` for an ``<img>``: self-contained and script-free."""
    text = svg(sheet)
    if text is None:
        return None
    return "data:image/svg+xml;base64," + base64.b64encode(text.encode("utf-8")).decode("ascii")
