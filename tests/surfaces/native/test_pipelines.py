from __future__ import annotations

from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from tests.factories import Workspace, default_pipeline, make_key, make_lead, make_workspace

API = "/api/v1/pipelines"


def stage_names(client: TestClient, headers: dict[str, str], pipeline_id: int) -> list[str]:
    stages = client.get(f"{API}/{pipeline_id}/stages", headers=headers).json()["data"]
    assert [stage["position"] for stage in stages] == list(range(len(stages)))
    return [stage["name"] for stage in stages]


def test_a_new_workspace_has_a_default_pipeline(
    client: TestClient, headers: dict[str, str]
) -> None:
    body = client.get(API, headers=headers).json()
    assert body["meta"]["total"] == 1
    pipeline = body["data"][0]
    assert pipeline["is_default"] is True
    assert [stage["kind"] for stage in pipeline["stages"]][-2:] == ["won", "lost"]
    assert pipeline["stages"][-2]["probability"] == 100


def test_create_pipeline_with_stages(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post(
        API,
        json={
            "name": "Hiring",
            "stages": [
                {"name": "Applied", "probability": 5, "color": "#112233"},
                {"name": "Hired", "kind": "won"},
            ],
        },
        headers=headers,
    )
    assert response.status_code == 201, response.text
    pipeline = response.json()["data"]
    assert pipeline["is_default"] is False
    assert [(s["name"], s["position"], s["probability"]) for s in pipeline["stages"]] == [
        ("Applied", 0, 5),
        ("Hired", 1, 100),
    ]


def test_create_pipeline_validates(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post(
        API, json={"name": "", "stages": [{"name": "x", "kind": "maybe"}]}, headers=headers
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"name", "stages.0.kind"}


def test_making_a_pipeline_default_unsets_the_other(
    client: TestClient, headers: dict[str, str]
) -> None:
    new_id = client.post(API, json={"name": "B"}, headers=headers).json()["data"]["id"]
    client.patch(f"{API}/{new_id}", json={"is_default": True}, headers=headers)
    defaults = [p["id"] for p in client.get(API, headers=headers).json()["data"] if p["is_default"]]
    assert defaults == [new_id]


def test_stage_created_at_a_position_shifts_the_others(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    pipeline_id, _ = default_pipeline(db, workspace)
    response = client.post(
        f"{API}/{pipeline_id}/stages", json={"name": "Demo", "position": 1}, headers=headers
    )
    assert response.status_code == 201
    assert stage_names(client, headers, pipeline_id)[:3] == ["New", "Demo", "Contacted"]


def test_moving_a_stage_reorders_the_pipeline(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    pipeline_id, stages = default_pipeline(db, workspace)
    response = client.patch(
        f"{API}/{pipeline_id}/stages/{stages[0]}", json={"position": 2}, headers=headers
    )
    assert response.status_code == 200
    assert stage_names(client, headers, pipeline_id)[:3] == ["Contacted", "Qualified", "New"]


def test_deleting_a_stage_with_leads_is_refused_without_a_target(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    pipeline_id, stages = default_pipeline(db, workspace)
    lead_id = make_lead(db, workspace, pipeline_stage_id=stages[0])
    response = client.delete(f"{API}/{pipeline_id}/stages/{stages[0]}", headers=headers)
    assert response.status_code == 422
    assert "move_to_stage_id" in response.json()["errors"]
    assert (
        client.get(f"/api/v1/leads/{lead_id}", headers=headers).json()["data"]["pipeline_stage_id"]
        == stages[0]
    )


def test_deleting_a_stage_moves_its_leads(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    pipeline_id, stages = default_pipeline(db, workspace)
    lead_id = make_lead(db, workspace, pipeline_stage_id=stages[0])
    response = client.delete(
        f"{API}/{pipeline_id}/stages/{stages[0]}?move_to_stage_id={stages[2]}", headers=headers
    )
    assert response.status_code == 204
    lead = client.get(f"/api/v1/leads/{lead_id}", headers=headers).json()["data"]
    assert lead["pipeline_stage_id"] == stages[2]
    assert stage_names(client, headers, pipeline_id)[0] == "Contacted"
    stage = client.get(f"{API}/{pipeline_id}/stages/{stages[2]}", headers=headers).json()["data"]
    assert stage["leads_count"] == 1


def test_deleting_a_pipeline_moves_its_leads_to_another(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    pipeline_id, stages = default_pipeline(db, workspace)
    lead_id = make_lead(db, workspace, pipeline_stage_id=stages[1])
    other = client.post(API, json={"name": "Other"}, headers=headers).json()["data"]
    target = other["stages"][0]["id"]
    refused = client.delete(f"{API}/{pipeline_id}", headers=headers)
    assert refused.status_code == 422
    response = client.delete(f"{API}/{pipeline_id}?move_to_stage_id={target}", headers=headers)
    assert response.status_code == 204
    lead = client.get(f"/api/v1/leads/{lead_id}", headers=headers).json()["data"]
    assert (lead["pipeline_id"], lead["pipeline_stage_id"]) == (other["id"], target)
    assert client.get(f"{API}/{other['id']}", headers=headers).json()["data"]["is_default"]
    assert client.get(f"{API}/{pipeline_id}/stages", headers=headers).status_code == 404


def test_another_workspace_cannot_see_or_change_a_pipeline(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    pipeline_id, stages = default_pipeline(db, workspace)
    other = {"X-Api-Key": make_key(db, make_workspace(db, "other"))}
    assert client.get(f"{API}/{pipeline_id}", headers=other).status_code == 404
    assert (
        client.patch(f"{API}/{pipeline_id}", json={"name": "x"}, headers=other).status_code == 404
    )
    assert (
        client.delete(f"{API}/{pipeline_id}/stages/{stages[0]}", headers=other).status_code == 404
    )
    assert (
        client.post(f"{API}/{pipeline_id}/stages", json={"name": "x"}, headers=other).status_code
        == 404
    )


def test_write_scope_allows_deleting_pipelines_but_read_does_not(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    pipeline_id, stages = default_pipeline(db, workspace)
    reader = {"X-Api-Key": make_key(db, workspace, scopes=["read:pipelines"])}
    writer = {"X-Api-Key": make_key(db, workspace, scopes=["pipelines:write"])}
    assert (
        client.delete(f"{API}/{pipeline_id}/stages/{stages[3]}", headers=reader).status_code == 403
    )
    assert (
        client.delete(f"{API}/{pipeline_id}/stages/{stages[3]}", headers=writer).status_code == 204
    )


def test_a_blank_name_is_refused(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post(API, json={"name": "   "}, headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"] == {"name": ["The name field is required."]}
    created = client.post(API, json={"name": "  Hiring  "}, headers=headers).json()["data"]
    assert created["name"] == "Hiring"
