"""An agency reaches a client only through an active grant, only within the grant's permissions,
and not at all once the grant is revoked: on every client route of the API surfaces, and on
every page of the web app while one of its people acts for the client.

In this module the agency G holds a grant on A (the seeded client), whose permissions each test
sets; the calls are the case tables' first case of each route, filled with A's records.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from leadhub.auth.scopes import ALL_SCOPES, satisfies
from leadhub.domains.grants import service as grants
from leadhub.models import AgencyGrant, ApiKey, User
from leadhub.surfaces.web import acting
from tests.conftest import BASE_URL
from tests.factories import make_key, make_workspace
from tests.isolation import calls
from tests.isolation.routes import LEADPANTHER, NATIVE, WEB, Operation, served_operations
from tests.isolation.table import Case, cases_of
from tests.isolation.test_cross_workspace import CASES
from tests.isolation.world import MISSING_ID, World
from tests.web.conftest import WebSession, make_member, sign_in

TWINS = [op for op in served_operations() if op.twin]
NO_GRANT = "no active grant"
# Routes that hand out the client's own access: no grant lets them through.
OWN_ACCESS = frozenset({"POST /api/v1/users"})
OWN_ACCESS_REFUSED = "cannot create or change the client's API keys or sign-ins"
OUTSIDE_GRANT = "grant on this client does not allow"
# Pages that only move a person between workspaces, or that no signed-in person reaches.
WEB_SKIPPED = frozenset({"/login", "/logout", "/switch", "/clients/act", "/clients/leave"})
WEB_PAGES = [
    op
    for op in served_operations()
    if op.surface == WEB and op.path not in WEB_SKIPPED and cases_of(CASES[op.key])
]


def set_grant(world: World, permissions: list[str]) -> None:
    """G's grant on A, active, with exactly these permissions."""
    with world.db.unit_of_work() as session:
        grants.create(
            session,
            agency_slug=world.agency.slug,
            client_slug=world.a.slug,
            permissions=permissions,
        )


def revoke_grant(world: World) -> None:
    with world.db.unit_of_work() as session:
        grant_id = grants.create(
            session, agency_slug=world.agency.slug, client_slug=world.a.slug
        ).id
        grants.revoke(session, grant_id)


def without(scopes: tuple[str, ...]) -> list[str]:
    """Every scope but those that would allow one of these."""
    return [
        scope
        for scope in ALL_SCOPES
        if not any(satisfies(frozenset({scope}), wanted) for wanted in scopes)
    ]


def as_client(world: World) -> calls.Caller:
    """The agency's key on A's client routes, where "own" records are A's."""
    own = {
        name.replace("a.", "b.", 1): value
        for name, value in world.values.items()
        if name.startswith("a.")
    }
    headers = {"Authorization": f"Bearer {world.agency_key}"}
    return calls.Caller(headers=headers, own=own, client_id=world.a.public_id)


def first_case(operation: Operation) -> Case:
    found = cases_of(CASES[operation.key])
    assert found, f"{operation} has no case"
    return found[0]


def refusal(operation: Operation, answer: calls.Answer) -> str:
    """The message of a 403 in the surface's envelope ('' when the answer is no 403)."""
    if answer.status != 403:
        return ""
    if operation.surface == WEB:
        return answer.text
    body = json.loads(answer.text)
    if operation.surface == NATIVE:
        assert body["code"] == "FORBIDDEN", body
        return str(body["message"])
    if operation.surface == LEADPANTHER:
        assert body["error"]["code"] == "forbidden", body
        return str(body["error"]["message"])
    return str(body["message"])


@pytest.mark.parametrize("operation", TWINS, ids=str)
def test_a_grant_reaches_a_client_only_within_its_permissions_and_while_active(
    world: World, operation: Operation
) -> None:
    assert operation.scopes, f"{operation} requires no scope: no grant could bound it"
    case = first_case(operation)
    caller = as_client(world)
    rendered = calls.render(world, caller, case, foreign=True)
    set_grant(world, without(operation.scopes))
    before = calls.snapshot(world.db, world.a.id)
    answer = calls.call(world, caller, operation, rendered)
    assert OUTSIDE_GRANT in refusal(operation, answer), calls.describe(answer)
    assert not calls.changes(before, calls.snapshot(world.db, world.a.id))
    # Granted exactly what it needs, the same route lets the key through (to a missing record,
    # so that nothing of A's changes).
    set_grant(world, list(operation.scopes))
    let_through = calls.call(
        world, caller, operation, calls.render(world, caller, case, foreign=False)
    )
    if operation.key in OWN_ACCESS:
        assert OWN_ACCESS_REFUSED in refusal(operation, let_through), calls.describe(let_through)
    else:
        assert let_through.status not in (401, 403), calls.describe(let_through)
    # Revoked, the grant reaches nothing from the next request on: as for a client never granted.
    revoke_grant(world)
    before = calls.snapshot(world.db, world.a.id)
    answer = calls.call(world, caller, operation, rendered)
    assert NO_GRANT in refusal(operation, answer), calls.describe(answer)
    unknown = calls.Caller(headers=caller.headers, own=caller.own, client_id="ws_0000dead")
    stranger = calls.call(world, unknown, operation, rendered)
    assert (answer.status, answer.text) == (stranger.status, stranger.text)
    assert not calls.changes(before, calls.snapshot(world.db, world.a.id))


# -- the web app: a person of the agency acting for the client -------------------------------


@pytest.fixture(scope="module")
def agency_person(world: World) -> WebSession:
    user_id = make_member(world.db, world.agency, "boss@agency.example", "owner", "Agency Boss")
    browser = world.client()
    return WebSession(browser, user_id, sign_in(browser, "boss@agency.example"))


