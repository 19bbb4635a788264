"""/api/v1/posts: every documented field round-trips, every rule is a field error, the workspace
bounds what a key reaches, and each route asks for its scope."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from leadhub.domains.grants import service as grants
from tests.factories import Workspace, make_key, make_workspace
from tests.lead_magnets.helpers import create as create_magnet
from tests.posts.helpers import POSTS, create, draft, errors_of, fetch, iso, later


def test_every_documented_field_round_trips(client: TestClient, headers: dict[str, str]) -> None:
    magnet = create_magnet(client, headers)
    when = later(days=3)
    body = draft(
        status="scheduled",
        scheduled_at=iso(when),
        theme_id="theme-bold",
        template_id=magnet["uuid"],
        images=[
            {"url": "https://cdn.example.com/a.png", "type": "image"},
            {"url": "http://cdn.example.com/b.png", "type": "image"},
        ],
        document_url="https://cdn.example.com/guide.pdf",
        document_type="pdf",
        followups={
            "reaction": {"enabled": True, "delay_minutes": 30, "reaction_type": "celebrate"},
            "repost": {"enabled": True, "delay_minutes": 120},
            "comments": [
                {"text": "Comment GUIDE if you want the resource.", "delay_minutes": 60},
                {"text": "Second nudge.", "delay_minutes": 0},
            ],
        },
    )
    response = client.post(POSTS, json=body, headers=headers)
    assert response.status_code == 201, response.text
    created = response.json()["data"]
    for name in ("text", "status", "theme_id", "images", "document_url", "document_type", "notes"):
        assert created[name] == body[name], name
    assert created["followups"] == body["followups"]
    assert created["scheduled_at"].startswith(when.isoformat()[:19])
    assert created["template_id"] == magnet["id"] and created["template_uuid"] == magnet["uuid"]
    assert created["theme"] == {"id": "theme-bold"}
    assert created["metrics"] == {} and created["published_url"] is None
    assert created["uuid"] and isinstance(created["id"], int)
    assert fetch(client, headers, created["id"]) == created


def test_the_seeds_draft_example_is_answered_in_its_shape(
    client: TestClient, headers: dict[str, str]
) -> None:
    magnet = create_magnet(client, headers)
    created = create(client, headers, template_id=magnet["id"])
    assert created["status"] == "draft" and created["scheduled_at"] is None
    assert created["theme"] is None and created["metrics"] == {}
    assert created["template_id"] == magnet["id"]
    assert created["followups"] == draft()["followups"]
    assert created["scheduled_followups"] == []


def test_a_missing_followups_object_answers_the_empty_shape(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.post(POSTS, json={"text": "Just text."}, headers=headers)
    assert response.status_code == 201, response.text
    created = response.json()["data"]
    assert created["followups"] == {"reaction": None, "repost": None, "comments": []}
    assert created["images"] == [] and created["status"] == "draft"


def test_the_list_is_paginated_and_filters_on_status(
    client: TestClient, headers: dict[str, str]
) -> None:
    first = create(client, headers, text="One")
    create(client, headers, text="Two", status="scheduled", scheduled_at=iso(later(hours=2)))
    create(client, headers, text="Three")
    body = client.get(POSTS, params={"per_page": 2}, headers=headers).json()
    assert [post["text"] for post in body["data"]] == ["One", "Two"]
    assert body["meta"]["total"] == 3 and body["links"]["next"].endswith("page=2")
    scheduled = client.get(POSTS, params={"status": "scheduled"}, headers=headers).json()
    assert [post["text"] for post in scheduled["data"]] == ["Two"]
    drafts = client.get(POSTS, params={"status": "draft"}, headers=headers).json()
    assert [post["id"] for post in drafts["data"]][:1] == [first["id"]]
    assert [post["text"] for post in drafts["data"]] == ["One", "Three"]
    assert client.get(POSTS, params={"status": "nope"}, headers=headers).status_code == 422


def test_put_and_patch_change_only_the_fields_sent(
    client: TestClient, headers: dict[str, str]
) -> None:
    post = create(client, headers)
    patched = client.patch(f"{POSTS}/{post['id']}", json={"notes": "New"}, headers=headers)
    assert patched.status_code == 200, patched.text
    assert patched.json()["data"]["notes"] == "New"
    assert patched.json()["data"]["text"] == post["text"]
    put = client.put(
        f"{POSTS}/{post['id']}", json={"images": [], "followups": None}, headers=headers
    )
    assert put.status_code == 200, put.text
    changed = put.json()["data"]
    assert changed["images"] == [] and changed["notes"] == "New"
    assert changed["followups"] == {"reaction": None, "repost": None, "comments": []}


def test_delete_answers_204_then_404(client: TestClient, headers: dict[str, str]) -> None:
    post = create(client, headers)
    assert client.delete(f"{POSTS}/{post['id']}", headers=headers).status_code == 204
    assert client.get(f"{POSTS}/{post['id']}", headers=headers).status_code == 404
    assert client.delete(f"{POSTS}/{post['id']}", headers=headers).status_code == 404


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"status": "scheduled", "scheduled_at": None}, "scheduled_at"),
        ({"status": "scheduled", "scheduled_at": "2020-01-01T00:00:00Z"}, "scheduled_at"),
        ({"status": "published"}, "status"),
        ({"status": "sent"}, "status"),
        ({"text": "   "}, "text"),
        ({"text": "x" * 3001}, "text"),
        ({"images": [{"url": "ftp://cdn.example.com/a.png", "type": "image"}]}, "images.0.url"),
        ({"images": [{"url": "javascript:alert(1)"}]}, "images.0.url"),
        ({"images": [{"url": "https://cdn.example.com/a.png", "type": "video"}]}, "images.0.type"),
        ({"images": [{"url": f"https://cdn.example.com/{n}.png"} for n in range(10)]}, "images"),
        ({"document_url": "file:///etc/passwd"}, "document_url"),
        ({"template_id": "00000000-0000-4000-8000-000000000003"}, "template_id"),
        ({"template_id": 999999}, "template_id"),
        (
            {"followups": {"reaction": {"enabled": True, "delay_minutes": 10081}}},
            "followups.reaction.delay_minutes",
        ),
        (
            {"followups": {"repost": {"enabled": True, "delay_minutes": -1}}},
            "followups.repost.delay_minutes",
        ),
        (
            {"followups": {"reaction": {"enabled": True, "reaction_type": "wow"}}},
            "followups.reaction.reaction_type",
        ),
        (
            {"followups": {"comments": [{"text": "", "delay_minutes": 1}]}},
            "followups.comments.0.text",
        ),
        (
            {"followups": {"comments": [{"text": "x" * 1251, "delay_minutes": 1}]}},
            "followups.comments.0.text",
        ),
        (
            {"followups": {"comments": [{"text": "Hi", "delay_minutes": 1}] * 11}},
            "followups.comments",
        ),
    ],
)
def test_each_rule_is_a_field_error(
    client: TestClient, headers: dict[str, str], changes: dict[str, Any], field: str
) -> None:
    response = client.post(POSTS, json=draft(**changes), headers=headers)
    assert field in errors_of(response), response.json()


def test_the_limits_themselves_are_accepted(client: TestClient, headers: dict[str, str]) -> None:
    created = create(
        client,
        headers,
        text="x" * 3000,
        images=[{"url": f"https://cdn.example.com/{n}.png"} for n in range(9)],
        followups={
            "reaction": {"enabled": True, "delay_minutes": 10080, "reaction_type": "insightful"},
            "repost": {"enabled": False, "delay_minutes": 0},
            "comments": [{"text": "y" * 1250, "delay_minutes": 10080}] * 10,
        },
    )
    assert len(created["images"]) == 9 and len(created["followups"]["comments"]) == 10


def test_a_template_is_found_by_id_or_uuid_in_the_workspace_only(
    client: TestClient, db: Database, headers: dict[str, str]
) -> None:
    magnet = create_magnet(client, headers)
    by_id = create(client, headers, template_id=magnet["id"])
    by_text_id = create(client, headers, template_id=str(magnet["id"]))
    by_uuid = create(client, headers, template_id=magnet["uuid"])
    assert {by_id["template_id"], by_text_id["template_id"], by_uuid["template_id"]} == {
        magnet["id"]
    }
    other = make_workspace(db, "other")
    theirs = {"Authorization": f"Bearer {make_key(db, other)}"}
    response = client.post(POSTS, json=draft(template_id=magnet["uuid"]), headers=theirs)
    assert "template_id" in errors_of(response)


def test_rescheduling_into_the_past_is_refused_but_editing_a_due_post_is_not(
    client: TestClient, headers: dict[str, str]
) -> None:
    post = create(client, headers, status="scheduled", scheduled_at=iso(later(hours=1)))
    path = f"{POSTS}/{post['id']}"
    past = client.patch(path, json={"scheduled_at": "2021-05-01T10:00:00Z"}, headers=headers)
    assert "scheduled_at" in errors_of(past)
    assert client.patch(path, json={"text": "Edited"}, headers=headers).status_code == 200


def test_another_workspaces_post_is_not_found(
    client: TestClient, db: Database, headers: dict[str, str]
) -> None:
    other = make_workspace(db, "other")
    theirs = {"Authorization": f"Bearer {make_key(db, other)}"}
    post = create(client, theirs)
    path = f"{POSTS}/{post['id']}"
    assert client.get(path, headers=headers).status_code == 404
    assert client.patch(path, json={"notes": "x"}, headers=headers).status_code == 404
    assert client.delete(path, headers=headers).status_code == 404
    assert client.get(f"{path}/engagement", headers=headers).status_code == 404
    assert client.post(f"{path}/engagement", json={}, headers=headers).status_code == 404
    assert client.get(POSTS, headers=headers).json()["data"] == []


def test_each_route_asks_for_its_scope(
    client: TestClient, db: Database, workspace: Workspace, headers: dict[str, str]
) -> None:
    post = create(client, headers)
    path = f"{POSTS}/{post['id']}"

    def key(*scopes: str) -> dict[str, str]:
        return {"X-Api-Key": make_key(db, workspace, scopes=list(scopes))}

    reader, writer, analyst = key("posts:read"), key("posts:write"), key("analytics:read")
    assert client.get(path, headers=reader).status_code == 200
    assert client.get(path, headers=analyst).status_code == 403
    assert client.post(POSTS, json=draft(), headers=reader).status_code == 403
    assert client.post(POSTS, json=draft(), headers=writer).status_code == 201
    assert client.get(f"{path}/engagement", headers=analyst).status_code == 200
    assert client.get(f"{path}/engagement", headers=reader).status_code == 403
    assert client.post(f"{path}/engagement", json={}, headers=analyst).status_code == 403
    assert client.delete(path, headers=key("delete:posts")).status_code == 204


def test_an_agency_reaches_a_clients_posts_through_its_grant(
    client: TestClient, db: Database
) -> None:
    agency = make_workspace(db, "agency", agency=True)
    client_ws = make_workspace(db, "client-a")
    with db.unit_of_work() as session:
        grants.create(
            session,
            agency_slug="agency",
            client_slug="client-a",
            permissions=["posts:read", "posts:write", "analytics:read"],
        )
    headers = {"X-Api-Key": make_key(db, agency)}
    base = f"/api/v1/clients/{client_ws.public_id}/posts"
    response = client.post(
        base, json=draft(status="scheduled", scheduled_at=iso(later(days=1))), headers=headers
    )
    assert response.status_code == 201, response.text
    post = response.json()["data"]
    assert client.get(f"{base}/{post['id']}", headers=headers).status_code == 200
    assert client.get(f"{base}/{post['id']}/engagement", headers=headers).status_code == 200
    # The post is the client's, not the agency's.
    client_headers = {"X-Api-Key": make_key(db, client_ws)}
    assert [p["id"] for p in client.get(POSTS, headers=client_headers).json()["data"]] == [
        post["id"]
    ]
    assert client.get(POSTS, headers=headers).json()["data"] == []
    assert client.delete(f"{base}/{post['id']}", headers=headers).status_code == 204


def test_the_grants_permissions_bound_the_agency(client: TestClient, db: Database) -> None:
    agency = make_workspace(db, "agency", agency=True)
    client_ws = make_workspace(db, "client-a")
    with db.unit_of_work() as session:
        grants.create(
            session, agency_slug="agency", client_slug="client-a", permissions=["posts:read"]
        )
    headers = {"X-Api-Key": make_key(db, agency)}
    base = f"/api/v1/clients/{client_ws.public_id}/posts"
    assert client.get(base, headers=headers).status_code == 200
    assert client.post(base, json=draft(), headers=headers).status_code == 403


def test_deleting_the_lead_magnet_unlinks_its_posts(
    client: TestClient, headers: dict[str, str]
) -> None:
    magnet = create_magnet(client, headers)
    post = create(client, headers, template_id=magnet["id"])
    assert client.delete(f"/api/v1/lead-magnets/{magnet['id']}", headers=headers).status_code == 204
    unlinked = fetch(client, headers, post["id"])
    assert (unlinked["template_id"], unlinked["template_uuid"]) == (None, None)
