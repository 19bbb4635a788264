"""/uploads answers errors as small JSON bodies: {"status": "error", "code", "message"}."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from leadhub.errors import LeadHubError, RateLimited
from leadhub.surfaces.common.errors import status_of
from leadhub.surfaces.common.messages import unreadable_input

_HTTP = {
    400: "BAD_REQUEST",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
    414: "URI_TOO_LONG",
}


def error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"status": "error", "code": code, "message": message}, status_code=status)


def server_error(_request: Request) -> JSONResponse:
    return error(500, "SERVER_ERROR", "An unexpected error occurred.")


def unavailable(_request: Request) -> JSONResponse:
    return error(503, "SERVICE_UNAVAILABLE", "The service is briefly unavailable. Retry later.")


def install(app: FastAPI) -> None:
    @app.exception_handler(LeadHubError)
    async def _domain(request: Request, exc: LeadHubError) -> JSONResponse:
        status = status_of(exc, invalid=400)
        if status is None:
            return server_error(request)
        response = error(status, exc.code, exc.message)
        if isinstance(exc, RateLimited):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.exception_handler(ClientDisconnect)
    async def _gone(_request: Request, _exc: ClientDisconnect) -> JSONResponse:
        return error(400, "BAD_REQUEST", "The upload was interrupted.")

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        if (unreadable := unreadable_input(exc.errors())) is not None:
            return error(400, "BAD_REQUEST", unreadable)
        return error(404, "NOT_FOUND", "File not found.")

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP.get(exc.status_code, "ERROR")
        return error(exc.status_code, code, str(exc.detail))
