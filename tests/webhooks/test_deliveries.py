"""Deliveries: lead events reach a local receiver, signed; retried with backoff; logged; sent
again on demand; private targets refused at delivery time when the node does not allow them."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from leadhub.db.uow import Database
from leadhub.domains.leads import service as leads
from leadhub.domains.webhooks import service as webhooks
from leadhub.domains.webhooks.schemas import DeliveryRead, WebhookCreate, WebhookUpdate
from leadhub.domains.webhooks.tasks import SWITCHED_OFF
from leadhub.kit.clock import utcnow
from leadhub.kit.crypto import SecretBox
from leadhub.kit.pagination import PageRequest
from leadhub.models import Job
from tests.factories import Workspace, make_lead
from tests.webhooks.receiver import receiver, verify

BOX = SecretBox("test-secret")  # the test app's secret key
SECRET = "whsec_test_secret_0123456789"


def make_hook(
    db: Database, workspace: Workspace, url: str, events: list[str], *, active: bool = True
) -> int:
    data = WebhookCreate(url=url, events=events, secret=SECRET, is_active=active)
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


def run_jobs(app: FastAPI) -> list[str]:
    """Run due jobs until none is left (dispatch, then the deliveries it enqueued)."""
    outcomes: list[str] = []
    while True:
        ran = app.state.runtime.jobs.run_pending()
        if not ran:
            return outcomes
        outcomes.extend(ran)


def deliver_jobs(db: Database) -> list[Job]:
    with db.unit_of_work(write=False) as session:
        return list(
            session.scalars(select(Job).where(Job.kind == "webhooks.deliver").order_by(Job.id))
        )


def make_due(db: Database) -> None:
    """Skip the backoff wait: every pending job becomes due now."""
    with db.unit_of_work() as session:
        for job in session.scalars(select(Job).where(Job.status == "pending")):
            job.run_after = utcnow()


def test_an_event_reaches_the_receiver_signed(
    private_app: FastAPI, db: Database, workspace: Workspace
) -> None:
    with receiver() as hook_server:
        hook_id = make_hook(db, workspace, hook_server.url, ["lead_created"])
        lead_id = make_lead(db, workspace, email="ada@example.com", tags=["vip"])
        run_jobs(private_app)
        (request,) = hook_server.requests
    assert request.path == "/hooks/leadhub"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["x-leadhub-event"] == "lead_created"
    assert verify(SECRET, request.headers["x-leadhub-signature"], request.body)
    assert not verify(
        "another-secret-entirely", request.headers["x-leadhub-signature"], request.body
    )
    body = json.loads(request.body)
    assert body["event"] == "lead_created" and body["created_at"]
    assert body["data"]["event"]["lead_id"] == lead_id
    assert body["data"]["lead"]["email"] == "ada@example.com"
    assert body["data"]["lead"]["tags"] == ["vip"]
    (delivery,) = deliveries(db, workspace, hook_id)
    assert request.headers["x-leadhub-delivery"] == str(delivery.id)
    assert body["id"] == delivery.event_id
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("succeeded", 1, 200)
    assert delivery.response_time_ms is not None and delivery.delivered_at is not None


def test_only_matching_active_webhooks_get_deliveries(
    private_app: FastAPI, db: Database, workspace: Workspace
) -> None:
    with receiver() as hook_server:
        tagged = make_hook(db, workspace, hook_server.url, ["tag_added"])
        created = make_hook(db, workspace, hook_server.url, ["lead_created"])
        everything = make_hook(db, workspace, hook_server.url, ["*"])
        inactive = make_hook(db, workspace, hook_server.url, ["*"], active=False)
        lead_id = make_lead(db, workspace, email="bo@example.com")
        run_jobs(private_app)
        assert [len(deliveries(db, workspace, hook)) for hook in (tagged, created, inactive)] == [
            0,
            1,
            0,
        ]
        with db.unit_of_work() as session:
            leads.add_tag(session, workspace.principal(), lead_id, "hot")
        run_jobs(private_app)
        assert [d.event for d in deliveries(db, workspace, tagged)] == ["tag_added"]
        assert {d.event for d in deliveries(db, workspace, everything)} >= {
            "lead_created",
            "tag_added",
        }
        assert len(hook_server.requests) == 1 + 1 + len(deliveries(db, workspace, everything))


def test_a_delivery_queued_before_its_webhook_was_switched_off_is_not_sent(
    private_app: FastAPI, db: Database, workspace: Workspace
) -> None:
    with receiver() as hook_server:
        hook_id = make_hook(db, workspace, hook_server.url, ["lead_created"])
        make_lead(db, workspace, email="cy@example.com")
        private_app.state.runtime.jobs.run_pending()  # the event's dispatch queues the delivery
        (queued,) = deliveries(db, workspace, hook_id)
        assert queued.status == "pending"
        with db.unit_of_work() as session:
            webhooks.update_webhook(
                session,
                workspace.principal(),
                hook_id,
                data=WebhookUpdate(is_active=False),
                secret_box=BOX,
                allow_private=True,
            )
        run_jobs(private_app)
        assert hook_server.requests == []
    (delivery,) = deliveries(db, workspace, hook_id)
    assert (delivery.status, delivery.error) == ("failed", SWITCHED_OFF)


def test_a_deleted_lead_is_delivered_without_its_record(
    private_app: FastAPI, db: Database, workspace: Workspace
) -> None:
    with receiver() as hook_server:
        make_hook(db, workspace, hook_server.url, ["lead_deleted"])
        lead_id = make_lead(db, workspace, email="gone@example.com")
        with db.unit_of_work() as session:
            leads.delete(session, workspace.principal(), lead_id)
        run_jobs(private_app)
        (request,) = hook_server.requests
    body = json.loads(request.body)
    assert body["event"] == "lead_deleted" and body["data"]["lead"] is None
    assert body["data"]["event"]["lead_id"] == lead_id


def test_a_500_is_retried_with_backoff_then_succeeds(
    private_app: FastAPI, db: Database, workspace: Workspace
) -> None:
    with receiver() as hook_server:
        hook_server.answers = [500]
        hook_id = make_hook(db, workspace, hook_server.url, ["lead_created"])
        make_lead(db, workspace)
        assert run_jobs(private_app) == ["done", "retry"]
        (job,) = deliver_jobs(db)
        wait = (job.run_after - utcnow()).total_seconds()
        assert job.status == "pending" and 5 < wait <= 10
        (pending,) = deliveries(db, workspace, hook_id)
        assert pending.status == "pending"
        make_due(db)
        assert run_jobs(private_app) == ["done"]
        first, second = hook_server.requests
    assert first.headers["x-leadhub-delivery"] == second.headers["x-leadhub-delivery"]
    (delivery,) = deliveries(db, workspace, hook_id)
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("succeeded", 2, 200)
    assert delivery.error is None


def test_a_delivery_fails_after_its_last_attempt(
    private_app: FastAPI, db: Database, workspace: Workspace
) -> None:
    with receiver() as hook_server:
        hook_server.answers = [503] * webhooks.DELIVERY_ATTEMPTS
        hook_id = make_hook(db, workspace, hook_server.url, ["lead_created"])
        make_lead(db, workspace)
        outcomes = run_jobs(private_app)
        for _ in range(webhooks.DELIVERY_ATTEMPTS - 1):
            make_due(db)
            outcomes += run_jobs(private_app)
        assert len(hook_server.requests) == webhooks.DELIVERY_ATTEMPTS
    assert outcomes.count("retry") == webhooks.DELIVERY_ATTEMPTS - 1
    (delivery,) = deliveries(db, workspace, hook_id)
    assert (delivery.status, delivery.attempts, delivery.response_status) == (
        "failed",
        webhooks.DELIVERY_ATTEMPTS,
        503,
    )
    assert delivery.error == "The receiver answered 503."
    make_due(db)
    assert run_jobs(private_app) == []


def test_a_redirect_counts_as_a_failure(
    private_app: FastAPI, db: Database, workspace: Workspace
) -> None:
    with receiver() as hook_server:
        hook_server.answers = [302]
        hook_server.redirect_to = "http://169.254.169.254/latest/meta-data/"
        make_hook(db, workspace, hook_server.url, ["lead_created"])
        make_lead(db, workspace)
        assert run_jobs(private_app) == ["done", "retry"]
        assert len(hook_server.requests) == 1
    (job,) = deliver_jobs(db)
    assert job.last_error is not None and "302" in job.last_error


def test_redeliver_sends_the_event_again_as_a_new_delivery(
    private_app: FastAPI,
    private_client: TestClient,
    db: Database,
    workspace: Workspace,
    headers: dict[str, str],
) -> None:
    with receiver() as hook_server:
        hook_id = make_hook(db, workspace, hook_server.url, ["lead_created"])
        make_lead(db, workspace)
        run_jobs(private_app)
        (first,) = deliveries(db, workspace, hook_id)
        path = f"/api/v1/webhooks/{hook_id}/deliveries/{first.id}/redeliver"
        answer = private_client.post(path, headers=headers)
        assert answer.status_code == 201, answer.text
        again = answer.json()["data"]
        assert again["status"] == "pending" and again["event_id"] == first.event_id
        run_jobs(private_app)
        one, two = hook_server.requests
    assert json.loads(one.body) == json.loads(two.body)
    assert [one.headers["x-leadhub-delivery"], two.headers["x-leadhub-delivery"]] == [
        str(first.id),
        str(again["id"]),
    ]
    listed = private_client.get(f"/api/v1/webhooks/{hook_id}/deliveries", headers=headers).json()
    assert [d["id"] for d in listed["data"]] == [again["id"], first.id]
    assert [d["status"] for d in listed["data"]] == ["succeeded", "succeeded"]
    missing = private_client.post(
        f"/api/v1/webhooks/{hook_id}/deliveries/999999/redeliver", headers=headers
    )
    assert missing.status_code == 404


@pytest.mark.parametrize("host", ["127.0.0.1", "169.254.169.254", "10.0.0.1", "[::1]"])
def test_private_targets_are_refused_at_delivery_time(
    app: FastAPI,
    db: Database,
    workspace: Workspace,
    monkeypatch: pytest.MonkeyPatch,
    host: str,
) -> None:
    sent: list[Any] = []
    monkeypatch.setattr(httpx.Client, "send", lambda *args, **kwargs: sent.append(args))
    with receiver() as hook_server:
        port = hook_server.url.split(":")[2].split("/")[0]
        hook_id = make_hook(db, workspace, f"http://{host}:{port}/hooks/leadhub", ["*"])
        make_lead(db, workspace)
        assert app.state.runtime.settings.webhook_allow_private is False
        run_jobs(app)
        assert hook_server.requests == []
    assert sent == []
    (delivery,) = deliveries(db, workspace, hook_id)
    assert delivery.status == "failed" and delivery.attempts == 1
    assert delivery.error is not None and "private or reserved" in delivery.error


def test_a_workspace_event_reaches_the_webhooks_subscribed_to_it_or_to_everything(
    private_app: FastAPI, db: Database, workspace: Workspace
) -> None:
    with receiver() as hook_server:
        subscribed = make_hook(db, workspace, hook_server.url, ["post.published"])
        everything = make_hook(db, workspace, hook_server.url, ["*"])
        other = make_hook(db, workspace, hook_server.url, ["lead_created"])
        body = {"id": "evt-1", "event": "post.published", "created_at": "", "data": {}}
        with db.unit_of_work() as session:
            started = webhooks.deliver_event(session, workspace.id, "post.published", body)
        assert len(started) == 2
        run_jobs(private_app)
        assert len(hook_server.requests) == 2
        for request in hook_server.requests:
            assert request.headers["x-leadhub-event"] == "post.published"
            assert verify(SECRET, request.headers["x-leadhub-signature"], request.body)
            assert json.loads(request.body) == body
    assert deliveries(db, workspace, other) == []
    for hook_id in (subscribed, everything):
        (delivery,) = deliveries(db, workspace, hook_id)
        assert (delivery.event, delivery.event_id, delivery.status) == (
            "post.published",
            None,
            "succeeded",
        )
