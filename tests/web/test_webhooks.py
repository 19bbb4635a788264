"""The Webhooks pages: admins create, edit and delete webhooks, see deliveries and redeliver."""

from __future__ import annotations

from fastapi import FastAPI

from leadhub.db.uow import Database
from leadhub.domains.webhooks import service as webhooks
from leadhub.kit.pagination import PageRequest
from tests.factories import Workspace, make_lead
from tests.web.conftest import WebSession

PUBLIC = "https://93.184.216.34/hooks/leadhub"


def _hooks(db: Database, workspace: Workspace) -> list[webhooks.WebhookRead]:
    with db.unit_of_work(write=False) as session:
        return webhooks.list_webhooks(session, workspace.principal(), page=PageRequest(1, 50)).items


def test_an_admin_creates_a_webhook_and_sees_its_secret_once(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    assert "No webhooks yet" in owner.get("/webhooks").text
    form = owner.get("/webhooks/new").text
    assert 'name="events" value="*" checked' in form and 'value="tag_added"' in form
    response = owner.post(
        "/webhooks",
        {"url": PUBLIC, "events": ["lead_created", "tag_added"], "is_active": "1"},
    )
    assert response.status_code == 303, response.text
    (hook,) = _hooks(db, workspace)
    assert hook.events == ["lead_created", "tag_added"] and hook.is_active
    page = owner.get(response.headers["location"]).text
    assert "shown only this once: whsec_" in page and "No deliveries yet" in page
    listing = owner.get("/webhooks").text
    assert PUBLIC in listing and "whsec_" not in listing


def test_a_private_url_is_refused_beside_the_field(owner: WebSession) -> None:
    response = owner.post("/webhooks", {"url": "http://169.254.169.254/", "events": ["*"]})
    assert response.status_code == 422
    assert "private or reserved" in response.text
    assert 'value="http://169.254.169.254/"' in response.text


def test_edit_pause_and_delete(owner: WebSession, db: Database, workspace: Workspace) -> None:
    owner.post("/webhooks", {"url": PUBLIC, "events": ["*"], "is_active": "1"})
    (hook,) = _hooks(db, workspace)
    edit = owner.get(f"/webhooks/{hook.id}").text
    assert f'value="{PUBLIC}"' in edit and 'name="is_active" value="1" checked' in edit
    saved = owner.post(f"/webhooks/{hook.id}", {"url": PUBLIC, "events": ["lead_deleted"]})
    assert saved.status_code == 303
    (changed,) = _hooks(db, workspace)
    assert changed.events == ["lead_deleted"] and not changed.is_active
    assert "Paused" in owner.get("/webhooks").text
    assert owner.post(f"/webhooks/{hook.id}/delete").status_code == 303
    assert _hooks(db, workspace) == []


def test_deliveries_show_their_outcome_and_can_be_redelivered(
    owner: WebSession, app: FastAPI, db: Database, workspace: Workspace
) -> None:
    owner.post("/webhooks", {"url": PUBLIC, "events": ["lead_created"], "is_active": "1"})
    (hook,) = _hooks(db, workspace)
    make_lead(db, workspace)
    app.state.runtime.jobs.run_pending()  # the dispatch: a pending delivery, not yet sent
    page = owner.get(f"/webhooks/{hook.id}/deliveries").text
    assert "lead created" in page and "Pending" in page and "Redeliver" in page
    with db.unit_of_work(write=False) as session:
        (delivery,) = webhooks.list_deliveries(
            session, workspace.principal(), hook.id, page=PageRequest(1, 10)
        ).items
    response = owner.post(f"/webhooks/{hook.id}/deliveries/{delivery.id}/redeliver")
    assert response.status_code == 303
    page = owner.get(response.headers["location"]).text
    assert "queued for delivery again" in page
    assert page.count("Redeliver<span") == 2


def test_members_cannot_open_the_webhooks_pages(member: WebSession) -> None:
    assert member.get("/webhooks").status_code == 403
    assert member.get("/webhooks/new").status_code == 403
    assert 'href="/webhooks"' not in member.get("/").text


def test_admins_see_the_webhooks_section(owner: WebSession) -> None:
    assert 'href="/webhooks"' in owner.get("/").text
