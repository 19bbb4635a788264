"""Agency grants: an agency workspace's access to a client workspace.

The CLI (the operator) grants and revokes by slug and id; in the app an agency's owners and admins
manage their own workspace's grants, on the same rules, and grant access only to workspaces they
administer themselves (the client's owner invites the agency's person first).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.auth.scopes import UnknownScope, canonical_set
from leadhub.db.scoped import ScopedRepository
from leadhub.domains.audit import service as audit
from leadhub.domains.grants.clients import ClientRead, read_grant
from leadhub.domains.users.signin import ADMIN_ROLES
from leadhub.domains.workspaces import service as workspaces
from leadhub.errors import Forbidden, Invalid, NotFound
from leadhub.kit.clock import utcnow
from leadhub.models import AgencyGrant, Automation, Integration, User, Webhook, Workspace

T = TypeVar("T")
# What sends a client's data out, paused when the grant it was set up through is revoked: the
# agency's reach must not outlive its grant, and the client decides whether to switch it on again.
SENDS_DATA_OUT: tuple[type[Webhook] | type[Integration] | type[Automation], ...] = (
    Webhook,
    Integration,
    Automation,
)
LABEL_MAX = 200
_NOT_AGENCY = "Only an agency workspace holds grants on client workspaces."


def create(
    session: Session,
    *,
    agency_slug: str,
    client_slug: str,
    permissions: list[str] | None = None,
    label: str | None = None,
) -> AgencyGrant:
    """Give an agency workspace access to a client workspace (re-activates a revoked grant)."""
    agency = workspaces.get_by_slug(session, agency_slug)
    client = workspaces.get_by_slug(session, client_slug)
    if not agency.is_agency:
        raise Invalid.field("agency", f"Workspace {agency.slug!r} is not an agency workspace.")
    errors: dict[str, list[str]] = {}
    granted = _check(errors, "permissions", lambda: _permissions(permissions or ["*"]))
    if granted is None:
        raise Invalid(errors)
    grant = _grant(session, agency, client, granted, label)
    _note(session, None, "grant.created", grant)
    return grant


def revoke(session: Session, grant_id: int) -> AgencyGrant:
    """Revoke a grant; from then on the agency no longer reaches the client."""
    grant = session.get(AgencyGrant, grant_id)
    if grant is None:
        raise NotFound(f"Grant {grant_id} not found.")
    return _revoke(session, grant, None)


def require_manager(session: Session, principal: Principal) -> None:
    """Forbidden unless the caller may manage grants: an agency's owners and admins."""
    _agency(session, principal)


def list_grants(session: Session, principal: Principal) -> list[ClientRead]:
    """The agency's grants (active and revoked) with their clients, by client name."""
    _agency(session, principal)
    rows = session.execute(
        ScopedRepository(session, principal.workspace_id)
        .select_columns(AgencyGrant, AgencyGrant, Workspace)
        .join(Workspace, Workspace.id == AgencyGrant.client_workspace_id)
        .order_by(Workspace.name, AgencyGrant.id)
    ).all()
    return [read_grant(grant, client) for grant, client in rows]


def get_grant(session: Session, principal: Principal, grant_id: int) -> ClientRead:
    """One of the agency's grants; another agency's is NotFound."""
    _agency(session, principal)
    grant = _scoped(session, principal, grant_id)
    return read_grant(grant, _workspace(session, grant.client_workspace_id))


def grant_client(
    session: Session,
    principal: Principal,
    *,
    client: str,
    permissions: Sequence[str],
    label: str | None = None,
) -> ClientRead:
    """Give this agency access to a client workspace named by slug or public id, within
    `permissions` (re-activates a revoked grant on the same client)."""
    agency = _agency(session, principal)
    errors: dict[str, list[str]] = {}
    found = _check(errors, "client", lambda: _client(session, agency, client, principal))
    granted = _check(errors, "permissions", lambda: _permissions(permissions))
    text = _check(errors, "label", lambda: _label(label))
    if errors or found is None or granted is None:
        raise Invalid(errors)
    grant = _grant(session, agency, found, granted, text)
    _note(session, principal, "grant.created", grant)
    return read_grant(grant, found)


def update_grant(
    session: Session,
    principal: Principal,
    grant_id: int,
    *,
    permissions: Sequence[str],
    label: str | None = None,
) -> ClientRead:
    """Change a grant's label and permissions; its status stays as it is."""
    _agency(session, principal)
    grant = _scoped(session, principal, grant_id)
    client = _workspace(session, grant.client_workspace_id)
    errors: dict[str, list[str]] = {}
    granted = _check(errors, "permissions", lambda: _permissions(permissions))
    text = _check(errors, "label", lambda: _label(label))
    if errors or granted is None:
        raise Invalid(errors)
    grant.permissions = sorted(granted)
    grant.label = text or client.name
    session.flush()
    _note(session, principal, "grant.updated", grant)
    return read_grant(grant, client)


def revoke_grant(session: Session, principal: Principal, grant_id: int) -> ClientRead:
    """Revoke one of this agency's grants: its people stop acting for the client at once."""
    _agency(session, principal)
    grant = _revoke(session, _scoped(session, principal, grant_id), principal)
    return read_grant(grant, _workspace(session, grant.client_workspace_id))


