"""Reading security headers: a Content-Security-Policy as directives, and the web app's routes."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from tests.apiroutes import Operation, all_operations, is_api_path

# Surfaces other than the web app, and the API reference (Swagger UI from its CDN).
NOT_WEB = ("/f/", "/m/", "/uploads/", "/downloads/", "/docs", "/openapi.json")


def web_operations(app: FastAPI) -> list[Operation]:
    """Every method and path of the web app (what the root application mounts at /)."""
    return [
        op
        for op in all_operations(app)
        if not is_api_path(op.path) and not op.path.startswith(NOT_WEB)
    ]


def policy(response: httpx.Response) -> dict[str, list[str]]:
    """The response's Content-Security-Policy as {directive: sources}."""
    header = response.headers.get("content-security-policy", "")
    assert header, f"no Content-Security-Policy on {response.request.url}"
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def script_sources(directives: dict[str, list[str]]) -> list[str]:
    return directives.get("script-src", directives.get("default-src", []))


def assert_no_foreign_script(response: httpx.Response) -> dict[str, list[str]]:
    """Scripts only from the page's own origin: no inline script, handler, eval or other host."""
    directives = policy(response)
    scripts = script_sources(directives)
    assert scripts in (["'self'"], ["'none'"]), f"{response.request.url}: script-src {scripts}"
    assert directives.get("object-src", directives.get("default-src")) in (["'none'"], ["'self'"])
    assert directives.get("base-uri") == ["'none'"]
    assert_baseline(response)
    return directives


def assert_baseline(response: httpx.Response) -> None:
    assert response.headers.get("x-content-type-options") == "nosniff", response.request.url
    assert response.headers.get("referrer-policy") == "strict-origin-when-cross-origin"


def assert_not_frameable(response: httpx.Response) -> None:
    directives = assert_no_foreign_script(response)
    assert directives.get("frame-ancestors") == ["'none'"], response.request.url
    assert response.headers.get("x-frame-options") == "DENY", response.request.url


def assert_frameable(response: httpx.Response) -> None:
    directives = assert_no_foreign_script(response)
    assert directives.get("frame-ancestors") == ["*"], response.request.url
    assert "x-frame-options" not in response.headers, response.request.url
