"""`netweave report`: a self-contained HTML page about the plan and the network.

Pure: :func:`build_html` turns model objects into one HTML string. :mod:`.data` computes the
numbers, :mod:`.charts` draws each chart as inline SVG, :mod:`.page` lays out the page (it is
confidential: it names people, and loads nothing from the network).
"""

from sync.report.charts import PALETTE, hbar_chart, hours_chart, network_map, ties_chart
from sync.report.data import (
    FocusPerson,
    FocusRow,
    MonthTies,
    ReportInput,
    focus_people,
    focus_rows,
    per_category,
    per_goal,
    ties_over_time,
    window_weeks,
)
from sync.report.page import build_html

__all__ = [
    "PALETTE",
    "FocusPerson",
    "FocusRow",
    "MonthTies",
    "ReportInput",
    "build_html",
    "focus_people",
    "focus_rows",
    "hbar_chart",
    "hours_chart",
    "network_map",
    "per_category",
    "per_goal",
    "ties_chart",
    "ties_over_time",
    "window_weeks",
]
