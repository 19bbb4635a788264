"""The LeadTrackr surface's one error mapping: every error is `{"message": …}`.

A bad parameter is 400 (LeadTrackr has no 422), then 401, 403, 404, 405, 409, 429, 500 and 503.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from leadhub.errors import (
    Invalid,
    LeadHubError,
    RateLimited,
)
from leadhub.surfaces.common.bodies import refused_media_type, unreadable_body
from leadhub.surfaces.common.errors import status_of
from leadhub.surfaces.common.messages import field_errors
from leadhub.surfaces.common.routing import allowed_methods
from leadhub.surfaces.leadtrackr.schemas import LeadTrackrError
from leadhub.surfaces.leadtrackr.translate import BadRequest

log = logging.getLogger("leadhub.leadtrackr")

_HTTP_MESSAGES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    413: "Request body too large",
    414: "Query string too long",
    415: "The request body must be JSON",
}


def _declared(description: str) -> dict[str, object]:
    return {"model": LeadTrackrError, "description": description}


# Declared on every route of the OpenAPI document ("4XX" stands in for FastAPI's 422: a bad
# parameter is a 400 here).
ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    400: _declared("A missing or invalid parameter"),
    401: _declared("Missing or invalid API key"),
    403: _declared("The API key lacks the scope, or names another project"),
    404: _declared("The lead, label or project does not exist"),
    429: _declared("Rate limit reached (see Retry-After)"),
    "4XX": _declared("Any other client error"),
    500: _declared("Unexpected server error"),
    503: _declared("The database is briefly unavailable (see Retry-After)"),
}


def error_response(status: int, message: str) -> JSONResponse:
    return JSONResponse(LeadTrackrError(message=message).model_dump(), status_code=status)


def server_error(_request: Request) -> JSONResponse:
    return error_response(500, "Internal server error")


def unavailable(_request: Request) -> JSONResponse:
    return error_response(503, "Service temporarily unavailable, please try again later")


def _message(text: str) -> str:
    """LeadTrackr's messages carry no final period ("Lead not found")."""
    return text.strip().rstrip(".") or "Error"


def _fields_message(fields: dict[str, list[str]], fallback: str) -> str:
    messages = [message for messages in fields.values() for message in messages]
    return _message(" ".join(messages) if messages else fallback)


def install(app: FastAPI) -> None:
    """Register the handlers on the LeadTrackr sub-application."""

    @app.exception_handler(LeadHubError)
    async def _domain(request: Request, exc: LeadHubError) -> JSONResponse:
        status = status_of(exc, invalid=400) or 500
        if status == 500:
            log.error("unmapped domain error %s: %s", exc.code, exc.message)
            return server_error(request)
        message = exc.message
        if isinstance(exc, Invalid) and exc.fields:
            message = _fields_message(exc.fields, exc.message)
        response = error_response(status, _message(message))
        if isinstance(exc, RateLimited):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.exception_handler(BadRequest)
    async def _bad_request(_request: Request, exc: BadRequest) -> JSONResponse:
        return error_response(400, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        if (refused := refused_media_type(request, exc.errors())) is not None:
            return error_response(415, _message(refused))
        return error_response(400, _fields_message(field_errors(exc.errors()), "Bad request"))

    @app.exception_handler(ValidationError)
    async def _model(_request: Request, exc: ValidationError) -> JSONResponse:
        # A wire value the domain's own limits refuse (checked when the domain model is built).
        errors = field_errors(exc.errors(include_url=False))
        return error_response(400, _fields_message(errors, "Bad request"))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if (unreadable := unreadable_body(exc)) is not None:
            return error_response(400, _message(unreadable))
        message = _HTTP_MESSAGES.get(exc.status_code, str(exc.detail))
        response = error_response(exc.status_code, message)
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        if exc.status_code == 405:
            response.headers["Allow"] = ", ".join(allowed_methods(request))
        return response
