"""Every POST of the native API (an agency's client routes included) and of inbound intake honours
`Idempotency-Key`: the API reference declares the header on each, each answers a keyed repeat
with its first answer, and the ones that create something create it once."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from starlette.routing import BaseRoute, Mount

from leadhub.db.base import Base
from leadhub.db.uow import Database
from leadhub.domains.credits import service as credits
from leadhub.domains.grants import service as grants
from leadhub.domains.idempotency import service as idempotency
from leadhub.surfaces.common.idempotency import HEADER, IdempotentRoute
from tests.apiroutes import CALLBACK_PREFIX, COMPAT_PREFIX, api_operations
from tests.factories import Workspace, make_key, make_lead, make_workspace
from tests.surfaces.native.assertions import bearer
from tests.surfaces.native.idempotency_helpers import assert_replay_of, keyed

CLIENT_PATH = "/api/v1/clients/{client_id}/"
_PARAMETER = re.compile(r"\{([^}]+)\}")


def native_post_routes(app: FastAPI) -> list[tuple[str, APIRoute]]:
    """Every POST route of the native API and inbound intake, hidden client twins included."""
    return [
        (path, route)
        for path, route in _routes(app.routes, "")
        if "POST" in (route.methods or ())
        and path.startswith("/api/")
        and not path.startswith(CALLBACK_PREFIX)
    ]


def _routes(routes: list[BaseRoute], prefix: str) -> list[tuple[str, APIRoute]]:
    found: list[tuple[str, APIRoute]] = []
    for context in iter_route_contexts(routes):
        original = context.original_route
        if isinstance(original, Mount):
            found.extend(_routes(list(original.routes), prefix + original.path))
        elif isinstance(original, APIRoute):
            found.append((prefix + (context.path_format or ""), original))
    return found


def test_every_native_post_route_takes_keys(app: FastAPI) -> None:
    routes = native_post_routes(app)
    paths = {path for path, _route in routes}
    assert "/api/inbound/leads" in paths and "/api/v1/leads" in paths
    assert any(path.startswith(CLIENT_PATH) for path in paths)
    assert len(paths) >= 50  # 25 workspace routes and their client twins, and intake
    not_taking = [
        path
        for path, route in routes
        if not (isinstance(route, IdempotentRoute) and route.takes_keys)
    ]
    assert not_taking == []


def test_the_provider_callbacks_take_no_keys(app: FastAPI) -> None:
    """Facebook and Google sign their callbacks and send no such header; they dedupe leads by
    the provider's own lead id."""
    callbacks = [
        route
        for path, route in _routes(app.routes, "")
        if path.startswith(CALLBACK_PREFIX) and "POST" in (route.methods or ())
    ]
    assert callbacks and not any(isinstance(route, IdempotentRoute) for route in callbacks)


def test_the_api_reference_declares_the_header_on_every_post(
    app: FastAPI, client: TestClient
) -> None:
    document = client.get("/openapi.json").json()
    posts = [
        op
        for op in api_operations(app)
        if op.method == "POST" and not op.path.startswith((COMPAT_PREFIX, CALLBACK_PREFIX))
    ]
    assert len(posts) >= 25
    missing = []
    for op in posts:
        parameters = document["paths"][op.path]["post"].get("parameters", [])
        declared = [p for p in parameters if p["in"] == "header" and p["name"] == HEADER]
        if len(declared) != 1 or declared[0].get("required", False):
            missing.append(str(op))
        elif "24 hours" not in declared[0]["description"]:
            missing.append(f"{op} (no description)")
        responses = document["paths"][op.path]["post"]["responses"]
        success = [status for status in responses if status.startswith("2")]
        if not success or any(
            "Idempotent-Replayed" not in responses[status].get("headers", {}) for status in success
        ):
            missing.append(f"{op} (no replay header)")
        if "409" not in responses:
            missing.append(f"{op} (no 409)")
    assert missing == []
    reads = document["paths"]["/api/v1/leads"]["get"].get("parameters", [])
    assert HEADER not in [parameter["name"] for parameter in reads]


