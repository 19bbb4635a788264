"""Settings → Users and roles: invite, change roles, deactivate, delete; the last owner stays."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from leadhub.models import User
from tests.factories import Workspace, make_user, make_workspace
from tests.web.conftest import WebSession, sign_in

LAST_OWNER = "A workspace must keep at least one active owner."


def _person(db: Database, user_id: int) -> User | None:
    with db.unit_of_work(write=False) as session:
        return session.get(User, user_id)


def test_the_list_shows_people_roles_and_status(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    sam = make_user(db, workspace, "sam@example.com", role="admin")
    make_user(db, make_workspace(db, "globex"), "stranger@example.com")
    page = owner.get("/settings/users").text
    assert "Olivia Owner" in page and "owner@example.com" in page and ">You</span>" in page
    assert "sam@example.com" in page and "stranger@example.com" not in page
    assert f'<select id="role-{sam}" name="role" data-autosubmit>' in page
    assert '<option value="admin" selected>Admin</option>' in page
    assert "Never" in page  # sam has not signed in


def test_an_invited_person_signs_in_with_the_initial_password(
    owner: WebSession, app: FastAPI, db: Database, workspace: Workspace
) -> None:
    form = {
        "name": "Nia New",
        "email": "Nia@Example.com",
        "role": "member",
        "password": "s3cret-pass",
    }
    response = owner.post("/settings/users", form)
    assert response.status_code == 303
    assert "Nia New can now sign in with nia@example.com." in owner.get("/settings/users").text
    newcomer = TestClient(app)
    sign_in(newcomer, "nia@example.com", "s3cret-pass")
    assert "Nia New" in newcomer.get("/settings/tags").text


def test_invalid_invitations_are_refused_beside_their_fields(owner: WebSession) -> None:
    response = owner.post(
        "/settings/users",
        {"name": "", "email": "owner@example.com", "role": "member", "password": "short"},
    )
    assert response.status_code == 422
    page = response.text
    assert 'id="e-name">The name field is required.' in page
    assert 'id="e-password">The password field must be at least 8 characters.' in page
    assert "owner@example.com" in page  # the values are kept, the password is not
    assert 'value="short"' not in page
    taken = owner.post(
        "/settings/users",
        {"name": "X", "email": "OWNER@example.com", "role": "member", "password": "long-enough"},
    )
    assert 'id="e-email">The email has already been taken.' in taken.text
    bad = owner.post(
        "/settings/users", {"name": "X", "email": "nope", "role": "king", "password": "long-enough"}
    )
    assert 'id="e-role">' in bad.text


def test_changing_a_role(owner: WebSession, db: Database, workspace: Workspace) -> None:
    sam = make_user(db, workspace, "sam@example.com")
    response = owner.post(f"/settings/users/{sam}/role", {"role": "admin"})
    assert response.status_code == 303
    assert "is now an admin." in owner.get("/settings/users").text
    person = _person(db, sam)
    assert person is not None and person.role == "admin"


def test_the_last_owner_cannot_be_demoted_deactivated_or_deleted(
    owner: WebSession, db: Database
) -> None:
    for url, data in [
        (f"/settings/users/{owner.user_id}/role", {"role": "member"}),
        (f"/settings/users/{owner.user_id}/active", {"active": "0"}),
        (f"/settings/users/{owner.user_id}/delete", {}),
    ]:
        response = owner.post(url, data)
        assert response.status_code == 303
        page = owner.get("/settings/users").text
        assert f'<div class="flash flash-error" role="alert">{LAST_OWNER}</div>' in page
    person = _person(db, owner.user_id)
    assert person is not None and person.role == "owner" and person.is_active


def test_deactivating_signs_a_person_out_and_reactivating_lets_them_back(
    owner: WebSession, member: WebSession, db: Database
) -> None:
    assert member.get("/settings/tags").status_code == 200
    owner.post(f"/settings/users/{member.user_id}/active", {"active": "0"})
    assert "Max Member is deactivated." in owner.get("/settings/users").text
    assert member.get("/settings/tags", follow_redirects=False).status_code == 303
    owner.post(f"/settings/users/{member.user_id}/active", {"active": "1"})
    person = _person(db, member.user_id)
    assert person is not None and person.is_active
    assert "Max Member is active again." in owner.get("/settings/users").text


def test_deleting_a_person(owner: WebSession, db: Database, workspace: Workspace) -> None:
    sam = make_user(db, workspace, "sam@example.com")
    response = owner.post(f"/settings/users/{sam}/delete")
    assert response.status_code == 303 and _person(db, sam) is None
    assert "sam is deleted." in owner.get("/settings/users").text


def test_another_workspace_person_is_not_found(owner: WebSession, db: Database) -> None:
    stranger = make_user(db, make_workspace(db, "globex"), "stranger@example.com")
    assert owner.post(f"/settings/users/{stranger}/role", {"role": "owner"}).status_code == 404
    assert owner.post(f"/settings/users/{stranger}/active", {"active": "0"}).status_code == 404
    assert owner.post(f"/settings/users/{stranger}/delete").status_code == 404
    person = _person(db, stranger)
    assert person is not None and person.role == "member" and person.is_active


def test_people_actions_need_the_csrf_token(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    sam = make_user(db, workspace, "sam@example.com")
    client = owner.client
    assert client.post(f"/settings/users/{sam}/delete", follow_redirects=False).status_code == 403
    role = client.post(f"/settings/users/{sam}/role", data={"role": "owner"})
    assert role.status_code == 403
    assert _person(db, sam) is not None
