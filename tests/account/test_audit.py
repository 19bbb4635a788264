"""Every account action leaves one audit entry, written with the action, naming who did it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from leadhub.auth.principal import Principal
from leadhub.db.uow import Database
from leadhub.domains.account import service as account
from leadhub.domains.apikeys import service as apikeys
from leadhub.domains.audit import service as audit
from leadhub.domains.grants import service as grants
from leadhub.domains.users import service as users
from leadhub.domains.users.schemas import UserUpdate
from leadhub.domains.workspaces import service as workspaces
from leadhub.domains.workspaces.service import WorkspaceUpdate
from leadhub.errors import Invalid
from leadhub.kit.clock import utcnow
from leadhub.kit.pagination import PageRequest
from leadhub.models import AuditEntry
from tests.account.helpers import actions, activity, only
from tests.factories import Workspace, make_user, make_workspace


def person(workspace: Workspace, user_id: int) -> Principal:
    return Principal(
        workspace_id=workspace.id,
        workspace_slug=workspace.slug,
        scopes=frozenset({"*"}),
        user_id=user_id,
    )


def key_id_of(client: TestClient, headers: dict[str, str]) -> int:
    key_id: int = client.get("/api/v1/me", headers=headers).json()["data"]["api_key_id"]
    return key_id


def test_keys_made_and_revoked_are_noted_with_who_did_it(
    db: Database, workspace: Workspace
) -> None:
    owner = make_user(db, workspace, "owner@example.com", "owner")
    with db.unit_of_work() as session:
        made = apikeys.create_key(
            session, person(workspace, owner), name="Zapier", scopes=["read:leads"], rate_limit=50
        )
        apikeys.revoke(session, person(workspace, owner), made.record.id)
    created = only(db, workspace, "api_key.created")
    assert created.actor.model_dump() == {"type": "user", "id": owner, "name": "owner@example.com"}
    assert created.target is not None and created.target.id == str(made.record.id)
    assert created.details == {"name": "Zapier", "scopes": ["read:leads"], "rate_limit": 50}
    revoked = only(db, workspace, "api_key.revoked")
    assert revoked.actor.id == owner and revoked.details == {"name": "Zapier"}


def test_a_key_made_from_the_command_line_is_the_systems_doing(
    db: Database, workspace: Workspace
) -> None:
    with db.unit_of_work() as session:
        apikeys.create(session, workspace.id, name="cli")
    entry = only(db, workspace, "api_key.created")
    assert entry.actor.model_dump() == {"type": "system", "id": None, "name": None}


def test_people_invited_changed_and_removed_through_the_api_name_the_key(
    client: TestClient, db: Database, workspace: Workspace, headers: dict[str, str]
) -> None:
    make_user(db, workspace, "owner@example.com", "owner")
    body = {"name": "Sam", "email": "sam@example.com", "password": "long-enough"}
    sam = client.post("/api/v1/users", json=body, headers=headers).json()["data"]["id"]
    client.patch(f"/api/v1/users/{sam}", json={"role": "admin"}, headers=headers)
    client.patch(f"/api/v1/users/{sam}", json={"is_active": False}, headers=headers)
    assert client.delete(f"/api/v1/users/{sam}", headers=headers).status_code == 204
    key_id = key_id_of(client, headers)
    wanted = ["user.removed", "user.deactivated", "user.role_changed", "user.invited"]
    about_sam = {"type": "user", "id": str(sam)}
    found = [
        entry
        for entry in activity(db, workspace, "user")
        if entry.target and entry.target.model_dump() == about_sam
    ]
    assert [entry.action for entry in found] == wanted
    assert {(entry.actor.type, entry.actor.id) for entry in found} == {("api_key", key_id)}
    assert found[2].details == {"email": "sam@example.com", "from": "member", "to": "admin"}
    assert found[0].details["email"] == "sam@example.com"


def test_a_change_that_is_refused_leaves_no_entry(db: Database, workspace: Workspace) -> None:
    owner = make_user(db, workspace, "owner@example.com", "owner")
    last_owner_demoted = UserUpdate(role="member")
    with pytest.raises(Invalid), db.unit_of_work() as session:
        users.update_user(session, person(workspace, owner), owner, data=last_owner_demoted)
    assert "user.role_changed" not in actions(db, workspace)


def test_grants_are_noted_in_the_agency_and_in_the_client(db: Database) -> None:
    agency = make_workspace(db, "agency", agency=True)
    client_ws = make_workspace(db, "client-a")
    boss = make_user(db, agency, "boss@agency.example", "owner")
    make_user(db, client_ws, "boss@agency.example", "admin")
    with db.unit_of_work() as session:
        found = grants.grant_client(
            session, person(agency, boss), client="client-a", permissions=["read:leads"]
        )
        grants.revoke_grant(session, person(agency, boss), int(found.grant.id))
    for workspace in (agency, client_ws):
        created = only(db, workspace, "grant.created")
        assert (created.actor.type, created.actor.id) == ("user", boss)
        assert created.details["permissions"] == ["read:leads"]
        assert only(db, workspace, "grant.revoked").actor.id == boss


def test_grants_from_the_command_line_are_the_systems_doing(db: Database) -> None:
    agency = make_workspace(db, "agency", agency=True)
    client_ws = make_workspace(db, "client-a")
    with db.unit_of_work() as session:
        grant = grants.create(session, agency_slug="agency", client_slug="client-a")
        grants.revoke(session, grant.id)
    assert only(db, client_ws, "grant.created").actor.type == "system"
    assert only(db, agency, "grant.revoked").actor.type == "system"


def test_lists_created_renamed_and_deleted(
    client: TestClient, db: Database, workspace: Workspace, headers: dict[str, str]
) -> None:
    list_id = client.post("/api/v1/lists", json={"name": "Hot"}, headers=headers).json()["data"][
        "id"
    ]
    client.patch(f"/api/v1/lists/{list_id}", json={"description": "only a note"}, headers=headers)
    client.patch(f"/api/v1/lists/{list_id}", json={"name": "Warm"}, headers=headers)
    client.delete(f"/api/v1/lists/{list_id}", headers=headers)
    found = activity(db, workspace, "list")
    assert [entry.action for entry in found] == ["list.deleted", "list.renamed", "list.created"]
    assert found[1].details == {"from": "Hot", "to": "Warm"}
    assert found[0].details == {"name": "Warm"}
    assert {entry.actor.id for entry in found} == {key_id_of(client, headers)}


def test_credits_added_and_the_quota_set(db: Database, workspace: Workspace) -> None:
    with db.unit_of_work() as session:
        assert account.add_credits(session, workspace.id, 500, reason="welcome") == 500
        account.set_quota(session, workspace.id, 1000)
        account.set_quota(session, workspace.id, 1000)  # unchanged: nothing to note
        account.set_quota(session, workspace.id, None)
    added = only(db, workspace, "credits.added")
    assert added.actor.type == "system"
    assert added.details == {"amount": 500, "reason": "welcome", "credits_left": 500}
    quota = activity(db, workspace, "workspace.quota_changed")
    assert [entry.details for entry in quota] == [
        {"from": 1000, "to": None},
        {"from": None, "to": 1000},
    ]


def test_workspace_settings_changed(db: Database, workspace: Workspace) -> None:
    owner = make_user(db, workspace, "owner@example.com", "owner")
    data = WorkspaceUpdate(name="Acme Inc", address="1 Main St", phone="+1 415 555 2671")
    with db.unit_of_work() as session:
        saved = workspaces.update(session, person(workspace, owner), data=data)
    assert saved.phone == "+14155552671"
    entry = only(db, workspace, "workspace.updated")
    assert entry.actor.id == owner
    assert entry.details["changes"] == {
        "name": {"from": "acme", "to": "Acme Inc"},
        "address": {"from": None, "to": "1 Main St"},
        "phone": {"from": None, "to": "+14155552671"},
    }


def test_the_listing_is_newest_first_paged_and_filtered(db: Database, workspace: Workspace) -> None:
    with db.unit_of_work() as session:
        for amount in (1, 2, 3):
            account.add_credits(session, workspace.id, amount)
        apikeys.create(session, workspace.id, name="k")
        old = utcnow() - timedelta(days=40)
        session.execute(
            update(AuditEntry)
            .where(
                AuditEntry.workspace_id == workspace.id,
                AuditEntry.details["amount"].as_integer() == 1,
            )
            .values(created_at=old)
        )
    with db.unit_of_work(write=False) as session:
        principal = workspace.principal()
        first = audit.list_entries(session, principal, page=PageRequest(1, 2))
        second = audit.list_entries(session, principal, page=PageRequest(2, 2))
        exact = audit.list_entries(
            session, principal, page=PageRequest(1, 10), action="credits.added"
        )
        family = audit.list_entries(session, principal, page=PageRequest(1, 10), action="api_key")
        recent = audit.list_entries(
            session, principal, page=PageRequest(1, 10), since=utcnow() - timedelta(days=1)
        )
        older = audit.list_entries(
            session, principal, page=PageRequest(1, 10), until=utcnow() - timedelta(days=30)
        )
    assert first.total == 4 and [e.action for e in first.items] == [
        "api_key.created",
        "credits.added",
    ]
    assert [e.details.get("amount") for e in second.items] == [2, 1]
    assert exact.total == 3 and family.total == 1
    assert recent.total == 3
    assert [e.details["amount"] for e in older.items] == [1]


def test_another_workspaces_activity_is_never_listed(db: Database, workspace: Workspace) -> None:
    other = make_workspace(db, "globex")
    with db.unit_of_work() as session:
        account.add_credits(session, other.id, 10)
    assert activity(db, workspace) == []
    assert actions(db, other) == ["credits.added"]