def _agency(session: Session, principal: Principal) -> Workspace:
    """The caller's workspace, when it is an agency and the caller may manage its grants."""
    if principal.through_grant:
        raise Forbidden("A client's access cannot be passed on.")
    principal.require("write:clients")
    agency = _workspace(session, principal.workspace_id)
    if not agency.is_agency:
        raise Forbidden(_NOT_AGENCY)
    return agency


def _grant(
    session: Session,
    agency: Workspace,
    client: Workspace,
    granted: frozenset[str],
    label: str | None,
) -> AgencyGrant:
    if agency.id == client.id:
        raise Invalid.field("client", "An agency cannot hold a grant on itself.")
    repo = ScopedRepository(session, agency.id)
    grant = session.scalar(
        repo.select(AgencyGrant).where(AgencyGrant.client_workspace_id == client.id)
    )
    if grant is None:
        grant = repo.add(AgencyGrant(client_workspace_id=client.id))
    grant.permissions = sorted(granted)
    grant.label = label or grant.label or client.name
    grant.status = "active"
    grant.revoked_at = None
    session.flush()
    return grant


def _revoke(session: Session, grant: AgencyGrant, actor: Principal | None) -> AgencyGrant:
    if grant.status != "revoked":
        grant.status = "revoked"
        grant.revoked_at = utcnow()
        paused = _pause_what_it_set_up(session, grant)
        session.flush()
        _note(session, actor, "grant.revoked", grant, paused=paused)
    return grant


def _pause_what_it_set_up(session: Session, grant: AgencyGrant) -> dict[str, list[int]]:
    """Switch off the client's active webhooks, integrations and automations last set up
    through this grant; answers their ids by kind."""
    client = ScopedRepository(session, grant.client_workspace_id)
    paused: dict[str, list[int]] = {}
    for model in SENDS_DATA_OUT:
        ids = list(
            session.scalars(
                client.select_columns(model, model.id).where(
                    model.agency_grant_id == grant.id, model.is_active.is_(True)
                )
            )
        )
        if ids:
            session.execute(
                client.update(model)
                .where(model.id.in_(ids))
                .values(is_active=False)
                .execution_options(synchronize_session="fetch")
            )
            paused[model.__tablename__] = ids
    return paused


def _note(
    session: Session,
    actor: Principal | None,
    action: str,
    grant: AgencyGrant,
    *,
    paused: dict[str, list[int]] | None = None,
) -> None:
    """The same entry in the agency's activity and in the client's: each sees who reached it."""
    details: dict[str, object] = {
        "agency_workspace_id": grant.workspace_id,
        "client_workspace_id": grant.client_workspace_id,
        "label": grant.label,
        "permissions": list(grant.permissions),
    }
    if paused:
        details["paused"] = paused
    for workspace_id in (grant.workspace_id, grant.client_workspace_id):
        audit.record(
            session,
            workspace_id,
            actor,
            action,
            target_type="grant",
            target_id=grant.id,
            details=details,
        )


def _scoped(session: Session, principal: Principal, grant_id: int) -> AgencyGrant:
    grant = ScopedRepository(session, principal.workspace_id).get(AgencyGrant, grant_id)
    if grant is None:
        raise NotFound.of("Grant")
    return grant


def _workspace(session: Session, workspace_id: int) -> Workspace:
    workspace = session.get(Workspace, workspace_id)
    if workspace is None:
        raise NotFound.of("Workspace")
    return workspace


def _client(session: Session, agency: Workspace, reference: str, principal: Principal) -> Workspace:
    """The client workspace by public id (`ws_…`) or slug; never the agency itself, and only
    one the caller also administers (else any agency could take any workspace's data)."""
    text = reference.strip()
    if not text:
        raise ValueError("The client field is required.")
    if text.startswith("ws_"):
        found = session.scalar(select(Workspace).where(Workspace.public_id == text))
    else:
        found = session.scalar(select(Workspace).where(Workspace.slug == text.lower()))
    if found is None:
        raise ValueError("No workspace has this slug or id.")
    if found.id == agency.id:
        raise ValueError("An agency cannot hold a grant on itself.")
    if not _administers(session, principal, found):
        # The same answer as for a workspace that does not exist: nothing is revealed.
        raise ValueError("No workspace has this slug or id.")
    return found


def _administers(session: Session, principal: Principal, client: Workspace) -> bool:
    """Whether the person behind the principal is an owner or admin of the client workspace
    too (the same email, active). Reads users across workspaces on purpose, like sign-in."""
    if principal.user_id is None:
        return False
    email = session.scalar(select(User.email).where(User.id == principal.user_id))
    if email is None:
        return False
    found = session.scalar(
        select(User.id).where(
            User.workspace_id == client.id,
            User.email == email,
            User.is_active.is_(True),
            User.role.in_(ADMIN_ROLES),
        )
    )
    return found is not None


def _permissions(values: Sequence[str]) -> frozenset[str]:
    try:
        granted = canonical_set(value for value in values if value.strip())
    except UnknownScope as exc:
        raise ValueError(str(exc)) from exc
    if not granted:
        raise ValueError("Choose at least one permission.")
    return granted


def _label(value: str | None) -> str | None:
    text = (value or "").strip()
    if len(text) > LABEL_MAX:
        raise ValueError(f"The label may not be greater than {LABEL_MAX} characters.")
    return text or None


def _check(errors: dict[str, list[str]], field: str, check: Callable[[], T]) -> T | None:
    """The checked value, or None with the field's message noted."""
    try:
        return check()
    except ValueError as exc:
        errors[field] = [str(exc)]
        return None
