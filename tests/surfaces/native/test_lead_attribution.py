"""Every lead keeps its attribution, device, form data and channel flow, however it arrived;
the lead list filters on them."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.factories import Workspace

LEADS = "/api/v1/leads"


def create(client: TestClient, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    response = client.post(LEADS, json={"first_name": "Ann", **body}, headers=headers)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def ids(client: TestClient, headers: dict[str, str], query: str) -> list[int]:
    response = client.get(f"{LEADS}?per_page=100&{query}", headers=headers)
    assert response.status_code == 200, response.text
    return sorted(lead["id"] for lead in response.json()["data"])


def test_the_native_api_keeps_device_form_data_and_channel_flow(
    client: TestClient, headers: dict[str, str]
) -> None:
    lead = create(
        client,
        headers,
        form_name="Quote request",
        form_data={"message": "Call me", "budget": 5000},
        channel_flow="google/cpc > direct/(none)",
        device={"ip_address": "2001:db8::1", "user_agent": "Mozilla/5.0"},
        attribution={"gclid": "g-1", "fbc": "fb.1.1.abc"},
    )
    got = client.get(f"{LEADS}/{lead['id']}", headers=headers).json()["data"]
    assert got["form_name"] == "Quote request"
    assert got["form_data"] == {"message": "Call me", "budget": 5000}
    assert got["channel_flow"] == "google/cpc > direct/(none)"
    assert got["device"] == {"ip_address": "2001:db8::1", "user_agent": "Mozilla/5.0"}
    assert got["attribution"]["gclid"] == "g-1"
    assert got["conversion_label_id"] is None


def test_a_bad_ip_address_is_a_field_error(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post(
        LEADS, json={"first_name": "Ann", "device": {"ip_address": "not-an-ip"}}, headers=headers
    )
    assert response.status_code == 422
    assert "device.ip_address" in response.json()["errors"]


def test_inbound_intake_takes_flat_device_and_channel_flow_keys(
    client: TestClient, headers: dict[str, str], workspace: Workspace
) -> None:
    response = client.post(
        f"/api/inbound/leads?tenant={workspace.slug}",
        json={
            "email": "flat@example.com",
            "ip_address": "203.0.113.9",
            "user_agent": "Zapier",
            "lt_channelflow": "facebook/paid",
            "cid": "123.456",
        },
        headers=headers,
    )
    assert response.status_code == 201, response.text
    lead_id = response.json()["lead_id"]
    got = client.get(f"{LEADS}/{lead_id}", headers=headers).json()["data"]
    assert got["device"] == {"ip_address": "203.0.113.9", "user_agent": "Zapier"}
    assert got["channel_flow"] == "facebook/paid"
    assert got["attribution"]["cid"] == "123.456"


def test_a_public_form_post_keeps_the_submission_on_the_lead(
    client: TestClient, headers: dict[str, str]
) -> None:
    form = client.post(
        "/api/v1/forms",
        json={
            "name": "Contact",
            "fields": [
                {"name": "email", "label": "Email", "type": "email", "required": True},
                {"name": "message", "label": "Message", "type": "textarea"},
            ],
        },
        headers=headers,
    ).json()["data"]
    client.cookies.set("_fbp", "fb.1.1700000000.42")
    response = client.post(
        f"/f/{form['id']}?utm_source=news&lt_channelflow=news/email",
        data={"email": "form@example.com", "message": "Hello"},
        headers={"User-Agent": "FormBrowser/1"},
    )
    assert response.status_code == 200, response.text
    (lead,) = client.get(f"{LEADS}?search=form@example.com", headers=headers).json()["data"]
    assert lead["form_id"] == form["id"]
    assert lead["form_name"] == "Contact"
    assert lead["form_data"] == {"email": "form@example.com", "message": "Hello"}
    assert lead["channel_flow"] == "news/email"
    assert lead["device"]["user_agent"] == "FormBrowser/1"
    assert lead["attribution"]["fbp"] == "fb.1.1700000000.42"
    assert lead["attribution"]["utm_source"] == "news"


@pytest.mark.parametrize("name", ["gclid", "wbraid", "cid", "sid", "fbp", "fbc", "fbclid"])
def test_the_list_filters_on_each_attribution_key_being_present(
    client: TestClient, headers: dict[str, str], name: str
) -> None:
    with_it = create(client, headers, attribution={name: "x-1"})["id"]
    without = create(client, headers, attribution={"utm_source": "news"})["id"]
    assert ids(client, headers, f"{name}_exists=true") == [with_it]
    assert ids(client, headers, f"{name}_exists=false") == [without]


def test_the_list_filters_on_form_and_unique_identifier(
    client: TestClient, headers: dict[str, str]
) -> None:
    form_id = client.post(
        "/api/v1/forms",
        json={"name": "F", "fields": [{"name": "email", "label": "E", "type": "email"}]},
        headers=headers,
    ).json()["data"]["id"]
    in_form = create(client, headers, form_id=form_id)["id"]
    crm = create(client, headers, unique_identifier="crm-7")["id"]
    create(client, headers, unique_identifier="crm-8")
    assert ids(client, headers, f"form_id={form_id}") == [in_form]
    assert ids(client, headers, "unique_identifier=crm-7") == [crm]
    assert client.get(f"{LEADS}?gclid_exists=maybe", headers=headers).status_code == 422


def test_search_also_matches_the_company(client: TestClient, headers: dict[str, str]) -> None:
    acme = create(client, headers, company="Acme Rockets")["id"]
    create(client, headers, company="Other")
    assert ids(client, headers, "search=rockets") == [acme]
