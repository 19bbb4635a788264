"""Jobs that send conversions to the ad platforms, one send per job, and settle them."""

from __future__ import annotations

from typing import Any

from leadhub.domains.conversions.sending import event_for, settle
from leadhub.domains.conversions.service import SEND_ATTEMPTS, SEND_KIND, SETTLE_KIND
from leadhub.domains.events import service as events
from leadhub.domains.events.schemas import CONVERSION_FAILED, CONVERSION_SENT, SYSTEM
from leadhub.domains.integrations.connectors import config_of
from leadhub.domains.jobs.registry import JobContext, handler
from leadhub.integrations import adplatforms
from leadhub.integrations.errors import ConnectorError
from leadhub.kit.clock import utcnow
from leadhub.models import Conversion, ConversionSend, Integration, Job, Lead

MAX_DETAIL = 1000


@handler(SEND_KIND)
def send_conversion(context: JobContext, payload: dict[str, Any]) -> None:
    """Send one conversion to one platform; failures retry with backoff, then show on the lead."""
    send = context.session.get(ConversionSend, int(payload["send_id"]))
    if send is None or send.status != "queued":
        return
    conversion = context.session.get(Conversion, send.conversion_id)
    lead = context.session.get(Lead, conversion.lead_id) if conversion else None
    integration = context.session.get(Integration, send.integration_id or 0)
    send.attempts = context.attempt
    if conversion is None or lead is None:
        return
    if integration is None:
        _failed(context, send, lead, "The integration was deleted before the send.")
    else:
        try:
            answer = adplatforms.send(
                integration.type,
                config_of(integration, context.secret_box),
                event_for(lead, conversion),
                target=send.target,
                allow_private=context.allow_private_targets,
                graph_version=context.graph_version,
            )
        except ConnectorError as exc:
            if not exc.permanent and context.attempt < _max_attempts(context):
                raise  # rolled back: the job runs again later
            _failed(context, send, lead, exc.message)
        else:
            _sent(context, send, lead, answer)
    settle(context.session, send.workspace_id, send.conversion_id)


@handler(SETTLE_KIND)
def settle_conversion(context: JobContext, payload: dict[str, Any]) -> None:
    """Close a conversion that had nothing to send."""
    conversion = context.session.get(Conversion, int(payload["conversion_id"]))
    if conversion is not None:
        settle(context.session, conversion.workspace_id, conversion.id)


def _sent(context: JobContext, send: ConversionSend, lead: Lead, answer: str) -> None:
    send.status = "sent"
    send.detail = answer[:MAX_DETAIL]
    send.sent_at = utcnow()
    context.session.flush()
    _log(context, send, lead, CONVERSION_SENT)


def _failed(context: JobContext, send: ConversionSend, lead: Lead, error: str) -> None:
    send.status = "failed"
    send.detail = error[:MAX_DETAIL]
    context.session.flush()
    _log(context, send, lead, CONVERSION_FAILED)


def _log(context: JobContext, send: ConversionSend, lead: Lead, kind: str) -> None:
    events.record(
        context.session,
        lead.workspace_id,
        lead.id,
        kind,
        actor=SYSTEM,
        data={
            "conversion_id": send.conversion_id,
            "destination": send.destination,
            "integration": send.integration_name,
            "target": send.target,
            "attempts": send.attempts,
            "detail": send.detail,
        },
    )


def _max_attempts(context: JobContext) -> int:
    job = context.session.get(Job, context.job_id)
    return job.max_attempts if job is not None else SEND_ATTEMPTS
