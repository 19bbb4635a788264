"""CSRF: every route of the web app that changes state (POST, PUT, PATCH, DELETE) refuses a
request without this session's token: none, a wrong one, or another session's, in the form or in
the X-CSRF-Token header; the same request with the token goes through."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from leadhub.models import Tag
from tests.conftest import BASE_URL
from tests.factories import Workspace
from tests.security.policies import assert_not_frameable, web_operations
from tests.web.conftest import WebSession, csrf_of, make_member, sign_in

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
REFUSED = "This form has expired. Reload the page and try again."


def tags(db: Database, workspace: Workspace) -> list[str]:
    with db.unit_of_work(write=False) as session:
        return [tag.name for tag in session.query(Tag).filter_by(workspace_id=workspace.id)]


def test_every_state_changing_route_refuses_a_request_without_the_token(
    app: FastAPI, owner: WebSession, member: WebSession
) -> None:
    operations = [op for op in web_operations(app) if op.method in UNSAFE]
    assert len(operations) > 70
    forged = {
        "no token": ({"name": "x"}, {}),
        "a wrong token": ({"name": "x", "csrf_token": "forged-" + owner.csrf[7:]}, {}),
        "another session's token": ({"name": "x", "csrf_token": member.csrf}, {}),
        "a wrong header": ({"name": "x"}, {"X-CSRF-Token": member.csrf}),
        "an empty token": ({"name": "x", "csrf_token": ""}, {}),
    }
    assert member.csrf != owner.csrf
    for op in operations:
        for what, (form, headers) in forged.items():
            response = owner.client.request(
                op.method, op.example_path(), data=form, headers=headers, follow_redirects=False
            )
            assert response.status_code == 403, f"{op} with {what}: {response.status_code}"
            assert REFUSED in response.text, f"{op} with {what}"
            assert_not_frameable(response)
        json_answer = owner.client.request(
            op.method, op.example_path(), json={"name": "x"}, follow_redirects=False
        )
        assert json_answer.status_code == 403, f"{op} with a JSON body and no header"


def test_a_refused_request_changes_nothing_and_the_token_lets_it_through(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    refused = owner.client.post("/settings/tags", data={"name": "Hot"}, follow_redirects=False)
    assert refused.status_code == 403 and tags(db, workspace) == []
    in_header = owner.client.post(
        "/settings/tags",
        data={"name": "Warm"},
        headers={"X-CSRF-Token": owner.csrf},
        follow_redirects=False,
    )
    assert in_header.status_code == 303
    assert owner.post("/settings/tags", {"name": "Hot"}).status_code == 303
    assert sorted(tags(db, workspace)) == ["Hot", "Warm"]


def test_sign_in_and_sign_out_need_the_token_too(
    app: FastAPI, owner: WebSession, db: Database, workspace: Workspace
) -> None:
    assert owner.client.post("/logout", follow_redirects=False).status_code == 403
    assert owner.get("/", follow_redirects=False).status_code == 200  # still signed in
    stranger = TestClient(app, base_url=BASE_URL)
    stranger.get("/login")
    response = stranger.post(
        "/login",
        data={"email": "owner@example.com", "password": "correct horse battery"},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert stranger.get("/", follow_redirects=False).status_code == 303


def test_signing_in_starts_a_session_with_a_new_token(
    app: FastAPI, db: Database, workspace: Workspace
) -> None:
    make_member(db, workspace, "ann@example.com")
    visitor = TestClient(app, base_url=BASE_URL)
    before = csrf_of(visitor.get("/login").text)
    after = sign_in(visitor, "ann@example.com")
    assert after != before
    assert (
        visitor.post("/settings/tags", data={"name": "x", "csrf_token": before}).status_code == 403
    )
