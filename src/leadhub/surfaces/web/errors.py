"""The web app's errors: a sign-in redirect, or a page in the app's design, never a trace."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from leadhub.errors import Forbidden, LeadHubError, NotFound, RateLimited
from leadhub.surfaces.common.messages import unreadable_input
from leadhub.surfaces.web.render import page, path_for, templates
from leadhub.surfaces.web.session import ActingEnded, CsrfRejected, LoginRequired

_TITLES = {
    400: "This request could not be understood",
    403: "You cannot do this",
    404: "Page not found",
    405: "This page cannot be used that way",
    413: "This request is too large",
    414: "This address is too long",
    429: "Please slow down",
    500: "Something went wrong",
    503: "Back in a moment",
}


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """An error in the app's layout when someone is signed in, on its own otherwise."""
    user = getattr(request.state, "membership", None)
    title = _TITLES.get(status, "Error")
    if "session" not in request.scope:  # failed before the session was read: no layout
        context = {"status": status, "title": title, "message": message, "user": None}
        return templates.TemplateResponse(request, "errors/error.html", context, status_code=status)
    return page(request, "errors/error.html", user, status=status, title=title, message=message)


def server_error(request: Request) -> HTMLResponse:
    return error_page(request, 500, "Please try again in a moment. The error has been logged.")


def unavailable(request: Request) -> HTMLResponse:
    """The page on its own: the layout would read the database (workspaces, clients)."""
    context = {
        "status": 503,
        "title": _TITLES[503],
        "message": "LeadHub is briefly unavailable. Please try again in a few seconds.",
        "user": None,
    }
    return templates.TemplateResponse(request, "errors/error.html", context, status_code=503)


def install(app: FastAPI) -> None:
    @app.exception_handler(LeadHubError)
    async def _domain(request: Request, exc: LeadHubError) -> Response:
        if isinstance(exc, LoginRequired):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
        if isinstance(exc, ActingEnded):  # back to the agency's own dashboard, with a flash
            return RedirectResponse(path_for(request, "dashboard"), status_code=303)
        if isinstance(exc, CsrfRejected | Forbidden):
            return error_page(request, 403, exc.message)
        if isinstance(exc, NotFound):
            return error_page(request, 404, "It may have been deleted, or the link is wrong.")
        if isinstance(exc, RateLimited):
            response = error_page(request, 429, exc.message)
            response.headers["Retry-After"] = str(exc.retry_after)
            return response
        return error_page(request, 400, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        if (unreadable := unreadable_input(exc.errors())) is not None:
            return error_page(request, 400, unreadable)
        return error_page(request, 404, "It may have been deleted, or the link is wrong.")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return error_page(request, 404, "It may have been moved, or the link is wrong.")
        return error_page(request, exc.status_code, str(exc.detail))
