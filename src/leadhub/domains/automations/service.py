"""Automations: stored, listed, enabled and disabled; their shapes are checked strictly by the
schemas and the records they name by `references` (running them is the runner's work)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.domains.automations import references
from leadhub.domains.automations.repository import AutomationRepository
from leadhub.domains.automations.schemas import (
    AutomationCreate,
    AutomationFields,
    AutomationRead,
    AutomationUpdate,
)
from leadhub.errors import Invalid, NotFound
from leadhub.kit.pagination import Page, PageRequest
from leadhub.models import Automation


def list_automations(
    session: Session, principal: Principal, *, page: PageRequest
) -> Page[AutomationRead]:
    """The workspace's automations, oldest first."""
    repo = AutomationRepository(session, principal.workspace_id)
    rows, total = repo.page(page)
    return Page(items=[_read(row) for row in rows], total=total, request=page)


def get_automation(session: Session, principal: Principal, automation_id: int) -> AutomationRead:
    """One automation."""
    repo = AutomationRepository(session, principal.workspace_id)
    return _read(_require(repo, automation_id))


def create_automation(
    session: Session, principal: Principal, *, data: AutomationCreate
) -> AutomationRead:
    """A new automation; the records it names must exist in the workspace."""
    repo = AutomationRepository(session, principal.workspace_id)
    _check(repo, data)
    row = repo.add(
        Automation(
            trigger_type=data.trigger.type,
            match="all",
            is_active=True,
            agency_grant_id=principal.grant_id,
        )
    )
    _apply(row, data)
    session.flush()
    return _read(row)


def update_automation(
    session: Session, principal: Principal, automation_id: int, *, data: AutomationUpdate
) -> AutomationRead:
    """Change an automation, or enable or disable it with `is_active`."""
    repo = AutomationRepository(session, principal.workspace_id)
    row = _require(repo, automation_id)
    _check(repo, data)
    _apply(row, data)
    row.agency_grant_id = principal.grant_id
    session.flush()
    return _read(row)


def delete_automation(session: Session, principal: Principal, automation_id: int) -> None:
    """Delete an automation."""
    repo = AutomationRepository(session, principal.workspace_id)
    session.delete(_require(repo, automation_id))
    session.flush()


# -- helpers --------------------------------------------------------------------------------


def _require(repo: AutomationRepository, automation_id: int) -> Automation:
    row = repo.get(Automation, automation_id)
    if row is None:
        raise NotFound.of("Automation")
    return row


def _check(repo: AutomationRepository, data: AutomationFields) -> None:
    errors = references.check(repo, data.trigger, data.actions)
    if data.name is not None and not data.name.strip():
        errors.add("name", "The name field is required.")
    if errors:
        raise Invalid(errors)


def _apply(row: Automation, data: AutomationFields) -> None:
    if data.name is not None:
        row.name = data.name.strip()
    if "description" in data.model_fields_set:
        row.description = (data.description or "").strip() or None
    if data.trigger is not None:
        row.trigger = data.trigger.model_dump(mode="json")
        row.trigger_type = data.trigger.type
    if data.conditions is not None:
        row.conditions = [condition.model_dump(mode="json") for condition in data.conditions]
    if data.match is not None:
        row.match = data.match
    if data.actions is not None:
        row.actions = [action.model_dump(mode="json") for action in data.actions]
    if data.is_active is not None:
        row.is_active = data.is_active


def _read(row: Automation) -> AutomationRead:
    return AutomationRead(
        id=row.id,
        name=row.name,
        description=row.description,
        trigger=row.trigger,
        conditions=row.conditions or [],
        match=row.match,
        actions=row.actions,
        is_active=row.is_active,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
