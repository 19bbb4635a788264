"""Settings → Integrations: connect a type with its generated form; secrets stay masked."""

from __future__ import annotations

from leadhub.db.uow import Database
from leadhub.domains.integrations import service as integrations
from leadhub.domains.integrations.schemas import IntegrationCreate, IntegrationRead
from leadhub.kit.crypto import SecretBox
from leadhub.kit.pagination import PageRequest
from leadhub.models import Integration
from tests.factories import Workspace, make_workspace
from tests.web.conftest import WebSession

HOOK = "https://hooks.slack.com/services/T0001/B0001/SeCrEtToKeN9876"
BOX = SecretBox("test-secret")  # the test app's secret key


def _all(db: Database, workspace: Workspace) -> list[IntegrationRead]:
    with db.unit_of_work(write=False) as session:
        found = integrations.list_integrations(
            session, workspace.principal(), page=PageRequest(1, 50), secret_box=BOX
        )
        return found.items


def _secret(db: Database, integration_id: int, name: str) -> str | None:
    """The stored secret itself, decrypted, to check what the form kept."""
    with db.unit_of_work(write=False) as session:
        row = session.get(Integration, integration_id)
        assert row is not None
        if not row.secrets_encrypted:
            return None
        value = BOX.decrypt_json(row.secrets_encrypted).get(name)
        return str(value) if value is not None else None


def _slack(db: Database, workspace: Workspace, name: str = "Team chat") -> int:
    data = IntegrationCreate(type="slack", name=name, settings={"webhook_url": HOOK})
    with db.unit_of_work() as session:
        return integrations.create_integration(
            session, workspace.principal(), data=data, secret_box=BOX
        ).id


def test_the_page_offers_every_type(owner: WebSession) -> None:
    page = owner.get("/settings/integrations").text
    assert "Nothing connected yet" in page
    for type_name in ("facebook_lead_ads", "google_ads_lead_forms", "mailgun", "smtp", "slack"):
        assert f"/settings/integrations/new?type={type_name}" in page


def test_the_form_is_generated_from_the_type(owner: WebSession) -> None:
    page = owner.get("/settings/integrations/new?type=smtp").text
    assert 'name="type" value="smtp"' in page
    assert 'name="settings.host" type="text"' in page
    assert 'name="settings.port" type="number" value="587"' in page
    assert 'name="settings.password" type="password"' in page
    assert 'name="settings.use_tls" value="1" checked' in page
    assert 'name="settings.from_email" type="email"' in page


def test_an_unknown_type_is_not_found(owner: WebSession) -> None:
    assert owner.get("/settings/integrations/new?type=carrier-pigeon").status_code == 404


