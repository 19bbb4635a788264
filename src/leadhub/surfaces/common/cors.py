"""Open CORS for the few endpoints a browser on any site may call (keyless by design).

The rest of the API is for servers and keeps browsers out; these answer preflights and carry
`Access-Control-Allow-Origin: *` on every response, errors included, without credentials.
"""

from __future__ import annotations

import re

from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ALLOWED_HEADERS = ("Content-Type", "X-Form-Key", "X-Request-Id")
EXPOSED_HEADERS = ("X-Request-Id",)


class PublicCors:
    def __init__(
        self,
        app: ASGIApp,
        *,
        path_pattern: str,
        methods: str = "POST",
        allow_headers: tuple[str, ...] = (),
        expose_headers: tuple[str, ...] = (),
    ) -> None:
        self.app = app
        self.pattern = re.compile(path_pattern)
        self.methods = methods
        self.allow_headers = ", ".join((*ALLOWED_HEADERS, *allow_headers))
        self.expose_headers = ", ".join((*EXPOSED_HEADERS, *expose_headers))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")[len(scope.get("root_path", "")) :]
        if scope["type"] != "http" or not self.pattern.fullmatch(path):
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS":
            response = Response(status_code=204, headers=self._headers(preflight=True))
            await response(scope, receive, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self._headers(preflight=False).items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_cors)

    def _headers(self, *, preflight: bool) -> dict[str, str]:
        headers = {"Access-Control-Allow-Origin": "*", "Vary": "Origin"}
        if preflight:
            headers.update(
                {
                    "Access-Control-Allow-Methods": f"{self.methods}, OPTIONS",
                    "Access-Control-Allow-Headers": self.allow_headers,
                    "Access-Control-Max-Age": "86400",
                }
            )
        else:
            headers["Access-Control-Expose-Headers"] = self.expose_headers
        return headers
