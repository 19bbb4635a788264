"""Lead magnets made through the native API, as a client would."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

MAGNETS = "/api/v1/lead-magnets"


def guide(**changes: Any) -> dict[str, Any]:
    """The seed's hosted-content example, with changes."""
    body: dict[str, Any] = {
        "delivery_mode": "hosted_content",
        "keyword": "GUIDE",
        "resource_name": "Example Guide",
        "description": "A public-safe guide description.",
        "text_template": "Here is the guide: {{resource_link}}",
        "not_connected_reply": "Connect with me and I will send it over.",
        "linked_posts": [],
        "confirm_missing_magnet_url": False,
        "confirm_legacy_placeholder": False,
        "hosted_page": {
            "title": "Example Guide",
            "markdown_content": "# Example Guide\n\nPublic-safe guide content.",
            "external_resource_url": None,
            "cta_label": None,
            "cta_url": None,
            "status": "published",
        },
    }
    page_changes = changes.pop("hosted_page", {})
    body.update(changes)
    if page_changes is None:
        body["hosted_page"] = None
    else:
        body["hosted_page"].update(page_changes)
    return body


def create(client: TestClient, headers: dict[str, str], **changes: Any) -> dict[str, Any]:
    response = client.post(MAGNETS, json=guide(**changes), headers=headers)
    assert response.status_code == 201, response.text
    magnet: dict[str, Any] = response.json()["data"]
    return magnet


def analytics(
    client: TestClient, headers: dict[str, str], magnet_id: int, **params: Any
) -> dict[str, Any]:
    response = client.get(f"{MAGNETS}/{magnet_id}/analytics", params=params, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()["data"]
    return body
