"""Jobs that reach the outside world through an integration: send an email, post to Slack, call
a webhook, fetch a Facebook lead. A 4xx answer fails for good; 5xx and network errors retry."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from leadhub.domains.integrations.connectors import FACEBOOK, FACEBOOK_LEAD_KIND, load
from leadhub.domains.integrations.mapping import facebook_lead
from leadhub.domains.jobs.registry import JobContext, PermanentFailure, handler
from leadhub.domains.leads import intake
from leadhub.errors import LeadHubError
from leadhub.integrations import chat, facebook, registry
from leadhub.integrations.errors import ConnectorError
from leadhub.integrations.mail import Email
from leadhub.models import Integration

SEND_EMAIL = "connectors.send_email"
POST_TO_SLACK = "connectors.post_to_slack"
CALL_WEBHOOK = "connectors.call_webhook"


@contextmanager
def _outcomes() -> Iterator[None]:
    """ConnectorErrors that retrying cannot fix, and domain errors, become PermanentFailure."""
    try:
        yield
    except ConnectorError as exc:
        if exc.permanent:
            raise PermanentFailure(exc.message) from exc
        raise
    except LeadHubError as exc:
        raise PermanentFailure(exc.message) from exc


def _integration(
    context: JobContext, payload: dict[str, Any], *types: str
) -> tuple[Integration, dict[str, Any]]:
    if context.workspace_id is None:
        raise PermanentFailure("The job names no workspace.")
    try:
        integration_id = int(payload["integration_id"])
    except (KeyError, TypeError, ValueError) as exc:
        raise PermanentFailure("The job names no integration_id.") from exc
    row, config = load(context.session, context.workspace_id, integration_id, context.secret_box)
    if types and row.type not in types:
        raise PermanentFailure(f"Integration {row.id} is a {row.type} integration.")
    if not row.is_active:
        raise PermanentFailure(f"Integration {row.id} is inactive.")
    return row, config


def _text(payload: dict[str, Any], name: str) -> str:
    value = payload.get(name)
    if not isinstance(value, str):
        raise PermanentFailure(f"The job's {name} must be a string.")
    return value


@handler(SEND_EMAIL)
def send_email(context: JobContext, payload: dict[str, Any]) -> None:
    """Payload: integration_id (SMTP or Mailgun), to, subject, body."""
    with _outcomes():
        row, config = _integration(context, payload, "smtp", "mailgun")
        email = Email(
            to=_text(payload, "to"), subject=_text(payload, "subject"), body=_text(payload, "body")
        )
        mailer = registry.mailer(row.type, config, allow_private=context.allow_private_targets)
        mailer.send(email)


@handler(POST_TO_SLACK)
def post_to_slack(context: JobContext, payload: dict[str, Any]) -> None:
    """Payload: integration_id (Slack), message."""
    with _outcomes():
        _row, config = _integration(context, payload, "slack")
        chat.post_to_slack(
            str(config.get("webhook_url") or ""),
            _text(payload, "message"),
            allow_private=context.allow_private_targets,
        )


@handler(CALL_WEBHOOK)
def call_webhook(context: JobContext, payload: dict[str, Any]) -> None:
    """Payload: integration_id (a webhook integration) or url, and payload (any JSON)."""
    with _outcomes():
        secret: str | None = None
        if payload.get("integration_id") is not None:
            _row, config = _integration(context, payload, "webhook")
            url = str(config.get("url") or "")
            secret = config.get("signing_secret") or None
        else:
            url = _text(payload, "url")
        chat.call_webhook(
            url,
            payload.get("payload"),
            allow_private=context.allow_private_targets,
            signing_secret=secret,
        )


@handler(FACEBOOK_LEAD_KIND)
def facebook_lead_job(context: JobContext, payload: dict[str, Any]) -> None:
    """Payload: integration_id, leadgen_id (and the webhook's page, form and ad ids): fetch the
    lead from the Graph API and capture it."""
    with _outcomes():
        row, config = _integration(context, payload, FACEBOOK)
        lead = facebook.fetch_lead(
            str(config.get("graph_base_url") or "https://graph.facebook.com"),
            _text(payload, "leadgen_id"),
            str(config.get("access_token") or ""),
            allow_private=context.allow_private_targets,
            graph_version=context.graph_version,
        )
        for key in ("form_id", "ad_id"):  # the webhook's ids when the Graph lead lacks them
            if not lead.get(key) and payload.get(key):
                lead[key] = payload[key]
        data = facebook_lead(lead, page_id=str(payload.get("page_id") or "") or None)
        intake.capture(context.session, row.workspace_id, data=data, default_source="facebook")
