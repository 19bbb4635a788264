"""The credit ledger: grants, spends and refunds; balances are derived, never stored.

A spend takes the workspace's row lock first (PostgreSQL; SQLite serialises writers already),
so two exports racing for the last credits cannot both spend them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from leadhub.db.scoped import ScopedRepository
from leadhub.errors import InsufficientCredits, Invalid
from leadhub.kit.pagination import Page, PageRequest
from leadhub.models import CreditEntry, Workspace

KINDS = ("grant", "spend", "refund")


@dataclass(frozen=True)
class CreditSummary:
    credits_total: int  # every grant since the start
    credits_used: int  # spends less refunds
    credits_left: int


@dataclass(frozen=True)
class CreditLine:
    id: int
    kind: str
    amount: int
    reason: str | None
    created_at: datetime


def grant(session: Session, workspace_id: int, amount: int, reason: str | None = None) -> int:
    """Add credits; answers the new balance."""
    _require_positive(amount)
    _add(session, workspace_id, "grant", amount, reason or "credits added")
    return balance(session, workspace_id)


def spend(session: Session, workspace_id: int, amount: int, reason: str) -> int:
    """Take credits, all or none; answers the new balance. Raises InsufficientCredits."""
    _require_positive(amount)
    _lock(session, workspace_id)
    left = balance(session, workspace_id)
    if amount > left:
        raise InsufficientCredits(f"This needs {amount} credits and the workspace has {left} left.")
    _add(session, workspace_id, "spend", -amount, reason)
    return left - amount


def refund(session: Session, workspace_id: int, amount: int, reason: str) -> int:
    """Give back credits a failed piece of work spent; answers the new balance."""
    _require_positive(amount)
    _add(session, workspace_id, "refund", amount, reason)
    return balance(session, workspace_id)


def balance(session: Session, workspace_id: int) -> int:
    repo = ScopedRepository(session, workspace_id)
    total = session.scalar(
        repo.select_columns(CreditEntry, func.coalesce(func.sum(CreditEntry.amount), 0))
    )
    return int(total or 0)


def summary(session: Session, workspace_id: int) -> CreditSummary:
    """Totals as Leadsopedia shows them: received, used (net of refunds) and left."""
    repo = ScopedRepository(session, workspace_id)
    granted = func.coalesce(
        func.sum(case((CreditEntry.kind == "grant", CreditEntry.amount), else_=0)), 0
    )
    used = func.coalesce(
        func.sum(case((CreditEntry.kind != "grant", -CreditEntry.amount), else_=0)), 0
    )
    row = session.execute(repo.select_columns(CreditEntry, granted, used)).one()
    total, spent = int(row[0]), int(row[1])
    return CreditSummary(credits_total=total, credits_used=spent, credits_left=total - spent)


def ledger(session: Session, workspace_id: int, *, page: PageRequest) -> Page[CreditLine]:
    """The ledger, newest first."""
    repo = ScopedRepository(session, workspace_id)
    statement = repo.select(CreditEntry).order_by(
        CreditEntry.created_at.desc(), CreditEntry.id.desc()
    )
    entries, total = repo.page_of(statement, page)
    lines = [
        CreditLine(
            id=entry.id,
            kind=entry.kind,
            amount=entry.amount,
            reason=entry.reason,
            created_at=entry.created_at,
        )
        for entry in entries
    ]
    return Page(items=lines, total=total, request=page)


def _add(session: Session, workspace_id: int, kind: str, amount: int, reason: str | None) -> None:
    ScopedRepository(session, workspace_id).add(
        CreditEntry(kind=kind, amount=amount, reason=reason)
    )
    session.flush()


def _lock(session: Session, workspace_id: int) -> None:
    session.execute(select(Workspace.id).where(Workspace.id == workspace_id).with_for_update())


def _require_positive(amount: int) -> None:
    if amount <= 0:
        raise Invalid.field("amount", "The amount must be a positive whole number.")
