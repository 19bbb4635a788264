"""Charts as inline SVG, drawn on the server with pygal in the app's colours.

pygal's SVG carries a config script and points at a tooltip script on a CDN; both are left out
(`js=[]`, and a filter drops the inline one), so no script runs and nothing loads from elsewhere.
Native `<title>` tooltips take their place, and every chart's numbers are also shown as a table.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any
from xml.etree.ElementTree import Element, SubElement

import pygal
from markupsafe import Markup
from pygal.style import Style

from leadhub.domains.reports.schemas import Count, FormCount, Funnel, LeadsOverTime

FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", sans-serif'
# The series colours, from app.css's palette: primary first, a neutral grey for "other".
PALETTE = (
    "#2f5bea",
    "#0f9d8a",
    "#e8a317",
    "#d9465f",
    "#7c5cdb",
    "#2d9cdb",
    "#8a94a6",
)
MAX_SLICES = len(PALETTE)
KIND_COLORS = {"won": "#177245", "lost": "#c2261d"}
_STYLE = {
    "background": "transparent",
    "plot_background": "transparent",
    "foreground": "#616e7c",
    "foreground_strong": "#1f2933",
    "foreground_subtle": "#e3e8ef",
    "guide_stroke_color": "#e3e8ef",
    "major_guide_stroke_color": "#cbd2d9",
    "guide_stroke_dasharray": "none",
    "major_guide_stroke_dasharray": "none",
    "opacity": "0.92",
    "opacity_hover": "1",
    "transition": "120ms",
    "colors": PALETTE,
    "font_family": FONT,
}
# The wide chart is drawn at about its own size; the narrow ones shrink on a phone, so their
# text is drawn larger to stay legible there.
STYLE = Style(
    **_STYLE,
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=14,
    value_font_size=13,
    tooltip_font_size=13,
    title_font_size=15,
    no_data_font_size=18,
)
COMPACT_STYLE = Style(
    **_STYLE,
    label_font_size=16,
    major_label_font_size=16,
    legend_font_size=16,
    value_font_size=16,
    tooltip_font_size=16,
    title_font_size=17,
    no_data_font_size=20,
)
Tip = Callable[[str, str, str], str]  # (series name, label, value) -> tooltip
_SERIE_CLASS = re.compile(r"\bserie-(\d+)\b")


def leads_over_time(report: LeadsOverTime, *, description: str) -> Markup:
    """New leads per bucket, stacked by source."""
    labels = [bucket_label(bucket, report.bucket_size, short=True) for bucket in report.buckets]
    chart = pygal.StackedBar(
        **_config(height=340, width=820, style=STYLE),
        x_labels=labels,
        x_labels_major_every=max(1, math.ceil(len(labels) / 8)) if len(labels) > 12 else None,
        show_minor_x_labels=len(labels) <= 12,
        y_labels=integer_ticks(max(report.totals, default=0)),
        legend_at_bottom=True,
        legend_at_bottom_columns=max(1, len(report.series)),  # one row: pygal clips a second
    )
    for series in report.series:
        chart.add(series.name, list(series.values))
    names = [series.name for series in report.series]
    return _render(
        chart, description, names, lambda name, label, value: f"{name} · {label}: {value}"
    )


def funnel(report: Funnel, *, description: str) -> Markup:
    """Leads per stage, in the pipeline's order from the top."""
    stages = list(reversed(report.stages))  # pygal draws the first label at the bottom
    chart = pygal.HorizontalBar(
        **_config(height=70 + 40 * len(stages), width=480),
        x_labels=[_short(stage.name) for stage in stages],
        y_labels=integer_ticks(max((stage.leads for stage in stages), default=0)),
        show_legend=False,
    )
    values = [
        {"value": stage.leads, "color": stage.color or KIND_COLORS.get(stage.kind, PALETTE[0])}
        for stage in stages
    ]
    chart.add("Leads", values)
    return _render(chart, description, ["Leads"], lambda _n, label, value: f"{label}: {value}")


def by_status(counts: Sequence[Count], *, description: str) -> Markup:
    """A donut of leads by status."""
    chart = pygal.Pie(
        **_config(height=270, width=480),
        inner_radius=0.55,
        legend_at_bottom=False,
    )
    shown = [(status_label(count.label), count.count) for count in counts[:MAX_SLICES]]
    if len(counts) > MAX_SLICES:  # the table lists every status; the donut keeps to a few
        shown[-1] = ("Other statuses", sum(count.count for count in counts[MAX_SLICES - 1 :]))
    for name, n in shown:
        chart.add(f"{name} ({n})", [n])
    names = [name for name, _ in shown]
    return _render(chart, description, names, lambda name, _label, value: f"{name}: {value}")


def top_forms(forms: Sequence[FormCount], *, description: str) -> Markup:
    """Submissions and the new leads they made, per form."""
    rows = list(reversed(forms))
    chart = pygal.HorizontalBar(
        **_config(height=90 + 52 * len(rows), width=480),
        x_labels=[_short(form.name, 18) for form in rows],
        y_labels=integer_ticks(max((form.submissions for form in rows), default=0)),
        legend_at_bottom=True,
    )
    chart.add("Submissions", [form.submissions for form in rows])
    chart.add("New leads", [form.new_leads for form in rows])
    names = ["Submissions", "New leads"]
    return _render(
        chart, description, names, lambda name, label, value: f"{label} · {name}: {value}"
    )


