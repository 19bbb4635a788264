"""Checks shared by the native API tests of authentication, rate limits, errors and intake."""

from __future__ import annotations

from httpx import Response

ERROR_KEYS = {"status", "message", "code", "errors"}


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def assert_error(response: Response, status: int, code: str) -> dict[str, object]:
    """The response is the seed's error envelope with this status and code; its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert isinstance(body, dict) and set(body) == ERROR_KEYS, body
    assert body["status"] == "error"
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["errors"], dict)
    for field, messages in body["errors"].items():
        assert isinstance(messages, list) and messages, (field, messages)
        assert all(isinstance(message, str) and message for message in messages)
    return body


def assert_rate_limit_headers(response: Response) -> None:
    for name in ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"):
        assert response.headers.get(name, "").isdigit(), (name, dict(response.headers))
