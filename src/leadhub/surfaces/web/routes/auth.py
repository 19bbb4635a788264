"""Signing in and out, and switching between workspaces."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from leadhub.domains.users import signin
from leadhub.errors import Unauthorized
from leadhub.surfaces.common.deps import RuntimeDep
from leadhub.surfaces.common.forms import client_ip
from leadhub.surfaces.web import session as web_session
from leadhub.surfaces.web.render import page, redirect
from leadhub.surfaces.web.session import MEMBERSHIPS_KEY, USER_KEY, Csrf, CurrentUser

router = APIRouter()

# Failed sign-ins allowed per window, per address and per account.
FAILURES_PER_ADDRESS = 20
FAILURES_PER_ACCOUNT = 5
FAILURE_WINDOW_SECONDS = 15 * 60


@router.get("/login", response_class=HTMLResponse, name="login")
def login_form(request: Request, next: str = "/") -> HTMLResponse:
    """The sign-in page."""
    return page(request, "auth/login.html", None, next=_safe_next(next), email="", error=None)


@router.post("/login", response_class=HTMLResponse, dependencies=[Csrf])
def login(
    request: Request,
    runtime: RuntimeDep,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Check the credentials (failures are limited per address and per account)."""
    keys = [
        (f"login-ip:{client_ip(request)}", FAILURES_PER_ADDRESS),
        (f"login-account:{email.strip().lower()}", FAILURES_PER_ACCOUNT),
    ]
    limiter = runtime.limiter
    spent = [
        budget
        for key, limit in keys
        if not (budget := limiter.peek(key, limit, FAILURE_WINDOW_SECONDS)).allowed
    ]
    if spent:
        message = "Too many failed sign-ins. Wait a few minutes and try again."
        response = _login_again(request, email, next, message, 429)
        response.headers["Retry-After"] = str(max(budget.retry_after for budget in spent))
        return response
    try:
        with runtime.db.unit_of_work() as session:
            opened = signin.sign_in(session, email, password, ip_address=client_ip(request))
    except Unauthorized as exc:
        for key, limit in keys:
            limiter.hit(key, limit, FAILURE_WINDOW_SECONDS)
        return _login_again(request, email, next, exc.message, 401)
    web_session.start(request, opened[0], opened)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", dependencies=[Csrf], name="logout")
def logout(request: Request) -> Response:
    """Sign out."""
    web_session.end(request)
    return redirect(request, "login")


@router.post("/switch", dependencies=[Csrf], name="switch_workspace")
def switch_workspace(
    request: Request, user: CurrentUser, user_id: Annotated[int, Form()]
) -> Response:
    """Work in another workspace this person belongs to."""
    allowed = request.session.get(MEMBERSHIPS_KEY) or [user.user_id]
    if user_id in allowed:
        request.session[USER_KEY] = user_id
        web_session.stop_acting(request)  # acting for a client belongs to the agency left
    return redirect(request, "dashboard")


def _login_again(
    request: Request, email: str, next_url: str, error: str, status: int
) -> HTMLResponse:
    return page(
        request,
        "auth/login.html",
        None,
        status=status,
        next=_safe_next(next_url),
        email=email,
        error=error,
    )


def _safe_next(target: str) -> str:
    """Only a path on this site: no open redirect to another host."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
