"""Conversion labels over the native API: fields, destinations, validation, scopes."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from tests.conversions.conftest import LABELS, Destinations, add_integration, make_label
from tests.factories import Workspace, make_key, make_workspace


def test_a_label_keeps_its_fields_and_destinations(
    client: TestClient, headers: dict[str, str], destinations: Destinations
) -> None:
    label = make_label(
        client,
        headers,
        name="New customer",
        value="250.00",
        currency="usd",
        mark_as_done=False,
        destinations=[
            {"integration_id": destinations.meta, "target": "Purchase"},
            {"integration_id": destinations.ga4, "target": "close_convert_lead"},
            {"integration_id": destinations.google_ads, "target": "987654"},
        ],
    )
    assert uuid.UUID(label["uuid"])
    assert label["value"] == 250.0 and label["currency"] == "USD"
    assert label["mark_as_done"] is False
    assert [(d["type"], d["target"]) for d in label["destinations"]] == [
        ("meta_conversions_api", "Purchase"),
        ("ga4_measurement_protocol", "close_convert_lead"),
        ("google_ads_conversions", "987654"),
    ]
    got = client.get(f"{LABELS}/{label['id']}", headers=headers).json()["data"]
    assert got == label
    listed = client.get(LABELS, headers=headers).json()
    assert [item["id"] for item in listed["data"]] == [label["id"]]
    assert listed["meta"]["total"] == 1


def test_updating_changes_only_what_is_sent(
    client: TestClient, headers: dict[str, str], destinations: Destinations
) -> None:
    label = make_label(
        client, headers, destinations=[{"integration_id": destinations.meta, "target": "Lead"}]
    )
    response = client.patch(
        f"{LABELS}/{label['id']}", json={"name": "Hot lead", "value": 10}, headers=headers
    )
    assert response.status_code == 200, response.text
    changed = response.json()["data"]
    assert changed["name"] == "Hot lead" and changed["value"] == 10.0
    assert changed["destinations"] == label["destinations"]
    assert changed["uuid"] == label["uuid"]


def test_destinations_must_be_ad_platform_integrations_with_valid_targets(
    client: TestClient, headers: dict[str, str], destinations: Destinations
) -> None:
    slack = add_integration(
        client, headers, "slack", {"webhook_url": "https://hooks.slack.com/services/T/B/X"}
    )
    response = client.post(
        LABELS,
        json={
            "name": "Bad",
            "destinations": [
                {"integration_id": slack, "target": "Lead"},
                {"integration_id": destinations.ga4, "target": "google_reserved"},
                {"integration_id": destinations.google_ads, "target": "not an action"},
                {"integration_id": 999_999, "target": "Lead"},
            ],
        },
        headers=headers,
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {
        "destinations.0.integration_id",
        "destinations.1.target",
        "destinations.2.target",
        "destinations.3.integration_id",
    }
    assert client.get(LABELS, headers=headers).json()["meta"]["total"] == 0


def test_names_are_unique_regardless_of_case(client: TestClient, headers: dict[str, str]) -> None:
    make_label(client, headers, name="Won")
    response = client.post(LABELS, json={"name": "won"}, headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"]["name"] == ["The name has already been taken."]
    bad_currency = client.post(LABELS, json={"name": "X", "currency": "EURO"}, headers=headers)
    assert bad_currency.status_code == 422 and "currency" in bad_currency.json()["errors"]


def test_deleting_a_label_keeps_the_conversions_it_named(
    client: TestClient, headers: dict[str, str]
) -> None:
    label = make_label(client, headers, mark_as_done=True)
    lead_id = client.post("/api/v1/leads", json={"first_name": "Ann"}, headers=headers).json()[
        "data"
    ]["id"]
    rated = client.put(
        f"/api/v1/leads/{lead_id}/rating", json={"label_id": label["id"]}, headers=headers
    )
    assert rated.status_code == 200, rated.text
    assert client.delete(f"{LABELS}/{label['id']}", headers=headers).status_code == 204
    assert client.get(f"{LABELS}/{label['id']}", headers=headers).status_code == 404
    (conversion,) = client.get(f"/api/v1/leads/{lead_id}/conversions", headers=headers).json()[
        "data"
    ]
    assert conversion["label_name"] == label["name"] and conversion["label_id"] is None


def test_labels_need_the_integrations_scopes_and_stay_in_their_workspace(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    label = make_label(client, headers)
    reader = {"X-Api-Key": make_key(db, workspace, scopes=["read:integrations"])}
    assert client.get(LABELS, headers=reader).status_code == 200
    assert client.post(LABELS, json={"name": "X"}, headers=reader).status_code == 403
    other = {"X-Api-Key": make_key(db, make_workspace(db, "other"))}
    assert client.get(f"{LABELS}/{label['id']}", headers=other).status_code == 404
    assert client.get(LABELS, headers=other).json()["data"] == []
