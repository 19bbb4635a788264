from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from tests.factories import Workspace, default_pipeline, make_key, make_lead, make_workspace

API = "/api/v1/forms"
CONTACT = {
    "name": "Contact us",
    "fields": [
        {"name": "name", "label": "Your name", "type": "text", "required": True},
        {"name": "email", "type": "email", "required": True},
        {"name": "phone", "type": "phone"},
        {"name": "budget", "type": "select", "options": ["small", "large"]},
        {"name": "consent", "type": "checkbox", "required": True, "maps_to": "custom_fields.gdpr"},
        {"name": "utm_campaign", "type": "hidden"},
        {"name": "message", "type": "textarea", "maps_to": "notes"},
    ],
    "tags": ["website"],
    "source": "Website",
    "success_message": "Thanks!",
}


def make_form(client: TestClient, headers: dict[str, str], **changes: Any) -> dict[str, Any]:
    response = client.post(API, json={**CONTACT, **changes}, headers=headers)
    assert response.status_code == 201, response.text
    form: dict[str, Any] = response.json()["data"]
    return form


def submit(client: TestClient, form: dict[str, Any], headers: dict[str, str], **values: Any) -> Any:
    body = {"name": "Jane Doe", "email": "jane@example.com", "consent": "on", **values}
    return client.post(f"{API}/{form['id']}/submissions", json=body, headers=headers)


def test_create_form_guesses_the_mapping(client: TestClient, headers: dict[str, str]) -> None:
    form = make_form(client, headers)
    targets = {field["name"]: field["maps_to"] for field in form["fields"]}
    assert targets == {
        "name": "first_name",
        "email": "email",
        "phone": "phone",
        "budget": "custom_fields.budget",
        "consent": "custom_fields.gdpr",
        "utm_campaign": "utm_campaign",
        "message": "notes",
    }
    assert form["source"] == "website"
    assert form["public_url"] == f"http://testserver/f/{form['id']}"
    assert f"/f/{form['id']}" in form["embed_html"]
    assert form["public_key"].startswith("fk_")


def test_form_shape_is_validated_strictly(client: TestClient, headers: dict[str, str]) -> None:
    bad = {
        "name": "x",
        "fields": [
            {"name": "a", "type": "radio"},
            {"name": "b", "type": "select"},
            {"name": "c", "maps_to": "salary"},
            {"name": "9bad"},
        ],
    }
    response = client.post(API, json=bad, headers=headers)
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {
        "fields.0.type",
        "fields.1",
        "fields.2",
        "fields.3.name",
    }
    no_fields = client.post(API, json={"name": "x", "fields": []}, headers=headers)
    assert no_fields.status_code == 422
    duplicate = client.post(
        API, json={"name": "x", "fields": [{"name": "a"}, {"name": "A"}]}, headers=headers
    )
    assert duplicate.status_code == 422


