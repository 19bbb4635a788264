"""/api/v1/account: the account, its credits, API usage, activity and search history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from leadhub.auth.principal import Principal
from leadhub.domains.account import history, usage
from leadhub.domains.account import service as account
from leadhub.domains.account.schemas import AccountRead, SearchRead, UsageRead
from leadhub.domains.audit import service as audit
from leadhub.domains.audit.service import AuditRead
from leadhub.domains.credits.service import CreditLine, CreditSummary
from leadhub.kit.types import Text
from leadhub.surfaces.common.dates import parse_bound
from leadhub.surfaces.common.deps import RequireScope, RuntimeDep, SessionDep
from leadhub.surfaces.common.idempotency import IdempotentRoute
from leadhub.surfaces.native.envelopes import DataEnvelope, PageEnvelope, PageQuery, paginate
from leadhub.surfaces.native.errors import ERROR_RESPONSES

router = APIRouter(
    route_class=IdempotentRoute, prefix="/account", tags=["Account"], responses=ERROR_RESPONSES
)

ReadAccount = Annotated[Principal, Depends(RequireScope("read:account"))]
DateQuery = Annotated[
    str | None, Query(max_length=40, description="ISO 8601 date or date-time (UTC by default).")
]


@router.get("", response_model=DataEnvelope[AccountRead])
def get_account(session: SessionDep, principal: ReadAccount) -> DataEnvelope[AccountRead]:
    """Get the account: the workspace, its owner's email, address, phone and status."""
    return DataEnvelope(data=account.account(session, principal))


@router.get("/credits", response_model=DataEnvelope[CreditSummary])
def get_credits(session: SessionDep, principal: ReadAccount) -> DataEnvelope[CreditSummary]:
    """Get the credits received since the start, used (net of refunds) and left."""
    return DataEnvelope(data=account.credit_summary(session, principal))


@router.get("/credits/ledger", response_model=PageEnvelope[CreditLine])
def list_credit_ledger(
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: ReadAccount,
    page: PageQuery,
) -> PageEnvelope[CreditLine]:
    """List the credit ledger, newest first: grants, spends and refunds with their reasons."""
    return paginate(request, runtime, account.credit_ledger(session, principal, page=page))


@router.get("/usage", response_model=DataEnvelope[UsageRead])
def get_usage(
    runtime: RuntimeDep, session: SessionDep, principal: ReadAccount
) -> DataEnvelope[UsageRead]:
    """Get this month's API calls (UTC) per key and in all, the monthly quota (null: none) and
    what is left of it, and the last 12 months' totals."""
    unflushed = runtime.usage.unflushed_by_key(principal.workspace_id)
    return DataEnvelope(data=usage.usage(session, principal, unflushed=unflushed))


@router.get("/activity", response_model=PageEnvelope[AuditRead])
def list_activity(
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: ReadAccount,
    page: PageQuery,
    action: Annotated[
        Text | None,
        Query(max_length=50, description="One action (`list.created`) or a family (`list`)."),
    ] = None,
    date_from: DateQuery = None,
    date_to: DateQuery = None,
) -> PageEnvelope[AuditRead]:
    """List the account's activity, newest first: who did what to keys, people, grants, lists,
    imports, exports, credits and settings."""
    found = audit.list_entries(
        session,
        principal,
        page=page,
        action=action,
        since=parse_bound("date_from", date_from),
        until=parse_bound("date_to", date_to, end=True),
    )
    return paginate(request, runtime, found)


@router.get("/history", response_model=PageEnvelope[SearchRead])
def list_history(
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: ReadAccount,
    page: PageQuery,
) -> PageEnvelope[SearchRead]:
    """List the searches run on leads, newest first, with their type (`contacts`, `company`,
    `email`) and how many leads each found."""
    return paginate(request, runtime, history.list_history(session, principal, page=page))
