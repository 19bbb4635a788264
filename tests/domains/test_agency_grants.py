"""An agency's key reaches a client only through an active grant, within the key's scopes and
the grant's permissions."""

from __future__ import annotations

import pytest

from leadhub.auth.principal import Principal
from leadhub.db.uow import Database
from leadhub.domains.grants import clients
from leadhub.domains.grants import service as grants
from leadhub.errors import Forbidden, Invalid, NotFound
from tests.factories import Workspace, make_user, make_workspace


def agency_key(agency: Workspace, *scopes: str, user_id: int | None = None) -> Principal:
    return Principal(
        workspace_id=agency.id,
        workspace_slug=agency.slug,
        scopes=frozenset(scopes or ("*",)),
        api_key_id=None if user_id else 1,
        user_id=user_id,
    )


def agency_admin(db: Database, agency: Workspace, client: Workspace) -> Principal:
    """An agency owner who is also an admin of the client workspace."""
    user_id = make_user(db, agency, "boss@agency.example", "owner")
    make_user(db, client, "boss@agency.example", "admin")
    return agency_key(agency, user_id=user_id)


@pytest.fixture
def agency(db: Database) -> Workspace:
    return make_workspace(db, "agency", agency=True)


@pytest.fixture
def client_ws(db: Database) -> Workspace:
    return make_workspace(db, "client-a")


def grant(db: Database, permissions: list[str]) -> int:
    with db.unit_of_work() as session:
        return grants.create(
            session, agency_slug="agency", client_slug="client-a", permissions=permissions
        ).id


def acting(db: Database, principal: Principal, client_id: str) -> Principal:
    with db.unit_of_work(write=False) as session:
        return clients.for_client(session, principal, client_id)


def test_an_active_grant_lends_the_client_workspace(
    db: Database, agency: Workspace, client_ws: Workspace
) -> None:
    grant_id = grant(db, ["leads:read", "posts:write"])
    lent = acting(db, agency_key(agency), client_ws.public_id)
    assert lent.workspace_id == client_ws.id and lent.workspace_slug == "client-a"
    assert lent.agency_workspace_id == agency.id and lent.grant_id == grant_id
    assert lent.allows("read:leads") and lent.allows("write:posts")
    assert not lent.allows("write:leads")
    with pytest.raises(Forbidden, match="grant on this client does not allow write:leads"):
        lent.require("write:leads")


def test_the_key_scopes_still_bound_what_the_grant_allows(
    db: Database, agency: Workspace, client_ws: Workspace
) -> None:
    grant(db, ["*"])
    lent = acting(db, agency_key(agency, "read:leads"), client_ws.public_id)
    assert lent.allows("read:leads")
    with pytest.raises(Forbidden, match="API key lacks the required scope: write:posts"):
        lent.require("write:posts")


def test_a_revoked_or_missing_grant_is_forbidden_alike(
    db: Database, agency: Workspace, client_ws: Workspace
) -> None:
    grant_id = grant(db, ["*"])
    with db.unit_of_work() as session:
        grants.revoke(session, grant_id)
    for client_id in (client_ws.public_id, "ws_doesnotexist"):
        with pytest.raises(Forbidden, match="no active grant"):
            acting(db, agency_key(agency), client_id)
    grant(db, ["*"])  # granting again re-activates it
    assert acting(db, agency_key(agency), client_ws.public_id).workspace_id == client_ws.id


def test_only_the_agency_holding_the_grant_reaches_the_client(
    db: Database, agency: Workspace, client_ws: Workspace
) -> None:
    grant(db, ["*"])
    other = make_workspace(db, "other-agency", agency=True)
    with pytest.raises(Forbidden):
        acting(db, agency_key(other), client_ws.public_id)
    lent = acting(db, agency_key(agency), client_ws.public_id)
    with pytest.raises(Forbidden, match="cannot be passed on"):
        acting(db, lent, client_ws.public_id)


def test_the_agency_lists_its_clients_with_their_grants(
    db: Database, agency: Workspace, client_ws: Workspace
) -> None:
    grant(db, ["leads:read"])
    make_workspace(db, "client-b")
    with db.unit_of_work() as session:
        grants.create(session, agency_slug="agency", client_slug="client-b", label="B")
    with db.unit_of_work(write=False) as session:
        first, more = clients.list_clients(session, agency_key(agency), limit=1, offset=0)
        rest, no_more = clients.list_clients(session, agency_key(agency), limit=1, offset=1)
        with pytest.raises(Forbidden):
            clients.list_clients(session, agency_key(agency, "read:leads"), limit=5, offset=0)
    assert [c.id for c in first] == [client_ws.public_id] and more is True
    assert first[0].grant.permissions == ["read:leads"] and first[0].grant.status == "active"
    assert [c.slug for c in rest] == ["client-b"] and no_more is False
    assert rest[0].grant.label == "B"


def test_only_an_agencys_managers_manage_its_grants(
    db: Database, agency: Workspace, client_ws: Workspace
) -> None:
    member = agency_key(agency, "read:clients", "read:leads")
    plain = make_workspace(db, "plain")
    boss = agency_admin(db, agency, client_ws)
    with db.unit_of_work() as session:
        with pytest.raises(Forbidden):
            grants.grant_client(session, member, client="client-a", permissions=["*"])
        with pytest.raises(Forbidden, match="Only an agency workspace"):
            grants.list_grants(session, agency_key(plain))
        made = grants.grant_client(
            session, boss, client=client_ws.public_id, permissions=["leads:read"]
        )
        lent = clients.for_client(session, agency_key(agency), client_ws.public_id)
        with pytest.raises(Forbidden, match="cannot be passed on"):
            grants.list_grants(session, lent)
    assert made.slug == "client-a" and made.grant.permissions == ["read:leads"]
    assert made.grant.label == "client-a"


def test_grants_are_changed_and_revoked_within_the_agency_only(
    db: Database, agency: Workspace, client_ws: Workspace
) -> None:
    grant_id = grant(db, ["*"])
    rival = make_workspace(db, "rival", agency=True)
    with db.unit_of_work() as session:
        with pytest.raises(NotFound):
            grants.update_grant(session, agency_key(rival), grant_id, permissions=["*"])
        with pytest.raises(NotFound):
            grants.revoke_grant(session, agency_key(rival), grant_id)
        with pytest.raises(Invalid) as refused:
            grants.update_grant(session, agency_key(agency), grant_id, permissions=["nope"])
        assert list(refused.value.fields) == ["permissions"]
        changed = grants.update_grant(
            session, agency_key(agency), grant_id, permissions=["read:leads"], label="Acme"
        )
        revoked = grants.revoke_grant(session, agency_key(agency), grant_id)
    assert changed.grant.label == "Acme" and changed.grant.permissions == ["read:leads"]
    assert revoked.grant.status == "revoked" and revoked.grant.revoked_at is not None
    with pytest.raises(Forbidden):
        acting(db, agency_key(agency), client_ws.public_id)


def test_only_a_person_who_administers_the_client_may_grant_it(
    db: Database, agency: Workspace, client_ws: Workspace
) -> None:
    owner_id = make_user(db, agency, "owner@agency.example", "owner")
    make_user(db, client_ws, "owner@agency.example", "member")
    for principal in (agency_key(agency), agency_key(agency, user_id=owner_id)):
        with db.unit_of_work() as session, pytest.raises(Invalid) as refused:
            grants.grant_client(session, principal, client="client-a", permissions=["*"])
        assert refused.value.fields == {"client": ["No workspace has this slug or id."]}
