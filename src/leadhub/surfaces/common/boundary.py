"""The last line of each surface: an unexpected exception is logged with the request id and
answered in the surface's own 500 shape, never with a trace; an unavailable database (see
`leadhub.db.availability`) is answered in the surface's own 503 shape, with `Retry-After`."""

from __future__ import annotations

import logging
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from leadhub.db.availability import RETRY_AFTER_SECONDS, describe, is_unavailable
from leadhub.surfaces.common.context import context

log = logging.getLogger("leadhub.errors")
Render = Callable[[Request], Response]


class ErrorBoundary:
    def __init__(self, app: ASGIApp, render: Render, unavailable: Render) -> None:
        self.app = app
        self.render = render
        self.unavailable = unavailable

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            response = self._answer(scope, exc)
            if not started:
                await response(scope, receive, send)

    def _answer(self, scope: Scope, exc: Exception) -> Response:
        """Log the failure once and render the surface's answer to it."""
        request_id = context(scope).get("request_id")
        if not is_unavailable(exc):
            log.exception("unhandled error (request %s)", request_id)
            return self.render(Request(scope))
        # Expected while the database restarts or is busy: one line, no trace.
        log.warning("database unavailable (request %s): %s", request_id, describe(exc))
        response = self.unavailable(Request(scope))
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
