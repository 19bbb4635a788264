from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from leadhub.db.base import Base, WorkspaceOwned
from leadhub.kit.clock import utcnow


class MediaObject(WorkspaceOwned, Base):
    """A file a workspace uploads through a signed URL, and served publicly once stored."""

    __tablename__ = "media_objects"
    __table_args__ = (
        Index("uq_media_objects_uuid", "uuid", unique=True),
        Index("uq_media_objects_path", "path", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36))
    # api-uploads/<workspace public id>/<uuid>/<safe filename>: the blob's key and public path.
    path: Mapped[str] = mapped_column(String(400))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    declared_size: Mapped[int] = mapped_column(BigInteger)
    # pending → receiving (one PUT in flight) → stored; a refused PUT returns it to pending.
    status: Mapped[str] = mapped_column(String(12), default="pending")
    stored_size: Mapped[int | None] = mapped_column(BigInteger)
    sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    stored_at: Mapped[datetime | None]
