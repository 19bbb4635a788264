"""Declarative base with a naming convention, so migrations name constraints the same everywhere."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, MetaData
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from leadhub.db.types import UTCDateTime
from leadhub.kit.clock import utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# Schema that migrations create but no model declares (the leads' search index: an FTS5 table and
# its shadow tables on SQLite, a GIN expression index on PostgreSQL; SQLite's floor of lead ids,
# see leadhub.models.lead_ids); autogenerate leaves it alone.
UNMODELLED_PREFIXES = ("leads_search", "ix_leads_search_", "lead_id_floor")


def is_modelled(name: str | None) -> bool:
    return not (name or "").startswith(UNMODELLED_PREFIXES)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SetUpThroughGrant:
    """Mixin of what sends a workspace's data out (webhooks, integrations, automations): the
    agency grant it was last set up through, if an agency did so, so revoking the grant pauses
    it. A plain id (grants are revoked, never deleted); the workspace's own change clears it."""

    agency_grant_id: Mapped[int | None] = mapped_column(default=None)


class WorkspaceOwned:
    """Mixin of every table that holds a workspace's data; the scoped queries key on it."""

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
