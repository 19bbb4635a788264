"""Agencies in the web app: grants managed under Settings → Clients, and acting for a client."""

from __future__ import annotations

import json
from base64 import b64decode, b64encode
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner
from sqlalchemy import select

from leadhub.config import Settings
from leadhub.db.uow import Database
from leadhub.domains.grants import service as grants
from leadhub.models import AgencyGrant
from leadhub.surfaces.web.app import SESSION_COOKIE
from tests.factories import Workspace, make_lead, make_user, make_workspace
from tests.web.conftest import WebSession, make_member, sign_in


@pytest.fixture
def agency(db: Database) -> Workspace:
    return make_workspace(db, "agency", agency=True)


@pytest.fixture
def client_ws(db: Database) -> Workspace:
    return make_workspace(db, "client-a")


def _signed_in(
    app: FastAPI, db: Database, workspace: Workspace, email: str, role: str
) -> WebSession:
    browser = TestClient(app, base_url="http://testserver")
    user_id = make_member(db, workspace, email, role, role.capitalize())
    return WebSession(browser, user_id, sign_in(browser, email))


@pytest.fixture
def boss(app: FastAPI, db: Database, agency: Workspace, client_ws: Workspace) -> WebSession:
    # The agency's owner was invited as an admin of the client: only then may they grant access.
    make_user(db, client_ws, "boss@agency.example", "admin")
    return _signed_in(app, db, agency, "boss@agency.example", "owner")


@pytest.fixture
def staff(app: FastAPI, db: Database, agency: Workspace) -> WebSession:
    return _signed_in(app, db, agency, "staff@agency.example", "member")


def _grant(db: Database, permissions: list[str], client: str = "client-a") -> int:
    with db.unit_of_work() as session:
        return grants.create(
            session, agency_slug="agency", client_slug=client, permissions=permissions
        ).id


def _stored(db: Database, agency: Workspace) -> list[AgencyGrant]:
    with db.unit_of_work(write=False) as session:
        statement = select(AgencyGrant).where(AgencyGrant.workspace_id == agency.id)
        return list(session.scalars(statement))


def _act(web: WebSession, client: Workspace) -> None:
    response = web.post("/clients/act", {"client_id": client.public_id})
    assert response.status_code == 303, response.text


def test_admins_add_edit_and_revoke_grants_on_the_clients_page(
    boss: WebSession, db: Database, agency: Workspace, client_ws: Workspace
) -> None:
    assert 'href="/settings/clients"' in boss.get("/settings").text
    response = boss.post(
        "/settings/clients",
        {
            "client": "client-a",
            "label": "Acme account",
            "permissions": ["read:leads", "leads:write"],
        },
    )
    assert response.status_code == 303
    page = boss.get("/settings/clients").text
    assert "The agency can now act for client-a." in page
    assert "Acme account" in page and "read:leads" in page and "write:leads" in page
    (stored,) = _stored(db, agency)
    assert stored.client_workspace_id == client_ws.id and stored.status == "active"

    edit = boss.get(f"/settings/clients/{stored.id}").text
    assert 'value="read:leads" checked' in edit and 'value="write:posts" >' in edit
    saved = boss.post(f"/settings/clients/{stored.id}", {"label": "", "permissions": ["*"]})
    assert saved.status_code == 303
    assert "Full access" in boss.get("/settings/clients").text

    revoked = boss.post(f"/settings/clients/{stored.id}/revoke")
    assert revoked.status_code == 303
    page = boss.get("/settings/clients").text
    assert "The grant on client-a is revoked." in page and "Revoked" in page
    (stored,) = _stored(db, agency)
    assert stored.status == "revoked" and stored.permissions == ["*"]
    assert stored.label == "client-a"  # a blank label reads as the client's name

    again = boss.post("/settings/clients", {"client": client_ws.public_id, "permissions": ["*"]})
    assert again.status_code == 303
    (stored,) = _stored(db, agency)  # the same grant, active again
    assert stored.status == "active"


