"""Leadsopedia's account: details, credits, usage, activity and search history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from leadhub.auth.principal import Principal
from leadhub.domains.account import history, usage
from leadhub.domains.account import service as account
from leadhub.domains.audit import service as audit
from leadhub.surfaces.common.deps import RequireScope, RuntimeDep, SessionDep
from leadhub.surfaces.common.threaded import ThreadedRoute
from leadhub.surfaces.leadsopedia import translate
from leadhub.surfaces.leadsopedia.errors import ERROR_RESPONSES
from leadhub.surfaces.leadsopedia.paging import PageDep, page_fields
from leadhub.surfaces.leadsopedia.schemas import (
    LeadsopediaAccount,
    LeadsopediaActivities,
    LeadsopediaCredits,
    LeadsopediaHistory,
    LeadsopediaUsage,
)

router = APIRouter(
    route_class=ThreadedRoute, prefix="/account", tags=["Leadsopedia"], responses=ERROR_RESPONSES
)

ReadAccount = Annotated[Principal, Depends(RequireScope("read:account"))]


@router.get("", response_model=LeadsopediaAccount, summary="Account")
def get_account(session: SessionDep, principal: ReadAccount) -> LeadsopediaAccount:
    """The account's details."""
    return translate.account_out(account.account(session, principal))


@router.get("/credits", response_model=LeadsopediaCredits, summary="Account Credits Status")
def get_credits(session: SessionDep, principal: ReadAccount) -> LeadsopediaCredits:
    """Credits received since the start, used, and left (from the ledger)."""
    summary = account.credit_summary(session, principal)
    return LeadsopediaCredits(
        credits_total=summary.credits_total,
        credits_used=summary.credits_used,
        credits_left=summary.credits_left,
    )


@router.get("/usage", response_model=LeadsopediaUsage, summary="Account Usages Status")
def get_usage(runtime: RuntimeDep, session: SessionDep, principal: ReadAccount) -> LeadsopediaUsage:
    """API calls this month, per key and in all, against the monthly quota."""
    unflushed = runtime.usage.unflushed_by_key(principal.workspace_id)
    return translate.usage_out(usage.usage(session, principal, unflushed=unflushed))


@router.get("/activity", response_model=LeadsopediaActivities, summary="Account Activity")
def get_activity(
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: ReadAccount,
    page: PageDep,
) -> LeadsopediaActivities:
    """Who did what to the account, newest first."""
    found = audit.list_entries(session, principal, page=page)
    return LeadsopediaActivities(
        activities=[translate.activity_out(entry) for entry in found.items],
        **page_fields(request, runtime, found),
    )


@router.get("/history", response_model=LeadsopediaHistory, summary="Account History")
def get_history(
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: ReadAccount,
    page: PageDep,
) -> LeadsopediaHistory:
    """Searches run, with their type and how many leads each found, newest first."""
    found = history.list_history(session, principal, page=page)
    return LeadsopediaHistory(
        history=[translate.search_out(search) for search in found.items],
        **page_fields(request, runtime, found),
    )
