"""The account (owners and admins): credits and their ledger, API usage against the monthly
quota, the activity log and the search history."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from leadhub.domains.account import history, usage
from leadhub.domains.account import service as account
from leadhub.domains.account.schemas import UsageRead
from leadhub.domains.audit import service as audit
from leadhub.errors import Invalid
from leadhub.kit.pagination import PageRequest
from leadhub.surfaces.common.dates import parse_bound
from leadhub.surfaces.common.deps import RuntimeDep, SessionDep
from leadhub.surfaces.web import charts
from leadhub.surfaces.web.render import page, redirect
from leadhub.surfaces.web.routes.settings_common import Posted, text
from leadhub.surfaces.web.session import AdminUser, Csrf, WebUser, flash

router = APIRouter(prefix="/account")
PER_PAGE = 25
PageNumber = Annotated[int, Query(ge=1, le=100_000)]
TABS = [
    ("Overview", "account"),
    ("Credits", "account_credits"),
    ("Activity", "account_activity"),
    ("Search history", "account_history"),
]
# The families of the activity's actions, for its filter.
ACTION_FAMILIES = [
    ("api_key", "API keys"),
    ("user", "People"),
    ("grant", "Agency grants"),
    ("list", "Lists"),
    ("import", "Imports"),
    ("export", "Exports"),
    ("credits", "Credits"),
    ("workspace", "Workspace settings"),
]
_ACTION_WORDS = {"api_key": "API key", "signed_in": "signed in", "quota_changed": "quota changed"}


@router.get("", response_class=HTMLResponse, name="account")
def overview(
    request: Request, user: AdminUser, runtime: RuntimeDep, session: SessionDep
) -> HTMLResponse:
    """The account at a glance: credits, API calls this month against the quota, per key and
    over the last 12 months."""
    return _overview(request, user, runtime, session)


@router.post("/quota", dependencies=[Csrf], name="account_quota")
def set_quota(
    request: Request, user: AdminUser, runtime: RuntimeDep, session: SessionDep, form: Posted
) -> Response:
    """Set the monthly quota of API calls across every key (blank: no limit)."""
    raw = text(form, "quota").strip().replace(",", "").replace("_", "")
    try:
        if raw and not raw.isdigit():
            raise Invalid.field("quota", "The quota must be a whole number of calls, or blank.")
        account.change_quota(session, user.principal(), int(raw) if raw else None)
    except Invalid as exc:
        session.rollback()
        return _overview(request, user, runtime, session, quota=raw, errors=exc.fields)
    flash(
        request,
        f"The monthly API quota is now {int(raw):,} calls."
        if raw
        else "The API has no monthly quota now.",
    )
    return redirect(request, "account")


@router.get("/credits", response_class=HTMLResponse, name="account_credits")
def credits_ledger(
    request: Request, user: AdminUser, session: SessionDep, page: PageNumber = 1
) -> HTMLResponse:
    """The credit ledger: grants, spends and refunds with their reasons, newest first."""
    principal = user.principal()
    return _page(
        request,
        "account/credits.html",
        user,
        "account_credits",
        summary=account.credit_summary(session, principal),
        ledger=account.credit_ledger(session, principal, page=PageRequest(page, PER_PAGE)),
    )


@router.get("/activity", response_class=HTMLResponse, name="account_activity")
def activity(
    request: Request,
    user: AdminUser,
    session: SessionDep,
    page: PageNumber = 1,
    action: Annotated[str, Query(max_length=50)] = "",
    date_from: Annotated[str, Query(max_length=40)] = "",
    date_to: Annotated[str, Query(max_length=40)] = "",
) -> HTMLResponse:
    """Who did what in the account, newest first, filtered by action and dates."""
    values = {"action": action, "date_from": date_from, "date_to": date_to}
    try:
        since = parse_bound("date_from", date_from)
        until = parse_bound("date_to", date_to, end=True)
    except Invalid as exc:
        return _page(
            request,
            "account/activity.html",
            user,
            "account_activity",
            status=422,
            entries=None,
            values=values,
            errors=exc.fields,
            families=ACTION_FAMILIES,
        )
    entries = audit.list_entries(
        session,
        user.principal(),
        page=PageRequest(page, PER_PAGE),
        action=action or None,
        since=since,
        until=until,
    )
    return _page(
        request,
        "account/activity.html",
        user,
        "account_activity",
        entries=entries,
        values=values,
        errors={},
        families=ACTION_FAMILIES,
    )


@router.get("/history", response_class=HTMLResponse, name="account_history")
def search_history(
    request: Request, user: AdminUser, session: SessionDep, page: PageNumber = 1
) -> HTMLResponse:
    """The searches run on leads, newest first, with their type and how many they found."""
    found = history.list_history(session, user.principal(), page=PageRequest(page, PER_PAGE))
    return _page(request, "account/history.html", user, "account_history", searches=found)


def _overview(
    request: Request,
    user: WebUser,
    runtime: RuntimeDep,
    session: SessionDep,
    *,
    quota: str | None = None,
    errors: dict[str, list[str]] | None = None,
) -> HTMLResponse:
    principal = user.principal()
    unflushed = runtime.usage.unflushed_by_key(principal.workspace_id)
    report = usage.usage(session, principal, unflushed=unflushed)
    return _page(
        request,
        "account/index.html",
        user,
        "account",
        status=422 if errors else 200,
        summary=account.credit_summary(session, principal),
        usage=report,
        usage_charts=_usage_charts(report),
        quota=quota if quota is not None else ("" if report.quota is None else str(report.quota)),
        errors=errors or {},
    )


def _usage_charts(report: UsageRead) -> dict[str, Markup]:
    drawn: dict[str, Markup] = {}
    if any(month.calls for month in report.months):
        months = [date.fromisoformat(f"{month.month}-01") for month in report.months]
        drawn["per_month"] = charts.per_month(
            months,
            [("API calls", [month.calls for month in report.months])],
            description="API calls per month, the last 12 months",
        )
    used = [(key.name, key.calls) for key in report.keys if key.calls]
    if used:
        drawn["per_key"] = charts.ranked(
            used, name="API calls", description="API calls this month per key"
        )
    return drawn


def _page(
    request: Request,
    name: str,
    user: WebUser,
    tab: str,
    *,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    return page(
        request,
        name,
        user,
        status=status,
        tabs=TABS,
        tab=tab,
        action_label=action_label,
        **context,
    )


def action_label(action: str) -> str:
    """'api_key.created' → 'API key created'."""
    words = [_ACTION_WORDS.get(part, part.replace("_", " ")) for part in action.split(".")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]
