"""Follow-ups: tracked and sent as `post.followup` at the publish time plus their delays."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from tests.factories import Workspace
from tests.posts.helpers import (
    URL,
    events_of,
    fetch,
    jobs_of,
    make_due,
    make_hook,
    scheduled,
    settle,
)
from tests.webhooks.receiver import receiver


def test_followups_are_delivered_at_the_publish_time_plus_their_delays(
    private_app: FastAPI,
    private_client: TestClient,
    db: Database,
    workspace: Workspace,
    headers: dict[str, str],
) -> None:
    followups = {
        "reaction": {"enabled": True, "delay_minutes": 30, "reaction_type": "celebrate"},
        "repost": {"enabled": True, "delay_minutes": 120},
        "comments": [
            {"text": "Comment GUIDE if you want it.", "delay_minutes": 60},
            {"text": "Right away.", "delay_minutes": 0},
        ],
    }
    with receiver() as hook_server:
        hook_server.json_answers = [{"published_url": URL}]
        make_hook(db, workspace, hook_server.url, ["*"])
        post = scheduled(private_client, headers, followups=followups)
        make_due(db, "posts.publish")
        settle(private_app)
        published = fetch(private_client, headers, post["id"])
        assert published["status"] == "published"
        # The comment without delay went out at once; the others wait for their time.
        assert events_of(hook_server.requests) == ["post.published", "post.followup"]
        first_followup = json.loads(hook_server.requests[1].body)["data"]
        assert first_followup["followup"]["type"] == "comment"
        assert first_followup["followup"]["text"] == "Right away."
        assert first_followup["post"]["published_url"] == URL
        jobs = jobs_of(db, "posts.followup")
        at = {job.payload["followup_id"]: job.run_after for job in jobs}
        schedule = {(f["type"], f["index"]): f for f in published["scheduled_followups"]}
        assert set(schedule) == {("reaction", 0), ("repost", 0), ("comment", 0), ("comment", 1)}
        minutes = sorted(
            round((run_after - min(at.values())).total_seconds() / 60) for run_after in at.values()
        )
        assert minutes == [0, 30, 60, 120]
        assert sorted(job.status for job in jobs) == ["done", "pending", "pending", "pending"]
        make_due(db, "posts.followup")
        settle(private_app)
        bodies = [json.loads(request.body) for request in hook_server.requests[2:]]
    assert [body["event"] for body in bodies] == ["post.followup"] * 3
    sent = {body["data"]["followup"]["type"]: body["data"]["followup"] for body in bodies}
    assert sent["reaction"]["reaction_type"] == "celebrate"
    assert sent["reaction"]["delay_minutes"] == 30
    assert sent["comment"]["text"] == "Comment GUIDE if you want it."
    assert sent["repost"]["delay_minutes"] == 120
    final = fetch(private_client, headers, post["id"])["scheduled_followups"]
    assert {f["status"] for f in final} == {"sent"}


def test_followups_are_due_from_the_publish_time(
    private_app: FastAPI,
    private_client: TestClient,
    db: Database,
    workspace: Workspace,
    headers: dict[str, str],
) -> None:
    followups = {"reaction": {"enabled": True, "delay_minutes": 45, "reaction_type": "like"}}
    with receiver() as hook_server:
        make_hook(db, workspace, hook_server.url, ["post.published"])
        post = scheduled(private_client, headers, followups=followups)
        make_due(db, "posts.publish")
        settle(private_app)
    published = fetch(private_client, headers, post["id"])
    (job,) = jobs_of(db, "posts.followup")
    (row,) = published["scheduled_followups"]
    at = datetime.fromisoformat(published["published_at"])
    assert job.run_after == at + timedelta(minutes=45)
    assert datetime.fromisoformat(row["due_at"]) == job.run_after
    assert row["status"] == "scheduled"
