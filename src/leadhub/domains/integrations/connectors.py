"""Integrations at work: their decrypted configuration, testing a connection, and the webhooks
Facebook and Google call (public by design: the integration id with its verify token, signature
or key authenticates them)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.domains.integrations.catalog import BY_TYPE
from leadhub.domains.integrations.mapping import google_lead
from leadhub.domains.integrations.repository import IntegrationRepository
from leadhub.domains.integrations.service import _secrets
from leadhub.domains.jobs import service as jobs
from leadhub.domains.leads import intake
from leadhub.errors import Forbidden, Invalid, NotFound
from leadhub.integrations import registry
from leadhub.integrations.errors import ConnectorError
from leadhub.integrations.facebook import DEFAULT_GRAPH_VERSION, signature_valid
from leadhub.kit.crypto import SecretBox
from leadhub.kit.tokens import constant_time_equal
from leadhub.models import Integration

FACEBOOK = "facebook_lead_ads"
GOOGLE = "google_ads_lead_forms"
FACEBOOK_LEAD_KIND = "connectors.facebook_lead"
MAX_LEADGEN_PER_DELIVERY = 100


@dataclass(frozen=True)
class ConnectionResult:
    ok: bool
    message: str


def config_of(row: Integration, secret_box: SecretBox) -> dict[str, Any]:
    """The integration's settings (defaults filled in) and its decrypted secrets, in one map."""
    config: dict[str, Any] = {
        setting.name: setting.default
        for setting in BY_TYPE[row.type].settings
        if setting.default is not None
    }
    config.update(row.settings or {})
    secrets, _unreadable = _secrets(row, secret_box)
    config.update(secrets)
    return config


def load(
    session: Session, workspace_id: int, integration_id: int, secret_box: SecretBox
) -> tuple[Integration, dict[str, Any]]:
    """One of the workspace's integrations and its configuration."""
    row = IntegrationRepository(session, workspace_id).get(Integration, integration_id)
    if row is None:
        raise NotFound.of("Integration")
    return row, config_of(row, secret_box)


def test_connection(
    session: Session,
    principal: Principal,
    integration_id: int,
    *,
    secret_box: SecretBox,
    allow_private: bool,
    graph_version: str = DEFAULT_GRAPH_VERSION,
) -> ConnectionResult:
    """Connect to the provider as the integration would (sending nothing a user would see,
    but Slack's test message and the webhook's ping)."""
    row, config = load(session, principal.workspace_id, integration_id, secret_box)
    try:
        answer = registry.check(
            row.type, config, allow_private=allow_private, graph_version=graph_version
        )
        return ConnectionResult(True, answer)
    except ConnectorError as exc:
        return ConnectionResult(False, exc.message)


# -- Facebook Lead Ads ----------------------------------------------------------------------


def facebook_challenge(
    session: Session,
    integration_id: int,
    *,
    mode: str | None,
    verify_token: str | None,
    challenge: str | None,
    secret_box: SecretBox,
) -> str:
    """The subscription handshake: `hub.challenge` when the mode and verify token are right."""
    row = _receiving(session, integration_id, FACEBOOK)
    expected = str(config_of(row, secret_box).get("verify_token") or "")
    if mode != "subscribe" or not expected or not constant_time_equal(verify_token or "", expected):
        raise Forbidden("The verify token does not match.")
    return challenge or ""


def facebook_receive(
    session: Session,
    integration_id: int,
    *,
    raw_body: bytes,
    signature: str | None,
    secret_box: SecretBox,
) -> int:
    """Check `X-Hub-Signature-256`, then enqueue a job per leadgen change; how many."""
    row = _receiving(session, integration_id, FACEBOOK)
    app_secret = str(config_of(row, secret_box).get("app_secret") or "")
    if not signature_valid(raw_body, signature, app_secret):
        raise Forbidden("The X-Hub-Signature-256 signature does not match.")
    try:
        body = json.loads(raw_body)
    except ValueError as exc:
        raise Invalid.field("body", "The body must be JSON.") from exc
    changes = _leadgen_changes(body)[:MAX_LEADGEN_PER_DELIVERY]
    for value in changes:
        jobs.enqueue(
            session,
            FACEBOOK_LEAD_KIND,
            {
                "integration_id": row.id,
                "leadgen_id": str(value["leadgen_id"]),
                "page_id": str(value.get("page_id") or ""),
                "form_id": str(value.get("form_id") or ""),
                "ad_id": str(value.get("ad_id") or ""),
            },
            workspace_id=row.workspace_id,
        )
    return len(changes)


def _leadgen_changes(body: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    entries = body.get("entry") if isinstance(body, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        for change in changes if isinstance(changes, list) else []:
            if not isinstance(change, dict) or change.get("field") != "leadgen":
                continue
            value = change.get("value")
            if isinstance(value, dict) and value.get("leadgen_id") not in (None, ""):
                found.append(value)
    return found


# -- Google Ads lead forms ------------------------------------------------------------------


def google_receive(
    session: Session, integration_id: int, *, body: Any, secret_box: SecretBox
) -> int:
    """Check `google_key`, map `user_column_data` onto a lead and capture it; the lead's id."""
    row = _receiving(session, integration_id, GOOGLE)
    expected = str(config_of(row, secret_box).get("webhook_key") or "")
    given = body.get("google_key") if isinstance(body, dict) else None
    if not expected or not isinstance(given, str) or not constant_time_equal(given, expected):
        raise Forbidden("The google_key does not match.")
    result = intake.capture(
        session, row.workspace_id, data=google_lead(body), default_source="google_ads"
    )
    return result.lead_id


def _receiving(session: Session, integration_id: int, integration_type: str) -> Integration:
    """An active integration of the type, in any workspace (looked up by its id alone)."""
    row = session.get(Integration, integration_id)
    if row is None or row.type != integration_type or not row.is_active:
        raise NotFound.of("Integration")
    return row
