"""Posts made through the native API as a client would, and the job plumbing the tests drive."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from leadhub.db.uow import Database
from leadhub.domains.webhooks import service as webhooks
from leadhub.domains.webhooks.schemas import DeliveryRead, WebhookCreate
from leadhub.kit.clock import utcnow
from leadhub.kit.crypto import SecretBox
from leadhub.kit.pagination import PageRequest
from leadhub.models import Job
from tests.factories import Workspace
from tests.webhooks.receiver import Received

POSTS = "/api/v1/posts"
BOX = SecretBox("test-secret")  # the test app's secret key
SECRET = "whsec_test_secret_0123456789"
URL = "https://www.linkedin.com/posts/example-post"


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def later(**delta: float) -> datetime:
    """A future moment, to the second (so it round-trips exactly)."""
    return (utcnow() + timedelta(**delta)).replace(microsecond=0)


def draft(**changes: Any) -> dict[str, Any]:
    """The seed's draft example, with changes."""
    body: dict[str, Any] = {
        "text": "Public-safe post copy. Comment GUIDE and I will send the resource.",
        "status": "draft",
        "scheduled_at": None,
        "theme_id": None,
        "template_id": None,
        "images": [
            {"url": "https://cdn.example.com/api-uploads/example-image.png", "type": "image"}
        ],
        "document_url": None,
        "document_type": "image",
        "notes": "Public-safe internal note.",
        "followups": {
            "reaction": {"enabled": True, "delay_minutes": 30, "reaction_type": "like"},
            "repost": None,
            "comments": [{"text": "Comment GUIDE if you want the resource.", "delay_minutes": 60}],
        },
    }
    body.update(changes)
    return body


def create(client: TestClient, headers: dict[str, str], **changes: Any) -> dict[str, Any]:
    response = client.post(POSTS, json=draft(**changes), headers=headers)
    assert response.status_code == 201, response.text
    post: dict[str, Any] = response.json()["data"]
    return post


def fetch(client: TestClient, headers: dict[str, str], post_id: int) -> dict[str, Any]:
    response = client.get(f"{POSTS}/{post_id}", headers=headers)
    assert response.status_code == 200, response.text
    post: dict[str, Any] = response.json()["data"]
    return post


def errors_of(response: Any) -> dict[str, list[str]]:
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["status"] == "error" and body["code"] == "VALIDATION_FAILED"
    found: dict[str, list[str]] = body["errors"]
    return found


def settle(app: FastAPI) -> list[str]:
    """Run due jobs until none is left (jobs enqueue jobs)."""
    outcomes: list[str] = []
    for _ in range(30):
        ran = app.state.runtime.jobs.run_pending()
        if not ran:
            return outcomes
        outcomes.extend(ran)
    raise AssertionError("jobs never settled")


def jobs_of(db: Database, kind: str) -> list[Job]:
    with db.unit_of_work(write=False) as session:
        return list(session.scalars(select(Job).where(Job.kind == kind).order_by(Job.id)))


def make_due(db: Database, kind: str | None = None) -> None:
    """Skip the wait: every pending job (of this kind) becomes due now."""
    with db.unit_of_work() as session:
        statement = select(Job).where(Job.status == "pending")
        if kind is not None:
            statement = statement.where(Job.kind == kind)
        for job in session.scalars(statement):
            job.run_after = utcnow()


def make_hook(db: Database, workspace: Workspace, url: str, events: list[str]) -> int:
    data = WebhookCreate(url=url, events=events, secret=SECRET)
    with db.unit_of_work() as session:
        return webhooks.create_webhook(
            session, workspace.principal(), data=data, secret_box=BOX, allow_private=True
        ).id


def deliveries(db: Database, workspace: Workspace, hook_id: int) -> list[DeliveryRead]:
    with db.unit_of_work(write=False) as session:
        found = webhooks.list_deliveries(
            session, workspace.principal(), hook_id, page=PageRequest(1, 100)
        )
        return found.items


def scheduled(client: TestClient, headers: dict[str, str], **changes: Any) -> dict[str, Any]:
    changes.setdefault("followups", None)
    return create(client, headers, status="scheduled", scheduled_at=iso(later(hours=2)), **changes)


def events_of(requests: list[Received]) -> list[str]:
    return [request.headers["x-leadhub-event"] for request in requests]
