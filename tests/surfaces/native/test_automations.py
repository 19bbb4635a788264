from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from tests.conftest import BASE_URL
from tests.factories import Workspace, default_pipeline, make_key, make_user, make_workspace
from tests.surfaces.native.assertions import assert_error, bearer

API = "/api/v1/automations"
MINIMAL = {
    "name": "Welcome",
    "trigger": "lead_created",
    "actions": [{"type": "add_tag", "tag": "new"}],
}


def create(client: TestClient, headers: dict[str, str], **changes: Any) -> dict[str, Any]:
    response = client.post(API, json={**MINIMAL, **changes}, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()["data"]
    return created


def errors_of(client: TestClient, headers: dict[str, str], **changes: Any) -> dict[str, Any]:
    response = client.post(API, json={**MINIMAL, **changes}, headers=headers)
    errors: dict[str, Any] = assert_error(response, 422, "VALIDATION_FAILED")["errors"]
    return errors


def integration(client: TestClient, headers: dict[str, str], kind: str) -> int:
    settings = {
        "smtp": {"host": "mail.example.com", "from_email": "a@example.com"},
        "mailgun": {"domain": "mg.example.com", "api_key": "key-1", "from_email": "a@example.com"},
        "slack": {"webhook_url": "https://hooks.slack.com/services/T/B/X"},
        "webhook": {"url": "https://hooks.example.com/in"},
    }[kind]
    response = client.post(
        "/api/v1/integrations", json={"type": kind, "settings": settings}, headers=headers
    )
    assert response.status_code == 201, response.text
    created: int = response.json()["data"]["id"]
    return created


def form_id(client: TestClient, headers: dict[str, str]) -> int:
    body = {"name": "Contact", "fields": [{"name": "email", "type": "email"}]}
    created: int = client.post("/api/v1/forms", json=body, headers=headers).json()["data"]["id"]
    return created


# -- happy paths ----------------------------------------------------------------------------


def test_create_an_automation_with_every_kind_of_part(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    pipeline_id, stages = default_pipeline(db, workspace)
    alice = make_user(db, workspace, "alice@example.com")
    bob = make_user(db, workspace, "bob@example.com")
    smtp, slack, hook = (
        integration(client, headers, kind) for kind in ("smtp", "slack", "webhook")
    )
    body = {
        "name": "  Qualified leads  ",
        "description": "Route qualified leads.",
        "trigger": {"type": "stage_changed", "pipeline_id": pipeline_id, "stage_id": stages[2]},
        "conditions": [
            {"field": "email", "operator": "contains", "value": "@corp.example"},
            {"field": "lead_score", "operator": "greater_than", "value": 40},
            {"field": "value", "operator": "less_than", "value": 99.5},
            {"field": "tags", "operator": "not_empty"},
            {"field": "source", "operator": "in", "value": ["facebook", "website"]},
            {"field": "custom_fields.budget", "operator": "not_equals", "value": "small"},
            {"field": "attribution.utm_source", "operator": "empty"},
            {"field": "starred", "operator": "equals", "value": True},
        ],
        "match": "any",
        "actions": [
            {"type": "add_tag", "tag": " qualified "},
            {"type": "remove_tag", "tag": "cold"},
            {"type": "set_field", "field": "company", "value": " Corp "},
            {"type": "set_field", "field": "custom_fields.tier", "value": 2},
            {"type": "set_status", "status": "Qualified"},
            {"type": "move_to_stage", "stage_id": stages[3]},
            {"type": "assign_user", "user_id": alice},
            {"type": "assign_round_robin", "user_ids": [alice, bob]},
            {"type": "change_score", "amount": -5},
            {"type": "wait", "minutes": 60},
            {
                "type": "send_email",
                "to": "lead",
                "subject": "Hi",
                "body": "Hello",
                "integration_id": smtp,
            },
            {"type": "send_email", "to": "Boss@Example.com", "subject": "New", "body": "Look"},
            {"type": "post_to_slack", "message": "Qualified!", "integration_id": slack},
            {"type": "call_webhook", "url": "https://crm.example/in", "integration_id": hook},
            {"type": "call_webhook", "url": "http://crm.example/plain"},
        ],
        "is_active": False,
    }
    response = client.post(API, json=body, headers=headers)
    assert response.status_code == 201, response.text
    data = response.json()["data"]
    assert data["name"] == "Qualified leads"
    assert data["description"] == "Route qualified leads."
    assert data["trigger"] == body["trigger"]
    assert data["conditions"] == body["conditions"]
    assert data["match"] == "any"
    assert data["is_active"] is False
    actions = data["actions"]
    assert len(actions) == len(body["actions"])
    assert actions[0] == {"type": "add_tag", "tag": "qualified"}
    assert actions[2] == {"type": "set_field", "field": "company", "value": "Corp"}
    assert actions[4] == {"type": "set_status", "status": "qualified"}
    assert actions[10]["integration_id"] == smtp
    assert actions[11] == {
        "type": "send_email",
        "to": "boss@example.com",
        "subject": "New",
        "body": "Look",
        "integration_id": None,
    }
    assert client.get(f"{API}/{data['id']}", headers=headers).json()["data"] == data


def test_a_trigger_given_as_a_string_is_normalised(
    client: TestClient, headers: dict[str, str]
) -> None:
    created = create(client, headers)
    assert created["trigger"] == {"type": "lead_created"}
    assert (created["conditions"], created["match"], created["is_active"]) == ([], "all", True)
    assert created["description"] is None


@pytest.mark.parametrize(
    "trigger",
    [
        "lead_created",
        "lead_updated",
        {"type": "lead_updated", "fields": ["email", "lead_score"]},
        "stage_changed",
        "status_changed",
        {"type": "status_changed", "status": "Won"},
        {"type": "tag_added", "tag": "vip"},
        "tag_removed",
        "lead_assigned",
        "form_submitted",
        "lead_deleted",
    ],
)
def test_every_trigger_type_is_accepted(
    client: TestClient, headers: dict[str, str], trigger: Any
) -> None:
    created = create(client, headers, trigger=trigger)
    expected = trigger["type"] if isinstance(trigger, dict) else trigger
    assert created["trigger"]["type"] == expected


def test_a_form_submitted_trigger_names_a_form_of_the_workspace(
    client: TestClient, headers: dict[str, str]
) -> None:
    form = form_id(client, headers)
    created = create(client, headers, trigger={"type": "form_submitted", "form_id": form})
    assert created["trigger"] == {"type": "form_submitted", "form_id": form}


def test_mailgun_also_sends_email(client: TestClient, headers: dict[str, str]) -> None:
    mailgun = integration(client, headers, "mailgun")
    action = {
        "type": "send_email",
        "to": "lead",
        "subject": "s",
        "body": "b",
        "integration_id": mailgun,
    }
    assert create(client, headers, actions=[action])["actions"][0]["integration_id"] == mailgun


def test_enable_and_disable_with_patch(client: TestClient, headers: dict[str, str]) -> None:
    created = create(client, headers)
    url = f"{API}/{created['id']}"
    disabled = client.patch(url, json={"is_active": False}, headers=headers)
    assert disabled.status_code == 200
    assert disabled.json()["data"]["is_active"] is False
    assert disabled.json()["data"]["actions"] == created["actions"]
    enabled = client.patch(url, json={"is_active": True}, headers=headers)
    assert enabled.json()["data"]["is_active"] is True


def test_put_changes_only_the_fields_sent(client: TestClient, headers: dict[str, str]) -> None:
    created = create(client, headers, description="first")
    url = f"{API}/{created['id']}"
    body = {
        "trigger": {"type": "tag_added", "tag": "vip"},
        "actions": [{"type": "wait", "minutes": 5}],
    }
    updated = client.put(url, json=body, headers=headers).json()["data"]
    assert updated["trigger"] == {"type": "tag_added", "tag": "vip"}
    assert updated["actions"] == [{"type": "wait", "minutes": 5}]
    assert (updated["name"], updated["description"]) == ("Welcome", "first")
    cleared = client.patch(url, json={"description": None, "conditions": []}, headers=headers)
    assert cleared.json()["data"]["description"] is None


def test_delete_an_automation(client: TestClient, headers: dict[str, str]) -> None:
    created = create(client, headers)
    assert client.delete(f"{API}/{created['id']}", headers=headers).status_code == 204
    assert_error(client.get(f"{API}/{created['id']}", headers=headers), 404, "NOT_FOUND")


# -- shape validation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"trigger": "lead_exploded"}, {"trigger"}),
        ({"trigger": {"type": "lead_exploded"}}, {"trigger"}),
        ({"trigger": {"stage_id": 1}}, {"trigger"}),
        ({"trigger": {"type": "lead_created", "tag": "x"}}, {"trigger.lead_created.tag"}),
        ({"trigger": {"type": "tag_added", "stage_id": 1}}, {"trigger.tag_added.stage_id"}),
        (
            {"trigger": {"type": "lead_updated", "fields": ["salary"]}},
            {"trigger.lead_updated.fields.0"},
        ),
        ({"trigger": {"type": "lead_updated", "fields": []}}, {"trigger.lead_updated.fields"}),
        (
            {"trigger": {"type": "stage_changed", "stage_id": "3"}},
            {"trigger.stage_changed.stage_id"},
        ),
        (
            {"trigger": {"type": "status_changed", "status": "a!b"}},
            {"trigger.status_changed.status"},
        ),
        ({"trigger": {"type": "tag_added", "tag": "   "}}, {"trigger.tag_added.tag"}),
        ({"trigger": 7}, {"trigger"}),
        ({"trigger": None}, {"trigger"}),
        ({"match": "some"}, {"match"}),
        ({"name": ""}, {"name"}),
        ({"name": "   "}, {"name"}),
        ({"is_active": "yes"}, {"is_active"}),
        ({"owner": "me"}, {"owner"}),
        ({"actions": []}, {"actions"}),
        ({"actions": [{"type": "wait", "minutes": 1}] * 51}, {"actions"}),
        ({"conditions": [{"field": "email", "operator": "not_empty"}] * 51}, {"conditions"}),
    ],
)
def test_the_automation_shape_is_validated_strictly(
    client: TestClient, headers: dict[str, str], changes: dict[str, Any], fields: set[str]
) -> None:
    assert set(errors_of(client, headers, **changes)) == fields


