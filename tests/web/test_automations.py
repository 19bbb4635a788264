"""Automation pages: the list, the rule builder with messages by row, enable/disable, runs."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from leadhub.db.uow import Database
from leadhub.domains.automations import service as automations
from leadhub.domains.automations.schemas import AutomationRead
from leadhub.kit.pagination import PageRequest
from tests.factories import Workspace, make_automation, make_lead, make_user, make_workspace
from tests.web.conftest import WebSession

BASE: dict[str, Any] = {
    "name": "Welcome VIPs",
    "trigger_type": "lead_created",
    "match": "all",
    "c_rows": "3",
    "a_rows": "3",
}


def stored(db: Database, workspace: Workspace) -> list[AutomationRead]:
    with db.unit_of_work(write=False) as session:
        return automations.list_automations(
            session, workspace.principal(), page=PageRequest(1, 100)
        ).items


def test_a_member_builds_a_rule_from_rows(
    member: WebSession, db: Database, workspace: Workspace
) -> None:
    page = member.get("/automations/new")
    assert page.status_code == 200
    assert 'name="a0_type"' in page.text and 'name="c2_field"' in page.text
    user = make_user(db, workspace, "rep@example.com")
    response = member.post(
        "/automations",
        {
            **BASE,
            "trigger_type": "tag_added",
            "trigger_tag": "vip",
            "c1_field": "email",
            "c1_operator": "contains",
            "c1_value": "@vip.com",
            "c2_field": "lead_score",
            "c2_operator": "greater_than",
            "c2_value": "10",
            "a0_type": "add_tag",
            "a0_target": "welcomed",
            "a2_type": "assign_round_robin",
            "a2_user_ids": [str(user)],
        },
    )
    assert response.status_code == 303, response.text
    (rule,) = stored(db, workspace)
    assert rule.trigger.model_dump() == {"type": "tag_added", "tag": "vip"}
    assert [c.model_dump() for c in rule.conditions] == [
        {"field": "email", "operator": "contains", "value": "@vip.com"},
        {"field": "lead_score", "operator": "greater_than", "value": 10},
    ]
    assert [a.model_dump() for a in rule.actions] == [
        {"type": "add_tag", "tag": "welcomed"},
        {"type": "assign_round_robin", "user_ids": [user]},
    ]
    listing = member.get("/automations").text
    assert "Welcome VIPs" in listing and "Tag added" in listing and "Never" in listing
    edit = member.get(f"/automations/{rule.id}").text
    assert 'value="welcomed"' in edit and 'value="@vip.com"' in edit


def test_messages_appear_beside_the_right_row(
    member: WebSession, db: Database, workspace: Workspace
) -> None:
    response = member.post(
        "/automations",
        {
            **BASE,
            "name": "",
            "c1_field": "nonsense",
            "c1_operator": "equals",
            "c1_value": "x",
            "a0_type": "add_tag",
            "a0_target": "ok",
            "a2_type": "wait",
            "a2_value": "soon",
        },
    )
    assert response.status_code == 422
    html = response.text
    assert "The name field is required." in html
    condition = html.split('id="condition-1"')[1].split('id="condition-2"')[0]
    assert 'id="e-condition-1"' in condition and "lead field" in condition
    action = html.split('id="action-2"')[1]
    assert 'id="e-action-2"' in action and "minutes" in action
    assert 'id="e-action-0"' not in html
    assert 'value="soon"' in html  # the posted values are shown again
    assert stored(db, workspace) == []


def test_enable_disable_and_edit(member: WebSession, db: Database, workspace: Workspace) -> None:
    member.post("/automations", {**BASE, "a0_type": "add_tag", "a0_target": "x"})
    (rule,) = stored(db, workspace)
    assert member.post(f"/automations/{rule.id}/toggle").status_code == 303
    assert stored(db, workspace)[0].is_active is False
    assert "Enable" in member.get("/automations").text
    member.post(f"/automations/{rule.id}/toggle")
    assert stored(db, workspace)[0].is_active is True
    response = member.post(
        f"/automations/{rule.id}",
        {**BASE, "name": "Renamed", "a0_type": "change_score", "a0_value": "5"},
    )
    assert response.status_code == 303, response.text
    (changed,) = stored(db, workspace)
    assert changed.name == "Renamed"
    assert [a.model_dump() for a in changed.actions] == [{"type": "change_score", "amount": 5}]
    emptied = member.post(f"/automations/{rule.id}", {**BASE})
    assert emptied.status_code == 422 and 'id="e-actions"' in emptied.text
    assert member.post(f"/automations/{rule.id}/delete").status_code == 303
    assert stored(db, workspace) == []


def test_the_runs_page_shows_steps_and_outcome(
    app: FastAPI, member: WebSession, db: Database, workspace: Workspace
) -> None:
    member.post(
        "/automations",
        {**BASE, "a0_type": "add_tag", "a0_target": "hello", "a1_type": "wait", "a1_value": "5"},
    )
    (rule,) = stored(db, workspace)
    make_lead(db, workspace, first_name="Ann")
    app.state.runtime.jobs.run_pending()
    app.state.runtime.jobs.run_pending()
    html = member.get(f"/automations/{rule.id}/runs").text
    assert "Waiting" in html
    assert "add tag" in html and "Tagged hello." in html and "Waiting 5 minutes." in html
    assert "Waiting" in member.get("/automations").text


def test_other_workspaces_automations_are_not_found(
    member: WebSession, db: Database, workspace: Workspace
) -> None:
    other = make_workspace(db, "other")
    theirs = make_automation(db, other)
    assert member.get(f"/automations/{theirs}").status_code == 404
    assert member.get(f"/automations/{theirs}/runs").status_code == 404
    assert member.post(f"/automations/{theirs}/toggle").status_code == 404
