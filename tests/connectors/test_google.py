"""Google Ads lead forms: the webhook with its google_key and user_column_data."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from leadhub.models import Lead
from leadhub.surfaces.common.runtime import Runtime
from tests.connectors.conftest import make_integration
from tests.factories import Workspace

# The sample body from Google's lead form webhook documentation.
GOOGLE_LEAD: dict[str, Any] = {
    "lead_id": (
        "TeSter-123-ABCDEFGHIJKLMNOPQRSTUVWXYZ-abcdefghijklmnopqrstuvwxyz-0123456789-"
        "AaBbCcDdEeFfGgHhIiJjKkLl"
    ),
    "user_column_data": [
        {
            "column_name": "Full Name",
            "string_value": "FirstName LastName",
            "column_id": "FULL_NAME",
        },
        {"column_name": "User Phone", "string_value": "+16505550123", "column_id": "PHONE_NUMBER"},
        {"column_name": "User Email", "string_value": "test@example.com", "column_id": "EMAIL"},
        {"column_name": "Postal code", "string_value": "94043", "column_id": "POSTAL_CODE"},
    ],
    "api_version": "1.0",
    "form_id": 40000000000,
    "campaign_id": 50000000000,
    "google_key": "testkey",
    "is_test": True,
    "gcl_id": "TeSter-123-gclid",
    "adgroup_id": 20000000000,
    "creative_id": 30000000000,
}


def test_a_google_lead_is_captured(app: FastAPI, client: TestClient, workspace: Workspace) -> None:
    integration_id = make_integration(
        app, workspace, "google_ads_lead_forms", {"webhook_key": "testkey"}
    )
    answer = client.post(f"/api/integrations/google/{integration_id}/webhook", json=GOOGLE_LEAD)
    assert (answer.status_code, answer.json()) == (200, {})
    runtime: Runtime = app.state.runtime
    with runtime.db.unit_of_work(write=False) as session:
        lead = session.scalars(select(Lead)).one()
        assert (lead.first_name, lead.last_name) == ("FirstName", "LastName")
        assert (lead.email, lead.source) == ("test@example.com", "google_ads")
        assert lead.phone is not None and lead.phone.endswith("6505550123")
        assert lead.gclid == "TeSter-123-gclid"
        assert lead.custom_fields["postal_code"] == "94043"
        assert lead.custom_fields["google_form_id"] == "40000000000"
        assert lead.custom_fields["google_lead_id"] == GOOGLE_LEAD["lead_id"]
    # Google retries a lead it is not sure arrived: the same person is merged, not duplicated.
    assert (
        client.post(
            f"/api/integrations/google/{integration_id}/webhook", json=GOOGLE_LEAD
        ).status_code
        == 200
    )
    with runtime.db.unit_of_work(write=False) as session:
        assert len(session.scalars(select(Lead)).all()) == 1


def test_a_wrong_google_key_is_refused(
    app: FastAPI, client: TestClient, workspace: Workspace
) -> None:
    integration_id = make_integration(
        app, workspace, "google_ads_lead_forms", {"webhook_key": "testkey"}
    )
    url = f"/api/integrations/google/{integration_id}/webhook"
    assert client.post(url, json={**GOOGLE_LEAD, "google_key": "wrong"}).status_code == 403
    body = {key: value for key, value in GOOGLE_LEAD.items() if key != "google_key"}
    assert client.post(url, json=body).status_code == 403
    runtime: Runtime = app.state.runtime
    with runtime.db.unit_of_work(write=False) as session:
        assert session.scalars(select(Lead)).all() == []
