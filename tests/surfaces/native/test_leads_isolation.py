"""Native API: a key never reaches another workspace's leads (404, never 403)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from leadhub.models import Tag
from tests.factories import Workspace, default_pipeline, make_key, make_lead, make_workspace
from tests.surfaces.native.lead_helpers import (
    LEADS,
    assert_error,
    bearer,
    count_leads,
    get_lead,
    listed_ids,
)

# Every route that names one lead, with a body that would change it.
LEAD_ROUTES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "", None),
    ("PUT", "", {"first_name": "Hacked", "tags": ["pwned"]}),
    ("PATCH", "", {"first_name": "Hacked", "custom_fields": {"a": None}}),
    ("DELETE", "", None),
    ("POST", "/tags", {"tag": "pwned"}),
    ("DELETE", "/tags/vip", None),
]


def _tag_count(db: Database, workspace: Workspace) -> int:
    with db.unit_of_work(write=False) as session:
        return session.query(Tag).filter_by(workspace_id=workspace.id).count()


@pytest.fixture
def other(db: Database) -> Workspace:
    return make_workspace(db, "globex")


@pytest.fixture
def other_headers(db: Database, other: Workspace) -> dict[str, str]:
    return bearer(make_key(db, other))


@pytest.fixture
def lead_of_a(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> dict[str, Any]:
    lead_id = make_lead(
        db,
        workspace,
        first_name="Sarah",
        email="sarah@acme.example",
        tags=["vip"],
        custom_fields={"a": 1},
    )
    return get_lead(client, headers, lead_id)


@pytest.mark.parametrize(("method", "suffix", "body"), LEAD_ROUTES)
def test_another_workspace_s_lead_is_404_and_unchanged(
    client: TestClient,
    headers: dict[str, str],
    other_headers: dict[str, str],
    db: Database,
    other: Workspace,
    lead_of_a: dict[str, Any],
    method: str,
    suffix: str,
    body: dict[str, Any] | None,
) -> None:
    response = client.request(
        method, f"{LEADS}/{lead_of_a['id']}{suffix}", json=body, headers=other_headers
    )
    assert_error(response, 404, "NOT_FOUND")
    assert get_lead(client, headers, lead_of_a["id"]) == lead_of_a
    assert _tag_count(db, other) == 0


def test_another_workspace_s_lead_answers_like_a_missing_one(
    client: TestClient, other_headers: dict[str, str], lead_of_a: dict[str, Any]
) -> None:
    foreign = client.get(f"{LEADS}/{lead_of_a['id']}", headers=other_headers)
    missing = client.get(f"{LEADS}/424242", headers=other_headers)
    assert foreign.json() == missing.json()


def test_list_never_shows_another_workspace_s_leads(
    client: TestClient,
    headers: dict[str, str],
    other_headers: dict[str, str],
    db: Database,
    workspace: Workspace,
    other: Workspace,
) -> None:
    mine = make_lead(db, workspace, first_name="Sarah", tags=["vip"])
    theirs = make_lead(db, other, first_name="Sarah", tags=["vip"])
    assert listed_ids(client.get(LEADS, headers=headers)) == [mine]
    assert listed_ids(client.get(LEADS, headers=other_headers)) == [theirs]
    assert client.get(LEADS, headers=headers).json()["meta"]["total"] == 1


def test_list_filters_never_reach_another_workspace(
    client: TestClient, other_headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    make_lead(db, workspace, first_name="Sarah", email="sarah@acme.example", tags=["vip"])
    for params in ({"search": "sarah"}, {"tag": "vip"}, {"source": "api"}, {"status": "new"}):
        assert listed_ids(client.get(LEADS, params=params, headers=other_headers)) == []


def test_filter_on_another_workspace_s_pipeline_finds_nothing(
    client: TestClient,
    other_headers: dict[str, str],
    db: Database,
    workspace: Workspace,
) -> None:
    pipeline_id, stages = default_pipeline(db, workspace)
    make_lead(db, workspace, pipeline_stage_id=stages[0])
    assert (
        listed_ids(client.get(LEADS, params={"pipeline_id": pipeline_id}, headers=other_headers))
        == []
    )
    assert (
        listed_ids(client.get(LEADS, params={"stage_id": stages[0]}, headers=other_headers)) == []
    )


def test_create_with_another_key_lands_in_that_key_s_workspace(
    client: TestClient,
    other_headers: dict[str, str],
    db: Database,
    workspace: Workspace,
    other: Workspace,
) -> None:
    response = client.post(LEADS, json={"first_name": "Bob"}, headers=other_headers)
    assert response.status_code == 201
    assert count_leads(db, workspace) == 0
    assert count_leads(db, other) == 1


def test_delete_by_another_workspace_keeps_the_lead(
    client: TestClient,
    other_headers: dict[str, str],
    db: Database,
    workspace: Workspace,
    lead_of_a: dict[str, Any],
) -> None:
    client.delete(f"{LEADS}/{lead_of_a['id']}", headers=other_headers)
    assert count_leads(db, workspace) == 1
