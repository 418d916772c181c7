"""Metric frames -> Altair charts, with labels, units and tooltips (no Streamlit here).

Why a module of its own: the charts are the argument of the product ("your hours went
here, the money is there"), so they are built in one place, from the metrics engine's
frames, testable without a browser and reusable by any front end. Every function returns
``None`` when the frame holds nothing to draw, so that the page shows its empty state
instead of an empty box.

Fractions stay fractions in the data; axes and tooltips format them as percent. CRM names
reach Vega only as data values (rendered as text, tooltips escaped by vega-tooltip).

One module per chart family: ``hours`` (time against potential, hours by type and by role),
``team`` (tiers, coaching effect), ``relationship`` (claimed rating against buying), ``money``
(revenue, discount, excess-discount bars); ``common`` holds what they share. The package
exposes the charts the pages and the workshop draw.
"""

from reltruth.charts.hours import hours_by_type_month, key_people, main_flag, time_vs_potential
from reltruth.charts.money import bars, discount_trend, revenue_by_quarter
from reltruth.charts.relationship import rating_vs
from reltruth.charts.team import coaching_effect, team_overview

__all__ = [
    "bars",
    "coaching_effect",
    "discount_trend",
    "hours_by_type_month",
    "key_people",
    "main_flag",
    "rating_vs",
    "revenue_by_quarter",
    "team_overview",
    "time_vs_potential",
]
