"""The chart helper: pygal's SVG without scripts, whole-number axes, legible labels."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from leadhub.domains.reports.schemas import (
    Count,
    FormCount,
    Funnel,
    LeadsOverTime,
    PipelineOption,
    Series,
    StageCount,
)
from leadhub.surfaces.web import charts

DAYS = tuple(date(2025, 3, 1) + timedelta(days=n) for n in range(7))


def titles(svg: str) -> list[str]:
    return re.findall(r"<title>([^<]*)</title>", svg)


def test_a_chart_is_inline_svg_without_scripts_named_for_screen_readers() -> None:
    report = LeadsOverTime(DAYS, "day", (Series("form", (1, 0, 2, 0, 0, 0, 3)),))
    svg = str(charts.leads_over_time(report, description="New leads <per day>"))
    assert svg.startswith("<svg") and "<?xml" not in svg
    assert "<script" not in svg and "kozea" not in svg.replace("Kozea", "")
    assert 'role="img" aria-label="New leads &lt;per day&gt;"' in svg
    assert titles(svg)[0] == "New leads &lt;per day&gt;"
    assert "form · 7 Mar: 3" in titles(svg)  # a native tooltip on each bar


def test_names_from_the_workspace_are_escaped() -> None:
    forms = [FormCount(1, "<script>alert(1)</script>", 2, 1)]
    svg = str(charts.top_forms(forms, description="Forms"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_stages_are_drawn_top_down_in_their_colours() -> None:
    stages = (
        StageCount(1, "New", "open", "#123456", 3, Decimal(0)),
        StageCount(2, "Won", "won", None, 1, Decimal(0)),
    )
    svg = str(charts.funnel(Funnel(PipelineOption(1, "Sales", True), (), stages), description="F"))
    assert "#123456" in svg and charts.KIND_COLORS["won"] in svg
    assert titles(svg)[-2:] == ["Won: 1", "New: 3"]  # pygal draws bottom-up, so New comes last


def test_a_long_tail_of_statuses_is_one_slice() -> None:
    counts = [Count(f"status {n}", 20 - n) for n in range(10)]
    svg = str(charts.by_status(counts, description="S"))
    assert f"Other statuses: {sum(range(11, 15))}" in titles(svg)
    assert "Status 0: 20" in titles(svg)


def test_axis_ticks_are_whole_numbers() -> None:
    assert charts.integer_ticks(0) == [0, 1]
    assert charts.integer_ticks(3) == [0, 1, 2, 3]
    assert charts.integer_ticks(7) == [0, 2, 4, 6, 8]
    assert charts.integer_ticks(23) == [0, 5, 10, 15, 20, 25]
    assert charts.integer_ticks(1234) == [0, 500, 1000, 1500]


def test_bucket_labels() -> None:
    monday = date(2025, 3, 17)
    assert charts.bucket_label(monday, "day") == "17 Mar 2025"
    assert charts.bucket_label(monday, "day", short=True) == "17 Mar"
    assert charts.bucket_label(monday, "week") == "Week of 17 Mar 2025"
    assert charts.bucket_label(date(2025, 3, 1), "month") == "Mar 2025"
    assert charts.status_label("not_contacted") == "Not contacted"
