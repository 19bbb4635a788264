"""The scheduler against a fixed clock: a post is published exactly when its time has come on
the node's clock, and its follow-ups are due from that publish time."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from leadhub.surfaces.common.runtime import Runtime
from tests.factories import Workspace
from tests.posts.helpers import (
    URL,
    create,
    events_of,
    fetch,
    iso,
    jobs_of,
    later,
    make_hook,
    settle,
)
from tests.webhooks.receiver import receiver

FOLLOWUPS = {
    "reaction": {"enabled": True, "delay_minutes": 30, "reaction_type": "like"},
    "repost": None,
    "comments": [{"text": "Comment GUIDE if you want it.", "delay_minutes": 90}],
}


@dataclass
class FixedClock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


def fix_clock(app: FastAPI, at: datetime) -> FixedClock:
    """The node's job runner reads this clock from now on."""
    runtime: Runtime = app.state.runtime
    clock = FixedClock(at)
    runtime.jobs.capabilities = replace(runtime.jobs.capabilities, clock=clock)
    return clock


def test_a_post_is_published_once_its_time_has_come_and_followups_count_from_then(
    private_app: FastAPI,
    private_client: TestClient,
    db: Database,
    workspace: Workspace,
    headers: dict[str, str],
) -> None:
    when = later(hours=2)
    with receiver() as hook_server:
        hook_server.json_answers = [{"published_url": URL}]
        make_hook(db, workspace, hook_server.url, ["*"])
        post = create(
            private_client, headers, status="scheduled", scheduled_at=iso(when), followups=FOLLOWUPS
        )
        clock = fix_clock(private_app, when - timedelta(seconds=1))

        assert settle(private_app) == []
        assert fetch(private_client, headers, post["id"])["status"] == "scheduled"
        assert hook_server.requests == []

        clock.now = when + timedelta(seconds=1)
        assert settle(private_app) == ["done", "done"]  # the publish job, then its delivery
        published = fetch(private_client, headers, post["id"])
        assert events_of(hook_server.requests) == ["post.published"]
    assert published["status"] == "published" and published["published_url"] == URL
    assert datetime.fromisoformat(published["published_at"]) == clock.now
    due = {f["type"]: datetime.fromisoformat(f["due_at"]) for f in published["scheduled_followups"]}
    assert due == {
        "reaction": clock.now + timedelta(minutes=30),
        "comment": clock.now + timedelta(minutes=90),
    }
    assert sorted(job.run_after for job in jobs_of(db, "posts.followup")) == sorted(due.values())


def test_followups_wait_for_their_own_time_on_the_clock(
    private_app: FastAPI,
    private_client: TestClient,
    db: Database,
    workspace: Workspace,
    headers: dict[str, str],
) -> None:
    when = later(hours=2)
    with receiver() as hook_server:
        make_hook(db, workspace, hook_server.url, ["*"])
        post = create(
            private_client, headers, status="scheduled", scheduled_at=iso(when), followups=FOLLOWUPS
        )
        clock = fix_clock(private_app, when)
        settle(private_app)
        published_at = datetime.fromisoformat(
            fetch(private_client, headers, post["id"])["published_at"]
        )
        assert published_at == when

        clock.now = when + timedelta(minutes=30) - timedelta(seconds=1)
        assert settle(private_app) == []
        clock.now = when + timedelta(minutes=30)
        settle(private_app)
        assert events_of(hook_server.requests) == ["post.published", "post.followup"]
        clock.now = when + timedelta(minutes=90)
        settle(private_app)
        assert events_of(hook_server.requests) == ["post.published"] + ["post.followup"] * 2
    statuses = {
        f["type"]: f["status"]
        for f in fetch(private_client, headers, post["id"])["scheduled_followups"]
    }
    assert statuses == {"reaction": "sent", "comment": "sent"}
