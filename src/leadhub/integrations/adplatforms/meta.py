"""Meta Conversions API: a CRM conversion with hashed customer information, for one pixel."""

from __future__ import annotations

import re
from typing import Any

from leadhub.integrations import http
from leadhub.integrations.adplatforms import hashing
from leadhub.integrations.adplatforms.common import (
    Config,
    base_url,
    json_object,
    optional,
    required,
    value_problem,
)
from leadhub.integrations.adplatforms.event import ConversionEvent
from leadhub.integrations.errors import ConnectorError
from leadhub.integrations.facebook import DEFAULT_GRAPH_VERSION

DEFAULT_BASE_URL = "https://graph.facebook.com"
MAX_EVENT_NAME = 50
# Meta refuses the whole request when an event_time is more than 7 days old.
MAX_AGE_SECONDS = 7 * 24 * 3600
_PIXEL_ID = re.compile(r"[0-9]+")


def target_problem(target: str) -> str | None:
    """Why `target` cannot be a Meta event name (standard like "Lead", or custom), or None."""
    if not target.strip():
        return "The Meta event name is empty."
    if target != target.strip() or not target.isprintable():
        return "The Meta event name must not have surrounding spaces or control characters."
    if len(target) > MAX_EVENT_NAME:
        return f"The Meta event name must be at most {MAX_EVENT_NAME} characters."
    return None


def missing(event: ConversionEvent) -> str | None:
    """Why Meta could not match or would refuse the conversion, or None."""
    if event.older_than(MAX_AGE_SECONDS):
        return "The conversion is more than 7 days old, and Meta refuses older events."
    if any(_user_data(event).get(key) for key in ("em", "ph", "fbc", "fbp")):
        return None
    if event.ip_address and event.user_agent:
        return None
    return (
        "Meta needs an email address, a phone number with its country code, a Facebook click "
        "or browser id (fbc, fbp), or an IP address with a user agent."
    )


def payload(event: ConversionEvent, target: str, test_event_code: str | None) -> dict[str, Any]:
    """The request body: one CRM event, with the token added by `send`."""
    custom: dict[str, Any] = {"event_source": "crm", "lead_event_source": "LeadHub"}
    if event.value is not None:
        custom.update(value=float(event.value), currency=event.currency.upper())
    body: dict[str, Any] = {
        "data": [
            {
                "event_name": target,
                "event_time": int(event.occurred_utc.timestamp()),
                "event_id": event.event_id,
                "action_source": "system_generated",
                "user_data": _user_data(event),
                "custom_data": custom,
            }
        ]
    }
    if test_event_code:
        body["test_event_code"] = test_event_code
    return body


def _user_data(event: ConversionEvent) -> dict[str, Any]:
    """Hashed identifiers as one-item lists; the click, browser and device ones as they are."""
    hashed = {
        "em": hashing.email(event.email),
        "ph": hashing.phone(event.phone),
        "fn": hashing.name(event.first_name),
        "ln": hashing.name(event.last_name),
        "external_id": hashing.identifier(event.external_id),
    }
    plain = {
        "client_ip_address": event.ip_address,
        "client_user_agent": event.user_agent,
        "fbc": event.fbc,
        "fbp": event.fbp,
    }
    data: dict[str, Any] = {key: [hashing.sha256(value)] for key, value in hashed.items() if value}
    data.update({key: value for key, value in plain.items() if value})
    return data


def send(
    config: Config,
    event: ConversionEvent,
    *,
    target: str,
    allow_private: bool,
    graph_version: str = DEFAULT_GRAPH_VERSION,
) -> str:
    """POST the event to the pixel's /events edge; what Meta answered."""
    problem = target_problem(target) or missing(event) or value_problem(event, "Meta")
    if problem:
        raise ConnectorError(problem, permanent=True)
    body = payload(event, target, optional(config, "test_event_code"))
    response = http.request(
        "POST",
        f"{_pixel_url(config, graph_version)}/events",
        allow_private=allow_private,
        json={**body, "access_token": required(config, "access_token")},
    )
    answer = json_object(response, "The Graph API")
    received = answer.get("events_received")
    if not isinstance(received, int) or received < 1:
        raise ConnectorError("Meta received no event.", permanent=True)
    return f"Meta received the event (fbtrace_id {answer.get('fbtrace_id') or 'none'})."


def check(config: Config, allow_private: bool, graph_version: str = DEFAULT_GRAPH_VERSION) -> str:
    """GET the pixel with the token: its name."""
    response = http.request(
        "GET",
        _pixel_url(config, graph_version),
        allow_private=allow_private,
        params={"access_token": required(config, "access_token"), "fields": "name"},
    )
    name = json_object(response, "The Graph API").get("name")
    return f"The pixel is {name}." if isinstance(name, str) and name else "The pixel answered."


def _pixel_url(config: Config, graph_version: str) -> str:
    pixel_id = required(config, "pixel_id")
    if not _PIXEL_ID.fullmatch(pixel_id):
        raise ConnectorError("The pixel id must be digits only.", permanent=True)
    base = base_url(config, "graph_base_url", DEFAULT_BASE_URL)
    return f"{base}/{graph_version}/{pixel_id}"
