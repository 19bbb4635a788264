from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from leadhub.db.base import Base, WorkspaceOwned
from leadhub.kit.clock import utcnow


class IdempotencyRecord(WorkspaceOwned, Base):
    """The first answer to a POST sent with an `Idempotency-Key`, replayed to its retries until
    it expires. Written in the same transaction as the request's work, so either both are there
    or neither is."""

    __tablename__ = "idempotency_records"
    __table_args__ = (
        # The key's scope (who sent it, the method, the path, the key) digested: paths and keys
        # can be long, and an index entry must stay small on PostgreSQL.
        Index("uq_idempotency_records_scope", "workspace_id", "scope_digest", unique=True),
        Index("ix_idempotency_records_expires_at", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scope_digest: Mapped[str] = mapped_column(String(64))
    # "workspace" (its own keys), "agency:<id>" (an agency acting through its grant), "form".
    actor: Mapped[str] = mapped_column(String(40))
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(Text)
    key: Mapped[str] = mapped_column(String(255))
    # SHA-256 of what the request asks for (canonical body, query string).
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int]
    headers: Mapped[list[Any]] = mapped_column(JSON, default=list)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
