"""Settings → API keys: created with picked scopes and shown once, listed, revoked."""

from __future__ import annotations

import re

from leadhub.auth.scopes import ALL_SCOPES
from leadhub.db.uow import Database
from leadhub.domains.apikeys import service as apikeys
from tests.factories import Workspace, make_key, make_workspace
from tests.web.conftest import WebSession

KEY = re.compile(r'<code class="code" id="new-key-value">(lh_[A-Za-z0-9_-]+)</code>')


def _keys(db: Database, workspace: Workspace) -> list[apikeys.ApiKeyRead]:
    with db.unit_of_work(write=False) as session:
        return apikeys.list_keys(session, workspace.principal())


def _create(owner: WebSession, **changes: object) -> str:
    """Create a key through the form; the page after it, where the key is shown."""
    form = {"name": "Zapier", "scopes": ["read:leads"], "rate_limit": "500", **changes}
    response = owner.post("/settings/api-keys", form)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/settings/api-keys"
    return owner.get("/settings/api-keys").text


def test_the_form_offers_every_scope_and_full_access(owner: WebSession) -> None:
    page = owner.get("/settings/api-keys/new").text
    for scope in ALL_SCOPES:
        assert f'name="scopes" value="{scope}"' in page
    assert 'name="scopes" value="*"' in page
    assert "Lead magnets" in page and 'name="rate_limit"' in page


def test_a_created_key_is_shown_once_and_works_with_its_scopes(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    page = _create(owner)
    found = KEY.search(page)
    assert found and 'data-copy="#new-key-value"' in page
    key = found.group(1)
    assert key not in owner.get("/settings/api-keys").text  # not on reload
    api = {"Authorization": f"Bearer {key}"}
    assert owner.client.get("/api/v1/leads", headers=api).status_code == 200
    refused = owner.client.post("/api/v1/leads", headers=api, json={"email": "a@example.com"})
    assert refused.status_code == 403
    (stored,) = _keys(db, workspace)
    assert (stored.name, stored.scopes, stored.rate_limit) == ("Zapier", ["read:leads"], 500)
    assert stored.prefix == key[:11]


def test_the_list_shows_name_prefix_scopes_limit_and_use(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    key = make_key(db, workspace, scopes=["read:leads", "write:leads"], rate_limit=250)
    make_key(db, make_workspace(db, "globex"), scopes=["read:tags"])
    page = owner.get("/settings/api-keys").text
    assert f'<code class="nowrap">{key[:11]}…</code>' in page
    assert '<code class="scope">read:leads</code>' in page
    assert '<code class="scope">write:leads</code>' in page
    assert "read:tags" not in page  # another workspace's key
    assert ">250</td>" in page and "Never" in page and "Active" in page
    owner.client.get("/api/v1/leads", headers={"Authorization": f"Bearer {key}"})
    assert "Never" not in owner.get("/settings/api-keys").text


def test_full_access_stands_alone(owner: WebSession, db: Database, workspace: Workspace) -> None:
    page = _create(owner, scopes=["*", "read:leads"])
    assert "Full access" in page
    assert [key.scopes for key in _keys(db, workspace)] == [["*"]]


def test_invalid_keys_are_refused_beside_their_fields(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    response = owner.post("/settings/api-keys", {"name": " ", "rate_limit": "many"})
    assert response.status_code == 422
    page = response.text
    assert 'id="e-name">The name field is required.' in page
    assert 'id="e-scopes">Pick at least one scope, or full access.' in page
    assert 'id="e-rate_limit">The rate limit must be between 1 and 1,000,000.' in page
    picked = owner.post(
        "/settings/api-keys", {"name": "X", "scopes": ["read:tags"], "rate_limit": "0"}
    )
    assert 'value="read:tags" checked' in picked.text  # the choices are kept
    assert _keys(db, workspace) == []


def test_a_revoked_key_gets_401_from_the_api(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    key = make_key(db, workspace, scopes=["read:leads"])
    (stored,) = _keys(db, workspace)
    response = owner.post(f"/settings/api-keys/{stored.id}/revoke")
    assert response.status_code == 303
    page = owner.get("/settings/api-keys").text
    assert "is revoked." in page and "Revoked" in page
    api = owner.client.get("/api/v1/leads", headers={"Authorization": f"Bearer {key}"})
    assert api.status_code == 401


def test_another_workspace_key_cannot_be_revoked(owner: WebSession, db: Database) -> None:
    other = make_workspace(db, "globex")
    key = make_key(db, other)
    (theirs,) = _keys(db, other)
    assert owner.post(f"/settings/api-keys/{theirs.id}/revoke").status_code == 404
    api = owner.client.get("/api/v1/leads", headers={"Authorization": f"Bearer {key}"})
    assert api.status_code == 200


def test_key_actions_need_the_csrf_token(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    make_key(db, workspace)
    (stored,) = _keys(db, workspace)
    for url in ("/settings/api-keys", f"/settings/api-keys/{stored.id}/revoke"):
        data = {"name": "X", "scopes": "*"}
        assert owner.client.post(url, data=data, follow_redirects=False).status_code == 403
    assert [key.revoked_at for key in _keys(db, workspace)] == [None]


def test_an_empty_key_list_says_so(owner: WebSession) -> None:
    assert "No API keys yet" in owner.get("/settings/api-keys").text
