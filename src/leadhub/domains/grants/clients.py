"""An agency acting for its clients: the principal a grant lends, and the clients it reaches.

A key of an agency workspace reaches a client workspace only through an active grant, and then
only within both the key's scopes and the grant's permissions.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.auth.scopes import canonical_set
from leadhub.db.scoped import ScopedRepository
from leadhub.errors import Forbidden
from leadhub.kit.pagination import Page, PageRequest
from leadhub.models import AgencyGrant, Workspace

ACTIVE = "active"
_NO_GRANT = "This API key has no active grant on that client."


@dataclass(frozen=True)
class GrantRead:
    id: int
    label: str | None
    status: str
    permissions: list[str]
    created_at: datetime
    updated_at: datetime
    revoked_at: datetime | None = None


@dataclass(frozen=True)
class ClientRead:
    id: str  # the client workspace's public id, the `{clientId}` of nested routes
    name: str
    slug: str
    grant: GrantRead


def for_client(session: Session, principal: Principal, client_id: str) -> Principal:
    """The principal an agency's key acts as on a client workspace (Forbidden without a grant).

    The answer is the same whether the client does not exist or is not granted, so a key
    learns nothing of workspaces it may not reach.
    """
    return acting_for(session, principal, client_id)[0]


def acting_for(
    session: Session, principal: Principal, client_id: str
) -> tuple[Principal, ClientRead]:
    """`for_client`, with the client and its grant (for a page that names whom it acts for)."""
    if principal.through_grant:
        raise Forbidden("A client's access cannot be passed on.")
    found = session.execute(
        _granted(session, principal).where(
            AgencyGrant.status == ACTIVE, Workspace.public_id == client_id.strip()
        )
    ).first()
    if found is None:
        raise Forbidden(_NO_GRANT)
    grant, client = found
    lent = replace(
        principal,
        workspace_id=client.id,
        workspace_slug=client.slug,
        user_id=None,
        agency_workspace_id=principal.workspace_id,
        grant_id=grant.id,
        grant_permissions=canonical_set(grant.permissions or []),
    )
    return lent, read_grant(grant, client)


def active_clients(session: Session, principal: Principal) -> list[ClientRead]:
    """The clients the agency may act for now (active grants), by name."""
    if principal.through_grant or not principal.allows("read:clients"):
        return []
    rows = session.execute(
        _granted(session, principal)
        .where(AgencyGrant.status == ACTIVE)
        .order_by(Workspace.name, AgencyGrant.id)
    ).all()
    return [read_grant(grant, client) for grant, client in rows]


def list_clients(
    session: Session, principal: Principal, *, limit: int, offset: int
) -> tuple[list[ClientRead], bool]:
    """The workspaces the agency holds grants on (active and revoked), and whether more follow."""
    principal.require("read:clients")
    rows = session.execute(
        _granted(session, principal).order_by(AgencyGrant.id).offset(offset).limit(limit + 1)
    ).all()
    items = [read_grant(grant, client) for grant, client in rows[:limit]]
    return items, len(rows) > limit


def page_clients(session: Session, principal: Principal, page: PageRequest) -> Page[ClientRead]:
    """A page of the workspaces the agency holds grants on, oldest grant first."""
    principal.require("read:clients")
    if principal.through_grant:
        raise Forbidden("A client's access cannot be passed on.")
    statement = _granted(session, principal)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    rows = session.execute(
        statement.order_by(AgencyGrant.id).offset(page.offset).limit(page.per_page)
    ).all()
    items = [read_grant(grant, client) for grant, client in rows]
    return Page(items=items, total=int(total), request=page)


def _granted(session: Session, principal: Principal) -> Select[Any]:
    """The agency's grants with their client workspaces."""
    return (
        ScopedRepository(session, principal.workspace_id)
        .select_columns(AgencyGrant, AgencyGrant, Workspace)
        .join(Workspace, Workspace.id == AgencyGrant.client_workspace_id)
    )


def read_grant(grant: AgencyGrant, client: Workspace) -> ClientRead:
    return ClientRead(
        id=client.public_id,
        name=client.name,
        slug=client.slug,
        grant=GrantRead(
            id=grant.id,
            label=grant.label,
            status=grant.status,
            permissions=list(grant.permissions or []),
            created_at=grant.created_at,
            updated_at=grant.updated_at,
            revoked_at=grant.revoked_at,
        ),
    )
