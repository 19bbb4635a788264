"""POST /compat/leadtrackr/api/leads/updateLeadStatus: reopen a lead, or queue its conversion
(`lost` or a conversion label), with an optional price in cents."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response

from leadhub.db.uow import Database
from leadhub.domains.conversions import labels
from leadhub.domains.conversions.schemas import LabelCreate, LabelRead
from leadhub.domains.integrations import service as integrations
from leadhub.domains.integrations.schemas import IntegrationCreate
from leadhub.surfaces.common.runtime import Runtime
from tests.factories import Workspace, make_key, make_lead, make_workspace
from tests.surfaces.leadtrackr.helpers import UPDATE_STATUS, assert_message, native_lead

GOOGLE_ADS = {
    "customer_id": "1234567890",
    "developer_token": "dev-token",
    "client_id": "client",
    "client_secret": "secret",
    "refresh_token": "refresh",
}


def update(client: TestClient, headers: dict[str, str], **body: Any) -> Response:
    return client.post(UPDATE_STATUS, json=body, headers=headers)


def make_label(
    app: FastAPI, workspace: Workspace, name: str = "Sale", *, google_ads: bool = False
) -> LabelRead:
    runtime: Runtime = app.state.runtime
    with runtime.db.unit_of_work() as session:
        destinations = []
        if google_ads:
            integration = integrations.create_integration(
                session,
                workspace.principal(),
                data=IntegrationCreate(
                    type="google_ads_conversions", name="Ads", settings=GOOGLE_ADS
                ),
                secret_box=runtime.secret_box,
            )
            destinations = [{"integration_id": integration.id, "target": "987654"}]
        data = LabelCreate.model_validate({"name": name, "destinations": destinations})
        return labels.create_label(session, workspace.principal(), data=data)


@pytest.fixture
def lead_id(db: Database, workspace: Workspace) -> int:
    return make_lead(db, workspace, first_name="Ann", email="ann@example.com")


# -- open ---------------------------------------------------------------------------------------


def test_open_reopens_the_lead(client: TestClient, headers: dict[str, str], lead_id: int) -> None:
    response = update(client, headers, leadId=lead_id, conversionId="open")
    assert response.status_code == 200, response.text
    assert response.json() == {
        "message": "Lead status updated to open",
        "leadId": lead_id,
        "uniqueIdentifier": None,
        "status": "open",
        "queued": False,
    }
    assert native_lead(client, headers, lead_id)["status"] == "open"


def test_a_price_in_cents_becomes_the_leads_value(
    client: TestClient, headers: dict[str, str], lead_id: int
) -> None:
    response = update(client, headers, leadId=lead_id, conversionId="open", price=5000)
    assert response.status_code == 200, response.text
    assert native_lead(client, headers, lead_id)["value"] == 50.0
    update(client, headers, leadId=lead_id, conversionId="open", price=1999)
    assert native_lead(client, headers, lead_id)["value"] == 19.99


@pytest.mark.parametrize("price", [-1, "abc", [5]])
def test_a_price_that_is_no_non_negative_number_is_400(
    client: TestClient, headers: dict[str, str], lead_id: int, price: Any
) -> None:
    response = update(client, headers, leadId=lead_id, conversionId="open", price=price)
    assert_message(response, 400, "price")
    assert native_lead(client, headers, lead_id)["value"] is None


# -- lost and labels ----------------------------------------------------------------------------


def test_lost_queues_the_lead(client: TestClient, headers: dict[str, str], lead_id: int) -> None:
    response = update(client, headers, leadId=lead_id, conversionId="lost")
    assert response.status_code == 200, response.text
    assert response.json() == {
        "message": "Lead queued for processing",
        "leadId": lead_id,
        "uniqueIdentifier": None,
        "status": "pending",
        "queued": True,
        "warnings": [],
    }
    assert native_lead(client, headers, lead_id)["status"] == "pending"


def test_a_label_by_its_uuid_queues_the_lead(
    app: FastAPI, client: TestClient, headers: dict[str, str], workspace: Workspace, lead_id: int
) -> None:
    label = make_label(app, workspace)
    response = update(client, headers, leadId=lead_id, conversionId=label.uuid, price=12000)
    assert response.status_code == 200, response.text
    assert (response.json()["status"], response.json()["queued"]) == ("pending", True)
    stored = native_lead(client, headers, lead_id)
    assert (stored["status"], stored["value"], stored["conversion_label_id"]) == (
        "pending",
        120.0,
        label.id,
    )


def test_a_label_by_its_id_queues_the_lead(
    app: FastAPI, client: TestClient, headers: dict[str, str], workspace: Workspace, lead_id: int
) -> None:
    label = make_label(app, workspace)
    response = update(client, headers, leadId=lead_id, conversionId=label.id)
    assert response.status_code == 200, response.text
    assert native_lead(client, headers, lead_id)["conversion_label_id"] == label.id


def test_a_destination_that_lacks_the_leads_data_is_a_warning(
    app: FastAPI, client: TestClient, headers: dict[str, str], workspace: Workspace, lead_id: int
) -> None:
    label = make_label(app, workspace, google_ads=True)
    response = update(client, headers, leadId=lead_id, conversionId=label.uuid)
    assert response.status_code == 200, response.text
    (warning,) = response.json()["warnings"]
    assert warning["integration"] == "google_ads_conversions"
    assert warning["name"] == "Ads"
    assert warning["message"]


def test_a_lead_with_a_click_id_queues_without_warnings(
    app: FastAPI, client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    clicked = make_lead(db, workspace, attribution={"gclid": "Cj0-click"})
    label = make_label(app, workspace, google_ads=True)
    response = update(client, headers, leadId=clicked, conversionId=label.uuid)
    assert response.status_code == 200, response.text
    assert response.json()["warnings"] == []


def test_a_pending_lead_is_409(client: TestClient, headers: dict[str, str], lead_id: int) -> None:
    assert update(client, headers, leadId=lead_id, conversionId="lost").status_code == 200
    assert_message(update(client, headers, leadId=lead_id, conversionId="open"), 409, "pending")
    assert_message(update(client, headers, leadId=lead_id, conversionId="lost"), 409)


def test_an_unknown_label_is_404(client: TestClient, headers: dict[str, str], lead_id: int) -> None:
    for conversion in ("0f0e3c4a-0000-4000-8000-000000000000", "999999", "won"):
        response = update(client, headers, leadId=lead_id, conversionId=conversion)
        assert_message(response, 404, "label")
    assert native_lead(client, headers, lead_id)["status"] == "new"


def test_another_projects_label_is_404(
    app: FastAPI, client: TestClient, headers: dict[str, str], db: Database, lead_id: int
) -> None:
    theirs = make_label(app, make_workspace(db, "globex"))
    assert_message(update(client, headers, leadId=lead_id, conversionId=theirs.uuid), 404)


# -- naming the lead ----------------------------------------------------------------------------


def test_the_lead_may_be_named_by_unique_identifier_email_or_phone(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    by_uid = make_lead(db, workspace, unique_identifier="crm-1")
    by_email = make_lead(db, workspace, email="bo@example.com")
    by_phone = make_lead(db, workspace, phone="+31612345678")
    for body, expected in (
        ({"uniqueIdentifier": "crm-1"}, by_uid),
        ({"email": "BO@example.com"}, by_email),
        ({"phone": "+31 6 12345678"}, by_phone),
    ):
        response = update(client, headers, conversionId="open", **body)
        assert response.status_code == 200, response.text
        assert response.json()["leadId"] == expected
    assert (
        update(client, headers, conversionId="open", uniqueIdentifier="crm-1").json()[
            "uniqueIdentifier"
        ]
        == "crm-1"
    )


def test_lead_id_beats_the_other_identifiers(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace, lead_id: int
) -> None:
    make_lead(db, workspace, unique_identifier="crm-2")
    response = update(
        client, headers, leadId=lead_id, uniqueIdentifier="crm-2", conversionId="open"
    )
    assert response.json()["leadId"] == lead_id


def test_an_unknown_lead_is_404(client: TestClient, headers: dict[str, str], db: Database) -> None:
    response = update(client, headers, leadId=999, conversionId="open")
    assert response.json() == {"message": "Lead not found"}
    assert_message(update(client, headers, email="x@y.com", conversionId="open"), 404)


def test_another_projects_lead_is_404(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    theirs = make_lead(db, make_workspace(db, "globex"))
    assert_message(update(client, headers, leadId=theirs, conversionId="open"), 404)


def test_no_identifier_is_400(client: TestClient, headers: dict[str, str]) -> None:
    assert_message(update(client, headers, conversionId="open"), 400, "leadId")


def test_a_missing_conversion_id_is_400(
    client: TestClient, headers: dict[str, str], lead_id: int
) -> None:
    response = update(client, headers, leadId=lead_id)
    assert response.json() == {"message": "Missing required field: conversionId"}
    assert response.status_code == 400
    assert_message(update(client, headers, leadId=lead_id, conversionId=" "), 400, "conversionId")


def test_it_needs_a_key_with_write_leads(
    client: TestClient, db: Database, workspace: Workspace, lead_id: int
) -> None:
    assert_message(client.post(UPDATE_STATUS, json={"leadId": lead_id}), 401)
    reader = make_key(db, workspace, scopes=["read:leads"])
    response = update(client, {"X-API-Key": reader}, leadId=lead_id, conversionId="open")
    assert_message(response, 403, "write:leads")
