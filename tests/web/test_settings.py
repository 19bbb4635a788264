"""Settings: the overview and its sub-navigation by role, the workspace settings and tags."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from leadhub.domains.workspaces import service as workspaces
from leadhub.models import Tag
from tests.factories import Workspace, make_lead, make_workspace
from tests.web.conftest import WebSession

ADMIN_PAGES = [
    "/settings/workspace",
    "/settings/users",
    "/settings/users/new",
    "/settings/api-keys",
    "/settings/api-keys/new",
    "/settings/integrations",
    "/settings/integrations/new?type=slack",
]
ADMIN_ACTIONS = [
    "/settings/workspace",
    "/settings/users",
    "/settings/api-keys",
    "/settings/integrations",
]


def _workspace(db: Database, workspace: Workspace) -> workspaces.WorkspaceRead:
    with db.unit_of_work(write=False) as session:
        return workspaces.read(session, workspace.principal())


def _tags(db: Database, workspace: Workspace) -> dict[str, str | None]:
    with db.unit_of_work(write=False) as session:
        found = session.query(Tag).filter_by(workspace_id=workspace.id).all()
        return {tag.name: tag.color for tag in found}


def _tag_id(db: Database, workspace: Workspace, name: str) -> int:
    with db.unit_of_work(write=False) as session:
        return session.query(Tag.id).filter_by(workspace_id=workspace.id, name=name).scalar()


# -- the overview and roles -------------------------------------------------------------------


def test_owners_see_every_section(owner: WebSession) -> None:
    page = owner.get("/settings")
    assert page.status_code == 200
    for label, href in [
        ("Workspace", "/settings/workspace"),
        ("Users and roles", "/settings/users"),
        ("API keys", "/settings/api-keys"),
        ("Integrations", "/settings/integrations"),
        ("Tags", "/settings/tags"),
    ]:
        assert f'<a href="{href}">{label}</a>' in page.text
    assert 'href="/settings" aria-current="page"' in page.text


def test_members_see_only_the_tags(member: WebSession) -> None:
    page = member.get("/settings").text
    assert '<a href="/settings/tags">Tags</a>' in page
    assert "/settings/api-keys" not in page and "/settings/users" not in page


def test_members_get_the_403_page_on_admin_pages_and_actions(member: WebSession) -> None:
    # One signed-in member for every URL: signing in costs an argon2 hash.
    for url in ADMIN_PAGES:
        response = member.get(url)
        assert response.status_code == 403, url
        assert "You cannot do this" in response.text
    for url in ADMIN_ACTIONS:
        assert member.post(url, {"name": "x"}).status_code == 403, url


def test_settings_need_a_signed_in_person(client: TestClient) -> None:
    response = client.get("/settings/tags", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_every_settings_form_carries_the_session_csrf_token(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    make_lead(db, workspace, tags=["VIP"])
    pages = [
        *ADMIN_PAGES,
        "/settings/tags",
        f"/settings/tags/{_tag_id(db, workspace, 'VIP')}",
    ]
    for url in pages:
        page = owner.get(url).text
        forms = page.count('<form method="post"')
        tokens = re.findall(r'name="csrf_token" value="([^"]*)"', page)
        assert forms and len(tokens) >= forms, url
        assert set(tokens) == {owner.csrf}, url


# -- workspace ------------------------------------------------------------------------------


def test_the_workspace_form_shows_the_current_values(owner: WebSession) -> None:
    page = owner.get("/settings/workspace").text
    assert 'name="name" type="text" value="acme"' in page
    assert 'name="slug" type="text" value="acme"' in page
    assert 'name="default_region" type="text" value="US"' in page


def test_the_workspace_settings_are_saved(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    response = owner.post(
        "/settings/workspace", {"name": "Acme Inc", "slug": "acme-inc", "default_region": "gb"}
    )
    assert response.status_code == 303
    saved = _workspace(db, workspace)
    assert (saved.name, saved.slug, saved.default_region) == ("Acme Inc", "acme-inc", "GB")
    page = owner.get(response.headers["location"]).text
    assert "The workspace settings are saved." in page and "Acme Inc" in page


def test_invalid_workspace_settings_are_shown_beside_their_fields_and_nothing_changes(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    make_workspace(db, "globex")
    response = owner.post(
        "/settings/workspace", {"name": "Renamed", "slug": "globex", "default_region": "XX"}
    )
    assert response.status_code == 422
    page = response.text
    assert 'id="f-slug" name="slug" type="text" value="globex"' in page
    assert 'aria-invalid="true" aria-describedby="e-slug"' in page
    assert '<p class="field-error" id="e-slug">The slug has already been taken.</p>' in page
    assert 'id="e-default_region">The default region must be a country code' in page
    assert _workspace(db, workspace).name == "acme"  # the valid name was not half-saved


def test_blank_workspace_fields_are_required(owner: WebSession) -> None:
    response = owner.post("/settings/workspace", {"name": " ", "slug": "", "default_region": ""})
    assert response.status_code == 422
    assert 'id="e-name">The name field is required.' in response.text
    assert 'id="e-slug">The slug field is required.' in response.text
    assert 'id="e-default_region">The default region field is required.' in response.text


def test_a_bad_slug_is_refused(owner: WebSession) -> None:
    response = owner.post(
        "/settings/workspace", {"name": "Acme", "slug": "Not a slug!", "default_region": "US"}
    )
    assert response.status_code == 422
    assert 'id="e-slug">The slug may contain only' in response.text


def test_saving_the_workspace_needs_the_csrf_token(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    response = owner.client.post(
        "/settings/workspace",
        data={"name": "Hacked", "slug": "acme", "default_region": "US"},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert _workspace(db, workspace).name == "acme"


# -- tags -----------------------------------------------------------------------------------


def test_the_tags_are_listed_with_colour_and_lead_count(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    make_lead(db, workspace, email="a@example.com", tags=["VIP"])
    make_lead(db, workspace, email="b@example.com", tags=["VIP", "Cold"])
    make_lead(db, make_workspace(db, "globex"), tags=["Theirs"])
    page = owner.get("/settings/tags").text
    assert "VIP" in page and "Cold" in page and "Theirs" not in page
    assert '<a href="/leads?tag=VIP">2</a>' in page and '<a href="/leads?tag=Cold">1</a>' in page
    assert 'style="background: #94a3b8"' in page  # no colour yet: the neutral swatch


def test_an_empty_tag_list_says_so(owner: WebSession) -> None:
    assert "No tags yet" in owner.get("/settings/tags").text


def test_members_create_rename_recolour_and_delete_tags(
    member: WebSession, db: Database, workspace: Workspace
) -> None:
    response = member.post("/settings/tags", {"name": "Hot", "color": "#ff0000"})
    assert response.status_code == 303
    assert _tags(db, workspace) == {"Hot": "#ff0000"}
    assert "The tag “Hot” is created." in member.get("/settings/tags").text
    tag_id = _tag_id(db, workspace, "Hot")
    edit = member.get(f"/settings/tags/{tag_id}").text
    assert 'value="Hot"' in edit and 'value="#ff0000"' in edit
    member.post(f"/settings/tags/{tag_id}", {"name": "Warm", "color": "#00ff00"})
    assert _tags(db, workspace) == {"Warm": "#00ff00"}
    member.post(f"/settings/tags/{tag_id}", {"name": "Warm", "color": "#00ff00", "no_color": "1"})
    assert _tags(db, workspace) == {"Warm": None}
    response = member.post(f"/settings/tags/{tag_id}/delete")
    assert response.status_code == 303 and _tags(db, workspace) == {}


def test_a_taken_tag_name_is_shown_beside_the_field(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    owner.post("/settings/tags", {"name": "Hot", "color": "#ff0000"})
    response = owner.post("/settings/tags", {"name": "hot", "color": "#ff0000"})
    assert response.status_code == 422
    assert 'id="e-name">The name has already been taken.</p>' in response.text
    assert 'value="hot"' in response.text
    blank = owner.post("/settings/tags", {"name": "", "color": "#ff0000"})
    assert 'id="e-name">The name field is required.' in blank.text
    bad_colour = owner.post("/settings/tags", {"name": "Cold", "color": "blue"})
    assert bad_colour.status_code == 422 and 'id="e-color"' in bad_colour.text


def test_a_rename_onto_another_tag_is_refused(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    for name in ("Hot", "Cold"):
        owner.post("/settings/tags", {"name": name, "color": "#ff0000"})
    response = owner.post(f"/settings/tags/{_tag_id(db, workspace, 'Cold')}", {"name": "HOT"})
    assert response.status_code == 422
    assert "The name has already been taken." in response.text
    assert set(_tags(db, workspace)) == {"Hot", "Cold"}


def test_another_workspace_tag_is_not_found(owner: WebSession, db: Database) -> None:
    other = make_workspace(db, "globex")
    make_lead(db, other, tags=["Theirs"])
    tag_id = _tag_id(db, other, "Theirs")
    assert owner.get(f"/settings/tags/{tag_id}").status_code == 404
    assert owner.post(f"/settings/tags/{tag_id}", {"name": "Mine"}).status_code == 404
    assert owner.post(f"/settings/tags/{tag_id}/delete").status_code == 404
    assert _tags(db, other) == {"Theirs": None}


def test_tag_actions_need_the_csrf_token(
    member: WebSession, db: Database, workspace: Workspace
) -> None:
    response = member.client.post("/settings/tags", data={"name": "Hot"}, follow_redirects=False)
    assert response.status_code == 403 and _tags(db, workspace) == {}
