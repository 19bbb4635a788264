"""Publishing: a scheduled post's job is due at its time and publishes it through the webhooks
(signed `post.published`, the answered URL recorded); reschedules make old jobs no-ops; failures
retry then fail the post."""

from __future__ import annotations

import json

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import update

from leadhub.db.uow import Database
from leadhub.domains.webhooks import service as webhooks
from leadhub.kit.clock import utcnow
from leadhub.models import Job
from tests.factories import Workspace
from tests.lead_magnets.helpers import create as create_magnet
from tests.posts.helpers import (
    POSTS,
    SECRET,
    URL,
    create,
    deliveries,
    events_of,
    fetch,
    iso,
    jobs_of,
    later,
    make_due,
    make_hook,
    scheduled,
    settle,
)
from tests.webhooks.receiver import receiver, verify


def test_scheduling_enqueues_a_publish_job_due_at_the_scheduled_time(
    private_app: FastAPI, private_client: TestClient, db: Database, headers: dict[str, str]
) -> None:
    when = later(days=2)
    post = create(private_client, headers, status="scheduled", scheduled_at=iso(when))
    (job,) = jobs_of(db, "posts.publish")
    assert job.run_after == when and job.status == "pending"
    assert job.payload == {"post_id": post["id"], "version": 1}
    assert settle(private_app) == []
    assert fetch(private_client, headers, post["id"])["status"] == "scheduled"
    assert create(private_client, headers)["status"] == "draft"
    assert len(jobs_of(db, "posts.publish")) == 1  # a draft enqueues nothing


def test_a_due_post_is_published_through_a_signed_webhook_and_records_the_answered_url(
    private_app: FastAPI,
    private_client: TestClient,
    db: Database,
    workspace: Workspace,
    headers: dict[str, str],
) -> None:
    magnet = create_magnet(private_client, headers)
    with receiver() as hook_server:
        hook_server.json_answers = [{"published_url": URL}]
        hook_id = make_hook(db, workspace, hook_server.url, ["post.published"])
        post = scheduled(private_client, headers, template_id=magnet["uuid"])
        make_due(db)
        settle(private_app)
        (request,) = hook_server.requests
    assert request.headers["x-leadhub-event"] == "post.published"
    assert verify(SECRET, request.headers["x-leadhub-signature"], request.body)
    body = json.loads(request.body)
    assert body["event"] == "post.published" and body["id"] and body["created_at"]
    assert body["data"]["post"]["id"] == post["id"]
    assert body["data"]["post"]["text"] == post["text"]
    assert body["data"]["post"]["images"] == post["images"]
    assert body["data"]["template"]["keyword"] == magnet["keyword"]
    published = fetch(private_client, headers, post["id"])
    assert published["status"] == "published" and published["published_url"] == URL
    assert published["published_at"] is not None and published["publish_note"] is None
    (delivery,) = deliveries(db, workspace, hook_id)
    assert (delivery.event, delivery.event_id, delivery.status) == (
        "post.published",
        None,
        "succeeded",
    )
    assert request.headers["x-leadhub-delivery"] == str(delivery.id)
    engagement = private_client.get(f"{POSTS}/{post['id']}/engagement", headers=headers)
    assert engagement.json()["data"]["published_url"] == URL


def test_a_receiver_answering_no_url_publishes_the_post_without_one(
    private_app: FastAPI,
    private_client: TestClient,
    db: Database,
    workspace: Workspace,
    headers: dict[str, str],
) -> None:
    with receiver() as hook_server:
        make_hook(db, workspace, hook_server.url, ["*"])
        post = scheduled(private_client, headers)
        make_due(db)
        settle(private_app)
        assert events_of(hook_server.requests) == ["post.published"]
    published = fetch(private_client, headers, post["id"])
    assert published["status"] == "published" and published["published_url"] is None
    assert "no published_url" in published["publish_note"]


def test_rescheduling_makes_the_old_job_a_no_op(
    private_app: FastAPI,
    private_client: TestClient,
    db: Database,
    workspace: Workspace,
    headers: dict[str, str],
) -> None:
    with receiver() as hook_server:
        make_hook(db, workspace, hook_server.url, ["post.published"])
        post = scheduled(private_client, headers)
        new_time = later(hours=5)
        moved = private_client.patch(
            f"{POSTS}/{post['id']}", json={"scheduled_at": iso(new_time)}, headers=headers
        )
        assert moved.status_code == 200, moved.text
        _old, new = jobs_of(db, "posts.publish")
        assert new.run_after == new_time and new.payload["version"] == 2
        make_due(db, "posts.publish")
        settle(private_app)
        assert len(hook_server.requests) == 1  # published once
    assert [job.status for job in jobs_of(db, "posts.publish")] == ["done", "done"]
    assert fetch(private_client, headers, post["id"])["status"] == "published"


