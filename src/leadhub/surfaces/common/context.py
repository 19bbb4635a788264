"""Per-request context kept in the ASGI scope, and the root middleware that writes its headers.

Every response gets `X-Request-Id` (a sane incoming one is kept, else one is made), and every
line logged while the request runs carries it; a response to an authenticated request also gets
the `X-RateLimit-*` headers of the key's budget, whatever the status, errors included. Each
request ends with one access line in the `leadhub.access` log.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from leadhub.kit.logs import REQUEST_ID
from leadhub.surfaces.common.ratelimit import Budget

SCOPE_KEY = "leadhub"
access_log = logging.getLogger("leadhub.access")
_INCOMING_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


def context(scope_or_request: Scope | Request) -> dict[str, Any]:
    scope = scope_or_request.scope if isinstance(scope_or_request, Request) else scope_or_request
    ctx: dict[str, Any] = scope.setdefault(SCOPE_KEY, {})
    return ctx


def request_id(request: Request) -> str:
    return str(context(request).get("request_id", ""))


def set_budget(request: Request, budget: Budget) -> None:
    context(request)["budget"] = budget


@dataclass(frozen=True)
class Caller:
    """The workspace a request acts on and who acts (its own key, an agency through its grant,
    a form's public key), as the credential resolved it: what an Idempotency-Key is scoped to."""

    workspace_id: int
    actor: str


def set_caller(request: Request, caller: Caller) -> None:
    context(request)["caller"] = caller


def caller_of(request: Request) -> Caller | None:
    found: Caller | None = context(request).get("caller")
    return found


class ResponseContextMiddleware:
    """Gives each request an id and stamps the context's headers on its response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        ctx = context(scope)
        incoming = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        ctx["request_id"] = incoming if _INCOMING_ID.match(incoming) else uuid.uuid4().hex
        status = 500  # what the client sees when the app fails before it answers

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableHeaders(scope=message)
                headers["X-Request-Id"] = ctx["request_id"]
                budget: Budget | None = ctx.get("budget")
                if budget is not None:
                    for name, value in budget.headers().items():
                        headers[name] = value
                    if not budget.allowed:
                        headers["Retry-After"] = str(budget.retry_after)
            await send(message)

        token = REQUEST_ID.set(ctx["request_id"])
        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            _log_access(scope, status, time.perf_counter() - started)
            REQUEST_ID.reset(token)


def _log_access(scope: Scope, status: int, seconds: float) -> None:
    if not access_log.isEnabledFor(logging.INFO):
        return
    method, path, duration_ms = scope["method"], scope["path"], round(seconds * 1000, 2)
    client = scope.get("client")
    access_log.info(
        "%s %s %s %.2f ms",
        method,
        path,
        status,
        duration_ms,
        extra={
            "method": method,
            "path": path,
            "status": status,
            "duration_ms": duration_ms,
            "client": client[0] if client else None,
        },
    )
