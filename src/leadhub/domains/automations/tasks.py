"""Running automations: the event subscriber that starts runs and the job that carries them out.

A run starts when an active automation's trigger matches an event and its conditions hold of
the lead. Its job performs the actions in order; `wait` schedules the rest for later. A step
that fails unexpectedly is retried with the job's backoff, and after the last attempt the run
fails with that step's error. Loops are cut: an automation never reacts to an event it caused,
and a chain of automations stops at `MAX_DEPTH`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from leadhub.domains.automations.evaluate import Facts, conditions_hold, trigger_matches
from leadhub.domains.automations.runs import RunRepository, add_step
from leadhub.domains.automations.steps import (
    StepFailed,
    automation_principal,
    lead_facts,
    perform,
)
from leadhub.domains.events.schemas import AUTOMATION, DEPTH_KEY
from leadhub.domains.events.subscribers import subscriber
from leadhub.domains.jobs import service as jobs
from leadhub.domains.jobs.registry import JobContext, handler
from leadhub.kit.clock import utcnow
from leadhub.models import Automation, AutomationRun, LeadEvent

RUN_KIND = "automations.run"
RUN_ATTEMPTS = 5
MAX_DEPTH = 5


def _listens(session: Session, workspace_id: int, event_type: str) -> bool:
    return RunRepository(session, workspace_id).any_active(event_type)


@subscriber("automations", listens=_listens)
def start_runs(context: JobContext, event: LeadEvent) -> None:
    """Start a run of every active automation this event fires."""
    depth = event_depth(event)
    if depth >= MAX_DEPTH:
        return
    session = context.session
    repo = RunRepository(session, event.workspace_id)
    automations = [
        automation
        for automation in repo.active_automations(event.type)
        if not caused_by(event, automation.id)
    ]
    if not automations:
        return
    lead = _facts(session, event)
    for automation in automations:
        if trigger_matches(automation.trigger, event.type, event.changes, event.data, lead):
            _start(session, repo, automation, event, lead, depth + 1)


def event_depth(event: LeadEvent) -> int:
    """How many automations led to this event (0 for people, keys and LeadHub itself)."""
    if event.actor_type != AUTOMATION:
        return 0
    depth = (event.data or {}).get(DEPTH_KEY, 1)
    return depth if isinstance(depth, int) else MAX_DEPTH


def caused_by(event: LeadEvent, automation_id: int) -> bool:
    return event.actor_type == AUTOMATION and event.actor_id == automation_id


def _facts(session: Session, event: LeadEvent) -> Facts:
    principal = automation_principal(session, event.workspace_id, None, 0)
    lead = lead_facts(session, principal, event.lead_id)
    if lead is not None:
        return lead
    # A deleted lead: what its event kept of it.
    return {"id": event.lead_id, "tags": [], **(event.data or {})}


def _start(
    session: Session,
    repo: RunRepository,
    automation: Automation,
    event: LeadEvent,
    lead: Facts,
    depth: int,
) -> None:
    holds = conditions_hold(automation.conditions or [], automation.match, lead)
    run = repo.add(
        AutomationRun(
            automation_id=automation.id,
            lead_id=event.lead_id,
            event_id=event.id,
            status="running" if holds else "skipped",
            steps=[],
            next_action=0,
            depth=depth,
            finished_at=None if holds else utcnow(),
        )
    )
    if not holds:
        add_step(run, None, "conditions", "skipped", "The conditions did not hold.")
    session.flush()
    if holds:
        enqueue_run(session, run)


def enqueue_run(session: Session, run: AutomationRun, *, delay_seconds: float = 0) -> None:
    jobs.enqueue(
        session,
        RUN_KIND,
        {"run_id": run.id},
        workspace_id=run.workspace_id,
        delay_seconds=delay_seconds,
        max_attempts=RUN_ATTEMPTS,
    )


@handler(RUN_KIND)
def run_automation(context: JobContext, payload: dict[str, Any]) -> None:
    """Carry a run on from its next action until it waits, fails or is done."""
    if context.workspace_id is None:
        return
    session = context.session
    repo = RunRepository(session, context.workspace_id)
    run = repo.get(AutomationRun, int(payload["run_id"]))
    if run is None or run.status not in ("running", "waiting"):
        return
    automation = repo.get(Automation, run.automation_id)
    if automation is None:
        return
    principal = automation_principal(session, run.workspace_id, automation.id, run.depth)
    run.status = "running"
    actions: list[dict[str, Any]] = list(automation.actions or [])
    while run.next_action < len(actions):
        index = run.next_action
        action = actions[index]
        try:
            with session.begin_nested():
                outcome = perform(session, principal, run, index, action)
        except StepFailed as exc:
            _fail(session, run, index, action, str(exc))
            return
        except Exception as exc:
            if context.attempt < RUN_ATTEMPTS:
                raise  # retried with the job's backoff
            _fail(session, run, index, action, f"{exc} (after {context.attempt} attempts)")
            return
        add_step(run, index, str(action["type"]), outcome.outcome, outcome.message)
        run.next_action = index + 1
        if outcome.wait_seconds is not None:
            run.status = "waiting"
            session.flush()
            enqueue_run(session, run, delay_seconds=outcome.wait_seconds)
            return
    run.status = "succeeded"
    run.finished_at = utcnow()
    session.flush()


def _fail(
    session: Session, run: AutomationRun, index: int, action: dict[str, Any], error: str
) -> None:
    add_step(run, index, str(action["type"]), "failed", error)
    run.status = "failed"
    run.error = error
    run.finished_at = utcnow()
    session.flush()
