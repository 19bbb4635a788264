"""Three workspaces for the isolation tests, seeded through the real API and services.

Workspace A holds one record of every kind a route addresses by id, every text of them carrying
the marker `alphamark`; workspace B (`bravomark`) is the caller, with a few records of its own
for the routes that name two records at once; the agency G holds a grant on B, so that its key
calls the client routes as B. `Values` names each seeded value for the case table
(`a.lead`, `b.list`, …).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from leadhub.app import create_app
from leadhub.config import Settings
from leadhub.db.uow import Database
from leadhub.domains.credits import service as credits
from leadhub.domains.grants import service as grants
from leadhub.models import ApiKey, AutomationRun, MediaObject
from leadhub.models.account import SearchRecord
from leadhub.surfaces.common.ratelimit import RateLimiter
from leadhub.surfaces.common.runtime import Runtime
from tests.conftest import BASE_URL
from tests.factories import Workspace, make_key, make_workspace
from tests.media.samples import sample
from tests.web.conftest import WebSession, make_member, sign_in

MARK = "alphamark"
OTHER_MARK = "bravomark"
# An id no record has (the "missing" twin of every foreign id).
MISSING_ID = 987_654_321
MISSING_UUID = "00000000-0000-4000-8000-00000000dead"
PNG_SIZE = 2048


@dataclass
class World:
    app: FastAPI
    db: Database
    a: Workspace
    b: Workspace
    agency: Workspace
    b_key: str
    agency_key: str
    values: dict[str, Any] = field(default_factory=dict)
    # What answers given to B must never hold: A's marker and public id.
    secrets: tuple[str, ...] = ()
    web_b: WebSession | None = None
    # A's rows as the last check left them (the next check starts from them).
    a_rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)

    def client(self) -> TestClient:
        return TestClient(self.app, base_url=BASE_URL, follow_redirects=False)

    def value(self, name: str) -> Any:
        assert name in self.values, f"the world has no value named {name!r}"
        return self.values[name]


def build_app(db: Database, data_dir: Path) -> FastAPI:
    """An app on the test database whose webhooks may target this machine (a closed port)."""
    settings = Settings(
        data_dir=data_dir,
        database_url=str(db.engine.url.render_as_string(hide_password=False)),
        base_url=BASE_URL,
        secret_key="test-secret",
        redis_url=None,
        webhook_allow_private=True,
    )
    return create_app(settings, runtime=Runtime(settings=settings, db=db, limiter=RateLimiter()))


def build_world(db: Database, data_dir: Path) -> World:
    app = build_app(db, data_dir)
    a = make_workspace(db, f"{MARK}-ws")
    b = make_workspace(db, f"{OTHER_MARK}-ws")
    agency = make_workspace(db, "agency-ws", agency=True)
    world = World(
        app=app,
        db=db,
        a=a,
        b=b,
        agency=agency,
        b_key=make_key(db, b, rate_limit=1_000_000),
        agency_key=make_key(db, agency, rate_limit=1_000_000),
    )
    a_api = Api(world.client(), make_key(db, a, rate_limit=1_000_000))
    _seed_a(world, a_api)
    _seed_b(world, Api(world.client(), world.b_key))
    with db.unit_of_work() as session:
        granted = grants.create(
            session, agency_slug=agency.slug, client_slug=b.slug, permissions=["*"]
        )
        world.values["g.grant"] = granted.id
    world.secrets = (MARK, a.public_id)
    app.state.runtime.usage.flush()  # A's calls counted so far, written now, not mid-test
    return world


class Api:
    """Calls of one workspace's key that must succeed; their data."""

    def __init__(self, client: TestClient, key: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {key}"}

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.client.request(method, path, headers=self.headers, **kwargs)
        assert response.status_code < 300, f"{method} {path}: {response.text}"
        return response.json() if response.content else None

    def data(self, method: str, path: str, **kwargs: Any) -> Any:
        return self.call(method, f"/api/v1{path}", **kwargs)["data"]


def _seed_a(world: World, api: Api) -> None:
    values = world.values
    values["a.slug"] = world.a.slug
    values["a.public_id"] = world.a.public_id
    _seed_structure(values, api, MARK, "a")
    _seed_leads(world, values, api)
    _seed_social(values, api)
    _seed_files(world, values, api)
    settle(world.app)
    _seed_outcomes(world, values, api)


def _seed_structure(values: dict[str, Any], api: Api, mark: str, who: str) -> None:
    """Users, tags, a pipeline, a webhook, an automation: what leads then refer to."""
    user = api.data(
        "POST",
        "/users",
        json={
            "name": f"{mark.title()} User",
            "email": f"{mark}.user@{mark}.example",
            "password": f"{mark}-password-1",
            "role": "member",
        },
    )
    values[f"{who}.user"] = user["id"]
    tag = api.data("POST", "/tags", json={"name": f"{mark}-vip", "color": "#ff0000"})
    values[f"{who}.tag"] = tag["id"]
    values[f"{who}.tag_name"] = tag["name"]
    pipeline = api.data("POST", "/pipelines", json={"name": f"{mark.title()} pipeline"})
    values[f"{who}.pipeline"] = pipeline["id"]
    values[f"{who}.stage"] = pipeline["stages"][0]["id"]
    values[f"{who}.stage2"] = pipeline["stages"][1]["id"]
    hook = api.data(
        "POST",
        "/webhooks",
        json={
            "url": f"http://127.0.0.1:9/{mark}",
            "events": ["*"],
            "secret": f"whsec_{mark}_0123456789abcdef",
            "description": f"{mark} hook",
        },
    )
    values[f"{who}.webhook"] = hook["id"]
    automation = api.data(
        "POST",
        "/automations",
        json={
            "name": f"{mark.title()} automation",
            "trigger": "lead_created",
            "actions": [{"type": "add_tag", "tag": f"{mark}-auto"}],
        },
    )
    values[f"{who}.automation"] = automation["id"]
    listed = api.data(
        "POST", "/lists", json={"name": f"{mark.title()} list", "description": f"{mark} list"}
    )
    values[f"{who}.list"] = listed["id"]
    values[f"{who}.list_name"] = listed["name"]


def _seed_leads(world: World, values: dict[str, Any], api: Api) -> None:
    lead = api.data(
        "POST",
        "/leads",
        json={
            "first_name": MARK.title(),
            "last_name": "Lead",
            "email": f"{MARK}.lead@{MARK}.example",
            "phone": "+33612345678",
            "company": f"{MARK.title()} Inc",
            "pipeline_id": values["a.pipeline"],
            "pipeline_stage_id": values["a.stage"],
            "assigned_user_id": values["a.user"],
            "tags": [values["a.tag_name"]],
            "custom_fields": {f"{MARK}_key": f"{MARK} value"},
            "unique_identifier": f"{MARK}-uid",
            "notes": f"{MARK} notes",
        },
    )
    values["a.lead"] = lead["id"]
    values["a.lead_email"] = lead["email"]
    values["a.lead_phone"] = lead["phone"]
    values["a.lead_uid"] = lead["unique_identifier"]
    api.data("POST", f"/lists/{values['a.list']}/leads", json={"lead_ids": [lead["id"]]})
    form = api.data(
        "POST",
        "/forms",
        json={
            "name": f"{MARK.title()} form",
            "description": f"{MARK} form",
            "fields": [
                {"name": "email", "label": "Email", "type": "email", "required": True},
                {"name": "first_name", "label": "First name", "type": "text"},
            ],
            "pipeline_id": values["a.pipeline"],
            "pipeline_stage_id": values["a.stage"],
            "tags": [f"{MARK}-form"],
        },
    )
    values["a.form"] = form["id"]
    values["a.form_name"] = form["name"]
    submitted = api.call(
        "POST",
        f"/api/v1/forms/{form['id']}/submissions",
        json={"email": f"{MARK}.form@{MARK}.example", "first_name": f"{MARK.title()} Form"},
    )["data"]
    values["a.submission"] = submitted["id"]
    values["a.form_lead"] = submitted["lead_id"]
    integration = api.data(
        "POST",
        "/integrations",
        json={
            "type": "google_ads_lead_forms",
            "name": f"{MARK.title()} Google",
            "settings": {"webhook_key": f"{MARK}-webhook-key"},
        },
    )
    values["a.integration"] = integration["id"]
    label = api.data("POST", "/conversion-labels", json={"name": f"{MARK.title()} won"})
    values["a.label"] = label["id"]
    values["a.label_uuid"] = label["uuid"]
    rating = api.data("PUT", f"/leads/{values['a.form_lead']}/rating", json={"lost": True})
    values["a.conversion"] = rating["id"]
    # A search that A's history keeps.
    api.data("GET", "/leads", params={"search": MARK})


def _seed_social(values: dict[str, Any], api: Api) -> None:
    magnet = api.data(
        "POST",
        "/lead-magnets",
        json={
            "delivery_mode": "gated",
            "keyword": MARK.upper(),
            "resource_name": f"{MARK.title()} Guide",
            "description": f"{MARK} guide",
            "text_template": f"{MARK} guide: {{{{resource_link}}}}",
            "not_connected_reply": f"{MARK} connect first",
            "hosted_page": {
                "title": f"{MARK.title()} Guide",
                "markdown_content": f"# {MARK.title()}\n\n{MARK} content.",
                "status": "published",
            },
        },
    )
    values["a.magnet"] = magnet["id"]
    values["a.magnet_uuid"] = magnet["uuid"]
    values["a.magnet_slug"] = magnet["hosted_page"]["slug"]
    recorded = api.data(
        "POST",
        "/activity",
        json={
            "source": "comment",
            "author_name": f"{MARK.title()} Person",
            "author_headline": f"{MARK} headline",
            "linkedin_profile_url": f"https://www.linkedin.com/in/{MARK}-person",
            "content": f"{MARK.upper()} please",
            "post_id": f"{MARK}-post",
        },
    )
    values["a.activity"] = recorded["activity"]["id"]
    post = api.data(
        "POST",
        "/posts",
        json={
            "text": f"{MARK.title()} post. Comment {MARK.upper()}.",
            "status": "draft",
            "template_id": values["a.magnet"],
            "notes": f"{MARK} note",
            "followups": {
                "reaction": {"enabled": True, "delay_minutes": 30, "reaction_type": "like"},
                "comments": [{"text": f"{MARK} followup", "delay_minutes": 60}],
            },
        },
    )
    values["a.post"] = post["id"]
    values["a.post_uuid"] = post["uuid"]
    # A visitor unlocks the hosted page: a capture and page events.
    visitor = api.client
    slug = values["a.magnet_slug"]
    visitor.get(f"/m/{slug}")
    unlocked = visitor.post(
        f"/m/{slug}", data={"email": f"{MARK}.visitor@{MARK}.example", "name": f"{MARK} visitor"}
    )
    assert unlocked.status_code < 400, unlocked.text


def _seed_files(world: World, values: dict[str, Any], api: Api) -> None:
    ticket = api.data(
        "POST",
        "/media/upload-url",
        json={"filename": f"{MARK}.png", "content_type": "image/png", "file_size": PNG_SIZE},
    )
    put = api.client.put(
        ticket["upload_url"].removeprefix(BASE_URL),
        content=sample("image/png", PNG_SIZE),
        headers={"Content-Type": "image/png"},
    )
    assert put.status_code < 300, put.text
    values["a.media_url"] = ticket["public_url"].removeprefix(BASE_URL)
    started = api.client.post(
        "/api/v1/imports",
        headers=api.headers,
        files={"file": (f"{MARK}.csv", io.BytesIO(_csv()), "text/csv")},
        data={"list_name": f"{MARK.title()} import"},
    )
    assert started.status_code == 202, started.text
    values["a.import"] = started.json()["data"]["id"]
    with world.db.unit_of_work() as session:
        credits.grant(session, world.a.id, 1000, reason=f"{MARK} credits")
    export = api.data("POST", f"/lists/{values['a.list']}/exports", json={"format": "csv"})
    values["a.export"] = export["id"]


def _csv() -> bytes:
    return (
        f"email,first_name,company\n{MARK}.import@{MARK}.example,{MARK.title()},{MARK}\n".encode()
    )


def _seed_outcomes(world: World, values: dict[str, Any], api: Api) -> None:
    """What jobs and events left: a delivery, a run, the export's file, the key's id."""
    deliveries = api.data("GET", f"/webhooks/{values['a.webhook']}/deliveries")
    assert deliveries, "A's webhook has no delivery"
    values["a.delivery"] = deliveries[0]["id"]
    download = api.data("GET", f"/downloads/{values['a.export']}")
    assert download["url"], download
    values["a.download_url"] = download["url"].removeprefix(BASE_URL)
    with world.db.unit_of_work(write=False) as session:
        values["a.run"] = session.scalars(
            select(AutomationRun.id).where(AutomationRun.workspace_id == world.a.id)
        ).first()
        values["a.api_key"] = session.scalars(
            select(ApiKey.id).where(ApiKey.workspace_id == world.a.id)
        ).first()
        values["a.media"] = session.scalars(
            select(MediaObject.uuid).where(MediaObject.workspace_id == world.a.id)
        ).first()
        history = session.scalars(
            select(SearchRecord.id).where(SearchRecord.workspace_id == world.a.id)
        ).first()
    assert values["a.run"] and values["a.media"] and history, values


def _seed_b(world: World, api: Api) -> None:
    """B's own records, for routes that name one of the caller's records and one of A's."""
    values = world.values
    values["b.slug"] = world.b.slug
    values["b.public_id"] = world.b.public_id
    _seed_structure(values, api, OTHER_MARK, "b")
    lead = api.data(
        "POST", "/leads", json={"first_name": OTHER_MARK.title(), "email": "b@bravomark.example"}
    )
    values["b.lead"] = lead["id"]
    settle(world.app)
    deliveries = api.data("GET", f"/webhooks/{values['b.webhook']}/deliveries")
    values["b.delivery"] = deliveries[0]["id"]
    user_id = make_member(world.db, world.b, f"owner@{OTHER_MARK}.example", "owner", "B Owner")
    browser = world.client()
    world.web_b = WebSession(browser, user_id, sign_in(browser, f"owner@{OTHER_MARK}.example"))


def settle(app: FastAPI) -> None:
    """Run due jobs until none is left (jobs enqueue jobs)."""
    for _ in range(30):
        if not app.state.runtime.jobs.run_pending():
            return
    raise AssertionError("jobs never settled")


def response_text(response: httpx.Response) -> str:
    return response.text if response.content else ""


def iter_values(world: World, prefix: str) -> Iterator[tuple[str, Any]]:
    return ((name, value) for name, value in world.values.items() if name.startswith(prefix))
