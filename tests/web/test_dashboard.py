"""The dashboard: charts as inline SVG with their numbers as tables, a period, empty states."""

from __future__ import annotations

import re
from datetime import date, timedelta

from leadhub.db.uow import Database
from leadhub.kit.clock import utcnow
from tests.domains.report_data import lead_on, make_form, submit_on
from tests.factories import Workspace, default_pipeline, make_workspace
from tests.surfaces.native.lead_helpers import make_pipeline
from tests.web.conftest import WebSession
from tests.web.tables import rows, section


def days_ago(n: int) -> date:
    return utcnow().date() - timedelta(days=n)


def day_label(day: date) -> str:
    return f"{day.day} {day:%b} {day.year}"


def seed(db: Database, workspace: Workspace) -> None:
    """Seven leads on five days from two sources (two of them from forms, one 40 days ago),
    three in the default pipeline; three submissions of two forms."""
    _, stages = default_pipeline(db, workspace)
    lead_on(db, workspace, days_ago(0), source="form", pipeline_stage_id=stages[0], value=100)
    lead_on(db, workspace, days_ago(0), source="api", pipeline_stage_id=stages[0], value=50)
    lead_on(db, workspace, days_ago(2), source="form", status="contacted")
    lead_on(db, workspace, days_ago(10), source="form", pipeline_stage_id=stages[4])
    lead_on(db, workspace, days_ago(40), source="api")  # before the last 30 days
    contact = make_form(db, workspace, "Contact us")
    submit_on(db, workspace, contact, days_ago(1), "ann@example.com")
    submit_on(db, workspace, contact, days_ago(3), "ann@example.com")
    submit_on(db, workspace, make_form(db, workspace, "Book a demo"), days_ago(1), "bo@example.com")


def test_the_charts_are_inline_svg_without_any_script(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    seed(db, workspace)
    page = owner.get("/").text
    svgs = re.findall(r"<svg\b.*?</svg>", page, re.S)
    assert len(svgs) == 4
    assert all('role="img"' in svg and "aria-label=" in svg for svg in svgs)
    assert "<script" not in "".join(svgs)
    assert page.count("<script") == 1  # the app's own app.js, nothing from pygal
    assert "kozea.github.io" not in page and "<?xml" not in page


def test_new_leads_by_source_per_day_with_the_numbers(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    seed(db, workspace)
    table = rows(section(owner.get("/").text, "h-over-time"))
    assert table[0] == ["Day", "form", "api", "Total"]
    by_day = {row[0]: row[1:] for row in table[1:]}
    assert by_day[day_label(days_ago(0))] == ["1", "1", "2"]
    assert by_day[day_label(days_ago(1))] == ["2", "0", "2"]  # the forms' two new leads
    assert by_day[day_label(days_ago(2))] == ["1", "0", "1"]
    assert by_day[day_label(days_ago(3))] == ["0", "0", "0"]  # a second submission by Ann
    assert by_day[day_label(days_ago(10))] == ["1", "0", "1"]
    assert by_day["Total"] == ["5", "1", "6"]
    assert len(table) == 1 + 30 + 1


def test_the_funnel_status_and_forms_tables(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    seed(db, workspace)
    page = owner.get("/").text
    funnel = rows(section(page, "h-funnel"))
    assert ["New", "2", "67%", "150.00"] in funnel
    assert ["Won won", "1", "33%", "0.00"] in funnel
    statuses = rows(section(page, "h-status"))
    assert statuses[1:] == [["New", "5", "83%"], ["Contacted", "1", "17%"]]
    forms = rows(section(page, "h-forms"))
    assert forms[1:] == [["Contact us", "2", "1"], ["Book a demo", "1", "1"]]
    stats = page.split('class="grid grid-3 dash-stats"')[1].split("</section>")[0]
    assert '<span class="stat-value">6</span>' in stats  # new leads
    assert '<span class="stat-value">3</span>' in stats  # submissions


def test_the_period_comes_from_the_query_string(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    seed(db, workspace)
    page = owner.get("/?period=7d").text
    assert 'href="?period=7d" aria-current="page"' in page
    table = rows(section(page, "h-over-time"))
    assert len(table) == 1 + 7 + 1 and table[-1] == ["Total", "4", "1", "5"]
    weekly = rows(section(owner.get("/?period=12w").text, "h-over-time"))
    assert weekly[0][0] == "Week" and len(weekly) == 1 + 12 + 1
    yearly = rows(section(owner.get("/?period=12m").text, "h-over-time"))
    assert yearly[-1] == ["Total", "5", "2", "7"]


def test_an_unknown_period_shows_the_last_30_days(owner: WebSession) -> None:
    page = owner.get("/?period=forever")
    assert page.status_code == 200
    assert 'href="?period=30d" aria-current="page"' in page.text


def test_the_funnel_of_a_chosen_pipeline(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    pipeline_id, *stages = make_pipeline(db, workspace, "Hiring", stages=2)
    lead_on(db, workspace, days_ago(1), pipeline_stage_id=stages[1])
    page = owner.get(f"/?pipeline={pipeline_id}").text
    assert f'<option value="{pipeline_id}" selected>Hiring</option>' in page
    assert ["Hiring 1", "1", "100%", "0.00"] in rows(section(page, "h-funnel"))
    assert f"period=7d&amp;pipeline={pipeline_id}" in page  # the period links keep it


def test_a_pipeline_of_another_workspace_is_not_found(owner: WebSession, db: Database) -> None:
    other, _ = default_pipeline(db, make_workspace(db, "globex"))
    assert owner.get(f"/?pipeline={other}").status_code == 404


def test_empty_states_when_there_is_nothing_to_count(owner: WebSession) -> None:
    page = owner.get("/").text
    assert "<svg" not in page
    assert "No new leads last 30 days" in page
    assert "No leads in Sales yet" in page
    assert "No form submissions last 30 days" in page
    assert "No leads yet" in page


def test_the_latest_leads_are_listed(owner: WebSession, db: Database, workspace: Workspace) -> None:
    lead_on(db, workspace, days_ago(3), first_name="Ann", last_name="Lee")
    latest = section(owner.get("/").text, "h-latest")
    assert "Ann Lee" in latest


def test_members_see_the_dashboard_of_their_workspace(
    member: WebSession, db: Database, workspace: Workspace
) -> None:
    lead_on(db, workspace, days_ago(0), source="form")
    lead_on(db, make_workspace(db, "globex"), days_ago(0), source="elsewhere")
    page = member.get("/")
    assert page.status_code == 200
    assert "elsewhere" not in page.text
    assert rows(section(page.text, "h-over-time"))[-1] == ["Total", "1", "1"]
