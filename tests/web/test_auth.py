from __future__ import annotations

from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from leadhub.models import User
from tests.factories import Workspace, make_workspace
from tests.web.conftest import PASSWORD, WebSession, csrf_of, make_member, sign_in


def test_pages_need_a_signed_in_person(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/"


def test_sign_in_sets_a_signed_http_only_same_site_cookie(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    make_member(db, workspace, "ann@example.com")
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"email": "Ann@Example.com", "password": PASSWORD, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("leadhub_session=")
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    page = client.get("/")
    assert page.status_code == 200 and "Dashboard" in page.text


def test_wrong_password_is_refused_without_saying_which_part_is_wrong(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    make_member(db, workspace, "ann@example.com")
    token = csrf_of(client.get("/login").text)
    for email in ("ann@example.com", "nobody@example.com"):
        response = client.post(
            "/login", data={"email": email, "password": "wrong-password", "csrf_token": token}
        )
        assert response.status_code == 401
        assert "These credentials do not match our records." in response.text


def test_sign_in_without_the_csrf_token_is_refused(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    make_member(db, workspace, "ann@example.com")
    client.get("/login")
    response = client.post("/login", data={"email": "ann@example.com", "password": PASSWORD})
    assert response.status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 303


def test_failed_sign_ins_are_limited_per_account(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    make_member(db, workspace, "ann@example.com")
    token = csrf_of(client.get("/login").text)
    for _ in range(5):
        client.post(
            "/login", data={"email": "ann@example.com", "password": "x", "csrf_token": token}
        )
    response = client.post(
        "/login", data={"email": "ann@example.com", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.text


def test_an_unsafe_next_url_is_ignored(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    make_member(db, workspace, "ann@example.com")
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={
            "email": "ann@example.com",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_sign_out_ends_the_session(owner: WebSession) -> None:
    response = owner.post("/logout")
    assert response.status_code == 303
    assert owner.get("/", follow_redirects=False).status_code == 303


def test_sign_out_needs_the_csrf_token(owner: WebSession) -> None:
    response = owner.client.post("/logout", data={}, follow_redirects=False)
    assert response.status_code == 403
    assert owner.get("/").status_code == 200


def test_a_deactivated_person_is_signed_out(owner: WebSession, db: Database) -> None:
    with db.unit_of_work() as session:
        user = session.get(User, owner.user_id)
        assert user is not None
        user.is_active = False
    assert owner.get("/", follow_redirects=False).status_code == 303


def test_switching_between_the_workspaces_of_one_email(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    make_member(db, workspace, "ann@example.com")
    other = make_workspace(db, "globex")
    other_user = make_member(db, other, "ann@example.com")
    token = sign_in(client, "ann@example.com")
    page = client.get("/").text
    assert "globex" in page.lower() and 'name="user_id"' in page
    client.post("/switch", data={"user_id": other_user, "csrf_token": token})
    assert "Globex" in client.get("/").text or "globex" in client.get("/").text


def test_switching_to_a_workspace_not_opened_at_sign_in_is_ignored(
    owner: WebSession, db: Database
) -> None:
    stranger = make_member(db, make_workspace(db, "globex"), "x@example.com")
    owner.post("/switch", {"user_id": stranger})
    page = owner.get("/").text
    assert "globex" not in page.lower()


def test_unknown_pages_use_the_app_error_page(owner: WebSession) -> None:
    response = owner.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.text
