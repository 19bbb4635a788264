"""The automation engine: events start runs, actions change the lead, runs are logged."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from leadhub.db.uow import Database
from leadhub.domains.automations.tasks import RUN_ATTEMPTS
from leadhub.domains.events import service as events
from leadhub.domains.events.schemas import SYSTEM
from leadhub.domains.leads import service as lead_service
from leadhub.kit.clock import utcnow
from leadhub.models import AutomationRun, Job, LeadEvent
from tests.factories import Workspace, default_pipeline, make_user

AUTOMATIONS = "/api/v1/automations"
LEADS = "/api/v1/leads"


def automation(client: TestClient, headers: dict[str, str], **body: Any) -> int:
    body.setdefault("name", "Rule")
    body.setdefault("trigger", "lead_created")
    response = client.post(AUTOMATIONS, json=body, headers=headers)
    assert response.status_code == 201, response.text
    created: int = response.json()["data"]["id"]
    return created


def new_lead(client: TestClient, headers: dict[str, str], **fields: Any) -> int:
    response = client.post(LEADS, json={"first_name": "Ann", **fields}, headers=headers)
    assert response.status_code == 201, response.text
    created: int = response.json()["data"]["id"]
    return created


def lead(client: TestClient, headers: dict[str, str], lead_id: int) -> dict[str, Any]:
    found: dict[str, Any] = client.get(f"{LEADS}/{lead_id}", headers=headers).json()["data"]
    return found


def settle(app: FastAPI) -> None:
    """Run due jobs until none is left (jobs enqueue jobs)."""
    for _ in range(30):
        if not app.state.runtime.jobs.run_pending():
            return
    raise AssertionError("jobs never settled")


def runs(db: Database, automation_id: int) -> list[AutomationRun]:
    with db.unit_of_work(write=False) as session:
        statement = (
            select(AutomationRun)
            .where(AutomationRun.automation_id == automation_id)
            .order_by(AutomationRun.id)
        )
        return list(session.scalars(statement))


def jobs_of(db: Database, kind: str) -> list[Job]:
    with db.unit_of_work(write=False) as session:
        return list(session.scalars(select(Job).where(Job.kind == kind).order_by(Job.id)))


def test_a_matching_event_runs_the_actions_and_logs_the_steps(
    app: FastAPI, client: TestClient, headers: dict[str, str], db: Database
) -> None:
    rule = automation(
        client,
        headers,
        conditions=[{"field": "email", "operator": "contains", "value": "@vip.com"}],
        actions=[
            {"type": "add_tag", "tag": "vip"},
            {"type": "set_field", "field": "company", "value": "VIP Inc"},
            {"type": "set_field", "field": "custom_fields.tier", "value": "gold"},
            {"type": "set_status", "status": "Qualified"},
            {"type": "change_score", "amount": 15},
        ],
    )
    first = new_lead(client, headers, email="ann@vip.com", lead_score=5)
    second = new_lead(client, headers, first_name="Bob", email="bob@other.com")
    settle(app)
    changed = lead(client, headers, first)
    assert changed["tags"] == ["vip"]
    assert changed["company"] == "VIP Inc"
    assert changed["custom_fields"] == {"tier": "gold"}
    assert changed["status"] == "qualified"
    assert changed["lead_score"] == 20
    assert lead(client, headers, second)["tags"] == []
    done, skipped = runs(db, rule)
    assert (done.lead_id, done.status, done.finished_at is not None) == (first, "succeeded", True)
    assert [step["outcome"] for step in done.steps] == ["done"] * 5
    assert [step["type"] for step in done.steps[:2]] == ["add_tag", "set_field"]
    assert (skipped.lead_id, skipped.status) == (second, "skipped")
    with db.unit_of_work(write=False) as session:
        actors = set(
            session.execute(
                select(LeadEvent.actor_type, LeadEvent.actor_id).where(
                    LeadEvent.lead_id == first, LeadEvent.type != "lead_created"
                )
            )
        )
    assert actors == {("automation", rule)}


def test_stage_and_assignment_actions(
    app: FastAPI,
    client: TestClient,
    headers: dict[str, str],
    db: Database,
    workspace: Workspace,
) -> None:
    _pipeline, stages = default_pipeline(db, workspace)
    user = make_user(db, workspace, "rep@example.com")
    automation(
        client,
        headers,
        actions=[
            {"type": "move_to_stage", "stage_id": stages[1]},
            {"type": "assign_user", "user_id": user},
        ],
    )
    lead_id = new_lead(client, headers)
    settle(app)
    found = lead(client, headers, lead_id)
    assert (found["pipeline_stage_id"], found["assigned_user_id"]) == (stages[1], user)


def test_round_robin_assigns_users_in_turn(
    app: FastAPI,
    client: TestClient,
    headers: dict[str, str],
    db: Database,
    workspace: Workspace,
) -> None:
    users = [make_user(db, workspace, f"rep{n}@example.com") for n in range(3)]
    automation(client, headers, actions=[{"type": "assign_round_robin", "user_ids": users}])
    assigned = []
    for n in range(5):
        lead_id = new_lead(client, headers, first_name=f"L{n}")
        settle(app)
        assigned.append(lead(client, headers, lead_id)["assigned_user_id"])
    assert assigned == [users[0], users[1], users[2], users[0], users[1]]


def test_each_trigger_type_starts_runs(
    app: FastAPI,
    client: TestClient,
    headers: dict[str, str],
    db: Database,
    workspace: Workspace,
) -> None:
    _pipeline, stages = default_pipeline(db, workspace)
    user = make_user(db, workspace, "rep@example.com")
    tag = [{"type": "add_tag", "tag": "seen"}]
    rules = {
        kind: automation(client, headers, trigger=trigger, actions=tag)
        for kind, trigger in {
            "updated": {"type": "lead_updated", "fields": ["company"]},
            "stage": {"type": "stage_changed", "stage_id": stages[2]},
            "status": {"type": "status_changed", "status": "won"},
            "tag_added": {"type": "tag_added", "tag": "hot"},
            "tag_removed": {"type": "tag_removed", "tag": "hot"},
            "assigned": "lead_assigned",
            "deleted": "lead_deleted",
        }.items()
    }
    lead_id = new_lead(client, headers)
    path = f"{LEADS}/{lead_id}"
    client.patch(path, json={"company": "Acme"}, headers=headers)
    client.patch(path, json={"pipeline_stage_id": stages[2]}, headers=headers)
    client.patch(path, json={"status": "won"}, headers=headers)
    client.patch(path, json={"tags": ["hot"]}, headers=headers)
    client.patch(path, json={"tags": []}, headers=headers)
    client.patch(path, json={"assigned_user_id": user}, headers=headers)
    settle(app)
    for kind, rule in rules.items():
        if kind != "deleted":
            assert [run.status for run in runs(db, rule)] == ["succeeded"], kind
    client.delete(path, headers=headers)
    settle(app)
    deleted = runs(db, rules["deleted"])
    assert len(deleted) == 1 and deleted[0].status == "failed"  # the lead is gone
    assert "not found" in (deleted[0].error or "")


def test_a_form_submission_starts_its_automation(
    app: FastAPI,
    client: TestClient,
    headers: dict[str, str],
    db: Database,
    workspace: Workspace,
) -> None:
    body = {"name": "Contact", "fields": [{"name": "email", "type": "email"}]}
    form, second = (
        client.post("/api/v1/forms", json=body, headers=headers).json()["data"]["id"]
        for _ in range(2)
    )
    rule = automation(
        client,
        headers,
        trigger={"type": "form_submitted", "form_id": form},
        actions=[{"type": "add_tag", "tag": "from-form"}],
    )
    other = automation(
        client,
        headers,
        trigger={"type": "form_submitted", "form_id": second},
        actions=[{"type": "add_tag", "tag": "other"}],
    )
    lead_id = new_lead(client, headers)
    with db.unit_of_work() as session:
        events.record(
            session, workspace.id, lead_id, "form_submitted", actor=SYSTEM, data={"form_id": form}
        )
    settle(app)
    assert lead(client, headers, lead_id)["tags"] == ["from-form"]
    assert [run.status for run in runs(db, rule)] == ["succeeded"]
    assert runs(db, other) == []


def test_wait_schedules_the_rest_for_later(
    app: FastAPI, client: TestClient, headers: dict[str, str], db: Database
) -> None:
    rule = automation(
        client,
        headers,
        actions=[
            {"type": "add_tag", "tag": "first"},
            {"type": "wait", "minutes": 30},
            {"type": "add_tag", "tag": "second"},
        ],
    )
    lead_id = new_lead(client, headers)
    settle(app)
    assert lead(client, headers, lead_id)["tags"] == ["first"]
    (run,) = runs(db, rule)
    assert (run.status, run.next_action) == ("waiting", 2)
    continuation = [job for job in jobs_of(db, "automations.run") if job.status == "pending"]
    assert len(continuation) == 1
    delay = continuation[0].run_after - utcnow()
    assert timedelta(minutes=29) < delay <= timedelta(minutes=30)
    with db.unit_of_work() as session:
        session.execute(
            update(Job)
            .where(Job.id == continuation[0].id)
            .values(run_after=utcnow() - timedelta(seconds=1))
        )
    settle(app)
    assert lead(client, headers, lead_id)["tags"] == ["first", "second"]
    (run,) = runs(db, rule)
    assert run.status == "succeeded"
    assert [step["outcome"] for step in run.steps] == ["done", "waiting", "done"]


def test_a_failing_step_is_retried_then_reported(
    app: FastAPI,
    client: TestClient,
    headers: dict[str, str],
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []

    def broken(*_args: Any, **_kwargs: Any) -> None:
        calls.append(1)
        raise RuntimeError("the tag store is down")

    monkeypatch.setattr(lead_service, "remove_tag", broken)
    rule = automation(
        client,
        headers,
        actions=[{"type": "add_tag", "tag": "a"}, {"type": "remove_tag", "tag": "b"}],
    )
    lead_id = new_lead(client, headers)
    queue = app.state.runtime.jobs
    settle(app)
    for _ in range(RUN_ATTEMPTS - 1):
        (run,) = runs(db, rule)
        assert run.status == "running" and run.steps == []  # the retry starts afresh
        with db.unit_of_work() as session:
            session.execute(
                update(Job)
                .where(Job.kind == "automations.run")
                .values(run_after=utcnow() - timedelta(seconds=1))
            )
        queue.run_pending()
    assert len(calls) == RUN_ATTEMPTS
    (run,) = runs(db, rule)
    assert run.status == "failed"
    assert "the tag store is down" in (run.error or "")
    assert [step["outcome"] for step in run.steps] == ["done", "failed"]
    assert lead(client, headers, lead_id)["tags"] == ["a"]


def integration(client: TestClient, headers: dict[str, str], kind: str, **settings: Any) -> int:
    response = client.post(
        "/api/v1/integrations", json={"type": kind, "settings": settings}, headers=headers
    )
    assert response.status_code == 201, response.text
    created: int = response.json()["data"]["id"]
    return created


def test_connector_actions_queue_their_jobs_with_the_rendered_text(
    app: FastAPI, client: TestClient, headers: dict[str, str], db: Database
) -> None:
    slack = integration(
        client, headers, "slack", webhook_url="https://hooks.slack.com/services/T/B/X"
    )
    smtp = integration(client, headers, "smtp", host="mail.example.com", from_email="a@example.com")
    rule = automation(
        client,
        headers,
        actions=[
            {"type": "send_email", "to": "lead", "subject": "Hi {{first_name}}", "body": "B"},
            {"type": "post_to_slack", "integration_id": slack, "message": "New: {{email}}"},
            {"type": "call_webhook", "url": "https://hooks.example.com/in"},
        ],
    )
    new_lead(client, headers, email="ann@example.com")
    queue = app.state.runtime.jobs
    queue.run_pending()  # the dispatch
    queue.run_pending()  # the run
    (run,) = runs(db, rule)
    assert run.status == "succeeded"
    assert [step["outcome"] for step in run.steps] == ["queued"] * 3
    (email,) = jobs_of(db, "connectors.send_email")
    assert (email.payload["to"], email.payload["subject"]) == ("ann@example.com", "Hi Ann")
    assert email.payload["integration_id"] == smtp  # the workspace's mailer by default
    (post,) = jobs_of(db, "connectors.post_to_slack")
    assert (post.payload["integration_id"], post.payload["message"]) == (
        slack,
        "New: ann@example.com",
    )
    (call,) = jobs_of(db, "connectors.call_webhook")
    assert call.payload["url"] == "https://hooks.example.com/in"
    assert call.payload["payload"]["lead"]["email"] == "ann@example.com"


def test_an_automation_never_reacts_to_its_own_events(
    app: FastAPI, client: TestClient, headers: dict[str, str], db: Database
) -> None:
    rule = automation(
        client,
        headers,
        trigger="lead_updated",
        actions=[{"type": "change_score", "amount": 1}],
    )
    lead_id = new_lead(client, headers)
    client.patch(f"{LEADS}/{lead_id}", json={"company": "Acme"}, headers=headers)
    settle(app)
    assert lead(client, headers, lead_id)["lead_score"] == 1
    assert len(runs(db, rule)) == 1


def test_chains_of_automations_stop_at_depth_five(
    app: FastAPI, client: TestClient, headers: dict[str, str], db: Database
) -> None:
    # Two automations that set off each other: each reacts to the other's score change.
    rules = [
        automation(
            client,
            headers,
            name=f"Ping {n}",
            trigger={"type": "lead_updated", "fields": ["lead_score"]},
            actions=[{"type": "change_score", "amount": 1}],
        )
        for n in range(2)
    ]
    lead_id = new_lead(client, headers)
    client.patch(f"{LEADS}/{lead_id}", json={"lead_score": 100}, headers=headers)
    settle(app)
    all_runs = [run for rule in rules for run in runs(db, rule)]
    # Both react to the person's change (depth 1), then each to the other's, up to depth 5.
    assert sorted(run.depth for run in all_runs) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert lead(client, headers, lead_id)["lead_score"] == 110
    assert all(run.status == "succeeded" for run in all_runs)


def test_inactive_automations_do_not_run(
    app: FastAPI, client: TestClient, headers: dict[str, str], db: Database
) -> None:
    rule = automation(client, headers, actions=[{"type": "add_tag", "tag": "x"}])
    client.patch(f"{AUTOMATIONS}/{rule}", json={"is_active": False}, headers=headers)
    lead_id = new_lead(client, headers)
    settle(app)
    assert lead(client, headers, lead_id)["tags"] == []
    assert runs(db, rule) == []


def test_an_email_without_a_mailer_fails_the_run(
    app: FastAPI, client: TestClient, headers: dict[str, str], db: Database
) -> None:
    rule = automation(
        client,
        headers,
        actions=[{"type": "send_email", "to": "lead", "subject": "Hi", "body": "B"}],
    )
    new_lead(client, headers, email="ann@example.com")
    settle(app)
    (run,) = runs(db, rule)
    assert run.status == "failed" and "No active SMTP or Mailgun" in (run.error or "")
    assert jobs_of(db, "connectors.send_email") == []