def test_required_fields_are_named(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post(API, json={}, headers=headers)
    errors = assert_error(response, 422, "VALIDATION_FAILED")["errors"]
    assert set(errors) == {"name", "trigger", "actions"}


@pytest.mark.parametrize(
    ("condition", "field"),
    [
        ({"field": "email", "operator": "like", "value": "x"}, "conditions.0"),
        ({"field": "email", "value": "x"}, "conditions.0"),
        ({"field": "salary", "operator": "equals", "value": 1}, "conditions.0.equals.field"),
        (
            {"field": "custom_fields.", "operator": "equals", "value": 1},
            "conditions.0.equals.field",
        ),
        ({"field": "attribution.shoe_size", "operator": "empty"}, "conditions.0.empty.field"),
        ({"field": "tags", "operator": "contains"}, "conditions.0.contains.value"),
        ({"field": "tags", "operator": "contains", "value": ["a"]}, "conditions.0.contains.value"),
        ({"field": "email", "operator": "empty", "value": "x"}, "conditions.0.empty.value"),
        ({"field": "status", "operator": "in", "value": "new"}, "conditions.0.in.value"),
        ({"field": "status", "operator": "not_in", "value": []}, "conditions.0.not_in.value"),
        (
            {"field": "lead_score", "operator": "greater_than", "value": "5"},
            "conditions.0.greater_than.value",
        ),
        (
            {"field": "lead_score", "operator": "less_than", "value": True},
            "conditions.0.less_than.value",
        ),
        ({"field": "email", "operator": "greater_than", "value": 5}, "conditions.0.greater_than"),
        (
            {"field": "email", "operator": "equals", "value": "x", "extra": 1},
            "conditions.0.equals.extra",
        ),
    ],
)
def test_conditions_are_validated_strictly(
    client: TestClient, headers: dict[str, str], condition: dict[str, Any], field: str
) -> None:
    assert set(errors_of(client, headers, conditions=[condition])) == {field}


def test_a_custom_field_may_be_compared_as_a_number(
    client: TestClient, headers: dict[str, str]
) -> None:
    condition = {"field": "custom_fields.budget", "operator": "greater_than", "value": 1000}
    assert create(client, headers, conditions=[condition])["conditions"] == [condition]


@pytest.mark.parametrize(
    ("action", "field"),
    [
        ({"type": "teleport"}, "actions.0"),
        ({"tag": "x"}, "actions.0"),
        ({"type": "add_tag"}, "actions.0.add_tag.tag"),
        ({"type": "add_tag", "tag": "x" * 51}, "actions.0.add_tag.tag"),
        ({"type": "remove_tag", "tag": "x", "color": "red"}, "actions.0.remove_tag.color"),
        ({"type": "set_field", "field": "tags", "value": "x"}, "actions.0.set_field.field"),
        (
            {"type": "set_field", "field": "attribution.utm_source", "value": "x"},
            "actions.0.set_field.field",
        ),
        ({"type": "set_field", "field": "salary", "value": 1}, "actions.0.set_field.field"),
        ({"type": "set_field", "field": "lead_score", "value": "5"}, "actions.0.set_field.value"),
        ({"type": "set_field", "field": "starred", "value": 1}, "actions.0.set_field.value"),
        ({"type": "set_field", "field": "first_name", "value": ""}, "actions.0.set_field.value"),
        ({"type": "set_field", "field": "email", "value": "nope"}, "actions.0.set_field.value"),
        (
            {"type": "set_field", "field": "first_name", "value": "x" * 101},
            "actions.0.set_field.value",
        ),
        ({"type": "set_field", "field": "company", "value": {"a": 1}}, "actions.0.set_field.value"),
        ({"type": "set_status", "status": ""}, "actions.0.set_status.status"),
        ({"type": "move_to_stage"}, "actions.0.move_to_stage.stage_id"),
        ({"type": "assign_user", "user_id": 0}, "actions.0.assign_user.user_id"),
        ({"type": "assign_round_robin", "user_ids": []}, "actions.0.assign_round_robin.user_ids"),
        (
            {"type": "assign_round_robin", "user_ids": [1, 1]},
            "actions.0.assign_round_robin.user_ids",
        ),
        ({"type": "change_score", "amount": "5"}, "actions.0.change_score.amount"),
        ({"type": "change_score", "amount": 2.5}, "actions.0.change_score.amount"),
        (
            {"type": "send_email", "to": "nobody", "subject": "s", "body": "b"},
            "actions.0.send_email.to",
        ),
        ({"type": "send_email", "to": "lead", "body": "b"}, "actions.0.send_email.subject"),
        ({"type": "post_to_slack", "message": "hi"}, "actions.0.post_to_slack.integration_id"),
        ({"type": "call_webhook", "url": "ftp://x.example"}, "actions.0.call_webhook.url"),
        ({"type": "call_webhook"}, "actions.0.call_webhook.url"),
        ({"type": "wait", "minutes": 0}, "actions.0.wait.minutes"),
        ({"type": "wait", "minutes": 525_601}, "actions.0.wait.minutes"),
    ],
)
def test_actions_are_validated_strictly(
    client: TestClient, headers: dict[str, str], action: dict[str, Any], field: str
) -> None:
    assert set(errors_of(client, headers, actions=[action])) == {field}


def test_set_field_keeps_values_that_suit_the_field(
    client: TestClient, headers: dict[str, str]
) -> None:
    actions = [
        {"type": "set_field", "field": "lead_score", "value": 10},
        {"type": "set_field", "field": "starred", "value": True},
        {"type": "set_field", "field": "value", "value": 1250.5},
        {"type": "set_field", "field": "email", "value": "New@Example.com"},
        {"type": "set_field", "field": "status", "value": "Contacted"},
        {"type": "set_field", "field": "notes", "value": None},
        {"type": "set_field", "field": "custom_fields.plan", "value": None},
    ]
    values = [action["value"] for action in create(client, headers, actions=actions)["actions"]]
    assert values == [10, True, 1250.5, "new@example.com", "contacted", None, None]


def test_an_update_is_validated_like_a_create(client: TestClient, headers: dict[str, str]) -> None:
    url = f"{API}/{create(client, headers)['id']}"
    for body, field in (
        ({"trigger": None}, "trigger"),
        ({"actions": None}, "actions"),
        ({"name": None}, "name"),
        ({"is_active": None}, "is_active"),
        ({"actions": [{"type": "fly"}]}, "actions.0"),
        ({"unknown": 1}, "unknown"),
    ):
        response = client.patch(url, json=body, headers=headers)
        assert set(assert_error(response, 422, "VALIDATION_FAILED")["errors"]) == {field}


# -- references -----------------------------------------------------------------------------


def test_references_must_exist_in_the_workspace(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    other = make_workspace(db, "other")
    other_pipeline, other_stages = default_pipeline(db, other)
    other_user = make_user(db, other, "eve@example.com")
    other_headers = bearer(make_key(db, other))
    other_form = form_id(client, other_headers)
    other_smtp = integration(client, other_headers, "smtp")
    errors = errors_of(
        client,
        headers,
        trigger={
            "type": "stage_changed",
            "pipeline_id": other_pipeline,
            "stage_id": other_stages[0],
        },
        actions=[
            {"type": "move_to_stage", "stage_id": other_stages[1]},
            {"type": "assign_user", "user_id": other_user},
            {"type": "assign_round_robin", "user_ids": [other_user]},
            {
                "type": "send_email",
                "to": "lead",
                "subject": "s",
                "body": "b",
                "integration_id": other_smtp,
            },
            {"type": "set_field", "field": "form_id", "value": other_form},
        ],
    )
    assert errors == {
        "trigger.stage_changed.pipeline_id": ["The selected pipeline id is invalid."],
        "trigger.stage_changed.stage_id": ["The selected stage id is invalid."],
        "actions.0.move_to_stage.stage_id": ["The selected stage id is invalid."],
        "actions.1.assign_user.user_id": ["The selected user id is invalid."],
        "actions.2.assign_round_robin.user_ids.0": ["The selected user id is invalid."],
        "actions.3.send_email.integration_id": ["The selected integration id is invalid."],
        "actions.4.set_field.value": ["The selected form id is invalid."],
    }
    form_errors = errors_of(
        client, headers, trigger={"type": "form_submitted", "form_id": other_form}
    )
    assert form_errors == {"trigger.form_submitted.form_id": ["The selected form id is invalid."]}


def test_a_trigger_stage_must_belong_to_its_pipeline(
    client: TestClient, headers: dict[str, str], workspace: Workspace, db: Database
) -> None:
    _pipeline_id, stages = default_pipeline(db, workspace)
    second = client.post("/api/v1/pipelines", json={"name": "Hiring"}, headers=headers).json()[
        "data"
    ]
    trigger = {"type": "stage_changed", "pipeline_id": second["id"], "stage_id": stages[0]}
    assert errors_of(client, headers, trigger=trigger) == {
        "trigger.stage_changed.stage_id": ["The stage must belong to the selected pipeline."]
    }


def test_round_robin_names_each_unknown_user(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    alice = make_user(db, workspace, "alice@example.com")
    action = {"type": "assign_round_robin", "user_ids": [alice, 999_999]}
    assert errors_of(client, headers, actions=[action]) == {
        "actions.0.assign_round_robin.user_ids.1": ["The selected user id is invalid."]
    }


@pytest.mark.parametrize(
    ("action_type", "wrong_kind", "message"),
    [
        ("send_email", "slack", "The integration must be of type smtp or mailgun."),
        ("post_to_slack", "smtp", "The integration must be of type slack."),
        ("call_webhook", "mailgun", "The integration must be of type webhook."),
    ],
)
def test_integrations_must_fit_the_action(
    client: TestClient, headers: dict[str, str], action_type: str, wrong_kind: str, message: str
) -> None:
    wrong = integration(client, headers, wrong_kind)
    action: dict[str, Any] = {
        "send_email": {"type": "send_email", "to": "lead", "subject": "s", "body": "b"},
        "post_to_slack": {"type": "post_to_slack", "message": "m"},
        "call_webhook": {"type": "call_webhook", "url": "https://x.example"},
    }[action_type]
    errors = errors_of(client, headers, actions=[{**action, "integration_id": wrong}])
    assert errors == {f"actions.0.{action_type}.integration_id": [message]}


def test_an_update_checks_the_references_it_sends(
    client: TestClient, headers: dict[str, str]
) -> None:
    url = f"{API}/{create(client, headers)['id']}"
    response = client.patch(
        url, json={"actions": [{"type": "assign_user", "user_id": 424242}]}, headers=headers
    )
    errors = assert_error(response, 422, "VALIDATION_FAILED")["errors"]
    assert errors == {"actions.0.assign_user.user_id": ["The selected user id is invalid."]}
    assert client.get(url, headers=headers).json()["data"]["actions"] == MINIMAL["actions"]


# -- isolation, scopes, pagination ----------------------------------------------------------


def test_another_workspace_cannot_reach_an_automation(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    created = create(client, headers)
    other = bearer(make_key(db, make_workspace(db, "other")))
    url = f"{API}/{created['id']}"
    assert_error(client.get(url, headers=other), 404, "NOT_FOUND")
    assert_error(client.put(url, json={"name": "x"}, headers=other), 404, "NOT_FOUND")
    assert_error(client.patch(url, json={"is_active": False}, headers=other), 404, "NOT_FOUND")
    assert_error(client.delete(url, headers=other), 404, "NOT_FOUND")
    assert client.get(API, headers=other).json()["meta"]["total"] == 0
    assert client.get(url, headers=headers).json()["data"]["is_active"] is True


def test_scopes_read_write_and_delete_automations(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    created = create(client, headers)
    url = f"{API}/{created['id']}"
    reader = bearer(make_key(db, workspace, scopes=["read:automations"]))
    writer = bearer(make_key(db, workspace, scopes=["read:automations", "write:automations"]))
    deleter = bearer(make_key(db, workspace, scopes=["automations:delete"]))
    assert client.get(API, headers=reader).status_code == 200
    assert client.get(url, headers=reader).status_code == 200
    assert_error(client.post(API, json=MINIMAL, headers=reader), 403, "FORBIDDEN")
    assert_error(client.patch(url, json={"is_active": False}, headers=reader), 403, "FORBIDDEN")
    assert client.post(API, json=MINIMAL, headers=writer).status_code == 201
    assert client.patch(url, json={"is_active": False}, headers=writer).status_code == 200
    assert_error(client.delete(url, headers=writer), 403, "FORBIDDEN")
    assert_error(client.get(url, headers=deleter), 403, "FORBIDDEN")
    assert client.delete(url, headers=deleter).status_code == 204
    assert_error(client.get(API, headers={}), 401, "UNAUTHORIZED")


def test_automations_are_paginated(client: TestClient, headers: dict[str, str]) -> None:
    for index in range(3):
        create(client, headers, name=f"Rule {index}")
    first = client.get(f"{API}?per_page=2", headers=headers).json()
    assert [item["name"] for item in first["data"]] == ["Rule 0", "Rule 1"]
    assert first["meta"]["total"] == 3
    assert first["meta"]["last_page"] == 2
    assert first["links"]["next"] == f"{BASE_URL}{API}?per_page=2&page=2"
    second = client.get(f"{API}?per_page=2&page=2", headers=headers).json()
    assert [item["name"] for item in second["data"]] == ["Rule 2"]
    clamped = client.get(f"{API}?per_page=500", headers=headers).json()
    assert clamped["meta"]["per_page"] == 100


def test_every_automation_route_lists_its_scopes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    expected = {
        ("get", API): "read:automations",
        ("post", API): "write:automations",
        ("get", f"{API}/{{automation_id}}"): "read:automations",
        ("put", f"{API}/{{automation_id}}"): "write:automations",
        ("patch", f"{API}/{{automation_id}}"): "write:automations",
        ("delete", f"{API}/{{automation_id}}"): "delete:automations",
    }
    for (method, path), scope in expected.items():
        assert paths[path][method]["x-required-scopes"] == [scope], (method, path)
