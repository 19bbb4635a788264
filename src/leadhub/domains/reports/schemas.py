"""What the report services give: plain numbers, ready for a chart and a table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal


@dataclass(frozen=True)
class Window:
    """The period a report covers: from `start` (inclusive) to `end` (exclusive), in UTC."""

    key: str
    label: str
    start: datetime
    end: datetime
    buckets: tuple[date, ...]
    bucket_size: str  # "day", "week" or "month"

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        return (self.end - timedelta(days=1)).date()

    @property
    def previous(self) -> tuple[datetime, datetime]:
        """The period of the same length just before this one."""
        return self.start - (self.end - self.start), self.start


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.values)


@dataclass(frozen=True)
class LeadsOverTime:
    """New leads per bucket, one series per source (the smaller sources added up as one)."""

    buckets: tuple[date, ...]
    bucket_size: str
    series: tuple[Series, ...]

    @property
    def totals(self) -> tuple[int, ...]:
        return tuple(sum(column) for column in zip(*(s.values for s in self.series), strict=True))

    @property
    def total(self) -> int:
        return sum(series.total for series in self.series)


@dataclass(frozen=True)
class StageCount:
    stage_id: int
    name: str
    kind: str
    color: str | None
    leads: int
    value: Decimal


@dataclass(frozen=True)
class PipelineOption:
    id: int
    name: str
    is_default: bool


@dataclass(frozen=True)
class Funnel:
    """Leads created in the period, by the stage of one pipeline they stand in now."""

    pipeline: PipelineOption | None
    pipelines: tuple[PipelineOption, ...]
    stages: tuple[StageCount, ...]

    @property
    def total(self) -> int:
        return sum(stage.leads for stage in self.stages)


@dataclass(frozen=True)
class Count:
    label: str
    count: int


@dataclass(frozen=True)
class FormCount:
    form_id: int
    name: str
    submissions: int
    new_leads: int


@dataclass(frozen=True)
class Totals:
    new_leads: int
    previous_new_leads: int
    submissions: int
    won: int

    @property
    def change(self) -> float | None:
        """The change in new leads against the previous period, as a fraction (None from 0)."""
        if not self.previous_new_leads:
            return None
        return (self.new_leads - self.previous_new_leads) / self.previous_new_leads


@dataclass(frozen=True)
class Dashboard:
    window: Window
    totals: Totals
    over_time: LeadsOverTime
    funnel: Funnel
    statuses: tuple[Count, ...]
    top_forms: tuple[FormCount, ...]