def test_connecting_keeps_the_secret_out_of_every_page(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    form = {"type": "slack", "name": "Team chat", "settings.webhook_url": HOOK}
    response = owner.post("/settings/integrations", form)
    assert response.status_code == 303
    (created,) = _all(db, workspace)
    assert _secret(db, created.id, "webhook_url") == HOOK
    listing = owner.get("/settings/integrations").text
    edit = owner.get(f"/settings/integrations/{created.id}").text
    for page in (listing, edit):
        assert HOOK not in page and "SeCrEtToKeN" not in page
    assert "Team chat is connected." in listing and "Enabled" in listing
    assert "Stored: ••••9876. Leave blank to keep it." in edit
    assert 'name="settings.webhook_url" type="password" value=""' in edit


def test_a_blank_secret_keeps_its_value_and_a_new_one_replaces_it(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    slack = _slack(db, workspace)
    form = {"name": "Renamed", "settings.webhook_url": ""}
    assert owner.post(f"/settings/integrations/{slack}", form).status_code == 303
    assert _secret(db, slack, "webhook_url") == HOOK
    assert [item.name for item in _all(db, workspace)] == ["Renamed"]
    new_hook = "https://hooks.slack.com/services/T0001/B0001/another-one"
    owner.post(
        f"/settings/integrations/{slack}", {"name": "Renamed", "settings.webhook_url": new_hook}
    )
    assert _secret(db, slack, "webhook_url") == new_hook


def test_an_optional_secret_can_be_removed(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    form = {
        "type": "smtp",
        "name": "Mail",
        "settings.host": "smtp.example.com",
        "settings.port": "2525",
        "settings.password": "hunter2hunter2",
        "settings.from_email": "Sales@Example.com",
    }
    assert owner.post("/settings/integrations", form).status_code == 303
    (smtp,) = _all(db, workspace)
    assert smtp.settings["port"] == 2525 and smtp.settings["use_tls"] is False
    assert smtp.settings["from_email"] == "sales@example.com"
    assert "Remove the stored password" in owner.get(f"/settings/integrations/{smtp.id}").text
    del form["type"]
    owner.post(
        f"/settings/integrations/{smtp.id}",
        {**form, "settings.password": "", "clear.password": "1"},
    )
    assert _secret(db, smtp.id, "password") is None


def test_invalid_settings_are_shown_beside_their_fields(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    form = {
        "type": "smtp",
        "name": "Mail",
        "settings.port": "many",
        "settings.password": "typed-secret-value",
        "settings.from_email": "not an email",
    }
    response = owner.post("/settings/integrations", form)
    assert response.status_code == 422
    page = response.text
    assert 'id="e-settings.host">The Host setting is required.' in page
    assert 'id="e-settings.port">The Port setting must be an integer.' in page
    assert 'id="e-settings.from_email">The From address setting must be a valid email' in page
    assert 'value="many"' in page and "typed-secret-value" not in page
    assert _all(db, workspace) == []


def test_enable_disable_and_delete(owner: WebSession, db: Database, workspace: Workspace) -> None:
    slack = _slack(db, workspace)
    owner.post(f"/settings/integrations/{slack}/active", {"active": "0"})
    assert [item.is_active for item in _all(db, workspace)] == [False]
    assert "Team chat is disabled." in owner.get("/settings/integrations").text
    owner.post(f"/settings/integrations/{slack}/active", {"active": "1"})
    assert [item.is_active for item in _all(db, workspace)] == [True]
    assert owner.post(f"/settings/integrations/{slack}/delete").status_code == 303
    assert _all(db, workspace) == []


def test_an_integration_an_automation_uses_is_not_deleted(
    owner: WebSession, db: Database, workspace: Workspace, headers: dict[str, str]
) -> None:
    slack = _slack(db, workspace)
    action = {"type": "post_to_slack", "message": "New lead", "integration_id": slack}
    automation = {"name": "Tell", "trigger": "lead_created", "actions": [action]}
    created = owner.client.post("/api/v1/automations", json=automation, headers=headers)
    assert created.status_code == 201
    owner.post(f"/settings/integrations/{slack}/delete")
    page = owner.get("/settings/integrations").text
    assert "The integration is used by automation(s)" in page
    assert len(_all(db, workspace)) == 1


def test_another_workspace_integration_is_not_found(owner: WebSession, db: Database) -> None:
    other = make_workspace(db, "globex")
    theirs = _slack(db, other)
    assert owner.get(f"/settings/integrations/{theirs}").status_code == 404
    assert owner.post(f"/settings/integrations/{theirs}", {"name": "Mine"}).status_code == 404
    assert owner.post(f"/settings/integrations/{theirs}/active", {"active": "0"}).status_code == 404
    assert owner.post(f"/settings/integrations/{theirs}/delete").status_code == 404
    assert [item.name for item in _all(db, other)] == ["Team chat"]


def test_integration_actions_need_the_csrf_token(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    slack = _slack(db, workspace)
    response = owner.client.post(f"/settings/integrations/{slack}/delete", follow_redirects=False)
    assert response.status_code == 403 and len(_all(db, workspace)) == 1
