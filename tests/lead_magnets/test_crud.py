"""/api/v1/lead-magnets: every documented field round-trips, and every rule is a field error."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from tests.factories import Workspace, make_key, make_workspace
from tests.lead_magnets.helpers import MAGNETS, create, guide


def errors_of(response: Any) -> dict[str, list[str]]:
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["status"] == "error" and body["code"] == "VALIDATION_FAILED"
    found: dict[str, list[str]] = body["errors"]
    return found


def test_every_documented_field_round_trips(client: TestClient, headers: dict[str, str]) -> None:
    body = guide(
        linked_posts=["post-1", "post-2"],
        hosted_page={
            "external_resource_url": "https://example.com/guide.pdf",
            "cta_label": "Book a call",
            "cta_url": "https://example.com/call",
        },
    )
    response = client.post(MAGNETS, json=body, headers=headers)
    assert response.status_code == 201, response.text
    created = response.json()["data"]
    for name, value in body.items():
        if name != "hosted_page":
            assert created[name] == value, name
    page = created["hosted_page"]
    for name, value in body["hosted_page"].items():
        assert page[name] == value, name
    assert page["slug"] == "example-guide"
    assert page["published_at"] is not None and page["updated_at"] is None
    assert created["page_url"] == "http://testserver/m/example-guide"
    assert created["resource_link"] == created["page_url"]
    fetched = client.get(f"{MAGNETS}/{created['id']}", headers=headers).json()["data"]
    assert fetched == created


def test_the_list_is_paginated_natively(client: TestClient, headers: dict[str, str]) -> None:
    for keyword in ("ONE", "TWO", "THREE"):
        create(client, headers, keyword=keyword, hosted_page={"title": keyword})
    body = client.get(MAGNETS, params={"per_page": 2}, headers=headers).json()
    assert [magnet["keyword"] for magnet in body["data"]] == ["ONE", "TWO"]
    assert body["meta"]["total"] == 3 and body["meta"]["last_page"] == 2
    assert body["links"]["next"].endswith("page=2")


def test_hosted_content_needs_a_hosted_page(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post(MAGNETS, json=guide(hosted_page=None), headers=headers)
    assert list(errors_of(response)) == ["hosted_page"]


def test_gated_needs_a_hosted_page(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post(
        MAGNETS, json=guide(delivery_mode="gated", hosted_page=None), headers=headers
    )
    assert list(errors_of(response)) == ["hosted_page"]


def test_a_published_page_needs_content(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post(
        MAGNETS, json=guide(hosted_page={"markdown_content": "   "}), headers=headers
    )
    assert list(errors_of(response)) == ["hosted_page.markdown_content"]
    draft = guide(hosted_page={"markdown_content": None, "status": "draft"})
    assert client.post(MAGNETS, json=draft, headers=headers).status_code == 201


@pytest.mark.parametrize("mode", ["hosted_content", "gated"])
def test_the_template_must_carry_the_resource_link_unless_confirmed(
    client: TestClient, headers: dict[str, str], mode: str
) -> None:
    body = guide(delivery_mode=mode, text_template="Here is the guide!")
    assert list(errors_of(client.post(MAGNETS, json=body, headers=headers))) == ["text_template"]
    body["confirm_missing_magnet_url"] = True
    created = client.post(MAGNETS, json=body, headers=headers)
    assert created.status_code == 201, created.text
    assert created.json()["data"]["confirm_missing_magnet_url"] is True


def test_a_legacy_placeholder_needs_confirming(client: TestClient, headers: dict[str, str]) -> None:
    body = guide(text_template="Guide: {{resource_link}} (old: {{link}})")
    assert list(errors_of(client.post(MAGNETS, json=body, headers=headers))) == ["text_template"]
    body["confirm_legacy_placeholder"] = True
    assert client.post(MAGNETS, json=body, headers=headers).status_code == 201


def test_an_external_link_needs_no_page_but_a_url(
    client: TestClient, headers: dict[str, str]
) -> None:
    body = guide(
        delivery_mode="external_link", hosted_page=None, text_template="See {{resource_link}}"
    )
    assert list(errors_of(client.post(MAGNETS, json=body, headers=headers))) == [
        "external_resource_url"
    ]
    body["external_resource_url"] = "https://example.com/guide.pdf"
    created = client.post(MAGNETS, json=body, headers=headers)
    assert created.status_code == 201, created.text
    data = created.json()["data"]
    assert data["hosted_page"] is None and data["page_url"] is None
    assert data["resource_link"] == "https://example.com/guide.pdf"


def test_keywords_are_unique_regardless_of_case(
    client: TestClient, headers: dict[str, str]
) -> None:
    create(client, headers, keyword="Guide")
    response = client.post(MAGNETS, json=guide(keyword="gUIDE"), headers=headers)
    assert errors_of(response) == {"keyword": ["The keyword has already been taken."]}


def test_the_same_keyword_is_free_in_another_workspace(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    create(client, headers)
    other = {"Authorization": f"Bearer {make_key(db, make_workspace(db, 'other'))}"}
    second = create(client, other)
    # Slugs are public URLs: unique across workspaces.
    assert second["hosted_page"]["slug"] == "example-guide-2"


@pytest.mark.parametrize("keyword", ["", "two words", "x" * 51, "émoji", "a.b"])
def test_a_bad_keyword_is_refused(
    client: TestClient, headers: dict[str, str], keyword: str
) -> None:
    response = client.post(MAGNETS, json=guide(keyword=keyword), headers=headers)
    assert "keyword" in errors_of(response)


def test_urls_must_be_http(client: TestClient, headers: dict[str, str]) -> None:
    body = guide(hosted_page={"cta_url": "javascript:alert(1)", "cta_label": "Go"})
    assert "hosted_page.cta_url" in errors_of(client.post(MAGNETS, json=body, headers=headers))


def test_an_update_changes_only_what_is_sent_and_keeps_a_published_slug(
    client: TestClient, headers: dict[str, str]
) -> None:
    magnet = create(client, headers)
    response = client.patch(
        f"{MAGNETS}/{magnet['id']}",
        json={"description": "New", "hosted_page": {"title": "Renamed guide"}},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    updated = response.json()["data"]
    assert updated["description"] == "New" and updated["keyword"] == "GUIDE"
    assert updated["hosted_page"]["title"] == "Renamed guide"
    assert updated["hosted_page"]["slug"] == "example-guide"
    assert updated["hosted_page"]["updated_at"] is not None
    assert updated["hosted_page"]["markdown_content"].startswith("# Example Guide")


def test_a_draft_slug_follows_its_title(client: TestClient, headers: dict[str, str]) -> None:
    magnet = create(client, headers, hosted_page={"status": "draft"})
    response = client.put(
        f"{MAGNETS}/{magnet['id']}",
        json={"hosted_page": {"title": "Better title"}},
        headers=headers,
    )
    assert response.json()["data"]["hosted_page"]["slug"] == "better-title"
    assert response.json()["data"]["hosted_page"]["published_at"] is None


def test_an_update_that_breaks_a_rule_changes_nothing(
    client: TestClient, headers: dict[str, str]
) -> None:
    magnet = create(client, headers)
    response = client.patch(
        f"{MAGNETS}/{magnet['id']}",
        json={"description": "Changed", "hosted_page": None},
        headers=headers,
    )
    assert list(errors_of(response)) == ["hosted_page"]
    assert client.get(f"{MAGNETS}/{magnet['id']}", headers=headers).json()["data"] == magnet


def test_delete_removes_the_magnet(client: TestClient, headers: dict[str, str]) -> None:
    magnet = create(client, headers)
    assert client.delete(f"{MAGNETS}/{magnet['id']}", headers=headers).status_code == 204
    assert client.get(f"{MAGNETS}/{magnet['id']}", headers=headers).status_code == 404
    assert client.get("/m/example-guide").status_code == 404


def test_another_workspaces_magnet_is_not_found(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    magnet = create(client, headers)
    other = {"Authorization": f"Bearer {make_key(db, make_workspace(db, 'other'))}"}
    path = f"{MAGNETS}/{magnet['id']}"
    for method, extra in (("GET", {}), ("PATCH", {"json": {}}), ("DELETE", {})):
        response = client.request(method, path, headers=other, **extra)
        assert response.status_code == 404, method
        assert response.json()["code"] == "NOT_FOUND"
    assert client.get(f"{path}/analytics", headers=other).status_code == 404
    assert client.get(MAGNETS, headers=other).json()["data"] == []


@pytest.mark.parametrize(
    ("method", "suffix", "scope"),
    [
        ("GET", "", "read:lead_magnets"),
        ("POST", "", "write:lead_magnets"),
        ("GET", "/1", "read:lead_magnets"),
        ("PATCH", "/1", "write:lead_magnets"),
        ("DELETE", "/1", "delete:lead_magnets"),
        ("GET", "/1/analytics", "read:analytics"),
    ],
)
def test_each_route_needs_its_scope(
    client: TestClient, db: Database, workspace: Workspace, method: str, suffix: str, scope: str
) -> None:
    others = [s for s in ("read:lead_magnets", "write:lead_magnets", "read:leads") if s != scope]
    if scope == "delete:lead_magnets":
        others.remove("write:lead_magnets")  # write also allows deleting
    refused = {"Authorization": f"Bearer {make_key(db, workspace, scopes=others)}"}
    response = client.request(method, MAGNETS + suffix, headers=refused, json=guide())
    assert response.status_code == 403, response.text
    assert response.json()["code"] == "FORBIDDEN"
    admitted = {"Authorization": f"Bearer {make_key(db, workspace, scopes=[scope])}"}
    response = client.request(method, MAGNETS + suffix, headers=admitted, json=guide())
    assert response.status_code != 403, response.text
