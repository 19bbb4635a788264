"""Native API: a lead's tags, on create and update and through /leads/{id}/tags."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from leadhub.models import Tag
from tests.factories import Workspace, make_key, make_workspace
from tests.surfaces.native.lead_helpers import (
    LEADS,
    assert_error,
    assert_invalid,
    bearer,
    create_lead,
    get_lead,
    set_timestamps,
)


def _tag_names(db: Database, workspace: Workspace) -> list[str]:
    with db.unit_of_work(write=False) as session:
        tags = session.query(Tag).filter_by(workspace_id=workspace.id).all()
        return sorted(tag.name for tag in tags)


# -- tags on create and update -------------------------------------------------------------


def test_tags_are_created_on_first_use(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    lead = create_lead(client, headers, tags=["hot-lead", "enterprise"])
    assert sorted(lead["tags"]) == ["enterprise", "hot-lead"]
    assert _tag_names(db, workspace) == ["enterprise", "hot-lead"]


def test_tags_are_deduplicated_case_insensitively(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    lead = create_lead(client, headers, tags=["VIP", "vip", " Vip ", "other"])
    assert sorted(lead["tags"]) == ["VIP", "other"]
    assert _tag_names(db, workspace) == ["VIP", "other"]


def test_existing_tag_is_reused_whatever_its_case(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    create_lead(client, headers, first_name="A", tags=["Hot"])
    lead = create_lead(client, headers, first_name="B", tags=["HOT"])
    assert lead["tags"] == ["Hot"]
    assert _tag_names(db, workspace) == ["Hot"]


def test_tags_are_trimmed(client: TestClient, headers: dict[str, str]) -> None:
    assert create_lead(client, headers, tags=["  vip  "])["tags"] == ["vip"]


def test_blank_or_too_long_tag_is_422(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    for tags in (["ok", "  "], ["x" * 51]):
        response = client.post(LEADS, json={"first_name": "A", "tags": tags}, headers=headers)
        assert_invalid(response, "tags", "Each tag must be 1 to 50 characters.")
    assert _tag_names(db, workspace) == []


def test_tag_that_is_not_a_string_is_422(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post(LEADS, json={"first_name": "A", "tags": ["ok", 5]}, headers=headers)
    assert response.status_code == 422
    assert response.json()["code"] == "VALIDATION_FAILED"


def test_same_tag_name_in_two_workspaces_is_two_tags(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    other = make_workspace(db, "globex")
    create_lead(client, headers, tags=["vip"])
    create_lead(client, bearer(make_key(db, other)), tags=["VIP"])
    assert _tag_names(db, workspace) == ["vip"]
    assert _tag_names(db, other) == ["VIP"]


def test_update_tags_are_created_on_first_use(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    lead = create_lead(client, headers)
    client.patch(f"{LEADS}/{lead['id']}", json={"tags": ["new-one"]}, headers=headers)
    assert _tag_names(db, workspace) == ["new-one"]


def test_update_without_tags_keeps_them(client: TestClient, headers: dict[str, str]) -> None:
    lead = create_lead(client, headers, tags=["a", "b"])
    response = client.patch(f"{LEADS}/{lead['id']}", json={"notes": "x"}, headers=headers)
    assert sorted(response.json()["data"]["tags"]) == ["a", "b"]


# -- POST /leads/{id}/tags -----------------------------------------------------------------


def test_add_tag_answers_200_with_the_lead(client: TestClient, headers: dict[str, str]) -> None:
    lead = create_lead(client, headers, first_name="Sarah", tags=["a"])
    response = client.post(
        f"{LEADS}/{lead['id']}/tags", json={"tag": "vip-client"}, headers=headers
    )
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["id"] == lead["id"]
    assert data["first_name"] == "Sarah"
    assert sorted(data["tags"]) == ["a", "vip-client"]
    assert sorted(get_lead(client, headers, lead["id"])["tags"]) == ["a", "vip-client"]


def test_add_tag_creates_the_tag_on_first_use(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    lead = create_lead(client, headers)
    client.post(f"{LEADS}/{lead['id']}/tags", json={"tag": "vip-client"}, headers=headers)
    assert _tag_names(db, workspace) == ["vip-client"]


def test_add_tag_the_lead_already_has_is_no_duplicate(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    lead = create_lead(client, headers, tags=["VIP"])
    response = client.post(f"{LEADS}/{lead['id']}/tags", json={"tag": "vip"}, headers=headers)
    assert response.status_code == 200
    assert response.json()["data"]["tags"] == ["VIP"]
    assert _tag_names(db, workspace) == ["VIP"]


def test_add_tag_moves_updated_at_forward(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    lead = create_lead(client, headers)
    set_timestamps(db, lead["id"], created_at=datetime(2020, 1, 1, tzinfo=UTC))
    response = client.post(f"{LEADS}/{lead['id']}/tags", json={"tag": "vip"}, headers=headers)
    assert response.json()["data"]["updated_at"] > "2021"


def test_add_tag_without_tag_is_422(client: TestClient, headers: dict[str, str]) -> None:
    lead = create_lead(client, headers)
    response = client.post(f"{LEADS}/{lead['id']}/tags", json={}, headers=headers)
    assert_invalid(response, "tag", "The tag field is required.")


def test_add_tag_without_a_body_is_422(client: TestClient, headers: dict[str, str]) -> None:
    lead = create_lead(client, headers)
    response = client.post(f"{LEADS}/{lead['id']}/tags", headers=headers)
    assert response.status_code == 422
    assert response.json()["code"] == "VALIDATION_FAILED"


def test_add_blank_too_long_or_nul_tag_is_422(client: TestClient, headers: dict[str, str]) -> None:
    lead = create_lead(client, headers)
    for tag in ("   ", "x" * 51, "a\x00"):
        response = client.post(f"{LEADS}/{lead['id']}/tags", json={"tag": tag}, headers=headers)
        assert_invalid(response, "tag")
    assert get_lead(client, headers, lead["id"])["tags"] == []


def test_add_tag_that_is_not_a_string_is_422(client: TestClient, headers: dict[str, str]) -> None:
    lead = create_lead(client, headers)
    response = client.post(f"{LEADS}/{lead['id']}/tags", json={"tag": ["a"]}, headers=headers)
    assert_invalid(response, "tag", "The tag field must be a string.")


def test_add_tag_to_an_unknown_lead_is_404(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    response = client.post(f"{LEADS}/424242/tags", json={"tag": "vip"}, headers=headers)
    assert_error(response, 404, "NOT_FOUND")
    assert _tag_names(db, workspace) == []


# -- DELETE /leads/{id}/tags/{tag} ---------------------------------------------------------


def test_remove_tag_answers_200_with_the_lead_without_it(
    client: TestClient, headers: dict[str, str]
) -> None:
    lead = create_lead(client, headers, first_name="Sarah", tags=["vip", "keep"])
    response = client.delete(f"{LEADS}/{lead['id']}/tags/vip", headers=headers)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["id"] == lead["id"]
    assert data["first_name"] == "Sarah"
    assert data["tags"] == ["keep"]
    assert get_lead(client, headers, lead["id"])["tags"] == ["keep"]


def test_remove_tag_ignores_case(client: TestClient, headers: dict[str, str]) -> None:
    lead = create_lead(client, headers, tags=["VIP"])
    response = client.delete(f"{LEADS}/{lead['id']}/tags/vip", headers=headers)
    assert response.json()["data"]["tags"] == []


def test_remove_tag_with_a_space_in_its_name(client: TestClient, headers: dict[str, str]) -> None:
    lead = create_lead(client, headers, tags=["hot lead", "b"])
    response = client.delete(f"{LEADS}/{lead['id']}/tags/hot%20lead", headers=headers)
    assert response.json()["data"]["tags"] == ["b"]


def test_remove_tag_keeps_it_on_other_leads(client: TestClient, headers: dict[str, str]) -> None:
    first = create_lead(client, headers, first_name="A", tags=["vip"])
    second = create_lead(client, headers, first_name="B", tags=["vip"])
    client.delete(f"{LEADS}/{first['id']}/tags/vip", headers=headers)
    assert get_lead(client, headers, second["id"])["tags"] == ["vip"]


def test_remove_tag_the_lead_does_not_carry_is_200_unchanged(
    client: TestClient, headers: dict[str, str]
) -> None:
    lead = create_lead(client, headers, tags=["a"])
    create_lead(client, headers, first_name="Other", tags=["b"])
    for name in ("b", "never-made"):
        response = client.delete(f"{LEADS}/{lead['id']}/tags/{name}", headers=headers)
        assert response.status_code == 200
        assert response.json()["data"]["tags"] == ["a"]


def test_remove_tag_from_an_unknown_lead_is_404(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.delete(f"{LEADS}/424242/tags/vip", headers=headers)
    assert_error(response, 404, "NOT_FOUND")


def test_remove_tag_with_a_nul_character_is_422(
    client: TestClient, headers: dict[str, str]
) -> None:
    lead = create_lead(client, headers, tags=["a"])
    response = client.delete(f"{LEADS}/{lead['id']}/tags/a%00b", headers=headers)
    assert_invalid(response, "tag")
    assert get_lead(client, headers, lead["id"])["tags"] == ["a"]


def test_deleted_lead_s_tags_do_not_pass_to_a_new_lead(
    client: TestClient, headers: dict[str, str]
) -> None:
    lead = create_lead(client, headers, tags=["vip"])
    client.delete(f"{LEADS}/{lead['id']}", headers=headers)
    fresh = create_lead(client, headers)
    assert fresh["tags"] == []
    assert client.get(LEADS, params={"tag": "vip"}, headers=headers).json()["data"] == []


def test_a_tag_with_letters_beyond_ascii_is_added_found_and_filtered(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    """SQLite's lower() folds ASCII only: the tag is matched as the database's index compares
    names, never by Python's lowering against the database's (schemathesis found a 500)."""
    lead = create_lead(client, headers)
    for name in ("\u001fÏle", "Ïle", "ÏLE"):
        added = client.post(f"{LEADS}/{lead['id']}/tags", json={"tag": name}, headers=headers)
        assert added.status_code == 200, added.text
    assert _tag_names(db, workspace) == ["Ïle"]
    assert get_lead(client, headers, lead["id"])["tags"] == ["Ïle"]
    listed = client.get(LEADS, params={"tag": "ÏLE"}, headers=headers)
    assert [found["id"] for found in listed.json()["data"]] == [lead["id"]]
    other = create_lead(client, headers, tags=["ÏLE", "Ïle"])
    assert get_lead(client, headers, other["id"])["tags"] == ["Ïle"]
