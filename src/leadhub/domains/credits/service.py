"""The credit ledger: grants, spends and refunds; balances are derived, never stored."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.orm import Session

from leadhub.db.scoped import ScopedRepository
from leadhub.errors import Invalid
from leadhub.models import CreditEntry


def grant(session: Session, workspace_id: int, amount: int, reason: str | None = None) -> int:
    """Add credits; answers the new balance."""
    if amount <= 0:
        raise Invalid.field("amount", "The amount must be a positive whole number.")
    ScopedRepository(session, workspace_id).add(
        CreditEntry(kind="grant", amount=amount, reason=reason or "credits added")
    )
    session.flush()
    return balance(session, workspace_id)


def balance(session: Session, workspace_id: int) -> int:
    repo = ScopedRepository(session, workspace_id)
    total = session.scalar(
        repo.select_columns(CreditEntry, func.coalesce(func.sum(CreditEntry.amount), 0))
    )
    return int(total or 0)