def test_form_references_must_exist_in_the_workspace(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    other_pipeline, other_stages = default_pipeline(db, make_workspace(db, "other"))
    response = client.post(API, json={**CONTACT, "pipeline_id": other_pipeline}, headers=headers)
    assert response.json()["errors"] == {"pipeline_id": ["The selected pipeline id is invalid."]}
    response = client.post(
        API, json={**CONTACT, "pipeline_stage_id": other_stages[0]}, headers=headers
    )
    assert response.status_code == 422


def test_submission_creates_a_lead_with_the_form_defaults(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    pipeline_id, stages = default_pipeline(db, workspace)
    form = make_form(client, headers, pipeline_stage_id=stages[1])
    response = submit(
        client, form, headers, phone="(415) 555-1234", budget="large", utm_campaign="spring"
    )
    assert response.status_code == 201, response.text
    data = response.json()["data"]
    assert data["is_duplicate"] is False
    assert data["data"]["budget"] == "large"
    lead = client.get(f"/api/v1/leads/{data['lead_id']}", headers=headers).json()["data"]
    assert (lead["first_name"], lead["last_name"]) == ("Jane", "Doe")
    assert lead["phone"] == "+14155551234"
    assert lead["source"] == "website"
    assert lead["tags"] == ["website"]
    assert lead["form_id"] == form["id"]
    assert (lead["pipeline_id"], lead["pipeline_stage_id"]) == (pipeline_id, stages[1])
    assert lead["custom_fields"] == {"budget": "large", "gdpr": True}
    assert lead["attribution"]["utm_campaign"] == "spring"


def test_submission_missing_a_required_field_is_refused(
    client: TestClient, headers: dict[str, str]
) -> None:
    form = make_form(client, headers)
    response = client.post(
        f"{API}/{form['id']}/submissions", json={"email": "bad"}, headers=headers
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "name": ["The Your name field is required."],
        "email": ["The Email field must be a valid email address."],
        "consent": ["The Consent field must be accepted."],
    }
    listed = client.get(f"{API}/{form['id']}/submissions", headers=headers).json()
    assert listed["meta"]["total"] == 0


def test_submission_deduplicates_like_inbound_intake(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    existing = make_lead(db, workspace, first_name="Janet", email="jane@example.com")
    form = make_form(client, headers)
    response = submit(client, form, headers, email="JANE@example.com", budget="small")
    data = response.json()["data"]
    assert response.status_code == 201
    assert (data["lead_id"], data["is_duplicate"]) == (existing, True)
    lead = client.get(f"/api/v1/leads/{existing}", headers=headers).json()["data"]
    assert lead["first_name"] == "Janet"
    assert lead["custom_fields"]["budget"] == "small"
    assert "website" in lead["tags"]


def test_submissions_are_listed_newest_first(client: TestClient, headers: dict[str, str]) -> None:
    form = make_form(client, headers)
    submit(client, form, headers, email="a@example.com")
    submit(client, form, headers, email="b@example.com")
    listed = client.get(f"{API}/{form['id']}/submissions", headers=headers).json()
    assert [s["data"]["email"] for s in listed["data"]] == ["b@example.com", "a@example.com"]
    assert (
        client.get(f"{API}/{form['id']}", headers=headers).json()["data"]["submissions_count"] == 2
    )


def test_browser_submission_with_the_public_key_and_cors(
    client: TestClient, headers: dict[str, str]
) -> None:
    form = make_form(client, headers)
    url = f"{API}/{form['id']}/submissions"
    preflight = client.options(
        url, headers={"Origin": "https://shop.example", "Access-Control-Request-Method": "POST"}
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "X-Form-Key" in preflight.headers["access-control-allow-headers"]
    body = {"name": "Jo", "email": "jo@example.com", "consent": True}
    response = client.post(
        f"{url}?utm_source=newsletter",
        json=body,
        headers={"X-Form-Key": form["public_key"], "Origin": "https://shop.example"},
    )
    assert response.status_code == 201, response.text
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.json()["data"]["attribution"] == {"utm_source": "newsletter"}
    wrong = client.post(url, json=body, headers={"X-Form-Key": "fk_wrong"})
    assert wrong.status_code == 404
    assert wrong.headers["access-control-allow-origin"] == "*"


def test_submission_without_key_is_unauthorized(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    form = make_form(client, headers)
    assert submit(client, form, {}).status_code == 401
    reader = {"X-Api-Key": make_key(db, workspace, scopes=["read:forms"])}
    assert submit(client, form, reader).status_code == 403


def test_update_and_delete_form(client: TestClient, headers: dict[str, str]) -> None:
    form = make_form(client, headers)
    response = client.patch(
        f"{API}/{form['id']}", json={"name": "Renamed", "is_active": False}, headers=headers
    )
    assert response.status_code == 200
    assert (response.json()["data"]["name"], response.json()["data"]["is_active"]) == (
        "Renamed",
        False,
    )
    assert len(response.json()["data"]["fields"]) == len(CONTACT["fields"])
    assert client.delete(f"{API}/{form['id']}", headers=headers).status_code == 204
    assert client.get(f"{API}/{form['id']}", headers=headers).status_code == 404


def test_another_workspace_cannot_reach_a_form(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    form = make_form(client, headers)
    other = {"X-Api-Key": make_key(db, make_workspace(db, "other"))}
    assert client.get(f"{API}/{form['id']}", headers=other).status_code == 404
    assert client.get(f"{API}/{form['id']}/submissions", headers=other).status_code == 404
    assert submit(client, form, other).status_code == 404
    assert client.delete(f"{API}/{form['id']}", headers=other).status_code == 404
