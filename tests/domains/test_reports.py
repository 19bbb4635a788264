"""The dashboard's reports: counts per day, week and month, per stage, status and form."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest

from leadhub.db.uow import Database
from leadhub.domains.reports import service as reports
from leadhub.domains.reports.schemas import Dashboard
from leadhub.errors import Invalid, NotFound
from tests.domains.report_data import lead_on, make_form, submit_on
from tests.factories import Workspace, default_pipeline, make_workspace
from tests.surfaces.native.lead_helpers import make_pipeline

TODAY = date(2025, 3, 20)  # a Thursday


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def report(
    db: Database, workspace: Workspace, period: str = "30d", pipeline_id: int | None = None
) -> Dashboard:
    with db.unit_of_work(write=False) as session:
        return reports.dashboard(
            session, workspace.principal(), period=period, pipeline_id=pipeline_id, today=TODAY
        )


# -- periods --------------------------------------------------------------------------------


def test_thirty_days_are_thirty_whole_utc_days_ending_today() -> None:
    span = reports.window("30d", today=TODAY)
    assert len(span.buckets) == 30
    assert span.buckets[0] == days_ago(29) and span.buckets[-1] == TODAY
    assert span.start == datetime.combine(days_ago(29), time.min, tzinfo=UTC)
    assert span.end == datetime.combine(TODAY + timedelta(days=1), time.min, tzinfo=UTC)
    assert span.previous == (span.start - timedelta(days=30), span.start)


def test_weeks_start_on_monday_and_months_on_the_first() -> None:
    weeks = reports.window("12w", today=TODAY)
    assert len(weeks.buckets) == 12
    assert all(bucket.weekday() == 0 for bucket in weeks.buckets)
    assert weeks.buckets[-1] == date(2025, 3, 17)
    months = reports.window("12m", today=TODAY)
    assert months.buckets[0] == date(2024, 4, 1) and months.buckets[-1] == date(2025, 3, 1)
    assert months.last_day == TODAY


def test_an_unknown_period_is_refused() -> None:
    with pytest.raises(Invalid) as caught:
        reports.window("5y")
    assert "period" in caught.value.fields


# -- new leads over time --------------------------------------------------------------------


def test_new_leads_are_counted_per_day_and_source(db: Database, workspace: Workspace) -> None:
    lead_on(db, workspace, TODAY, source="form", moment=time(23, 59))
    lead_on(db, workspace, TODAY, source="form", moment=time(0, 0))
    lead_on(db, workspace, days_ago(3), source="api")
    lead_on(db, workspace, days_ago(29), source="form", moment=time(0, 0))
    lead_on(db, workspace, days_ago(30), source="form", moment=time(23, 59))  # a day too old
    over_time = report(db, workspace).over_time
    by_name = {series.name: series.values for series in over_time.series}
    assert [series.name for series in over_time.series] == ["form", "api"]
    assert by_name["form"][-1] == 2 and by_name["form"][0] == 1
    assert by_name["api"][-4] == 1
    assert over_time.total == 4 and over_time.totals[-1] == 2


def test_weeks_and_months_add_up_their_days(db: Database, workspace: Workspace) -> None:
    lead_on(db, workspace, date(2025, 3, 17), source="form")  # Monday of this week
    lead_on(db, workspace, date(2025, 3, 16), source="form")  # the Sunday before
    lead_on(db, workspace, date(2025, 3, 10), source="form")
    weekly = report(db, workspace, "12w").over_time
    assert weekly.series[0].values[-2:] == (2, 1)
    monthly = report(db, workspace, "12m").over_time
    assert monthly.series[0].values[-1] == 3


def test_the_smaller_sources_are_added_up_as_one(db: Database, workspace: Workspace) -> None:
    for index, source in enumerate(["a", "b", "c", "d", "e", "f", "g"]):
        for _ in range(7 - index):
            lead_on(db, workspace, TODAY, source=source)
    series = report(db, workspace).over_time.series
    assert [s.name for s in series] == ["a", "b", "c", "d", "e", reports.OTHER_SOURCES]
    assert series[-1].total == 2 + 1


def test_another_workspace_leads_are_not_counted(db: Database, workspace: Workspace) -> None:
    other = make_workspace(db, "globex")
    lead_on(db, other, TODAY, source="form")
    lead_on(db, workspace, TODAY, source="api")
    result = report(db, workspace)
    assert result.over_time.total == 1 and result.totals.new_leads == 1


# -- funnel, statuses, forms, totals -----------------------------------------------------------


def test_the_funnel_counts_leads_per_stage_in_order(db: Database, workspace: Workspace) -> None:
    pipeline_id, stages = default_pipeline(db, workspace)
    lead_on(db, workspace, TODAY, pipeline_stage_id=stages[0], value=100)
    lead_on(db, workspace, TODAY, pipeline_stage_id=stages[0], value=50.5)
    lead_on(db, workspace, days_ago(1), pipeline_stage_id=stages[4])
    lead_on(db, workspace, days_ago(40), pipeline_stage_id=stages[1])  # before the period
    funnel = report(db, workspace).funnel
    assert funnel.pipeline is not None and funnel.pipeline.id == pipeline_id
    assert [stage.name for stage in funnel.stages] == [
        "New",
        "Contacted",
        "Qualified",
        "Proposal",
        "Won",
        "Lost",
    ]
    assert [stage.leads for stage in funnel.stages] == [2, 0, 0, 0, 1, 0]
    assert funnel.stages[0].value == Decimal("150.50")
    assert funnel.total == 3


def test_the_funnel_of_another_pipeline(db: Database, workspace: Workspace) -> None:
    other_pipeline, *other_stages = make_pipeline(db, workspace, "Hiring", stages=2)
    lead_on(db, workspace, TODAY, pipeline_stage_id=other_stages[1])
    funnel = report(db, workspace, pipeline_id=other_pipeline).funnel
    assert funnel.pipeline is not None and funnel.pipeline.name == "Hiring"
    assert [stage.leads for stage in funnel.stages] == [0, 1]
    assert [option.name for option in funnel.pipelines] == ["Sales", "Hiring"]


def test_a_pipeline_of_another_workspace_is_not_found(db: Database, workspace: Workspace) -> None:
    other_pipeline, _ = default_pipeline(db, make_workspace(db, "globex"))
    with pytest.raises(NotFound):
        report(db, workspace, pipeline_id=other_pipeline)


def test_leads_by_status_most_common_first(db: Database, workspace: Workspace) -> None:
    lead_on(db, workspace, TODAY, status="won")
    for _ in range(2):
        lead_on(db, workspace, TODAY, status="contacted")
    lead_on(db, workspace, TODAY)
    statuses = report(db, workspace).statuses
    assert [(count.label, count.count) for count in statuses] == [
        ("contacted", 2),
        ("new", 1),
        ("won", 1),
    ]


def test_top_forms_by_submissions_in_the_period(db: Database, workspace: Workspace) -> None:
    contact = make_form(db, workspace, "Contact us")
    demo = make_form(db, workspace, "Book a demo")
    submit_on(db, workspace, contact, TODAY, "a@example.com")
    submit_on(db, workspace, contact, days_ago(2), "a@example.com")  # the same person again
    submit_on(db, workspace, contact, days_ago(3), "b@example.com")
    submit_on(db, workspace, demo, days_ago(1), "c@example.com")
    submit_on(db, workspace, demo, days_ago(45), "d@example.com")  # before the period
    result = report(db, workspace)
    assert [(f.name, f.submissions, f.new_leads) for f in result.top_forms] == [
        ("Contact us", 3, 2),
        ("Book a demo", 1, 1),
    ]
    assert result.totals.submissions == 4


def test_totals_compare_with_the_period_before(db: Database, workspace: Workspace) -> None:
    _, stages = default_pipeline(db, workspace)
    for n in range(3):
        lead_on(db, workspace, days_ago(n), pipeline_stage_id=stages[4])
    lead_on(db, workspace, days_ago(35))
    lead_on(db, workspace, days_ago(59), moment=time(0, 0))
    lead_on(db, workspace, days_ago(60), moment=time(23, 59))  # before both periods
    totals = report(db, workspace).totals
    assert (totals.new_leads, totals.previous_new_leads, totals.won) == (3, 2, 3)
    assert totals.change == pytest.approx(0.5)


def test_an_empty_workspace_has_empty_reports(db: Database, workspace: Workspace) -> None:
    result = report(db, workspace)
    assert result.over_time.series == () and result.over_time.total == 0
    assert result.funnel.total == 0 and len(result.funnel.stages) == 6
    assert result.statuses == () and result.top_forms == ()
    assert result.totals.change is None
