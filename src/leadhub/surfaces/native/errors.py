"""The native API's one error mapping: every error in the seed's envelope.

{"status": "error", "message": …, "code": …, "errors": {field: [messages]}}
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
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
from leadhub.surfaces.native.envelopes import ErrorEnvelope

log = logging.getLogger("leadhub.native")

_HTTP_CODES = {
    400: ("BAD_REQUEST", "The request could not be understood."),
    401: ("UNAUTHORIZED", "Unauthenticated. Provide a valid API key."),
    403: ("FORBIDDEN", "This action is not allowed."),
    404: ("NOT_FOUND", "The requested resource does not exist."),
    405: ("METHOD_NOT_ALLOWED", "The method is not allowed for this path."),
    413: ("PAYLOAD_TOO_LARGE", "The request body is too large."),
    414: ("URI_TOO_LONG", "The query string is too long."),
    415: ("UNSUPPORTED_MEDIA_TYPE", "The request body must be JSON."),
}
# Declared on every route of the OpenAPI document.
ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorEnvelope, "description": "UNAUTHORIZED: missing or invalid API key"},
    403: {"model": ErrorEnvelope, "description": "FORBIDDEN: the API key lacks the scope"},
    404: {"model": ErrorEnvelope, "description": "NOT_FOUND: the record does not exist"},
    413: {"model": ErrorEnvelope, "description": "PAYLOAD_TOO_LARGE: the body is too large"},
    414: {"model": ErrorEnvelope, "description": "URI_TOO_LONG: the query string is too long"},
    415: {"model": ErrorEnvelope, "description": "UNSUPPORTED_MEDIA_TYPE: the body is not JSON"},
    422: {"model": ErrorEnvelope, "description": "VALIDATION_FAILED: invalid request data"},
    429: {"model": ErrorEnvelope, "description": "RATE_LIMITED: hourly limit reached"},
    500: {"model": ErrorEnvelope, "description": "SERVER_ERROR: unexpected server error"},
    503: {
        "model": ErrorEnvelope,
        "description": "SERVICE_UNAVAILABLE: the database is briefly unavailable (see Retry-After)",
    },
}


def json_error_responses() -> dict[int | str, dict[str, object]]:
    """ERROR_RESPONSES for a route whose own answer is not JSON: its errors still are (FastAPI
    would declare them in the route's media type)."""
    reference = {"$ref": f"#/components/schemas/{ErrorEnvelope.__name__}"}
    return {
        status: {
            "description": entry["description"],
            "content": {"application/json": {"schema": reference}},
        }
        for status, entry in ERROR_RESPONSES.items()
    }


def error_response(
    status: int, code: str, message: str, errors: dict[str, list[str]] | None = None
) -> JSONResponse:
    body = ErrorEnvelope(message=message, code=code, errors=errors or {})
    return JSONResponse(body.model_dump(), status_code=status)


def server_error(_request: Request) -> JSONResponse:
    return error_response(500, "SERVER_ERROR", "An unexpected error occurred.")


def unavailable(_request: Request) -> JSONResponse:
    return error_response(
        503, "SERVICE_UNAVAILABLE", "The service is briefly unavailable. Retry in a few seconds."
    )


def install(app: FastAPI) -> None:
    """Register the handlers on the native sub-application."""

    @app.exception_handler(LeadHubError)
    async def _domain(_request: Request, exc: LeadHubError) -> JSONResponse:
        status = status_of(exc, invalid=422) or 500
        if status == 500:
            log.error("unmapped domain error %s: %s", exc.code, exc.message)
            return server_error(_request)
        errors = exc.fields if isinstance(exc, Invalid) else None
        response = error_response(status, exc.code, exc.message, errors)
        if isinstance(exc, RateLimited):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        if (refused := refused_media_type(request, exc.errors())) is not None:
            return error_response(415, "UNSUPPORTED_MEDIA_TYPE", refused)
        return error_response(
            422, "VALIDATION_FAILED", Invalid.default_message, field_errors(exc.errors())
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if (unreadable := unreadable_body(exc)) is not None:
            errors = {"body": [unreadable]}
            return error_response(422, "VALIDATION_FAILED", Invalid.default_message, errors)
        code, message = _HTTP_CODES.get(exc.status_code, ("ERROR", str(exc.detail)))
        response = error_response(exc.status_code, code, message)
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        if exc.status_code == 405:
            response.headers["Allow"] = ", ".join(allowed_methods(_request))
        return response
