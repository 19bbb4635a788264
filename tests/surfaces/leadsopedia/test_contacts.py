"""Leadsopedia's /contacts: by list, by email, by id, added, updated and deleted."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from tests.factories import Workspace, make_key, make_lead

BASE = "/compat/leadsopedia/v1"
CONTACT_FIELDS = {
    "id",
    "email",
    "first_name",
    "last_name",
    "title",
    "company",
    "phone",
    "city",
    "state",
    "region",
    "country",
    "date_added",
}


def setup(client: TestClient, db: Database, workspace: Workspace) -> tuple[dict[str, str], int]:
    headers = {"X-Api-Key": make_key(db, workspace)}
    list_id = int(client.post(f"{BASE}/mylists", json={"name": "L"}, headers=headers).json()["id"])
    return headers, list_id


def add(
    client: TestClient, headers: dict[str, str], list_id: int, **fields: object
) -> dict[str, object]:
    response = client.post(f"{BASE}/contacts", json={"list_id": list_id, **fields}, headers=headers)
    assert response.status_code in (200, 201), response.text
    body: dict[str, object] = response.json()
    return body


def test_add_a_contact_with_every_documented_field(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    headers, list_id = setup(client, db, workspace)
    response = client.post(
        f"{BASE}/contacts",
        json={
            "list_id": list_id,
            "email": "Ann@Example.com",
            "first_name": "Ann",
            "last_name": "Lee",
            "title": "CTO",
            "company": "Acme",
            "phone": "+1 415 555 0100",
            "city": "San Francisco",
            "state": "CA",
            "region": "West",
            "country": "US",
        },
        headers=headers,
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == CONTACT_FIELDS
    assert body["email"] == "ann@example.com" and body["phone"] == "+14155550100"
    assert (body["title"], body["city"], body["state"], body["region"], body["country"]) == (
        "CTO",
        "San Francisco",
        "CA",
        "West",
        "US",
    )
    assert re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", body["date_added"])
    assert response.headers["Location"].endswith(f"{BASE}/contacts/{list_id}?id={body['id']}")
    lead = client.get(f"/api/v1/leads/{body['id']}", headers=headers).json()["data"]
    assert (
        lead["job_title"] == "CTO" and lead["country"] == "US" and lead["source"] == "leadsopedia"
    )


def test_adding_an_existing_email_updates_that_lead_and_puts_it_in_the_list(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    headers, list_id = setup(client, db, workspace)
    lead_id = make_lead(db, workspace, email="ann@example.com", first_name="Ann", company="Old")
    response = client.post(
        f"{BASE}/contacts",
        json={"list_id": list_id, "email": "ANN@example.com", "company": "New"},
        headers=headers,
    )
    assert response.status_code == 200
    assert response.json()["id"] == lead_id and response.json()["company"] == "New"
    assert response.json()["first_name"] == "Ann"
    listed = client.get(f"{BASE}/contacts", params={"list_id": list_id}, headers=headers).json()
    assert [contact["id"] for contact in listed["contacts"]] == [lead_id]


def test_contacts_of_a_list_and_of_every_list_with_paging(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    headers, list_id = setup(client, db, workspace)
    other = int(client.post(f"{BASE}/mylists", json={"name": "M"}, headers=headers).json()["id"])
    for number in range(3):
        add(client, headers, list_id, email=f"p{number}@example.com")
    add(client, headers, other, email="q@example.com")
    in_list = client.get(
        f"{BASE}/contacts", params={"list_id": list_id, "limit": 2}, headers=headers
    )
    body = in_list.json()
    assert set(body) == {
        "contacts",
        "total",
        "count",
        "page",
        "limit",
        "pagesCount",
        "next",
        "previous",
    }
    assert body["total"] == 3 and body["pagesCount"] == 2 and len(body["contacts"]) == 2
    assert f"list_id={list_id}" in body["next"] and "page=2" in body["next"]
    same = client.get(f"{BASE}/contacts/{list_id}", params={"limit": 2}, headers=headers).json()
    assert same["contacts"] == body["contacts"]
    everyone = client.get(f"{BASE}/contacts", headers=headers).json()
    assert everyone["total"] == 4


def test_one_contact_by_email_and_by_id_in_both_url_forms(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    headers, list_id = setup(client, db, workspace)
    contact = add(client, headers, list_id, email="ann@example.com", first_name="Ann")
    forms = [
        (f"{BASE}/contacts", {"list_id": list_id, "email": "ANN@example.com"}),
        (f"{BASE}/contacts", {"list_id": list_id, "id": contact["id"]}),
        (f"{BASE}/contacts/{list_id}", {"email": "ann@example.com"}),
        (f"{BASE}/contacts/{list_id}", {"id": contact["id"]}),
    ]
    for url, params in forms:
        response = client.get(url, params=params, headers=headers)
        assert response.status_code == 200, (url, params, response.text)
        assert response.json() == contact
    missing = client.get(
        f"{BASE}/contacts/{list_id}", params={"email": "x@example.com"}, headers=headers
    )
    assert missing.status_code == 404 and missing.json() == {"message": "Contact not found."}
    elsewhere = int(
        client.post(f"{BASE}/mylists", json={"name": "M"}, headers=headers).json()["id"]
    )
    not_in = client.get(
        f"{BASE}/contacts/{elsewhere}", params={"id": contact["id"]}, headers=headers
    )
    assert not_in.status_code == 404
    unknown_list = client.get(f"{BASE}/contacts/99999", headers=headers)
    assert unknown_list.status_code == 404 and unknown_list.json() == {"message": "List not found."}


def test_update_a_contact_by_id(client: TestClient, db: Database, workspace: Workspace) -> None:
    headers, list_id = setup(client, db, workspace)
    contact = add(client, headers, list_id, email="ann@example.com")
    response = client.post(
        f"{BASE}/contacts/{contact['id']}", json={"title": "CEO", "city": "Paris"}, headers=headers
    )
    assert response.status_code == 200
    assert response.json()["title"] == "CEO" and response.json()["city"] == "Paris"
    stranger = make_lead(db, workspace, email="z@example.com")
    assert (
        client.post(f"{BASE}/contacts/{stranger}", json={"title": "x"}, headers=headers).status_code
        == 404
    )


def test_delete_a_contact_from_a_list_by_id_or_email_and_from_every_list(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    headers, list_id = setup(client, db, workspace)
    other = int(client.post(f"{BASE}/mylists", json={"name": "M"}, headers=headers).json()["id"])
    ann = add(client, headers, list_id, email="ann@example.com")
    add(client, headers, other, email="ann@example.com")
    bob = add(client, headers, list_id, email="bob@example.com")
    cid = add(client, headers, list_id, email="cid@example.com")

    by_id = client.delete(f"{BASE}/contacts/{list_id}", params={"id": ann["id"]}, headers=headers)
    assert by_id.status_code == 204
    assert (
        client.get(
            f"{BASE}/contacts/{other}", params={"id": ann["id"]}, headers=headers
        ).status_code
        == 200
    )
    by_email = client.delete(
        f"{BASE}/contacts", params={"email": "bob@example.com"}, headers=headers
    )
    assert by_email.status_code == 204
    everywhere = client.delete(f"{BASE}/contacts/{cid['id']}", headers=headers)
    assert everywhere.status_code == 204
    assert (
        client.get(f"{BASE}/contacts", params={"list_id": list_id}, headers=headers).json()["total"]
        == 0
    )
    # The leads stay in the workspace.
    for contact in (ann, bob, cid):
        assert client.get(f"/api/v1/leads/{contact['id']}", headers=headers).status_code == 200
    again = client.delete(f"{BASE}/contacts", params={"email": "bob@example.com"}, headers=headers)
    assert again.status_code == 404
    assert client.delete(f"{BASE}/contacts", headers=headers).status_code == 400


def test_adding_needs_a_list_and_an_email_and_both_scopes(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    headers, list_id = setup(client, db, workspace)
    no_list = client.post(f"{BASE}/contacts", json={"email": "a@example.com"}, headers=headers)
    assert no_list.status_code == 400 and "list_id" in no_list.json()["errors"]
    no_email = client.post(
        f"{BASE}/contacts", json={"list_id": list_id, "first_name": "A"}, headers=headers
    )
    assert no_email.status_code == 400 and "email" in no_email.json()["errors"]
    bad_email = client.post(
        f"{BASE}/contacts", json={"list_id": list_id, "email": "nope"}, headers=headers
    )
    assert bad_email.status_code == 400 and "email" in bad_email.json()["errors"]
    unknown = client.post(
        f"{BASE}/contacts", json={"list_id": 99999, "email": "a@example.com"}, headers=headers
    )
    assert unknown.status_code == 404
    lists_only = {"X-Api-Key": make_key(db, workspace, scopes=["write:lists", "read:lists"])}
    refused = client.post(
        f"{BASE}/contacts", json={"list_id": list_id, "email": "a@example.com"}, headers=lists_only
    )
    assert refused.status_code == 403
