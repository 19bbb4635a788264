"""Integrations: settings checked against their type, secrets write-only and encrypted at rest
with the SecretBox the edge passes in (the domain never reads the node's settings)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.domains.integrations import values
from leadhub.domains.integrations.catalog import BY_TYPE, TYPES, IntegrationType
from leadhub.domains.integrations.repository import IntegrationRepository
from leadhub.domains.integrations.schemas import (
    IntegrationCreate,
    IntegrationRead,
    IntegrationTypeRead,
    IntegrationUpdate,
    SettingRead,
)
from leadhub.errors import Invalid, NotFound
from leadhub.kit.crypto import SecretBox, SecretUnreadable
from leadhub.kit.pagination import Page, PageRequest
from leadhub.models import Integration

_NAME_REQUIRED = "The name field is required."


def list_types() -> list[IntegrationTypeRead]:
    """The integration types LeadHub supports and the settings each one takes."""
    return [
        IntegrationTypeRead(
            type=spec.type,
            label=spec.label,
            description=spec.description,
            settings=[
                SettingRead(
                    name=setting.name,
                    label=setting.label,
                    kind=setting.kind,
                    required=setting.required,
                    default=setting.default,
                )
                for setting in spec.settings
            ],
        )
        for spec in TYPES
    ]


def list_integrations(
    session: Session, principal: Principal, *, page: PageRequest, secret_box: SecretBox
) -> Page[IntegrationRead]:
    """The workspace's integrations, secrets masked."""
    repo = IntegrationRepository(session, principal.workspace_id)
    rows, total = repo.page(page)
    return Page(items=[_read(row, secret_box) for row in rows], total=total, request=page)


def get_integration(
    session: Session, principal: Principal, integration_id: int, *, secret_box: SecretBox
) -> IntegrationRead:
    """One integration, secrets masked."""
    repo = IntegrationRepository(session, principal.workspace_id)
    return _read(_require(repo, integration_id), secret_box)


def create_integration(
    session: Session, principal: Principal, *, data: IntegrationCreate, secret_box: SecretBox
) -> IntegrationRead:
    """A new integration; its settings must satisfy its type."""
    repo = IntegrationRepository(session, principal.workspace_id)
    spec = BY_TYPE[data.type]
    plain, secrets, errors = values.merge(spec, data.settings or {}, plain={}, secrets={})
    name = (data.name or spec.label).strip()
    if not name:
        errors.add("name", _NAME_REQUIRED)
    if errors:
        raise Invalid(errors)
    row = repo.add(
        Integration(
            type=spec.type,
            name=name,
            is_active=True if data.is_active is None else data.is_active,
            agency_grant_id=principal.grant_id,
        )
    )
    _store(row, plain, secrets, secret_box)
    session.flush()
    return _read(row, secret_box)


def update_integration(
    session: Session,
    principal: Principal,
    integration_id: int,
    *,
    data: IntegrationUpdate,
    secret_box: SecretBox,
) -> IntegrationRead:
    """Change an integration: settings merge, an omitted secret keeps its value."""
    repo = IntegrationRepository(session, principal.workspace_id)
    row = _require(repo, integration_id)
    spec = _spec(row)
    if data.type is not None and data.type != row.type:
        raise Invalid.field("type", "The type of an integration cannot change.")
    if data.name is not None:
        row.name = _name(data.name)
    if data.settings is not None:
        stored, _unreadable = _secrets(row, secret_box)
        plain, secrets, errors = values.merge(
            spec, data.settings, plain=row.settings or {}, secrets=stored
        )
        if errors:
            raise Invalid(errors)
        _store(row, plain, secrets, secret_box)
    if data.is_active is not None:
        row.is_active = data.is_active
    row.agency_grant_id = principal.grant_id
    session.flush()
    return _read(row, secret_box)


def delete_integration(session: Session, principal: Principal, integration_id: int) -> None:
    """Delete an integration that no automation uses."""
    repo = IntegrationRepository(session, principal.workspace_id)
    row = _require(repo, integration_id)
    users = repo.automations_using(row.id)
    if users:
        listed = ", ".join(str(automation_id) for automation_id in users)
        raise Invalid.field(
            "id", f"The integration is used by automation(s) {listed}; change them first."
        )
    session.delete(row)
    session.flush()


# -- helpers --------------------------------------------------------------------------------


def _require(repo: IntegrationRepository, integration_id: int) -> Integration:
    row = repo.get(Integration, integration_id)
    if row is None:
        raise NotFound.of("Integration")
    return row


def _name(raw: str) -> str:
    name = raw.strip()
    if not name:
        raise Invalid.field("name", _NAME_REQUIRED)
    return name


def _spec(row: Integration) -> IntegrationType:
    return BY_TYPE[row.type]


def _secrets(row: Integration, secret_box: SecretBox) -> tuple[dict[str, str], bool]:
    """The stored secrets, and whether they could not be decrypted (another secret key)."""
    if not row.secrets_encrypted:
        return {}, False
    try:
        stored: Any = secret_box.decrypt_json(row.secrets_encrypted)
    except SecretUnreadable:
        return {}, True
    return ({str(k): str(v) for k, v in stored.items()} if isinstance(stored, dict) else {}), False


def _store(
    row: Integration, plain: dict[str, Any], secrets: dict[str, str], secret_box: SecretBox
) -> None:
    row.settings = plain
    row.secrets_encrypted = secret_box.encrypt_json(secrets) if secrets else None


def _read(row: Integration, secret_box: SecretBox) -> IntegrationRead:
    secrets, unreadable = _secrets(row, secret_box)
    return IntegrationRead(
        id=row.id,
        type=row.type,
        name=row.name,
        settings=values.shown(_spec(row), row.settings or {}, secrets),
        is_active=row.is_active,
        secrets_unreadable=unreadable,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