def test_only_a_client_the_person_administers_can_be_granted(
    boss: WebSession, db: Database, agency: Workspace
) -> None:
    stranger = make_workspace(db, "stranger")
    refused = boss.post("/settings/clients", {"client": stranger.slug, "permissions": ["*"]})
    assert refused.status_code == 422
    assert "No workspace has this slug or id." in refused.text
    make_user(db, stranger, "boss@agency.example", "member")
    still = boss.post("/settings/clients", {"client": stranger.public_id, "permissions": ["*"]})
    assert still.status_code == 422
    assert _stored(db, agency) == []


def test_invalid_grants_are_refused_beside_their_fields(
    boss: WebSession, db: Database, agency: Workspace, client_ws: Workspace
) -> None:
    blank = boss.post("/settings/clients", {"client": "", "label": "x" * 201})
    assert blank.status_code == 422
    assert 'id="e-client">The client field is required.' in blank.text
    assert 'id="e-permissions">Choose at least one permission.' in blank.text
    assert 'id="e-label">The label may not be greater than 200 characters.' in blank.text
    unknown = boss.post("/settings/clients", {"client": "nobody", "permissions": ["read:magic"]})
    assert 'id="e-client">No workspace has this slug or id.' in unknown.text
    assert 'id="e-permissions">Unknown scope' in unknown.text
    assert 'value="nobody"' in unknown.text  # the values are kept
    itself = boss.post("/settings/clients", {"client": "agency", "permissions": ["*"]})
    assert 'id="e-client">An agency cannot hold a grant on itself.' in itself.text
    assert _stored(db, agency) == []
    grant_id = _grant(db, ["read:leads"])
    emptied = boss.post(f"/settings/clients/{grant_id}", {"label": "Still", "permissions": []})
    assert emptied.status_code == 422
    assert 'id="e-permissions">Choose at least one permission.' in emptied.text
    assert _stored(db, agency)[0].permissions == ["read:leads"]


def test_a_workspace_that_is_not_an_agency_has_no_clients_page(
    owner: WebSession, client_ws: Workspace
) -> None:
    assert "/settings/clients" not in owner.get("/settings").text
    assert owner.get("/settings/clients").status_code == 403
    refused = owner.post("/settings/clients", {"client": "client-a", "permissions": ["*"]})
    assert refused.status_code == 403
    assert 'name="client_id"' not in owner.get("/").text  # no client switcher either


def test_members_cannot_manage_grants(
    staff: WebSession, db: Database, agency: Workspace, client_ws: Workspace
) -> None:
    grant_id = _grant(db, ["*"])
    assert "/settings/clients" not in staff.get("/settings").text
    assert staff.get("/settings/clients").status_code == 403
    assert staff.post("/settings/clients", {"client": "client-a"}).status_code == 403
    assert staff.post(f"/settings/clients/{grant_id}/revoke").status_code == 403
    assert _stored(db, agency)[0].status == "active"


def test_another_agencys_grant_is_not_found(
    boss: WebSession, db: Database, client_ws: Workspace
) -> None:
    make_workspace(db, "rivals", agency=True)
    with db.unit_of_work() as session:
        theirs = grants.create(session, agency_slug="rivals", client_slug="client-a").id
    assert boss.get(f"/settings/clients/{theirs}").status_code == 404
    assert boss.post(f"/settings/clients/{theirs}/revoke").status_code == 404
    assert boss.post(f"/settings/clients/{theirs}", {"permissions": ["*"]}).status_code == 404
    assert "client-a" not in boss.get("/settings/clients").text


def test_acting_for_a_client_works_on_its_leads_and_back(
    boss: WebSession, db: Database, agency: Workspace, client_ws: Workspace
) -> None:
    make_lead(db, agency, first_name="Agencylead")
    make_lead(db, client_ws, first_name="Clientlead")
    _grant(db, ["*"])
    home = boss.get("/").text
    assert f'<option value="{client_ws.public_id}" >client-a</option>' in home
    _act(boss, client_ws)
    dashboard = boss.get("/").text
    assert "Acting for <strong>client-a</strong>" in dashboard
    assert "Back to agency" in dashboard and "You are acting for client-a." in dashboard
    leads = boss.get("/leads").text
    assert "Clientlead" in leads and "Agencylead" not in leads
    created = boss.post("/leads/new", {"first_name": "Madeforclient"})
    assert created.status_code == 303
    assert "Madeforclient" in boss.get("/leads").text
    assert boss.post("/clients/leave").status_code == 303
    back = boss.get("/leads").text
    assert "You are back in agency." in back and "Acting for" not in back
    assert "Agencylead" in back and "Clientlead" not in back and "Madeforclient" not in back


