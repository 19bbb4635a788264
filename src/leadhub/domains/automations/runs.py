"""The runs of automations: stored by the runner, read back with their steps."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.db.scoped import ScopedRepository
from leadhub.kit.clock import utcnow
from leadhub.kit.pagination import Page, PageRequest
from leadhub.models import Automation, AutomationRun

# Asked for every recorded lead event: built once.
_ANY_ACTIVE = (
    select(Automation.id)
    .where(
        Automation.workspace_id == bindparam("workspace_id"),
        Automation.trigger_type == bindparam("trigger_type"),
        Automation.is_active.is_(True),
    )
    .limit(1)
)


class RunRepository(ScopedRepository):
    def any_active(self, trigger_type: str) -> bool:
        values = {"workspace_id": self.workspace_id, "trigger_type": trigger_type}
        return self.session.connection().execute(_ANY_ACTIVE, values).first() is not None

    def active_automations(self, trigger_type: str) -> list[Automation]:
        statement = (
            self.select(Automation)
            .where(Automation.trigger_type == trigger_type, Automation.is_active.is_(True))
            .order_by(Automation.id)
        )
        return list(self.session.scalars(statement))

    def page_for(self, automation_id: int, page: PageRequest) -> tuple[list[AutomationRun], int]:
        statement = (
            self.select(AutomationRun)
            .where(AutomationRun.automation_id == automation_id)
            .order_by(AutomationRun.id.desc())
        )
        return self.page_of(statement, page)

    def latest(self, automation_ids: Collection[int]) -> list[AutomationRun]:
        if not automation_ids:
            return []
        newest = (
            self.select_columns(AutomationRun, func.max(AutomationRun.id))
            .where(AutomationRun.automation_id.in_(set(automation_ids)))
            .group_by(AutomationRun.automation_id)
        )
        statement = self.select(AutomationRun).where(AutomationRun.id.in_(newest))
        return list(self.session.scalars(statement))


class StepRead(BaseModel):
    action: int | None
    type: str
    outcome: str
    message: str
    at: str


class RunRead(BaseModel):
    id: int
    automation_id: int
    lead_id: int
    event_id: int | None
    status: str
    steps: list[StepRead]
    next_action: int
    error: str | None
    depth: int
    created_at: datetime
    finished_at: datetime | None


def add_step(run: AutomationRun, index: int | None, kind: str, outcome: str, message: str) -> None:
    """Log one step of a run (a new list, so the JSON column sees the change)."""
    step: dict[str, Any] = {
        "action": index,
        "type": kind,
        "outcome": outcome,
        "message": message[:2000],
        "at": utcnow().isoformat(),
    }
    run.steps = [*(run.steps or []), step]


def list_runs(
    session: Session, principal: Principal, automation_id: int, *, page: PageRequest
) -> Page[RunRead]:
    """An automation's runs, newest first."""
    rows, total = RunRepository(session, principal.workspace_id).page_for(automation_id, page)
    return Page(items=[_read(row) for row in rows], total=total, request=page)


def latest_runs(
    session: Session, principal: Principal, automation_ids: Collection[int]
) -> dict[int, RunRead]:
    """The newest run of each of these automations that has run."""
    rows = RunRepository(session, principal.workspace_id).latest(automation_ids)
    return {row.automation_id: _read(row) for row in rows}


def _read(row: AutomationRun) -> RunRead:
    return RunRead.model_validate(row, from_attributes=True)