def ranked(rows: Sequence[tuple[str, int]], *, name: str, description: str) -> Markup:
    """One count per named thing, as horizontal bars in the order given (calls per API key)."""
    shown = list(reversed(rows))  # pygal draws the first label at the bottom
    chart = pygal.HorizontalBar(
        **_config(height=70 + 40 * len(shown), width=480),
        x_labels=[_short(label) for label, _count in shown],
        y_labels=integer_ticks(max((count for _label, count in shown), default=0)),
        show_legend=False,
    )
    chart.add(name, [count for _label, count in shown])
    return _render(chart, description, [name], lambda _n, label, value: f"{label}: {value}")


def per_day(
    days: Sequence[date], series: Sequence[tuple[str, Sequence[int]]], *, description: str
) -> Markup:
    """Counts per day for a few series, as bars side by side (a lead magnet's views, captures)."""
    labels = [bucket_label(day, "day", short=True) for day in days]
    return _bars(labels, series, description=description)


def per_month(
    months: Sequence[date], series: Sequence[tuple[str, Sequence[int]]], *, description: str
) -> Markup:
    """Counts per month for a few series, as bars side by side (API calls per month)."""
    labels = [bucket_label(month, "month") for month in months]
    return _bars(labels, series, description=description)


def _bars(
    labels: list[str], series: Sequence[tuple[str, Sequence[int]]], *, description: str
) -> Markup:
    top = max((max(values, default=0) for _name, values in series), default=0)
    chart = pygal.Bar(
        **_config(height=320, width=820, style=STYLE),
        x_labels=labels,
        x_labels_major_every=max(1, math.ceil(len(labels) / 8)) if len(labels) > 12 else None,
        show_minor_x_labels=len(labels) <= 12,
        y_labels=integer_ticks(top),
        legend_at_bottom=True,
        legend_at_bottom_columns=max(1, len(series)),
    )
    for name, values in series:
        chart.add(name, list(values))
    names = [name for name, _values in series]
    return _render(
        chart, description, names, lambda name, label, value: f"{name} · {label}: {value}"
    )


# -- labels ---------------------------------------------------------------------------------


def bucket_label(bucket: date, size: str, *, short: bool = False) -> str:
    """'3 Mar' for a day, 'Week of 3 Mar' for a week, 'Mar 2025' for a month."""
    day = f"{bucket.day} {bucket:%b}"
    if size == "month":
        return f"{bucket:%b %Y}"
    if size == "week" and not short:
        return f"Week of {day} {bucket.year}"
    return day if short else f"{day} {bucket.year}"


def _short(text: str, most: int = 24) -> str:
    """A label short enough for an axis (the table beside the chart has it in full)."""
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def status_label(status: str) -> str:
    return status.replace("_", " ").replace("-", " ").capitalize() or "—"


def integer_ticks(top: int, most: int = 6) -> list[int]:
    """Whole-number axis ticks from 0 to `top` or just past it, at most `most` of them, at a
    step of 1, 2 or 5 times a power of ten (pygal's own ticks may be fractions of a lead)."""
    highest = max(top, 1)
    step = 1
    while math.ceil(highest / step) > most - 1:
        step = _next_step(step)
    return list(range(0, math.ceil(highest / step) * step + step, step))


def _next_step(step: int) -> int:
    """1, 2, 5, 10, 20, 50, 100, …"""
    digits = str(step)
    following = {1: 2, 2: 5, 5: 10}[int(digits[0])]
    return int(following * 10 ** (len(digits) - 1))


# -- rendering ------------------------------------------------------------------------------


def _config(*, height: int, width: int, style: Style = COMPACT_STYLE) -> dict[str, Any]:
    return {
        "style": style,
        "width": width,
        "height": height,
        "explicit_size": False,  # a viewBox only: the SVG scales to its container
        "disable_xml_declaration": True,
        "js": [],  # no tooltip script from pygal's CDN
        "margin": 12,
        "spacing": 14,
        "print_values": False,
        "show_y_guides": True,
        "truncate_legend": 28,
        "truncate_label": -1,
        "no_data_text": "No data",
    }


def _render(chart: Any, description: str, names: list[str], tip: Tip) -> Markup:
    chart.add_xml_filter(lambda root: _tidy(root, description, names, tip))
    return Markup(str(chart.render(is_unicode=True)))


def _tidy(root: Element, description: str, names: list[str], tip: Tip) -> Element:
    """No scripts; the chart named for screen readers; a native tooltip on every bar or slice."""
    for parent in list(root.iter()):
        for child in list(parent):
            if _local(child.tag) == "script":
                parent.remove(child)
    root.set("role", "img")
    root.set("aria-label", description)
    for child in root:
        if _local(child.tag) == "title":
            child.text = description
    for group in root.iter():
        found = _SERIE_CLASS.search(group.get("class", ""))
        if _local(group.tag) != "g" or not found or int(found.group(1)) >= len(names):
            continue
        for item in group.iter():
            if _local(item.tag) == "g" and item.get("class") in ("bar", "slice"):
                _add_tip(item, names[int(found.group(1))], tip)
    return root


def _add_tip(item: Element, name: str, tip: Tip) -> None:
    texts = {desc.get("class"): desc.text or "" for desc in item if _local(desc.tag) == "desc"}
    title = SubElement(item, "title")
    title.text = tip(name, texts.get("x_label") or name, texts.get("value", ""))


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1]
