"""Google Ads offline click conversions, uploaded with an OAuth token from a refresh token."""

from __future__ import annotations

import re
from typing import Any

from leadhub.integrations import http
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

# Each major version lives a year; v26 (October 2026) is planned to sunset in November 2027.
API_VERSION = "v26"
DEFAULT_API_BASE_URL = "https://googleads.googleapis.com"
DEFAULT_TOKEN_URL = "https://oauth2.googleapis.com/token"
CUSTOMER_QUERY = "SELECT customer.id, customer.descriptive_name FROM customer LIMIT 1"
_ACTION_ID = re.compile(r"[0-9]+")
_ACTION_NAME = re.compile(r"customers/[0-9]{10}/conversionActions/[0-9]+")
_CUSTOMER_ID = re.compile(r"[0-9]{10}")
_VERSION = re.compile(r"v[0-9]+(_[0-9]+)?")


def target_problem(target: str) -> str | None:
    """Why `target` is neither a conversion action id nor its resource name, or None."""
    if _ACTION_ID.fullmatch(target) or _ACTION_NAME.fullmatch(target):
        return None
    return (
        "A Google Ads conversion action is its numeric id or its resource name "
        "(customers/1234567890/conversionActions/123456789)."
    )


def missing(event: ConversionEvent) -> str | None:
    """Why Google Ads could not attribute the conversion, or None."""
    if event.gclid or event.wbraid:
        return None
    return "Google Ads needs the ad click's gclid or wbraid."


def conversion_action(customer_id: str, target: str) -> str:
    """The conversion action's resource name; a bare id belongs to the customer."""
    return (
        f"customers/{customer_id}/conversionActions/{target}"
        if _ACTION_ID.fullmatch(target)
        else target
    )


def payload(event: ConversionEvent, action: str) -> dict[str, Any]:
    """The request body: one click conversion, partial failure on as the API requires."""
    click = {"gclid": event.gclid} if event.gclid else {"wbraid": event.wbraid}
    conversion: dict[str, Any] = {
        **click,
        "conversionAction": action,
        "conversionDateTime": event.occurred_utc.strftime("%Y-%m-%d %H:%M:%S+00:00"),
        "orderId": event.event_id,
    }
    if event.value is not None:
        conversion.update(conversionValue=float(event.value), currencyCode=event.currency.upper())
    return {"conversions": [conversion], "partialFailure": True}


def send(
    config: Config,
    event: ConversionEvent,
    *,
    target: str,
    allow_private: bool,
    graph_version: str = "",  # Meta's only
) -> str:
    """Upload the click conversion; what Google Ads answered."""
    problem = target_problem(target) or missing(event) or value_problem(event, "Google Ads")
    if problem:
        raise ConnectorError(problem, permanent=True)
    customer = _customer_id(config, "customer_id")
    answer = _call(
        config,
        f"customers/{customer}:uploadClickConversions",
        payload(event, conversion_action(customer, target)),
        allow_private=allow_private,
    )
    failure = answer.get("partialFailureError")
    if isinstance(failure, dict) and failure.get("message"):
        raise ConnectorError(
            f"Google Ads refused the conversion: {failure['message']}", permanent=True
        )
    return "Google Ads accepted the conversion."


def check(config: Config, allow_private: bool) -> str:
    """Get a token and read the customer's name."""
    customer = _customer_id(config, "customer_id")
    answer = _call(
        config,
        f"customers/{customer}/googleAds:search",
        {"query": CUSTOMER_QUERY},
        allow_private=allow_private,
    )
    name = _descriptive_name(answer)
    return f"Connected to {name or customer}."


def _descriptive_name(answer: dict[str, Any]) -> str | None:
    results = answer.get("results")
    row = results[0] if isinstance(results, list) and results else None
    found = row.get("customer") if isinstance(row, dict) else None
    name = found.get("descriptiveName") if isinstance(found, dict) else None
    return name if isinstance(name, str) and name else None


def access_token(config: Config, *, allow_private: bool) -> str:
    """Exchange the refresh token for an access token."""
    try:
        response = http.request(
            "POST",
            base_url(config, "token_url", DEFAULT_TOKEN_URL),
            allow_private=allow_private,
            data={
                "grant_type": "refresh_token",
                "client_id": required(config, "client_id"),
                "client_secret": required(config, "client_secret"),
                "refresh_token": required(config, "refresh_token"),
            },
        )
    except ConnectorError as exc:
        raise ConnectorError(
            f"Getting a Google access token failed: {exc.message}", permanent=exc.permanent
        ) from exc
    token = json_object(response, "Google's token endpoint").get("access_token")
    if not isinstance(token, str) or not token:
        raise ConnectorError("Google's token endpoint answered no access token.", permanent=True)
    return token


def _call(
    config: Config, path: str, body: dict[str, Any], *, allow_private: bool
) -> dict[str, Any]:
    """POST to the API as the configured customer, with a fresh token."""
    version = optional(config, "api_version") or API_VERSION
    if not _VERSION.fullmatch(version):
        raise ConnectorError("The Google Ads API version looks like v26.", permanent=True)
    headers = {
        "Authorization": f"Bearer {access_token(config, allow_private=allow_private)}",
        "developer-token": required(config, "developer_token"),
    }
    if optional(config, "login_customer_id"):
        headers["login-customer-id"] = _customer_id(config, "login_customer_id")
    response = http.request(
        "POST",
        f"{base_url(config, 'api_base_url', DEFAULT_API_BASE_URL)}/{version}/{path}",
        allow_private=allow_private,
        headers=headers,
        json=body,
    )
    return json_object(response, "Google Ads")


def _customer_id(config: Config, name: str) -> str:
    digits = required(config, name).replace("-", "").replace(" ", "")
    if not _CUSTOMER_ID.fullmatch(digits):
        raise ConnectorError(f"The {name} setting must be 10 digits.", permanent=True)
    return digits
