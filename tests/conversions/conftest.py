"""A node that may reach loopback, and one local server answering as the three ad platforms."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from leadhub.config import Settings
from leadhub.db.uow import Database
from tests.conftest import node_app
from tests.connectors.servers import LocalServer, Received, http_server, path_of

LABELS = "/api/v1/conversion-labels"
INTEGRATIONS = "/api/v1/integrations"


@pytest.fixture
def app(settings: Settings, db: Database) -> FastAPI:
    return node_app(settings.model_copy(update={"webhook_allow_private": True}), db)


@dataclass
class Platforms:
    """The ad platforms' answers; `failing` makes a platform answer 500 (or a given status)."""

    server: LocalServer
    failing: dict[str, int] = field(default_factory=dict)

    def received(self, platform: str) -> list[Received]:
        return [got for got in self.server.received if _platform(got) == platform]

    def answer(self, got: Received) -> tuple[int, Any]:
        platform = _platform(got)
        if platform in self.failing:
            return self.failing[platform], {"error": {"message": "platform unavailable"}}
        if platform == "token":
            return 200, {"access_token": "ya29.token", "expires_in": 3599, "token_type": "Bearer"}
        if platform == "google_ads":
            return 200, {"results": [{"gclid": "g"}]}
        if platform == "meta":
            return 200, {"events_received": 1, "messages": [], "fbtrace_id": "trace-1"}
        if platform == "ga4":
            return 204, b""
        return 404, {"error": "unknown path"}


def _platform(got: Received) -> str:
    path = path_of(got)
    if path.endswith("/token"):
        return "token"
    if path.endswith(":uploadClickConversions"):
        return "google_ads"
    if path.endswith("/events"):
        return "meta"
    if path.endswith("/mp/collect"):
        return "ga4"
    return "other"


@pytest.fixture
def platforms() -> Iterator[Platforms]:
    holder: list[Platforms] = []

    def answer(got: Received) -> tuple[int, Any]:
        return holder[0].answer(got)  # the platforms are made once the server has its URL

    with http_server(answer) as server:
        holder.append(Platforms(server))
        yield holder[0]


def add_integration(
    client: TestClient, headers: dict[str, str], kind: str, settings: dict[str, Any]
) -> int:
    response = client.post(
        INTEGRATIONS, json={"type": kind, "name": kind, "settings": settings}, headers=headers
    )
    assert response.status_code == 201, response.text
    created: int = response.json()["data"]["id"]
    return created


@dataclass(frozen=True)
class Destinations:
    meta: int
    ga4: int
    google_ads: int


@pytest.fixture
def destinations(client: TestClient, headers: dict[str, str], platforms: Platforms) -> Destinations:
    url = platforms.server.url
    return Destinations(
        meta=add_integration(
            client,
            headers,
            "meta_conversions_api",
            {"pixel_id": "1234", "access_token": "meta-token", "graph_base_url": url},
        ),
        ga4=add_integration(
            client,
            headers,
            "ga4_measurement_protocol",
            {"measurement_id": "G-TEST123", "api_secret": "ga-secret", "base_url": url},
        ),
        google_ads=add_integration(
            client,
            headers,
            "google_ads_conversions",
            {
                "customer_id": "123-456-7890",
                "developer_token": "dev",
                "client_id": "cid",
                "client_secret": "csecret",
                "refresh_token": "refresh",
                "api_base_url": url,
                "token_url": f"{url}/token",
            },
        ),
    )


def make_label(client: TestClient, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    body.setdefault("name", "Qualified lead")
    response = client.post(LABELS, json=body, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()["data"]
    return created
