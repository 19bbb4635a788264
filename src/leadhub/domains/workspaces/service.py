"""Workspaces: created from the CLI (and later the web app), each with a default pipeline."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.domains.audit import service as audit
from leadhub.domains.pipelines import service as pipelines
from leadhub.errors import Invalid, NotFound
from leadhub.kit.contact import is_valid_region, normalize_phone
from leadhub.kit.tokens import public_id
from leadhub.kit.types import Text
from leadhub.models import Workspace

SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


def create(
    session: Session, *, slug: str, name: str | None = None, agency: bool = False
) -> Workspace:
    """Create a workspace with its default pipeline."""
    slug = slug.strip().lower()
    if not SLUG_PATTERN.match(slug):
        raise Invalid.field(
            "slug", "The slug may contain only lower-case letters, digits and inner hyphens."
        )
    if session.scalar(select(Workspace.id).where(Workspace.slug == slug)) is not None:
        raise Invalid.field("slug", "The slug has already been taken.")
    workspace = Workspace(
        slug=slug, name=(name or slug).strip(), is_agency=agency, public_id=public_id("ws")
    )
    session.add(workspace)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent create of the same slug
        raise Invalid.field("slug", "The slug has already been taken.") from exc
    pipelines.create_default(session, workspace.id)
    return workspace


def get_by_slug(session: Session, slug: str) -> Workspace:
    workspace = session.scalar(select(Workspace).where(Workspace.slug == slug.strip().lower()))
    if workspace is None:
        raise NotFound(f"Workspace {slug!r} not found.")
    return workspace


def get_by_public_id(session: Session, public_id: str) -> Workspace:
    """The workspace with this public id (`ws_…`); NotFound when there is none."""
    text = public_id.strip()
    workspace = (
        session.scalar(select(Workspace).where(Workspace.public_id == text)) if text else None
    )
    if workspace is None:
        raise NotFound.of("Workspace")
    return workspace


def keyless_principal(session: Session, public_id: str) -> Principal:
    """Who a keyless channel acts as when it names the workspace by its public id (LeadTrackr's
    browser-side createLead): that workspace, allowed to write leads, recorded as LeadHub itself."""
    workspace = get_by_public_id(session, public_id)
    return Principal(
        workspace_id=workspace.id, workspace_slug=workspace.slug, scopes=frozenset({"write:leads"})
    )


_DEFAULT_REGION = select(Workspace.default_region).where(Workspace.id == bindparam("workspace_id"))


def default_region(session: Session, workspace_id: int) -> str:
    """The region phones without a country code are read in (every lead write needs it: one
    prebuilt column read, not the workspace loaded)."""
    region = session.connection().execute(_DEFAULT_REGION, {"workspace_id": workspace_id}).scalar()
    if region is None:
        raise NotFound.of("Workspace")
    return str(region)


def get(session: Session, workspace_id: int) -> Workspace:
    workspace = session.get(Workspace, workspace_id)
    if workspace is None:
        raise NotFound.of("Workspace")
    return workspace


class WorkspaceRead(BaseModel):
    id: int
    public_id: str
    slug: str
    name: str
    is_agency: bool
    default_region: str
    address: str | None = None
    phone: str | None = None


class Identity(BaseModel):
    """Who a key is: its workspace, whether it acts as an agency, and what it may do."""

    workspace: WorkspaceRead
    actor_type: str
    scopes: list[str]
    api_key_id: int | None


def identity(session: Session, principal: Principal) -> Identity:
    """The caller's workspace, kind and scopes (any valid key may ask)."""
    workspace = read(session, principal)
    return Identity(
        workspace=workspace,
        actor_type="agency" if workspace.is_agency else "workspace",
        scopes=sorted(principal.scopes),
        api_key_id=principal.api_key_id,
    )


class WorkspaceUpdate(BaseModel):
    name: Text | None = Field(default=None, min_length=1, max_length=200)
    slug: Text | None = Field(default=None, max_length=63)
    default_region: Text | None = Field(default=None, min_length=2, max_length=2)
    # The account's contact details; "" clears one.
    address: str | None = Field(default=None, max_length=500)
    phone: str | None = Field(default=None, max_length=40)


def read(session: Session, principal: Principal) -> WorkspaceRead:
    """The caller's workspace."""
    return WorkspaceRead.model_validate(get(session, principal.workspace_id), from_attributes=True)


def update(session: Session, principal: Principal, *, data: WorkspaceUpdate) -> WorkspaceRead:
    """Rename the workspace, change its slug, its default phone region, address or phone."""
    workspace = get(session, principal.workspace_id)
    before = _settings(workspace)
    errors: dict[str, list[str]] = {}
    if data.name is not None and data.name.strip():
        workspace.name = data.name.strip()
    if data.slug is not None and data.slug.strip().lower() != workspace.slug:
        slug = data.slug.strip().lower()
        taken = session.scalar(select(Workspace.id).where(Workspace.slug == slug))
        if not SLUG_PATTERN.match(slug):
            errors["slug"] = ["The slug may contain only lower-case letters, digits and hyphens."]
        elif taken is not None:
            errors["slug"] = ["The slug has already been taken."]
        else:
            workspace.slug = slug
    if data.default_region is not None:
        region = data.default_region.strip().upper()
        if not is_valid_region(region):
            errors["default_region"] = ["The default region must be a country code such as US."]
        else:
            workspace.default_region = region
    if data.address is not None:
        workspace.address = data.address.strip() or None
    if data.phone is not None:
        phone = data.phone.strip()
        workspace.phone = normalize_phone(phone, workspace.default_region) if phone else None
    if errors:
        raise Invalid(errors)
    session.flush()
    _note_changes(session, principal, before, _settings(workspace))
    return WorkspaceRead.model_validate(workspace, from_attributes=True)


_SETTINGS = ("name", "slug", "default_region", "address", "phone")


def _settings(workspace: Workspace) -> dict[str, str | None]:
    return {name: getattr(workspace, name) for name in _SETTINGS}


def _note_changes(
    session: Session,
    principal: Principal,
    before: dict[str, str | None],
    after: dict[str, str | None],
) -> None:
    """An entry in the activity for the settings that changed, with their old and new values."""
    changed = {
        name: {"from": before[name], "to": after[name]}
        for name in _SETTINGS
        if before[name] != after[name]
    }
    if changed:
        audit.record(
            session,
            principal.workspace_id,
            principal,
            "workspace.updated",
            target_type="workspace",
            target_id=principal.workspace_id,
            details={"changes": changed},
        )
