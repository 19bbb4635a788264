"""The LeadPanther surface's one error mapping.

`{"error": {"code": "not_found", "message": …, "details"?: {field: [messages]}}, "request_id": …}`
with 400 for every invalid request (LeadPanther has no 422), then 401, 402, 403, 404, 405, 409,
413, 415, 429 (with Retry-After), 500 (never a trace) and 503 (with Retry-After).
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
from leadhub.surfaces.common.context import request_id
from leadhub.surfaces.common.errors import status_of
from leadhub.surfaces.common.messages import field_errors
from leadhub.surfaces.common.routing import allowed_methods
from leadhub.surfaces.leadpanther.schemas import ErrorBody, LeadPantherError

log = logging.getLogger("leadhub.leadpanther")

VALIDATION = ("validation_failed", "The request is invalid.")
_HTTP_CODES = {
    400: ("bad_request", "The request could not be understood."),
    401: ("unauthorized", "Provide a valid API key."),
    403: ("forbidden", "This action is not allowed."),
    404: ("not_found", "The requested resource does not exist."),
    405: ("method_not_allowed", "The method is not allowed for this path."),
    413: ("payload_too_large", "The request body is too large."),
    414: ("uri_too_long", "The query string is too long."),
    415: ("unsupported_media_type", "The request body must be JSON."),
}


def _declared(description: str) -> dict[str, object]:
    return {"model": LeadPantherError, "description": description}


# Declared on every route ("4XX" stands in for FastAPI's 422: an invalid request is a 400 here).
ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    400: _declared("validation_failed: a missing or invalid parameter or field"),
    401: _declared("unauthorized: missing or invalid API key"),
    403: _declared("forbidden: the key's scope, or the agency's grant on the client"),
    404: _declared("not_found: the record or path does not exist"),
    429: _declared("rate_limited: rate limit reached (see Retry-After)"),
    "4XX": _declared("Any other client error"),
    500: _declared("server_error: unexpected server error"),
    503: _declared("service_unavailable: the database is briefly unavailable (see Retry-After)"),
}


def error_response(
    request: Request,
    status: int,
    code: str,
    message: str,
    details: dict[str, list[str]] | None = None,
) -> JSONResponse:
    body = LeadPantherError(
        error=ErrorBody(code=code, message=message, details=details or None),
        request_id=request_id(request),
    )
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status)


def server_error(request: Request) -> JSONResponse:
    return error_response(request, 500, "server_error", "An unexpected error occurred.")


def unavailable(request: Request) -> JSONResponse:
    return error_response(
        request, 503, "service_unavailable", "The service is briefly unavailable. Retry later."
    )


def _invalid(request: Request, details: dict[str, list[str]]) -> JSONResponse:
    return error_response(request, 400, *VALIDATION, details=details)


def install(app: FastAPI) -> None:
    """Register the handlers on the LeadPanther sub-application."""

    @app.exception_handler(LeadHubError)
    async def _domain(request: Request, exc: LeadHubError) -> JSONResponse:
        status = status_of(exc, invalid=400) or 500
        if status == 500:
            log.error("unmapped domain error %s: %s", exc.code, exc.message)
            return server_error(request)
        if isinstance(exc, Invalid):
            return error_response(request, 400, VALIDATION[0], exc.message, exc.fields)
        response = error_response(request, status, exc.code.lower(), exc.message)
        if isinstance(exc, RateLimited):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        if (refused := refused_media_type(request, exc.errors())) is not None:
            return error_response(request, 415, "unsupported_media_type", refused)
        return _invalid(request, field_errors(exc.errors()))

    @app.exception_handler(ValidationError)
    async def _model(request: Request, exc: ValidationError) -> JSONResponse:
        # A wire value the domain's own limits refuse (checked when the domain model is built).
        return _invalid(request, field_errors(exc.errors(include_url=False)))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if (unreadable := unreadable_body(exc)) is not None:
            return _invalid(request, {"body": [unreadable]})
        code, message = _HTTP_CODES.get(exc.status_code, ("error", str(exc.detail)))
        response = error_response(request, exc.status_code, code, message)
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        if exc.status_code == 405:
            response.headers["Allow"] = ", ".join(allowed_methods(request))
        return response
