"""The account: the workspace as Leadsopedia shows it, its credits and its monthly API quota.

Usage lives in `usage.py`, search history in `history.py`, the activity in the audit log.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.domains.account.schemas import AccountRead
from leadhub.domains.audit import service as audit
from leadhub.domains.credits import service as credits
from leadhub.domains.credits.service import CreditLine, CreditSummary
from leadhub.domains.workspaces import service as workspaces
from leadhub.errors import Invalid
from leadhub.kit.pagination import Page, PageRequest
from leadhub.models import User

MAX_QUOTA = 1_000_000_000


def account(session: Session, principal: Principal) -> AccountRead:
    """The caller's account: the workspace, its owner's email, its address and phone."""
    workspace = workspaces.get(session, principal.workspace_id)
    email = session.scalar(
        select(User.email)
        .where(User.workspace_id == workspace.id, User.role == "owner", User.is_active.is_(True))
        .order_by(User.id)
        .limit(1)
    )
    return AccountRead(
        id=workspace.id,
        public_id=workspace.public_id,
        name=workspace.name,
        address=workspace.address,
        phone=workspace.phone,
        email=email,
        company=workspace.name,
        status="active",
        date_created=workspace.created_at,
    )


def credit_summary(session: Session, principal: Principal) -> CreditSummary:
    """Credits received since the start, used (net of refunds) and left."""
    return credits.summary(session, principal.workspace_id)


def credit_ledger(session: Session, principal: Principal, *, page: PageRequest) -> Page[CreditLine]:
    """The credit ledger (grants, spends, refunds with their reasons), newest first."""
    return credits.ledger(session, principal.workspace_id, page=page)


def add_credits(
    session: Session,
    workspace_id: int,
    amount: int,
    *,
    actor: Principal | None = None,
    reason: str | None = None,
) -> int:
    """Grant credits to a workspace and note it in its activity; answers the new credits_left."""
    left = credits.grant(session, workspace_id, amount, reason)
    audit.record(
        session,
        workspace_id,
        actor,
        "credits.added",
        target_type="credits",
        details={"amount": amount, "reason": reason, "credits_left": left},
    )
    return left


def set_quota(
    session: Session, workspace_id: int, quota: int | None, *, actor: Principal | None = None
) -> int | None:
    """Set the workspace's monthly quota of API calls (None: no limit); answers it."""
    if quota is not None and not 1 <= quota <= MAX_QUOTA:
        raise Invalid.field("quota", f"The quota must be between 1 and {MAX_QUOTA:,}, or none.")
    workspace = workspaces.get(session, workspace_id)
    before = workspace.api_monthly_quota
    if before != quota:
        workspace.api_monthly_quota = quota
        session.flush()
        audit.record(
            session,
            workspace_id,
            actor,
            "workspace.quota_changed",
            target_type="workspace",
            target_id=workspace_id,
            details={"from": before, "to": quota},
        )
    return quota


def change_quota(session: Session, principal: Principal, quota: int | None) -> int | None:
    """Set the caller's workspace's monthly API quota (owners and admins: `write:account`)."""
    principal.require("write:account")
    return set_quota(session, principal.workspace_id, quota, actor=principal)
