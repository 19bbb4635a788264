"""The Leadsopedia surface's one error mapping: `{"message": …}`, with `errors` per field for a
bad parameter (400: the document knows no 422), then 401, 402, 403, 404, 405, 429, 500 and 503."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from leadhub.errors import Invalid, LeadHubError, RateLimited
from leadhub.surfaces.common.bodies import refused_media_type, unreadable_body
from leadhub.surfaces.common.errors import status_of
from leadhub.surfaces.common.messages import field_errors
from leadhub.surfaces.common.routing import allowed_methods

log = logging.getLogger("leadhub.leadsopedia")

_HTTP_MESSAGES = {
    400: "Bad request.",
    401: "Missing or invalid API key.",
    403: "The API key doesn't have access to the requested resource.",
    404: "Not found.",
    405: "Method not allowed.",
    413: "Request body too large.",
    414: "Query string too long.",
    415: "The request body must be JSON.",
}


class LeadsopediaError(BaseModel):
    message: str
    errors: dict[str, list[str]] | None = None


def _declared(description: str) -> dict[str, object]:
    return {"model": LeadsopediaError, "description": description}


ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    400: _declared("A missing or invalid parameter"),
    401: _declared("Missing or invalid API key"),
    403: _declared("The API key doesn't have access to the requested resource"),
    404: _declared("The list, contact or download does not exist"),
    429: _declared("Rate limit or monthly quota reached (see Retry-After)"),
    "4XX": _declared("Any other client error"),
    500: _declared("Unexpected server error"),
    503: _declared("The database is briefly unavailable (see Retry-After)"),
}


class BadRequest(Exception):
    """A parameter this surface refuses before any service runs."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def error_response(
    status: int, message: str, errors: dict[str, list[str]] | None = None
) -> JSONResponse:
    body = LeadsopediaError(message=message, errors=errors or None)
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status)


def server_error(_request: Request) -> JSONResponse:
    return error_response(500, "Internal server error.")


def unavailable(_request: Request) -> JSONResponse:
    return error_response(503, "Service temporarily unavailable. Please retry later.")


def install(app: FastAPI) -> None:
    """Register the handlers on the Leadsopedia sub-application."""

    @app.exception_handler(LeadHubError)
    async def _domain(request: Request, exc: LeadHubError) -> JSONResponse:
        status = status_of(exc, invalid=400) or 500
        if status == 500:
            log.error("unmapped domain error %s: %s", exc.code, exc.message)
            return server_error(request)
        fields = exc.fields if isinstance(exc, Invalid) else None
        response = error_response(status, exc.message, fields)
        if isinstance(exc, RateLimited):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.exception_handler(BadRequest)
    async def _bad_request(_request: Request, exc: BadRequest) -> JSONResponse:
        fields = {exc.field: [exc.message]} if exc.field else None
        return error_response(400, exc.message, fields)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        if (refused := refused_media_type(request, exc.errors())) is not None:
            return error_response(415, refused)
        return error_response(400, "The given data was invalid.", field_errors(exc.errors()))

    @app.exception_handler(ValidationError)
    async def _model(_request: Request, exc: ValidationError) -> JSONResponse:
        errors = field_errors(exc.errors(include_url=False))
        return error_response(400, "The given data was invalid.", errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if (unreadable := unreadable_body(exc)) is not None:
            return error_response(400, "The given data was invalid.", {"body": [unreadable]})
        response = error_response(
            exc.status_code, _HTTP_MESSAGES.get(exc.status_code, str(exc.detail))
        )
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        if exc.status_code == 405:
            response.headers["Allow"] = ", ".join(allowed_methods(request))
        return response
