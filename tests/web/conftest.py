"""Web app helpers: a browser-like client signed in as a member of a workspace."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from leadhub.domains.users import service as users
from tests.factories import Workspace

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class WebSession:
    """A TestClient holding a session cookie, and the CSRF token of that session."""

    client: TestClient
    user_id: int
    csrf: str

    def post(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> httpx.Response:
        """A form post with this session's CSRF token; redirects are not followed."""
        form = {"csrf_token": self.csrf, **(data or {})}
        return self.client.post(url, data=form, follow_redirects=False, **kwargs)

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.client.get(url, **kwargs)


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def make_member(
    db: Database, workspace: Workspace, email: str, role: str = "owner", name: str = "Pat Doe"
) -> int:
    with db.unit_of_work() as session:
        user = users.create(
            session, workspace.id, email=email, password=PASSWORD, role=role, name=name
        )
        return user.id


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> str:
    """Sign in through the login form; answers the session's CSRF token."""
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/").text)


@pytest.fixture
def owner(client: TestClient, db: Database, workspace: Workspace) -> WebSession:
    user_id = make_member(db, workspace, "owner@example.com", "owner", "Olivia Owner")
    return WebSession(client, user_id, sign_in(client, "owner@example.com"))


@pytest.fixture
def member(app: FastAPI, db: Database, workspace: Workspace) -> WebSession:
    client = TestClient(app, base_url="http://testserver")
    user_id = make_member(db, workspace, "member@example.com", "member", "Max Member")
    return WebSession(client, user_id, sign_in(client, "member@example.com"))
