"""The records an automation names must exist in its workspace, and integrations must fit the
action that uses them. Each problem is reported on the path of the id that names the record."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from leadhub.domains.automations.actions import (
    Action,
    AssignRoundRobinAction,
    AssignUserAction,
    CallWebhookAction,
    MoveToStageAction,
    PostToSlackAction,
    SendEmailAction,
    SetFieldAction,
)
from leadhub.domains.automations.repository import AutomationRepository
from leadhub.domains.automations.triggers import FormSubmittedTrigger, StageChangedTrigger, Trigger
from leadhub.domains.leads.validation import Errors
from leadhub.models import Form, Pipeline, User

Kind = Literal["pipeline", "stage", "user", "form", "integration"]
# The integration types each action can use.
INTEGRATION_FITS: dict[str, tuple[str, ...]] = {
    "send_email": ("smtp", "mailgun"),
    "post_to_slack": ("slack",),
    "call_webhook": ("webhook",),
}
_SET_FIELD_KINDS: dict[str, Kind] = {
    "pipeline_id": "pipeline",
    "pipeline_stage_id": "stage",
    "assigned_user_id": "user",
    "form_id": "form",
}


@dataclass(frozen=True)
class Reference:
    path: str
    kind: Kind
    record_id: int
    fits: tuple[str, ...] = ()
    pipeline_id: int | None = None  # a stage must belong to this pipeline


@dataclass(frozen=True)
class Found:
    """What exists of the referenced records: ids, stages' pipelines, integrations' types."""

    ids: dict[Kind, set[int]]
    stage_pipelines: dict[int, int]
    integration_types: dict[int, str]


def check(
    repo: AutomationRepository, trigger: Trigger | None, actions: Sequence[Action] | None
) -> Errors:
    """Every reference of the trigger and actions given that does not hold, by its path."""
    references = _of_trigger(trigger) if trigger is not None else []
    for index, action in enumerate(actions or []):
        references.extend(_of_action(index, action))
    found = _look_up(repo, references)
    errors = Errors()
    for reference in references:
        problem = _problem(reference, found)
        if problem:
            errors.add(reference.path, problem)
    return errors


def _of_trigger(trigger: Trigger) -> list[Reference]:
    base = f"trigger.{trigger.type}"
    found: list[Reference] = []
    if isinstance(trigger, StageChangedTrigger):
        if trigger.pipeline_id is not None:
            found.append(Reference(f"{base}.pipeline_id", "pipeline", trigger.pipeline_id))
        if trigger.stage_id is not None:
            found.append(
                Reference(f"{base}.stage_id", "stage", trigger.stage_id, (), trigger.pipeline_id)
            )
    elif isinstance(trigger, FormSubmittedTrigger) and trigger.form_id is not None:
        found.append(Reference(f"{base}.form_id", "form", trigger.form_id))
    return found


def _of_action(index: int, action: Action) -> list[Reference]:
    base = f"actions.{index}.{action.type}"
    if isinstance(action, MoveToStageAction):
        return [Reference(f"{base}.stage_id", "stage", action.stage_id)]
    if isinstance(action, AssignUserAction):
        return [Reference(f"{base}.user_id", "user", action.user_id)]
    if isinstance(action, AssignRoundRobinAction):
        return [
            Reference(f"{base}.user_ids.{position}", "user", user_id)
            for position, user_id in enumerate(action.user_ids)
        ]
    if isinstance(action, SetFieldAction) and action.field in _SET_FIELD_KINDS:
        value = action.value
        if isinstance(value, int) and not isinstance(value, bool):
            return [Reference(f"{base}.value", _SET_FIELD_KINDS[action.field], value)]
    if (
        isinstance(action, SendEmailAction | PostToSlackAction | CallWebhookAction)
        and action.integration_id
    ):
        fits = INTEGRATION_FITS[action.type]
        return [Reference(f"{base}.integration_id", "integration", action.integration_id, fits)]
    return []


def _look_up(repo: AutomationRepository, references: list[Reference]) -> Found:
    wanted: dict[Kind, set[int]] = defaultdict(set)
    for reference in references:
        wanted[reference.kind].add(reference.record_id)
    stages = repo.stage_pipelines(wanted["stage"])
    integrations = repo.integration_types(wanted["integration"])
    ids: dict[Kind, set[int]] = {
        "pipeline": repo.existing(Pipeline, Pipeline.id, wanted["pipeline"]),
        "user": repo.existing(User, User.id, wanted["user"]),
        "form": repo.existing(Form, Form.id, wanted["form"]),
        "stage": set(stages),
        "integration": set(integrations),
    }
    return Found(ids=ids, stage_pipelines=stages, integration_types=integrations)


def _problem(reference: Reference, found: Found) -> str | None:
    if reference.record_id not in found.ids[reference.kind]:
        return f"The selected {reference.kind} id is invalid."
    if reference.kind == "stage" and reference.pipeline_id is not None:
        pipeline_exists = reference.pipeline_id in found.ids["pipeline"]
        if pipeline_exists and found.stage_pipelines[reference.record_id] != reference.pipeline_id:
            return "The stage must belong to the selected pipeline."
    if reference.fits and found.integration_types[reference.record_id] not in reference.fits:
        return f"The integration must be of type {' or '.join(reference.fits)}."
    return None