# -- a keyed repeat of every POST -------------------------------------------------------------


@pytest.fixture
def agency_headers(db: Database, workspace: Workspace) -> dict[str, str]:
    """An agency's key with a grant on `workspace` that allows everything."""
    agency = make_workspace(db, "agency", agency=True)
    with db.unit_of_work() as session:
        grants.create(
            session, agency_slug=agency.slug, client_slug=workspace.slug, permissions=["*"]
        )
    return bearer(make_key(db, agency))


def test_every_post_answers_a_keyed_repeat_with_its_first_answer(
    app: FastAPI,
    client: TestClient,
    workspace: Workspace,
    headers: dict[str, str],
    agency_headers: dict[str, str],
) -> None:
    """Sent with an empty JSON object, each route answers what it answers (a creation, a 422
    naming the missing fields, a 404 for the record `1` that is not there); sent again with the
    same key, it answers exactly that again, as a replay."""
    failures = []
    for number, (template, _route) in enumerate(native_post_routes(app)):
        path = _PARAMETER.sub(
            lambda match: workspace.public_id if match.group(1) == "client_id" else "1", template
        )
        path += "?tenant=acme" if path == "/api/inbound/leads" else ""
        sent = agency_headers if template.startswith(CLIENT_PATH) else headers
        key = f"every-post-{number}"
        first = client.post(path, json={}, headers=keyed(sent, key))
        again = client.post(path, json={}, headers=keyed(sent, key))
        if not idempotency.is_stored(first.status_code):
            failures.append(f"POST {template}: {first.status_code} {first.text[:200]}")
            continue
        try:
            assert_replay_of(again, first)
        except AssertionError as exc:
            failures.append(f"POST {template}: not replayed ({exc})")
    assert failures == []


# -- real work, done once ---------------------------------------------------------------------


# A replay is an API call all the same: the usage meter counts it (and writes when it will).
NOT_WORK = frozenset({"api_usage"})


def row_counts(db: Database) -> dict[str, int]:
    """The number of rows of every table that holds work."""
    with db.unit_of_work(write=False) as session:
        return {
            table.name: int(session.scalar(select(func.count()).select_from(table)) or 0)
            for table in Base.metadata.sorted_tables
            if table.name not in NOT_WORK
        }


FORM = {
    "name": "Contact",
    "fields": [{"name": "email", "type": "email", "required": True}],
}
MAGNET = {
    "delivery_mode": "gated",
    "keyword": "CHECKLIST",
    "resource_name": "Checklist",
    "text_template": "Here it is: {{resource_link}}",
    "hosted_page": {"title": "Checklist", "markdown_content": "Ten steps."},
}
ACTIVITY = {
    "source": "comment",
    "author_name": "Example Person",
    "linkedin_profile_url": "https://www.linkedin.com/in/example-profile",
    "content": "CHECKLIST please!",
    "post_id": "post-1",
    "occurred_at": "2026-06-15T15:45:00Z",
}
Step = tuple[str, Callable[[dict[str, Any]], tuple[str, dict[str, Any]]]]
# Each step: its name, and from the ids made so far, its path and request options.
STEPS: list[Step] = [
    ("lead", lambda ids: ("/api/v1/leads", {"json": {"first_name": "Ada"}})),
    ("tagged", lambda ids: (f"/api/v1/leads/{ids['lead']}/tags", {"json": {"tag": "vip"}})),
    ("pipeline", lambda ids: ("/api/v1/pipelines", {"json": {"name": "Hiring"}})),
    (
        "stage",
        lambda ids: (f"/api/v1/pipelines/{ids['pipeline']}/stages", {"json": {"name": "Call"}}),
    ),
    ("tag", lambda ids: ("/api/v1/tags", {"json": {"name": "Partner"}})),
    ("list", lambda ids: ("/api/v1/lists", {"json": {"name": "Prospects"}})),
    (
        "listed",
        lambda ids: (f"/api/v1/lists/{ids['list']}/leads", {"json": {"lead_ids": [ids["lead"]]}}),
    ),
    (
        "unlisted",
        lambda ids: (
            f"/api/v1/lists/{ids['list']}/leads/remove",
            {"json": {"lead_ids": [ids["lead"]]}},
        ),
    ),
    (
        "user",
        lambda ids: (
            "/api/v1/users",
            {"json": {"name": "Ann", "email": "ann@example.com", "password": "long-enough"}},
        ),
    ),
    ("form", lambda ids: ("/api/v1/forms", {"json": FORM})),
    (
        "submission",
        lambda ids: (
            f"/api/v1/forms/{ids['form']}/submissions",
            {"json": {"email": "sub@example.com"}},
        ),
    ),
    (
        "webhook",
        lambda ids: ("/api/v1/webhooks", {"json": {"url": "https://93.184.216.34/hooks"}}),
    ),
    (
        "upload",
        lambda ids: (
            "/api/v1/media/upload-url",
            {"json": {"filename": "a.png", "content_type": "image/png", "file_size": 10}},
        ),
    ),
    ("magnet", lambda ids: ("/api/v1/lead-magnets", {"json": MAGNET})),
    ("activity", lambda ids: ("/api/v1/activity", {"json": ACTIVITY})),
    (
        "inbound",
        lambda ids: (
            "/api/inbound/leads?tenant=acme",
            {"json": {"email": "in@example.com", "tags": ["a"]}},
        ),
    ),
    (
        "import",
        lambda ids: (
            "/api/v1/imports",
            {
                "files": {"file": ("leads.csv", b"email,first_name\nx@example.com,X\n")},
                "data": {"list_name": "Imported"},
            },
        ),
    ),
    ("export", lambda ids: ("/api/v1/exports", {"json": {"format": "csv"}})),
]