def act_for_a(world: World, person: WebSession) -> None:
    acted = person.post("/clients/act", {"client_id": world.a.public_id})
    assert acted.status_code == 303, acted.text


def web_caller(world: World, person: WebSession) -> calls.Caller:
    return calls.Caller(headers={}, own=as_client(world).own, web=person)


@pytest.mark.parametrize("operation", WEB_PAGES, ids=str)
def test_acting_for_a_client_reaches_only_what_the_grant_allows_and_while_active(
    world: World, agency_person: WebSession, operation: Operation
) -> None:
    caller = web_caller(world, agency_person)
    rendered = calls.render(world, caller, first_case(operation), foreign=True)
    path = operation.path.format(**rendered.path)
    required = acting.required_scope(operation.method, path)
    set_grant(world, ["*"])
    act_for_a(world, agency_person)
    if required is not None:
        set_grant(world, without((required,)) if required else ["*"])
        before = calls.snapshot(world.db, world.a.id)
        answer = calls.call(world, caller, operation, rendered)
        assert answer.status == 403 and "you may not do this" in answer.text, calls.describe(answer)
        assert not calls.changes(before, calls.snapshot(world.db, world.a.id))
    # Revoked, the grant ends the acting at the next request: back in the agency, nothing done.
    revoke_grant(world)
    before = calls.snapshot(world.db, world.a.id)
    answer = calls.call(world, caller, operation, rendered)
    assert answer.status == 303 and answer.location == "/", calls.describe(answer)
    assert "Your access to that client has ended" in answer.text
    assert world.agency.slug in agency_person.get("/settings/workspace").text
    assert not calls.changes(before, calls.snapshot(world.db, world.a.id))


# -- no credentials of the client through a grant ---------------------------------------------


def _count(world: World, model: Any) -> int:
    with world.db.unit_of_work(write=False) as session:
        return int(session.scalar(select(func.count()).where(model.workspace_id == world.a.id)))


def test_a_grant_mints_no_key_of_the_client(world: World, agency_person: WebSession) -> None:
    """Keys of the client would outlive the grant and escape its permissions."""
    set_grant(world, ["*"])
    act_for_a(world, agency_person)
    keys = _count(world, ApiKey)
    made = agency_person.post(
        "/settings/api-keys", {"name": "agency's own", "scopes": "*", "rate_limit": "1000"}
    )
    assert made.status_code == 403, made.text
    revoked = agency_person.post(f"/settings/api-keys/{world.value('a.api_key')}/revoke")
    assert revoked.status_code == 403, revoked.text
    assert _count(world, ApiKey) == keys
    assert agency_person.get("/settings/api-keys").status_code == 200


def test_a_grant_makes_no_sign_in_of_the_client(world: World, agency_person: WebSession) -> None:
    """A user with a password (or a changed password or email) would let the agency sign in to
    the client's workspace, past the grant's permissions and after its revocation."""
    set_grant(world, ["*"])
    client = world.client()
    base = f"/api/v1/clients/{world.a.public_id}/users"
    headers = {"Authorization": f"Bearer {world.agency_key}"}
    users = _count(world, User)
    created = client.post(
        base,
        headers=headers,
        json={"name": "Agency", "email": "agency@agency.example", "password": "long-password-1"},
    )
    assert created.status_code == 403, created.text
    user = f"{base}/{world.value('a.user')}"
    for change in ({"password": "long-password-2"}, {"email": "agency@agency.example"}):
        refused = client.patch(user, headers=headers, json=change)
        assert refused.status_code == 403, refused.text
    assert client.patch(user, headers=headers, json={"name": "Renamed"}).status_code == 200
    act_for_a(world, agency_person)
    invited = agency_person.post(
        "/settings/users",
        {
            "name": "Agency",
            "email": "agency@agency.example",
            "role": "member",
            "password": "long-password-1",
        },
    )
    assert invited.status_code == 403, invited.text
    assert _count(world, User) == users


# -- another agency ---------------------------------------------------------------------------


def test_another_agency_reaches_nothing_of_the_client_nor_of_the_grant(world: World) -> None:
    set_grant(world, ["*"])
    other = make_workspace(world.db, "other-agency", agency=True)
    key = make_key(world.db, other)
    client = TestClient(world.app, base_url=BASE_URL)
    headers = {"Authorization": f"Bearer {key}"}
    refused = client.get(f"/api/v1/clients/{world.a.public_id}/leads", headers=headers)
    assert refused.status_code == 403 and NO_GRANT in refused.text
    listed = client.get("/api/v1/clients", headers=headers)
    assert listed.status_code == 200 and listed.json()["data"] == []
    person = make_member(world.db, other, "boss@other.example", "owner")
    browser = world.client()
    session = WebSession(browser, person, sign_in(browser, "boss@other.example"))
    with world.db.unit_of_work(write=False) as db_session:
        grant_id = db_session.scalar(
            select(AgencyGrant.id).where(
                AgencyGrant.workspace_id == world.agency.id,
                AgencyGrant.client_workspace_id == world.a.id,
            )
        )
    for answer in (
        session.get(f"/settings/clients/{grant_id}"),
        session.post(f"/settings/clients/{grant_id}", {"permissions": "*"}),
        session.post(f"/settings/clients/{grant_id}/revoke"),
        session.post(f"/settings/clients/{MISSING_ID}/revoke"),
    ):
        assert answer.status_code == 404, answer.text
    acted = session.post("/clients/act", {"client_id": world.a.public_id})
    assert acted.status_code == 403, acted.text
