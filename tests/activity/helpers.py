"""Activity recorded through the native API, as a client would."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

ACTIVITY = "/api/v1/activity"
SOCIAL_LEADS = "/api/v1/social-leads"
PROFILE = "https://www.linkedin.com/in/example-profile"


def event(**changes: Any) -> dict[str, Any]:
    """The contract's example comment, with changes."""
    body: dict[str, Any] = {
        "source": "comment",
        "author_name": "Example Person",
        "author_headline": "Example Headline",
        "linkedin_profile_url": PROFILE,
        "content": "GUIDE please!",
        "post_id": "post-1",
        "occurred_at": "2026-06-15T15:45:00Z",
    }
    body.update(changes)
    return body


def record(client: TestClient, headers: dict[str, str], **changes: Any) -> dict[str, Any]:
    response = client.post(ACTIVITY, json=event(**changes), headers=headers)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def listed(
    client: TestClient, headers: dict[str, str], path: str, **params: Any
) -> list[dict[str, Any]]:
    response = client.get(path, params=params, headers=headers)
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data
