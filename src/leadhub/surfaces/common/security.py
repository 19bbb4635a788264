"""Security headers and cookie flags, stamped on responses by small ASGI middlewares.

Each surface chooses its own policy (the web app's, a hosted page's, the embeddable form's);
the root application adds what every response carries: `nosniff`, a referrer policy, and, once
the request came over HTTPS, the `Secure` flag on every cookie and `Strict-Transport-Security`.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

BASELINE = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def csp(**directives: str) -> str:
    """A Content-Security-Policy from keyword directives (`frame_ancestors="'none'"`)."""
    return "; ".join(f"{name.replace('_', '-')} {value}" for name, value in directives.items())


class SecurityHeaders:
    """Stamps the given headers on every response of the wrapped application that lacks them
    (a route may set its own, say a policy naming a form's redirect target)."""

    def __init__(self, app: ASGIApp, headers: Mapping[str, str]) -> None:
        self.app = app
        self.headers = dict(headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HttpsResponses:
    """What a response to a request that came over HTTPS carries (the node's base URL is https,
    or the scheme, which a trusted proxy's X-Forwarded-Proto sets, is): `Secure` on every cookie,
    and `Strict-Transport-Security`, so a browser asks for this host over HTTPS only from then on
    (`hsts_seconds` 0 sends none)."""

    def __init__(self, app: ASGIApp, *, always: bool, hsts_seconds: int) -> None:
        self.app = app
        self.always = always
        self.hsts = f"max-age={hsts_seconds}".encode() if hsts_seconds else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not (self.always or scope.get("scheme") == "https"):
            await self.app(scope, receive, send)
            return

        async def send_secure(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (name, _secure(value) if name.lower() == b"set-cookie" else value)
                    for name, value in message.get("headers", [])
                ]
                if self.hsts is not None:
                    headers.append((b"strict-transport-security", self.hsts))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_secure)


def _secure(cookie: bytes) -> bytes:
    attributes = {part.strip().lower() for part in cookie.split(b";")[1:]}
    return cookie if b"secure" in attributes else cookie + b"; Secure"
