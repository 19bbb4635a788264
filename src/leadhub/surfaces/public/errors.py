"""Public pages answer errors as small HTML pages, never a trace."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from leadhub.errors import LeadHubError, NotFound, RateLimited
from leadhub.surfaces.common.errors import status_of
from leadhub.surfaces.common.messages import unreadable_input
from leadhub.surfaces.public.pages import message

_NOT_FOUND = ("Not found", "This page does not exist or is no longer available.")


def server_error(request: Request) -> HTMLResponse:
    return message(request, "Something went wrong", "Please try again in a moment.", 500)


def unavailable(request: Request) -> HTMLResponse:
    return message(
        request, "Back in a moment", "This page is briefly unavailable. Please try again.", 503
    )


def install(app: FastAPI) -> None:
    @app.exception_handler(LeadHubError)
    async def _domain(request: Request, exc: LeadHubError) -> HTMLResponse:
        if isinstance(exc, NotFound):
            return message(request, *_NOT_FOUND, 404)
        if isinstance(exc, RateLimited):
            response = message(request, "Please wait", exc.message, 429)
            response.headers["Retry-After"] = str(exc.retry_after)
            return response
        return message(request, "Sorry", exc.message, status_of(exc, invalid=400) or 400)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> HTMLResponse:
        if (unreadable := unreadable_input(exc.errors())) is not None:
            return message(request, "Sorry", unreadable, 400)
        # Otherwise only the path is malformed (a form id that is not a number): no such page.
        return message(request, *_NOT_FOUND, 404)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> HTMLResponse:
        if exc.status_code == 404:
            return message(request, *_NOT_FOUND, 404)
        return message(request, "Sorry", str(exc.detail), exc.status_code)
