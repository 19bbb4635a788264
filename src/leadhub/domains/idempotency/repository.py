"""Every idempotency record query."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from leadhub.db.scoped import ScopedRepository
from leadhub.models import IdempotencyRecord


class IdempotencyRepository(ScopedRepository):
    def find(self, scope_digest: str) -> IdempotencyRecord | None:
        statement = self.select(IdempotencyRecord).where(
            IdempotencyRecord.scope_digest == scope_digest
        )
        return self.session.scalars(statement).first()

    def remove(self, record_id: int) -> None:
        self.session.execute(
            self.delete(IdempotencyRecord).where(IdempotencyRecord.id == record_id)
        )


def delete_expired(session: Session, *, now: datetime, limit: int) -> int:
    """Delete up to `limit` records expired at `now`, across workspaces; answers how many."""
    expired = (
        select(IdempotencyRecord.id)
        .where(IdempotencyRecord.expires_at <= now)
        .order_by(IdempotencyRecord.expires_at)
        .limit(limit)
    )
    ids = list(session.scalars(expired))
    if not ids:
        return 0
    session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.id.in_(ids)))
    return len(ids)
