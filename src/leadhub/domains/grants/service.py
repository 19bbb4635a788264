"""Agency grants: an agency workspace's access to a client workspace."""

from __future__ import annotations

from sqlalchemy.orm import Session

from leadhub.auth.scopes import UnknownScope, canonical_set
from leadhub.db.scoped import ScopedRepository
from leadhub.domains.workspaces import service as workspaces
from leadhub.errors import Invalid, NotFound
from leadhub.kit.clock import utcnow
from leadhub.models import AgencyGrant


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
    if agency.id == client.id:
        raise Invalid.field("client", "An agency cannot hold a grant on itself.")
    try:
        granted = sorted(canonical_set(permissions or ["*"]))
    except UnknownScope as exc:
        raise Invalid.field("permissions", str(exc)) from exc
    repo = ScopedRepository(session, agency.id)
    grant = session.scalar(
        repo.select(AgencyGrant).where(AgencyGrant.client_workspace_id == client.id)
    )
    if grant is None:
        grant = repo.add(AgencyGrant(client_workspace_id=client.id))
    grant.permissions = granted
    grant.label = label or grant.label or client.name
    grant.status = "active"
    grant.revoked_at = None
    session.flush()
    return grant


def revoke(session: Session, grant_id: int) -> AgencyGrant:
    """Revoke a grant; from then on the agency no longer reaches the client."""
    grant = session.get(AgencyGrant, grant_id)
    if grant is None:
        raise NotFound(f"Grant {grant_id} not found.")
    grant.status = "revoked"
    grant.revoked_at = utcnow()
    session.flush()
    return grant
