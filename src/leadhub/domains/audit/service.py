"""The audit log: one entry per account action (keys, users, grants, lists, imports, exports,
credits), written in the same transaction as the action, so an entry exists exactly when the
action happened."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import or_
from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.db.scoped import ScopedRepository
from leadhub.kit.pagination import Page, PageRequest
from leadhub.models import ApiKey, AuditEntry, User


class AuditActor(BaseModel):
    type: str  # user | api_key | system
    id: int | None
    name: str | None


class AuditTarget(BaseModel):
    type: str
    id: str | None


class AuditRead(BaseModel):
    id: int
    action: str
    actor: AuditActor
    target: AuditTarget | None
    details: dict[str, Any]
    ip_address: str | None
    date_created: datetime


def record(
    session: Session,
    workspace_id: int,
    principal: Principal | None,
    action: str,
    *,
    target_type: str | None = None,
    target_id: int | str | None = None,
    details: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> None:
    """Note an action; `principal` None is the system (a job or the command line)."""
    actor_type, actor_id, actor_name = _actor(session, principal)
    ScopedRepository(session, workspace_id).add(
        AuditEntry(
            action=action,
            actor_type=actor_type,
            actor_id=actor_id,
            actor_name=actor_name,
            target_type=target_type,
            target_id=None if target_id is None else str(target_id),
            details=details or {},
            ip_address=ip_address,
        )
    )
    session.flush()


def list_entries(
    session: Session,
    principal: Principal,
    *,
    page: PageRequest,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Page[AuditRead]:
    """The workspace's audit log, newest first. `action` is one action (`list.created`) or a
    family (`list`: every `list.*`); `since` and `until` bound the time, both inclusive."""
    repo = ScopedRepository(session, principal.workspace_id)
    statement = repo.select(AuditEntry)
    wanted = (action or "").strip()
    if wanted:
        family = wanted.rstrip(".*")
        statement = statement.where(
            or_(
                AuditEntry.action == wanted,
                AuditEntry.action.startswith(family + ".", autoescape=True),
            )
        )
    if since is not None:
        statement = statement.where(AuditEntry.created_at >= since)
    if until is not None:
        statement = statement.where(AuditEntry.created_at <= until)
    statement = statement.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    entries, total = repo.page_of(statement, page)
    return Page(items=[to_read(entry) for entry in entries], total=total, request=page)


def to_read(entry: AuditEntry) -> AuditRead:
    """An entry as every surface shows it: the actor and the target as small objects."""
    target = AuditTarget(type=entry.target_type, id=entry.target_id) if entry.target_type else None
    return AuditRead(
        id=entry.id,
        action=entry.action,
        actor=AuditActor(type=entry.actor_type, id=entry.actor_id, name=entry.actor_name),
        target=target,
        details=dict(entry.details or {}),
        ip_address=entry.ip_address,
        date_created=entry.created_at,
    )


def _actor(session: Session, principal: Principal | None) -> tuple[str, int | None, str | None]:
    if principal is None:
        return "system", None, None
    if principal.user_id is not None:
        user = session.get(User, principal.user_id)
        return "user", principal.user_id, user.email if user is not None else None
    if principal.api_key_id is not None:
        key = session.get(ApiKey, principal.api_key_id)
        return "api_key", principal.api_key_id, key.name if key is not None else None
    return "system", None, None
