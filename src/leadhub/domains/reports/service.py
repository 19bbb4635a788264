"""Reports for the dashboard: new leads over time by source, the funnel of a pipeline, leads by
status and the top forms, all for one period of whole UTC days that ends today."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.domains.reports.repository import ReportRepository
from leadhub.domains.reports.schemas import (
    Count,
    Dashboard,
    FormCount,
    Funnel,
    LeadsOverTime,
    PipelineOption,
    Series,
    StageCount,
    Totals,
    Window,
)
from leadhub.errors import Invalid, NotFound
from leadhub.kit.clock import utcnow


@dataclass(frozen=True)
class Period:
    label: str
    count: int
    bucket_size: str  # "day", "week" (from Monday) or "month"


PERIODS: dict[str, Period] = {
    "7d": Period("Last 7 days", 7, "day"),
    "30d": Period("Last 30 days", 30, "day"),
    "12w": Period("Last 12 weeks", 12, "week"),
    "12m": Period("Last 12 months", 12, "month"),
}
DEFAULT_PERIOD = "30d"
# The sources drawn as their own series; the others are added up as one, so a chart stays legible.
MAX_SOURCES = 5
OTHER_SOURCES = "Other sources"
TOP_FORMS = 5
_NOTHING = (0, Decimal(0))


def window(key: str = DEFAULT_PERIOD, *, today: date | None = None) -> Window:
    """The period named `key`, ending with today (UTC), and its buckets."""
    period = PERIODS.get(key)
    if period is None:
        raise Invalid.field("period", f"The period must be one of {', '.join(PERIODS)}.")
    last = today or utcnow().date()
    buckets = [bucket_of(last, period.bucket_size)]
    for _ in range(period.count - 1):
        buckets.insert(0, bucket_of(buckets[0] - timedelta(days=1), period.bucket_size))
    return Window(
        key=key,
        label=period.label,
        start=_midnight(buckets[0]),
        end=_midnight(last + timedelta(days=1)),
        buckets=tuple(buckets),
        bucket_size=period.bucket_size,
    )


def bucket_of(day: date, size: str) -> date:
    """The first day of the bucket that holds `day`."""
    if size == "week":
        return day - timedelta(days=day.weekday())
    if size == "month":
        return day.replace(day=1)
    return day


def dashboard(
    session: Session,
    principal: Principal,
    *,
    period: str = DEFAULT_PERIOD,
    pipeline_id: int | None = None,
    today: date | None = None,
) -> Dashboard:
    """Every dashboard report for one period; the funnel of the default pipeline unless named."""
    span = window(period, today=today)
    return Dashboard(
        window=span,
        totals=totals(session, principal, span),
        over_time=leads_over_time(session, principal, span),
        funnel=funnel(session, principal, span, pipeline_id=pipeline_id),
        statuses=leads_by_status(session, principal, span),
        top_forms=top_forms(session, principal, span),
    )


def totals(session: Session, principal: Principal, span: Window) -> Totals:
    """New leads (and in the period before), form submissions and won leads of the period."""
    repo = ReportRepository(session, principal.workspace_id)
    return Totals(
        new_leads=repo.count_new_leads(span.start, span.end),
        previous_new_leads=repo.count_new_leads(*span.previous),
        submissions=repo.count_submissions(span.start, span.end),
        won=repo.count_won(span.start, span.end),
    )


def leads_over_time(session: Session, principal: Principal, span: Window) -> LeadsOverTime:
    """New leads per day, week or month, one series per source (biggest first)."""
    repo = ReportRepository(session, principal.workspace_id)
    counts: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for day, source, n in repo.new_leads_by_day_and_source(span.start, span.end):
        counts[source][bucket_of(day, span.bucket_size)] += n
    ranked = sorted(counts, key=lambda source: (-sum(counts[source].values()), source))
    kept, rest = ranked[:MAX_SOURCES], ranked[MAX_SOURCES:]
    if len(rest) == 1:  # one more series reads better than "other" standing for a single source
        kept, rest = ranked, []
    series = [Series(source, _row(counts[source], span.buckets)) for source in kept]
    if rest:
        merged: dict[date, int] = defaultdict(int)
        for source in rest:
            for bucket, n in counts[source].items():
                merged[bucket] += n
        series.append(Series(OTHER_SOURCES, _row(merged, span.buckets)))
    return LeadsOverTime(buckets=span.buckets, bucket_size=span.bucket_size, series=tuple(series))


def funnel(
    session: Session, principal: Principal, span: Window, *, pipeline_id: int | None = None
) -> Funnel:
    """Leads created in the period, by the stage of the pipeline they are in now."""
    repo = ReportRepository(session, principal.workspace_id)
    options = tuple(PipelineOption(p.id, p.name, p.is_default) for p in repo.pipelines())
    if pipeline_id is None:
        chosen = options[0] if options else None
    else:
        chosen = next((option for option in options if option.id == pipeline_id), None)
        if chosen is None:
            raise NotFound.of("Pipeline")
    if chosen is None:
        return Funnel(pipeline=None, pipelines=options, stages=())
    counts = repo.new_leads_by_stage(chosen.id, span.start, span.end)
    stages = tuple(
        StageCount(
            stage_id=stage.id,
            name=stage.name,
            kind=stage.kind,
            color=stage.color,
            leads=counts.get(stage.id, _NOTHING)[0],
            value=counts.get(stage.id, _NOTHING)[1],
        )
        for stage in repo.stages(chosen.id)
    )
    return Funnel(pipeline=chosen, pipelines=options, stages=stages)


def leads_by_status(session: Session, principal: Principal, span: Window) -> tuple[Count, ...]:
    """Leads created in the period by their status, the most common first."""
    repo = ReportRepository(session, principal.workspace_id)
    return tuple(Count(status, n) for status, n in repo.new_leads_by_status(span.start, span.end))


def top_forms(
    session: Session, principal: Principal, span: Window, *, limit: int = TOP_FORMS
) -> tuple[FormCount, ...]:
    """The forms with the most submissions in the period, and the new leads they brought."""
    repo = ReportRepository(session, principal.workspace_id)
    rows = repo.submissions_by_form(span.start, span.end, limit)
    return tuple(FormCount(form_id, name, n, fresh) for form_id, name, n, fresh in rows)


def _row(counts: dict[date, int], buckets: tuple[date, ...]) -> tuple[int, ...]:
    return tuple(counts.get(bucket, 0) for bucket in buckets)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)