def test_the_grant_and_the_members_role_both_bound_what_acting_may_do(
    staff: WebSession, boss: WebSession, db: Database, client_ws: Workspace
) -> None:
    make_lead(db, client_ws, first_name="Clientlead")
    _grant(db, ["read:leads"])
    _act(staff, client_ws)
    leads = staff.get("/leads")
    assert leads.status_code == 200 and "Clientlead" in leads.text
    assert "+ New lead" not in leads.text
    assert 'href="/pipelines"' not in leads.text  # the grant does not reach pipelines
    refused = staff.post("/leads/new", {"first_name": "Nope"})
    assert refused.status_code == 403 and "Acting for client-a, you may not do this" in refused.text
    assert staff.get("/pipelines").status_code == 403
    assert "Nope" not in staff.get("/leads").text
    # An admin acting through the same grant is bounded by it too: no keys, no people.
    _act(boss, client_ws)
    assert boss.get("/settings/api-keys").status_code == 403
    assert boss.get("/settings/users").status_code == 403
    assert "/settings/api-keys" not in boss.get("/settings").text


def test_a_members_own_role_still_applies_under_a_full_grant(
    staff: WebSession, db: Database, client_ws: Workspace
) -> None:
    _grant(db, ["*"])
    _act(staff, client_ws)
    assert staff.get("/leads").status_code == 200
    assert staff.get("/settings/api-keys").status_code == 403
    assert staff.get("/webhooks").status_code == 403


def test_revoking_the_grant_ends_the_acting_at_the_next_request(
    boss: WebSession, db: Database, agency: Workspace, client_ws: Workspace
) -> None:
    make_lead(db, agency, first_name="Agencylead")
    grant_id = _grant(db, ["*"])
    _act(boss, client_ws)
    with db.unit_of_work() as session:
        grants.revoke(session, grant_id)
    ended = boss.get("/leads", follow_redirects=False)
    assert ended.status_code == 303 and ended.headers["location"] == "/"
    page = boss.get("/").text
    assert "Your access to that client has ended; you are back in agency." in page
    assert "Acting for" not in page
    assert "Agencylead" in boss.get("/leads").text


def _forge(web: WebSession, settings: Settings, **changes: Any) -> None:
    """Rewrite the signed session cookie as someone holding the secret key could."""
    signer = TimestampSigner(settings.effective_secret_key())
    cookie = next(c for c in web.client.cookies.jar if c.name == SESSION_COOKIE)
    data = json.loads(b64decode(signer.unsign(cookie.value or "")))
    data.update(changes)
    value = signer.sign(b64encode(json.dumps(data).encode())).decode()
    web.client.cookies.jar.clear(cookie.domain, cookie.path, cookie.name)
    web.client.cookies.set(SESSION_COOKIE, value, domain=cookie.domain, path=cookie.path)


def test_a_client_without_a_grant_is_refused_even_from_a_forged_session(
    boss: WebSession, settings: Settings, db: Database, agency: Workspace, client_ws: Workspace
) -> None:
    stranger = make_workspace(db, "stranger")
    make_lead(db, stranger, first_name="Secretlead")
    _grant(db, ["*"])  # on client-a only
    refused = boss.post("/clients/act", {"client_id": stranger.public_id})
    assert refused.status_code == 403
    assert "Acting for" not in boss.get("/").text
    _forge(boss, settings, acting=stranger.public_id)
    forged = boss.get("/leads", follow_redirects=False)
    assert forged.status_code == 303
    page = boss.get("/leads").text
    assert "Secretlead" not in page and "Acting for" not in page
    assert "Your access to that client has ended" in page


def test_people_outside_an_agency_cannot_act_for_a_client(
    owner: WebSession, settings: Settings, client_ws: Workspace
) -> None:
    assert owner.post("/clients/act", {"client_id": client_ws.public_id}).status_code == 403
    _forge(owner, settings, acting=client_ws.public_id)
    assert owner.get("/leads", follow_redirects=False).status_code == 303
    assert "Acting for" not in owner.get("/leads").text
