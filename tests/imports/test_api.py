"""POST /api/v1/imports starts a job; GET follows it; bad uploads answer the native errors."""

from __future__ import annotations

import json

from fastapi import FastAPI
from fastapi.testclient import TestClient

from leadhub.config import Settings
from leadhub.db.uow import Database
from tests.conftest import BASE_URL, node_app
from tests.factories import Workspace, make_key, make_lead, make_workspace
from tests.imports.helpers import xlsx
from tests.surfaces.native.assertions import assert_error, bearer

URL = "/api/v1/imports"
CSV = (
    b"Name,Email,Phone\nAnn Lee,ann@example.com,+14155550100\nBad,nope,\nBob Roe,bob@example.com,\n"
)


def upload(
    client: TestClient,
    headers: dict[str, str],
    content: bytes = CSV,
    filename: str = "leads.csv",
    **form: str,
) -> dict:
    response = client.post(URL, headers=headers, files={"file": (filename, content)}, data=form)
    assert response.status_code == 202, response.text
    return response.json()["data"]


def run_jobs(app: FastAPI) -> None:
    while app.state.runtime.jobs.run_pending():
        pass


def test_an_upload_is_accepted_and_its_job_imports_the_rows(
    app: FastAPI, client: TestClient, headers: dict[str, str]
) -> None:
    started = upload(client, headers, list_name="Webinar", source="webinar")
    assert started["status"] == "pending"
    assert started["mapping"] == {"Name": "full_name", "Email": "email", "Phone": "phone"}
    run_jobs(app)
    body = client.get(f"{URL}/{started['id']}", headers=headers).json()["data"]
    assert body["status"] == "done"
    assert (body["total_rows"], body["processed_rows"]) == (3, 3)
    assert (body["created_count"], body["updated_count"], body["skipped_count"]) == (2, 0, 0)
    assert body["failed_count"] == 1
    assert body["errors"] == [
        {"line": 3, "reason": "The email field must be a valid email address."}
    ]
    assert body["list_id"] == started["list_id"]
    assert body["finished_at"] is not None
    leads = client.get(f"/api/v1/leads?list_id={body['list_id']}", headers=headers).json()
    assert sorted(lead["email"] for lead in leads["data"]) == ["ann@example.com", "bob@example.com"]
    assert {lead["source"] for lead in leads["data"]} == {"webinar"}
    listed = client.get(URL, headers=headers).json()
    assert [item["id"] for item in listed["data"]] == [started["id"]]
    assert listed["meta"]["total"] == 1


def test_a_mapping_and_skipping_duplicates_are_followed(
    app: FastAPI, client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    make_lead(db, workspace, first_name="Ann", email="ann@example.com")
    content = xlsx(
        [["Person", "Mail", "Colour"], ["Ann", "ann@example.com", "red"], ["Cy", "cy@x.io", "blue"]]
    )
    mapping = {"Person": "first_name", "Mail": "email", "Colour": "custom_fields.colour"}
    started = upload(
        client, headers, content, "people.xlsx", mapping=json.dumps(mapping), on_duplicate="skip"
    )
    run_jobs(app)
    body = client.get(f"{URL}/{started['id']}", headers=headers).json()["data"]
    assert (body["format"], body["created_count"], body["skipped_count"]) == ("xlsx", 1, 1)
    cy = client.get("/api/v1/leads?search=cy", headers=headers).json()["data"][0]
    assert cy["custom_fields"] == {"colour": "blue"}


def test_no_file_is_a_validation_error(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post(URL, headers=headers, data={"list_name": "x"})
    body = assert_error(response, 422, "VALIDATION_FAILED")
    assert "file" in body["errors"]


def test_a_file_that_is_not_a_spreadsheet_is_refused(
    client: TestClient, headers: dict[str, str]
) -> None:
    for name, content in (("old.xls", b"\xd0\xcf\x11\xe0rest"), ("a.csv", b"\n\n"), ("b.csv", b"")):
        response = client.post(URL, headers=headers, files={"file": (name, content)})
        body = assert_error(response, 422, "VALIDATION_FAILED")
        assert body["errors"]["file"], name


def test_an_unknown_list_is_refused(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post(
        URL, headers=headers, files={"file": ("a.csv", CSV)}, data={"list_id": "999"}
    )
    body = assert_error(response, 422, "VALIDATION_FAILED")
    assert body["errors"] == {"list_id": ["The selected list id is invalid."]}


def test_a_bad_mapping_is_refused(client: TestClient, headers: dict[str, str]) -> None:
    for mapping, message in (
        ("{not json", "The mapping must be a JSON object."),
        ('["email"]', "The mapping must be a JSON object."),
        ('{"Email": "shoe_size"}', "“Email”: “shoe_size” is not a lead field."),
        ('{"Nope": "email"}', "The file has no column “Nope”."),
    ):
        response = client.post(
            URL, headers=headers, files={"file": ("a.csv", CSV)}, data={"mapping": mapping}
        )
        body = assert_error(response, 422, "VALIDATION_FAILED")
        assert body["errors"]["mapping"] == [message], mapping


def test_a_bad_duplicate_choice_is_refused(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post(
        URL, headers=headers, files={"file": ("a.csv", CSV)}, data={"on_duplicate": "merge"}
    )
    assert assert_error(response, 422, "VALIDATION_FAILED")["errors"]["on_duplicate"]


def test_a_file_over_the_limit_is_413(
    settings: Settings, db: Database, workspace: Workspace
) -> None:
    small = settings.model_copy(update={"import_max_bytes": 64})
    app = node_app(small, db)
    client = TestClient(app, base_url=BASE_URL)
    response = client.post(
        URL, headers=bearer(make_key(db, workspace)), files={"file": ("a.csv", CSV * 3)}
    )
    body = assert_error(response, 413, "PAYLOAD_TOO_LARGE")
    assert "64 bytes" in body["message"]


def test_scopes_and_workspaces_are_enforced(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    reader = bearer(make_key(db, workspace, scopes=["read:leads"]))
    response = client.post(URL, headers=reader, files={"file": ("a.csv", CSV)})
    assert_error(response, 403, "FORBIDDEN")
    started = upload(client, headers)
    other = bearer(make_key(db, make_workspace(db, "other")))
    assert_error(client.get(f"{URL}/{started['id']}", headers=other), 404, "NOT_FOUND")
    assert client.get(f"{URL}/{started['id']}", headers=reader).status_code == 200
