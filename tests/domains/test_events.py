"""Every change to a lead leaves an event with what changed and who changed it."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from leadhub.db.uow import Database
from leadhub.domains.events import service as events
from leadhub.kit.pagination import PageRequest
from leadhub.models import Job
from tests.factories import Workspace, default_pipeline, make_lead, make_user


def timeline(db: Database, workspace: Workspace, lead_id: int) -> list[dict[str, Any]]:
    with db.unit_of_work(write=False) as session:
        page = events.timeline(session, workspace.principal(), lead_id, page=PageRequest(1, 100))
        return [item.model_dump() for item in reversed(page.items)]


def kinds(db: Database, workspace: Workspace, lead_id: int) -> list[str]:
    return [event["type"] for event in timeline(db, workspace, lead_id)]


def test_create_update_and_tags_are_recorded_with_their_changes(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    _, stages = default_pipeline(db, workspace)
    owner = make_user(db, workspace, "rep@example.com")
    lead = client.post(
        "/api/v1/leads", json={"first_name": "Ann", "tags": ["a"]}, headers=headers
    ).json()["data"]
    client.patch(
        f"/api/v1/leads/{lead['id']}",
        json={
            "status": "contacted",
            "pipeline_stage_id": stages[1],
            "assigned_user_id": owner,
            "tags": ["b"],
        },
        headers=headers,
    )
    client.patch(f"/api/v1/leads/{lead['id']}", json={"status": "contacted"}, headers=headers)
    assert kinds(db, workspace, lead["id"]) == [
        "lead_created",
        "lead_updated",
        "stage_changed",
        "status_changed",
        "lead_assigned",
        "tag_added",
        "tag_removed",
    ]
    updated = timeline(db, workspace, lead["id"])[1]
    assert updated["changes"]["status"] == ["new", "contacted"]
    assert updated["changes"]["pipeline_stage_id"] == [None, stages[1]]
    assert updated["actor_type"] == "api_key"


def test_tag_endpoints_record_only_real_changes(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    lead_id = make_lead(db, workspace)
    client.post(f"/api/v1/leads/{lead_id}/tags", json={"tag": "vip"}, headers=headers)
    client.post(f"/api/v1/leads/{lead_id}/tags", json={"tag": "VIP"}, headers=headers)
    client.delete(f"/api/v1/leads/{lead_id}/tags/vip", headers=headers)
    client.delete(f"/api/v1/leads/{lead_id}/tags/vip", headers=headers)
    assert kinds(db, workspace, lead_id) == ["lead_created", "tag_added", "tag_removed"]


def test_a_merged_duplicate_records_the_fields_it_filled(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    lead_id = make_lead(db, workspace, email="ann@example.com")
    client.post(
        "/api/inbound/leads?tenant=acme",
        json={"email": "ann@example.com", "company": "Acme", "tags": ["zap"]},
        headers=headers,
    )
    updated = timeline(db, workspace, lead_id)[1]
    assert updated["type"] == "lead_updated"
    assert updated["changes"]["company"] == [None, "Acme"]
    assert updated["data"] == {"merged_duplicate": True}
    assert kinds(db, workspace, lead_id)[-1] == "tag_added"


def test_a_deleted_lead_keeps_its_events(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    lead_id = make_lead(db, workspace, first_name="Gone", email="gone@example.com")
    assert client.delete(f"/api/v1/leads/{lead_id}", headers=headers).status_code == 204
    deleted = timeline(db, workspace, lead_id)[-1]
    assert deleted["type"] == "lead_deleted"
    assert deleted["data"]["email"] == "gone@example.com"


def test_moving_leads_off_a_deleted_stage_is_recorded_per_lead(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    pipeline_id, stages = default_pipeline(db, workspace)
    lead_id = make_lead(db, workspace, pipeline_stage_id=stages[0])
    client.delete(
        f"/api/v1/pipelines/{pipeline_id}/stages/{stages[0]}?move_to_stage_id={stages[1]}",
        headers=headers,
    )
    moved = timeline(db, workspace, lead_id)[-2:]
    assert [event["type"] for event in moved] == ["lead_updated", "stage_changed"]
    assert moved[1]["changes"] == {"pipeline_stage_id": [stages[0], stages[1]]}


def test_a_form_submission_is_recorded(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    form = client.post(
        "/api/v1/forms",
        json={"name": "F", "fields": [{"name": "email", "type": "email"}]},
        headers=headers,
    ).json()["data"]
    result = client.post(
        f"/api/v1/forms/{form['id']}/submissions",
        json={"email": "f@example.com"},
        headers={"X-Form-Key": form["public_key"]},
    ).json()["data"]
    submitted = timeline(db, workspace, result["lead_id"])
    assert [event["type"] for event in submitted] == ["lead_created", "form_submitted"]
    assert submitted[1]["data"]["form_id"] == form["id"]
    assert submitted[1]["actor_type"] == "system"


def test_an_event_is_dispatched_only_when_a_webhook_or_automation_listens_for_it(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    hooks = "/api/v1/webhooks"
    target = {"url": "https://93.184.216.34/hooks/leadhub"}
    lead = client.post("/api/v1/leads", json={"first_name": "Ann"}, headers=headers).json()
    lead_id = lead["data"]["id"]
    assert dispatched(db) == 0
    tags_only = {**target, "events": ["tag_added"]}
    hook = client.post(hooks, json=tags_only, headers=headers).json()["data"]
    client.patch(f"/api/v1/leads/{lead_id}", json={"status": "won"}, headers=headers)
    assert dispatched(db) == 0  # the webhook wants tags, not status changes
    client.post(f"/api/v1/leads/{lead_id}/tags", json={"tag": "vip"}, headers=headers)
    assert dispatched(db) == 1
    client.patch(f"{hooks}/{hook['id']}", json={"is_active": False}, headers=headers)
    client.post(f"/api/v1/leads/{lead_id}/tags", json={"tag": "hot"}, headers=headers)
    assert dispatched(db) == 1  # an inactive webhook listens to nothing
    client.post(hooks, json=target, headers=headers)  # every event
    client.patch(f"/api/v1/leads/{lead_id}", json={"notes": "call back"}, headers=headers)
    assert dispatched(db) == 2
    assert kinds(db, workspace, lead_id)[-1] == "lead_updated"  # recorded either way


def dispatched(db: Database) -> int:
    with db.unit_of_work(write=False) as session:
        statement = select(func.count()).where(Job.kind == events.DISPATCH_KIND)
        return int(session.scalar(statement) or 0)
