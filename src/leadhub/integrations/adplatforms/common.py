"""Reading an integration's settings (a missing one is a permanent error) and JSON answers."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import httpx

from leadhub.integrations.adplatforms.event import ConversionEvent
from leadhub.integrations.errors import ConnectorError

Config = Mapping[str, Any]
_CURRENCY = re.compile(r"[A-Z]{3}")


def required(config: Config, name: str) -> str:
    value = optional(config, name)
    if value is None:
        raise ConnectorError(f"The integration has no {name} setting.", permanent=True)
    return value


def optional(config: Config, name: str) -> str | None:
    value = config.get(name)
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip()


def base_url(config: Config, name: str, default: str) -> str:
    """A URL setting without its trailing slash, the provider's own when unset."""
    return (optional(config, name) or default).rstrip("/")


def json_object(response: httpx.Response, service: str) -> dict[str, Any]:
    """The answer's JSON object; not JSON is worth a retry, another shape is not."""
    try:
        answer = response.json()
    except ValueError as exc:
        raise ConnectorError(f"{service} answered something other than JSON.") from exc
    if not isinstance(answer, dict):
        raise ConnectorError(f"{service} answered something unexpected.", permanent=True)
    return answer


def value_problem(event: ConversionEvent, service: str) -> str | None:
    """Why the event's value cannot be sent (a currency that is not ISO 4217), or None."""
    if event.value is not None and not _CURRENCY.fullmatch(event.currency.upper()):
        return f"{event.currency!r} is not an ISO 4217 currency code, which {service} needs."
    return None