def test_the_old_job_does_nothing_while_the_new_time_has_not_come(
    private_app: FastAPI,
    private_client: TestClient,
    db: Database,
    workspace: Workspace,
    headers: dict[str, str],
) -> None:
    with receiver() as hook_server:
        make_hook(db, workspace, hook_server.url, ["post.published"])
        post = scheduled(private_client, headers)
        path = f"{POSTS}/{post['id']}"
        private_client.patch(path, json={"scheduled_at": iso(later(hours=9))}, headers=headers)
        old, _new = jobs_of(db, "posts.publish")
        with db.unit_of_work() as session:
            session.execute(update(Job).where(Job.id == old.id).values(run_after=utcnow()))
        settle(private_app)
        assert hook_server.requests == []
        assert fetch(private_client, headers, post["id"])["status"] == "scheduled"
        back = private_client.patch(path, json={"status": "draft"}, headers=headers)
        assert back.json()["data"]["status"] == "draft"
        make_due(db)
        settle(private_app)
        assert hook_server.requests == []
    assert fetch(private_client, headers, post["id"])["status"] == "draft"


def test_a_deleted_scheduled_post_is_not_published(
    private_app: FastAPI,
    private_client: TestClient,
    db: Database,
    workspace: Workspace,
    headers: dict[str, str],
) -> None:
    with receiver() as hook_server:
        make_hook(db, workspace, hook_server.url, ["*"])
        post = scheduled(private_client, headers)
        assert private_client.delete(f"{POSTS}/{post['id']}", headers=headers).status_code == 204
        make_due(db)
        settle(private_app)
        assert hook_server.requests == []


def test_a_failing_receiver_is_retried_then_the_post_fails_with_the_error(
    private_app: FastAPI,
    private_client: TestClient,
    db: Database,
    workspace: Workspace,
    headers: dict[str, str],
) -> None:
    with receiver() as hook_server:
        hook_server.answers = [503] * webhooks.DELIVERY_ATTEMPTS
        make_hook(db, workspace, hook_server.url, ["post.published"])
        post = scheduled(private_client, headers)
        make_due(db)
        outcomes = settle(private_app)
        assert outcomes == ["done", "retry"]
        assert fetch(private_client, headers, post["id"])["status"] == "publishing"
        for _ in range(webhooks.DELIVERY_ATTEMPTS - 1):
            make_due(db)
            outcomes += settle(private_app)
        assert len(hook_server.requests) == webhooks.DELIVERY_ATTEMPTS
    failed = fetch(private_client, headers, post["id"])
    assert failed["status"] == "failed" and failed["published_url"] is None
    assert "The receiver answered 503." in failed["last_error"]
    assert failed["scheduled_followups"] == []
    # A failed post can be scheduled again.
    again = private_client.patch(
        f"{POSTS}/{post['id']}",
        json={"status": "scheduled", "scheduled_at": iso(later(hours=1))},
        headers=headers,
    )
    assert again.status_code == 200, again.text
    assert again.json()["data"]["last_error"] is None


def test_a_receiver_that_recovers_publishes_the_post_on_the_retry(
    private_app: FastAPI,
    private_client: TestClient,
    db: Database,
    workspace: Workspace,
    headers: dict[str, str],
) -> None:
    with receiver() as hook_server:
        hook_server.answers = [500]
        hook_server.json_answers = [{"error": "busy"}, {"published_url": URL}]
        make_hook(db, workspace, hook_server.url, ["post.published"])
        post = scheduled(private_client, headers)
        make_due(db)
        settle(private_app)
        make_due(db)
        settle(private_app)
        assert len(hook_server.requests) == 2
    published = fetch(private_client, headers, post["id"])
    assert (published["status"], published["published_url"]) == ("published", URL)


def test_without_a_webhook_the_post_is_published_with_a_note(
    private_app: FastAPI, private_client: TestClient, db: Database, headers: dict[str, str]
) -> None:
    post = scheduled(private_client, headers)
    make_due(db)
    settle(private_app)
    published = fetch(private_client, headers, post["id"])
    assert published["status"] == "published" and published["published_url"] is None
    assert "No active webhook subscribes to post.published" in published["publish_note"]


def test_a_publication_under_way_is_called_off_by_going_back_to_draft(
    private_app: FastAPI,
    private_client: TestClient,
    db: Database,
    workspace: Workspace,
    headers: dict[str, str],
) -> None:
    with receiver() as hook_server:
        hook_server.answers = [503]
        hook_server.json_answers = [{"error": "busy"}, {"published_url": URL}]
        make_hook(db, workspace, hook_server.url, ["post.published"])
        post = scheduled(private_client, headers)
        make_due(db)
        settle(private_app)
        path = f"{POSTS}/{post['id']}"
        assert fetch(private_client, headers, post["id"])["status"] == "publishing"
        back = private_client.patch(path, json={"status": "draft"}, headers=headers)
        assert back.status_code == 200, back.text
        make_due(db)
        settle(private_app)  # the retry succeeds, but answers the called-off publication
        assert len(hook_server.requests) == 2
    after = fetch(private_client, headers, post["id"])
    assert (after["status"], after["published_url"], after["scheduled_followups"]) == (
        "draft",
        None,
        [],
    )
