"""Per-address limits on sign-in and the public endpoints, answered 429 with Retry-After in each
surface's own shape, and shared by every node through Redis when LEADHUB_REDIS_URL is set."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

from leadhub.app import create_app
from leadhub.config import Settings
from leadhub.db.uow import Database
from leadhub.surfaces.common.ratelimit import RateLimiter
from leadhub.surfaces.common.runtime import Runtime
from leadhub.surfaces.public.lead_magnets import VIEWS_PER_MINUTE
from leadhub.surfaces.public.uploads import UPLOADS_PER_MINUTE
from tests.conftest import BASE_URL
from tests.factories import Workspace
from tests.lead_magnets.helpers import create as create_magnet
from tests.security.test_headers import make_form
from tests.web.conftest import csrf_of, make_member

ONE = ("198.51.100.1", 5000)
OTHER = ("198.51.100.2", 5000)


def visitor(app: FastAPI, address: tuple[str, int] = ONE) -> TestClient:
    return TestClient(app, base_url=BASE_URL, client=address, follow_redirects=False)


def assert_page_429(response: httpx.Response, window: int = 600) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert 0 < int(response.headers["retry-after"]) <= window


def test_failed_sign_ins_are_limited_per_address_with_retry_after(
    app: FastAPI, db: Database, workspace: Workspace
) -> None:
    make_member(db, workspace, "ann@example.com")
    client = visitor(app)
    token = csrf_of(client.get("/login").text)
    for attempt in range(20):
        answer = client.post(
            "/login",
            data={"email": f"x{attempt}@example.com", "password": "wrong", "csrf_token": token},
        )
        assert answer.status_code == 401
    right = {"email": "ann@example.com", "password": "correct horse battery", "csrf_token": token}
    refused = client.post("/login", data=right)
    assert_page_429(refused, 15 * 60)
    assert "Too many failed sign-ins" in refused.text
    other = visitor(app, OTHER)
    right["csrf_token"] = csrf_of(other.get("/login").text)
    assert other.post("/login", data=right).status_code == 303


def test_hosted_form_posts_are_limited_per_address(
    app: FastAPI, client: TestClient, headers: dict[str, str]
) -> None:
    form_id = make_form(client, headers)
    one = visitor(app)
    for index in range(10):
        assert one.post(f"/f/{form_id}", data={"email": f"a{index}@example.com"}).status_code == 200
    assert_page_429(one.post(f"/f/{form_id}", data={"email": "late@example.com"}))
    assert visitor(app, OTHER).post(f"/f/{form_id}", data={"email": "b@example.com"}).is_success


def test_lead_magnet_captures_and_views_are_limited_per_address(
    app: FastAPI, client: TestClient, headers: dict[str, str]
) -> None:
    create_magnet(client, headers, delivery_mode="gated")
    one = visitor(app)
    for index in range(10):
        answer = one.post("/m/example-guide", data={"email": f"a{index}@example.com"})
        assert answer.status_code == 200
    assert_page_429(one.post("/m/example-guide", data={"email": "late@example.com"}))
    for _ in range(VIEWS_PER_MINUTE):
        assert one.get("/m/example-guide").status_code == 200
    assert_page_429(one.get("/m/example-guide"))
    assert_page_429(one.get("/m/example-guide/download"))
    assert visitor(app, OTHER).get("/m/example-guide").status_code == 200


def test_uploads_are_limited_per_address_in_the_uploads_shape(app: FastAPI) -> None:
    one = visitor(app)
    for _ in range(UPLOADS_PER_MINUTE):
        assert one.put("/uploads/forged.token", content=b"x").status_code == 403
    refused = one.put("/uploads/forged.token", content=b"x")
    assert refused.status_code == 429
    assert refused.json() == {
        "status": "error",
        "code": "RATE_LIMITED",
        "message": "Too many uploads from this address; retry later.",
    }
    assert 0 < int(refused.headers["retry-after"]) <= 60
    assert visitor(app, OTHER).put("/uploads/forged.token", content=b"x").status_code == 403


def _node(settings: Settings, db: Database, limiter: RateLimiter) -> FastAPI:
    return create_app(settings, runtime=Runtime(settings=settings, db=db, limiter=limiter))


def test_nodes_sharing_redis_share_the_per_address_budgets(
    settings: Settings, db: Database, redis_url: str, workspace: Workspace
) -> None:
    prefix = f"leadhub-test-{uuid.uuid4().hex}"
    shared: dict[str, Any] = {"redis_url": redis_url}
    node_settings = settings.model_copy(update=shared)
    first, second = (
        _node(node_settings, db, RateLimiter(redis_url, prefix=prefix)) for _ in range(2)
    )
    for _ in range(UPLOADS_PER_MINUTE // 2):
        assert visitor(first).put("/uploads/forged.token", content=b"x").status_code == 403
        assert visitor(second).put("/uploads/forged.token", content=b"x").status_code == 403
    assert visitor(first).put("/uploads/forged.token", content=b"x").status_code == 429
    assert visitor(second).put("/uploads/forged.token", content=b"x").status_code == 429
    make_member(db, workspace, "ann@example.com")
    client = visitor(first)
    token = csrf_of(client.get("/login").text)
    for _ in range(5):
        client.post(
            "/login", data={"email": "ann@example.com", "password": "no", "csrf_token": token}
        )
    elsewhere = visitor(second, OTHER)
    again = {"email": "ann@example.com", "password": "correct horse battery"}
    again["csrf_token"] = csrf_of(elsewhere.get("/login").text)
    assert_page_429(elsewhere.post("/login", data=again), 15 * 60)
