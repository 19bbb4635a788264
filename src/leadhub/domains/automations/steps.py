"""What each action does to a lead, through the lead services, as the automation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.auth.scopes import ALL
from leadhub.db.scoped import ScopedRepository
from leadhub.domains.automations.evaluate import Facts, render
from leadhub.domains.automations.repository import AutomationRepository
from leadhub.domains.automations.shapes import CUSTOM_PREFIX
from leadhub.domains.jobs import service as jobs
from leadhub.domains.leads import service as leads
from leadhub.domains.leads.schemas import LeadUpdate
from leadhub.domains.workspaces import service as workspaces
from leadhub.errors import Invalid, LeadHubError, NotFound
from leadhub.models import AutomationCursor, AutomationRun, Integration

# The jobs of the actions that reach the outside world (their handlers live with the connectors).
CONNECTOR_KINDS = {
    "send_email": "connectors.send_email",
    "post_to_slack": "connectors.post_to_slack",
    "call_webhook": "connectors.call_webhook",
}
SCORE_LIMIT = 1_000_000


class StepFailed(Exception):
    """A step retrying cannot fix (a record gone, a value refused): the run fails at once."""


@dataclass(frozen=True)
class Outcome:
    outcome: str  # done, queued or waiting
    message: str
    wait_seconds: float | None = None


def automation_principal(
    session: Session, workspace_id: int, automation_id: int | None, depth: int
) -> Principal:
    """The automation acting in its workspace: every scope, and its own name on the events."""
    workspace = workspaces.get(session, workspace_id)
    return Principal(
        workspace_id=workspace_id,
        workspace_slug=workspace.slug,
        scopes=frozenset({ALL}),
        automation_id=automation_id,
        automation_depth=depth,
    )


def lead_facts(session: Session, principal: Principal, lead_id: int) -> Facts | None:
    """The lead as conditions and templates see it; None when it is gone."""
    try:
        return leads.get(session, principal, lead_id).model_dump(mode="json")
    except NotFound:
        return None


def perform(
    session: Session, principal: Principal, run: AutomationRun, index: int, action: dict[str, Any]
) -> Outcome:
    """Do one action; domain errors (a refused value, a record gone) become `StepFailed`."""
    try:
        return _perform(session, principal, run, index, action)
    except Invalid as exc:
        details = "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in exc.fields.items()
        )
        raise StepFailed(f"{exc.message} {details}".strip()) from exc
    except LeadHubError as exc:
        raise StepFailed(exc.message) from exc


def _perform(
    session: Session, principal: Principal, run: AutomationRun, index: int, action: dict[str, Any]
) -> Outcome:
    kind = str(action["type"])
    lead_id = run.lead_id
    if kind == "add_tag":
        leads.add_tag(session, principal, lead_id, str(action["tag"]))
        return Outcome("done", f"Tagged {action['tag']}.")
    if kind == "remove_tag":
        leads.remove_tag(session, principal, lead_id, str(action["tag"]))
        return Outcome("done", f"Removed the tag {action['tag']}.")
    if kind == "set_field":
        field, value = str(action["field"]), action.get("value")
        _update(session, principal, lead_id, _field_change(field, value))
        return Outcome("done", f"Set {field} to {value!r}.")
    if kind == "set_status":
        _update(session, principal, lead_id, {"status": action["status"]})
        return Outcome("done", f"Set the status to {action['status']}.")
    if kind == "move_to_stage":
        return _move(session, principal, lead_id, int(action["stage_id"]))
    if kind == "assign_user":
        _update(session, principal, lead_id, {"assigned_user_id": int(action["user_id"])})
        return Outcome("done", f"Assigned to user {action['user_id']}.")
    if kind == "assign_round_robin":
        user_id = next_in_turn(session, run, index, [int(one) for one in action["user_ids"]])
        _update(session, principal, lead_id, {"assigned_user_id": user_id})
        return Outcome("done", f"Assigned to user {user_id} (round robin).")
    if kind == "change_score":
        return _score(session, principal, lead_id, int(action["amount"]))
    if kind == "wait":
        minutes = int(action["minutes"])
        return Outcome("waiting", f"Waiting {minutes} minutes.", wait_seconds=minutes * 60.0)
    if kind in CONNECTOR_KINDS:
        return _connector(session, principal, run, kind, action)
    raise StepFailed(f"Unknown action {kind!r}.")


def _field_change(field: str, value: Any) -> dict[str, Any]:
    if field.startswith(CUSTOM_PREFIX):
        return {"custom_fields": {field.removeprefix(CUSTOM_PREFIX): value}}
    return {field: value}


def _update(session: Session, principal: Principal, lead_id: int, values: dict[str, Any]) -> None:
    leads.update(session, principal, lead_id, data=LeadUpdate.model_validate(values))


def _move(session: Session, principal: Principal, lead_id: int, stage_id: int) -> Outcome:
    pipelines = AutomationRepository(session, principal.workspace_id).stage_pipelines([stage_id])
    if stage_id not in pipelines:
        raise StepFailed(f"The stage {stage_id} no longer exists.")
    values = {"pipeline_id": pipelines[stage_id], "pipeline_stage_id": stage_id}
    _update(session, principal, lead_id, values)
    return Outcome("done", f"Moved to stage {stage_id}.")


def _score(session: Session, principal: Principal, lead_id: int, amount: int) -> Outcome:
    current = leads.get(session, principal, lead_id).lead_score
    score = max(-SCORE_LIMIT, min(SCORE_LIMIT, current + amount))
    _update(session, principal, lead_id, {"lead_score": score})
    return Outcome("done", f"Changed the score by {amount:+d} to {score}.")


def next_in_turn(session: Session, run: AutomationRun, index: int, user_ids: list[int]) -> int:
    """The user whose turn it is in this round-robin action, moving the turn on."""
    repo = ScopedRepository(session, run.workspace_id)
    statement = (
        repo.select(AutomationCursor)
        .where(
            AutomationCursor.automation_id == run.automation_id,
            AutomationCursor.action_index == index,
        )
        .with_for_update()
    )
    cursor = session.scalars(statement).first()
    if cursor is None:
        cursor = repo.add(
            AutomationCursor(automation_id=run.automation_id, action_index=index, position=0)
        )
    position = cursor.position % len(user_ids)
    cursor.position = (position + 1) % len(user_ids)
    session.flush()
    return user_ids[position]


def _connector(
    session: Session, principal: Principal, run: AutomationRun, kind: str, action: dict[str, Any]
) -> Outcome:
    lead = lead_facts(session, principal, run.lead_id)
    if lead is None:
        raise StepFailed("The lead no longer exists.")
    payload = connector_payload(kind, action, lead, run)
    if kind == "send_email" and payload["integration_id"] is None:
        payload["integration_id"] = _mailer(session, principal.workspace_id)
    jobs.enqueue(session, CONNECTOR_KINDS[kind], payload, workspace_id=principal.workspace_id)
    target = payload.get("to") or payload.get("url") or "Slack"
    return Outcome("queued", f"Queued {kind.replace('_', ' ')} to {target}.")


def _mailer(session: Session, workspace_id: int) -> int:
    """The workspace's first active SMTP or Mailgun integration, for emails that name none."""
    repo = ScopedRepository(session, workspace_id)
    statement = (
        repo.select_columns(Integration, Integration.id)
        .where(Integration.type.in_(("smtp", "mailgun")), Integration.is_active.is_(True))
        .order_by(Integration.id)
        .limit(1)
    )
    found = session.scalar(statement)
    if found is None:
        raise StepFailed("No active SMTP or Mailgun integration to send the email with.")
    return int(found)


def connector_payload(
    kind: str, action: dict[str, Any], lead: Facts, run: AutomationRun
) -> dict[str, Any]:
    """What a connector job gets: the integration, the rendered message, who asked."""
    base = {
        "integration_id": action.get("integration_id"),
        "lead_id": run.lead_id,
        "automation_id": run.automation_id,
        "run_id": run.id,
    }
    if kind == "send_email":
        to = str(action["to"])
        if to == "lead":
            to = str(lead.get("email") or "")
            if not to:
                raise StepFailed("The lead has no email address.")
        return {
            **base,
            "to": to,
            "subject": render(str(action["subject"]), lead),
            "body": render(str(action["body"]), lead),
        }
    if kind == "post_to_slack":
        return {**base, "message": render(str(action["message"]), lead)}
    return {
        **base,
        "url": str(action["url"]),
        "payload": {
            "event": "automation",
            "automation_id": run.automation_id,
            "run_id": run.id,
            "lead": dict(lead),
        },
    }
