"""Small helpers shared by the native lead API tests (test_leads_*.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

from leadhub.db.uow import Database
from leadhub.domains.forms import service as forms
from leadhub.domains.forms.schemas import FormCreate, FormField
from leadhub.models import Lead, Pipeline, PipelineStage
from leadhub.models import Workspace as WorkspaceRecord
from tests.factories import Workspace

LEADS = "/api/v1/leads"

LEAD_FIELDS = {
    "id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "company",
    "job_title",
    "source",
    "status",
    "pipeline_id",
    "pipeline_stage_id",
    "assigned_user_id",
    "lead_score",
    "starred",
    "notes",
    "custom_fields",
    "tags",
    "value",
    "unique_identifier",
    "form_id",
    "attribution",
    "created_at",
    "updated_at",
}
ATTRIBUTION_FIELDS = {
    "gclid",
    "wbraid",
    "cid",
    "sid",
    "fbp",
    "fbc",
    "fbclid",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "referrer",
    "landing_page",
}


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def create_lead(client: TestClient, headers: dict[str, str], **fields: Any) -> dict[str, Any]:
    """POST a lead (first_name defaults to "Test") and return its `data`."""
    fields.setdefault("first_name", "Test")
    response = client.post(LEADS, json=fields, headers=headers)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def get_lead(client: TestClient, headers: dict[str, str], lead_id: int) -> dict[str, Any]:
    response = client.get(f"{LEADS}/{lead_id}", headers=headers)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def listed_ids(response: Response) -> list[int]:
    assert response.status_code == 200, response.text
    return [lead["id"] for lead in response.json()["data"]]


def assert_invalid(response: Response, field: str, message: str | None = None) -> None:
    """A 422 VALIDATION_FAILED envelope with an error on `field` (and this message, if given)."""
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["status"] == "error"
    assert body["code"] == "VALIDATION_FAILED"
    assert isinstance(body["message"], str)
    assert body["message"]
    assert field in body["errors"], body["errors"]
    messages = body["errors"][field]
    assert messages
    assert all(isinstance(text, str) and text for text in messages)
    if message is not None:
        assert message in messages, messages


def assert_error(response: Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status"] == "error"
    assert body["code"] == code
    assert isinstance(body["message"], str)
    assert body["message"]
    assert isinstance(body["errors"], dict)


def count_leads(db: Database, workspace: Workspace) -> int:
    with db.unit_of_work(write=False) as session:
        return session.query(Lead).filter_by(workspace_id=workspace.id).count()


def set_timestamps(
    db: Database,
    lead_id: int,
    *,
    created_at: datetime | None = None,
    updated_at: datetime | None = None,
) -> None:
    with db.unit_of_work() as session:
        lead = session.get(Lead, lead_id)
        assert lead is not None
        if created_at is not None:
            lead.created_at = created_at
        lead.updated_at = updated_at or created_at or lead.updated_at


def set_default_region(db: Database, workspace: Workspace, region: str) -> None:
    with db.unit_of_work() as session:
        record = session.get(WorkspaceRecord, workspace.id)
        assert record is not None
        record.default_region = region


def make_pipeline(db: Database, workspace: Workspace, name: str, stages: int = 3) -> list[int]:
    """A second pipeline in the workspace: [pipeline id, stage ids in order...]."""
    with db.unit_of_work() as session:
        pipeline = Pipeline(workspace_id=workspace.id, name=name)
        session.add(pipeline)
        session.flush()
        # Positions are added in reverse so that the first stage is not the first row.
        records = [
            PipelineStage(
                workspace_id=workspace.id,
                pipeline_id=pipeline.id,
                name=f"{name} {position}",
                position=position,
            )
            for position in reversed(range(stages))
        ]
        session.add_all(records)
        session.flush()
        ordered = sorted(records, key=lambda stage: stage.position)
        return [pipeline.id, *(stage.id for stage in ordered)]


def make_form(db: Database, workspace: Workspace, name: str = "Contact us") -> int:
    data = FormCreate(name=name, fields=[FormField(name="email", type="email")])
    with db.unit_of_work() as session:
        return forms.create_form(session, workspace.principal(), data=data).id
