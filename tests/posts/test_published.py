"""After publishing: the manual publisher, the notes-only lock, and engagement in the documented
shape."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from tests.factories import Workspace
from tests.posts.helpers import (
    POSTS,
    URL,
    create,
    fetch,
    make_due,
    make_hook,
    scheduled,
    settle,
)
from tests.webhooks.receiver import receiver


def test_the_manual_publisher_sends_nothing(
    private_app: FastAPI,
    private_client: TestClient,
    db: Database,
    workspace: Workspace,
    headers: dict[str, str],
) -> None:
    default = private_client.get(f"{POSTS}/settings", headers=headers).json()["data"]
    assert default == {"publisher": "webhook", "publishers": ["webhook", "manual"]}
    changed = private_client.put(f"{POSTS}/settings", json={"publisher": "manual"}, headers=headers)
    assert changed.status_code == 200 and changed.json()["data"]["publisher"] == "manual"
    refused = private_client.put(f"{POSTS}/settings", json={"publisher": "fax"}, headers=headers)
    assert refused.status_code == 422
    with receiver() as hook_server:
        make_hook(db, workspace, hook_server.url, ["post.published"])
        post = scheduled(private_client, headers)
        make_due(db)
        settle(private_app)
        assert hook_server.requests == []
    published = fetch(private_client, headers, post["id"])
    assert published["status"] == "published"
    assert "manually" in published["publish_note"]


def test_a_published_post_takes_only_notes(
    private_app: FastAPI, private_client: TestClient, db: Database, headers: dict[str, str]
) -> None:
    post = scheduled(private_client, headers)
    make_due(db)
    settle(private_app)
    path = f"{POSTS}/{post['id']}"
    refused = private_client.patch(path, json={"text": "Edited", "notes": "n"}, headers=headers)
    assert refused.status_code == 422
    assert list(refused.json()["errors"]) == ["text"]
    unschedule = private_client.patch(path, json={"status": "draft"}, headers=headers)
    assert list(unschedule.json()["errors"]) == ["status"]
    whole = fetch(private_client, headers, post["id"])
    whole["notes"] = "Posted, went well."
    put = private_client.put(path, json=whole, headers=headers)
    assert put.status_code == 200, put.text
    assert put.json()["data"]["notes"] == "Posted, went well."
    assert put.json()["data"]["status"] == "published"


def test_engagement_is_recorded_and_read_in_the_documented_shape(
    private_app: FastAPI, private_client: TestClient, db: Database, headers: dict[str, str]
) -> None:
    draft_post = create(private_client, headers)
    early = private_client.post(
        f"{POSTS}/{draft_post['id']}/engagement",
        json={"metrics": {"reactions": 1}},
        headers=headers,
    )
    assert "status" in early.json()["errors"]
    post = scheduled(private_client, headers)
    make_due(db)
    settle(private_app)
    path = f"{POSTS}/{post['id']}/engagement"
    before = private_client.get(path, headers=headers).json()["data"]
    assert before == {
        "post_id": post["id"],
        "published_url": None,
        "metrics_available": False,
        "metrics": {"impressions": 0, "reactions": 0, "comments": 0, "reposts": 0},
    }
    first = private_client.post(
        path,
        json={"metrics": {"impressions": 1200, "reactions": 42}, "published_url": URL},
        headers=headers,
    )
    assert first.status_code == 200, first.text
    private_client.post(path, json={"metrics": {"comments": 8, "reposts": 2}}, headers=headers)
    after = private_client.get(path, headers=headers).json()["data"]
    assert after == {
        "post_id": post["id"],
        "published_url": URL,
        "metrics_available": True,
        "metrics": {"impressions": 1200, "reactions": 42, "comments": 8, "reposts": 2},
    }
    assert fetch(private_client, headers, post["id"])["metrics"] == after["metrics"]
    negative = private_client.post(path, json={"metrics": {"impressions": -1}}, headers=headers)
    assert negative.status_code == 422
    bad_url = private_client.post(path, json={"published_url": "nope"}, headers=headers)
    assert "published_url" in bad_url.json()["errors"]