def test_a_keyed_repeat_of_each_creation_creates_nothing_more(
    client: TestClient, db: Database, workspace: Workspace, headers: dict[str, str]
) -> None:
    make_lead(db, workspace, first_name="Exported")
    with db.unit_of_work() as session:
        credits.grant(session, workspace.id, 100)
    ids: dict[str, Any] = {}
    for name, build in STEPS:
        path, options = build(ids)
        first = client.post(path, headers=keyed(headers, f"real-{name}"), **options)
        assert 200 <= first.status_code < 300, (name, first.status_code, first.text)
        body = first.json()
        data = body.get("data", body)
        ids[name] = data.get("id", data.get("lead_id")) if isinstance(data, dict) else None
        before = row_counts(db)
        again = client.post(path, headers=keyed(headers, f"real-{name}"), **options)
        assert_replay_of(again, first)
        assert row_counts(db) == before, name


def test_a_keyed_post_whose_path_is_invalid_is_refused_in_the_envelope(
    app: FastAPI, client: TestClient, headers: dict[str, str]
) -> None:
    """Out-of-range ids in the path keep the credential's dependency from running (FastAPI goes
    on to take the key, then answers the path's error): a 4xx in the envelope, never a 500."""
    for path, _route in native_post_routes(app):
        if "{" not in path:
            continue
        url = _PARAMETER.sub("99999999999999999", path)
        for extra in ({}, {"X-Form-Key": "fk_nothing"}):
            response = client.post(url, json={}, headers={**keyed(headers, "bad-path"), **extra})
            assert 400 <= response.status_code < 500, (url, response.status_code, response.text)
            body = response.json()
            assert body["status"] == "error" and body["code"], (url, body)


def test_a_route_that_resolves_no_caller_cannot_take_keys(app: FastAPI) -> None:
    router = APIRouter(route_class=IdempotentRoute)

    @router.post("/anonymous")
    def anonymous() -> dict[str, str]:
        return {"done": "yes"}

    bare = FastAPI()
    bare.state.runtime = app.state.runtime
    bare.include_router(router)
    client = TestClient(bare, raise_server_exceptions=True)
    assert client.post("/anonymous").json() == {"done": "yes"}
    with pytest.raises(RuntimeError, match="has no caller"):
        client.post("/anonymous", headers={HEADER: "k-1"})
