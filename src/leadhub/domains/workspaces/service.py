"""Workspaces: created from the CLI (and later the web app), each with a default pipeline."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from leadhub.domains.pipelines import service as pipelines
from leadhub.errors import Invalid, NotFound
from leadhub.kit.tokens import public_id
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


def get(session: Session, workspace_id: int) -> Workspace:
    workspace = session.get(Workspace, workspace_id)
    if workspace is None:
        raise NotFound.of("Workspace")
    return workspace
