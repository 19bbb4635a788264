"""The last line of each surface: an unexpected exception is logged with the request id and
answered in the surface's own 500 shape, never with a trace."""

from __future__ import annotations

import logging
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from leadhub.surfaces.common.context import context

log = logging.getLogger("leadhub.errors")


class ErrorBoundary:
    def __init__(self, app: ASGIApp, render: Callable[[Request], Response]) -> None:
        self.app = app
        self.render = render

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
        except Exception:
            log.exception("unhandled error (request %s)", context(scope).get("request_id"))
            if started:
                return
            response = self.render(Request(scope))
            await response(scope, receive, send)
