"""Every media query. The upload and the public path name a record on their own, across
workspaces by design (the signed token or the public path is the credential), so those lookups
are module functions rather than methods of the scoped repository."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.orm import Session

from leadhub.db.scoped import ScopedRepository
from leadhub.models import MediaObject, Workspace

PENDING, RECEIVING, STORED = "pending", "receiving", "stored"


class MediaRepository(ScopedRepository):
    def workspace_public_id(self) -> str:
        found = self.session.scalar(
            select(Workspace.public_id).where(Workspace.id == self.workspace_id)
        )
        if found is None:
            raise LookupError(f"workspace {self.workspace_id} does not exist")
        return found


def by_uuid(session: Session, media_uuid: str) -> MediaObject | None:
    return session.scalars(select(MediaObject).where(MediaObject.uuid == media_uuid)).first()


def stored_by_path(session: Session, path: str) -> MediaObject | None:
    statement = select(MediaObject).where(MediaObject.path == path, MediaObject.status == STORED)
    return session.scalars(statement).first()


def expired_unfinished(
    session: Session, *, pending_before: datetime, receiving_before: datetime, limit: int
) -> list[MediaObject]:
    """Uploads never completed: pending past their expiry, or receiving since long before."""
    statement = (
        select(MediaObject)
        .where(
            or_(
                and_(MediaObject.status == PENDING, MediaObject.expires_at <= pending_before),
                and_(MediaObject.status == RECEIVING, MediaObject.expires_at <= receiving_before),
            )
        )
        .order_by(MediaObject.expires_at, MediaObject.id)
        .limit(limit)
    )
    return list(session.scalars(statement))


def delete_unfinished(session: Session, media_id: int, *, status: str) -> bool:
    """Delete the record only while it is still in `status`: an upload that moved on stays."""
    statement = (
        delete(MediaObject)
        .where(MediaObject.id == media_id, MediaObject.status == status)
        .execution_options(synchronize_session=False)
    )
    result = session.execute(statement)
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def set_status(session: Session, media_id: int, *, expected: str, **values: Any) -> bool:
    """Move the record on only from the `expected` status: one winner when requests race."""
    statement = (
        update(MediaObject)
        .where(MediaObject.id == media_id, MediaObject.status == expected)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    result = session.execute(statement)
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]
