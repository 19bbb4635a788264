"""GA4 Measurement Protocol: a conversion event for the visitor's GA client id."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from leadhub.integrations import http
from leadhub.integrations.adplatforms.common import (
    Config,
    base_url,
    json_object,
    required,
    value_problem,
)
from leadhub.integrations.adplatforms.event import ConversionEvent
from leadhub.integrations.errors import ConnectorError

DEFAULT_BASE_URL = "https://www.google-analytics.com"
# GA4 drops events whose timestamp is more than 72 hours before the request.
MAX_AGE_SECONDS = 72 * 3600
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,39}")
_MEASUREMENT_ID = re.compile(r"G-[A-Z0-9]+")
RESERVED_PREFIXES = ("firebase_", "ga_", "google_")
# The Measurement Protocol's reserved event names and the web streams' automatic ones.
RESERVED_NAMES = frozenset(
    {
        "ad_activeview",
        "ad_click",
        "ad_exposure",
        "ad_impression",
        "ad_query",
        "ad_reward",
        "adunit_exposure",
        "app_background",
        "app_clear_data",
        "app_exception",
        "app_install",
        "app_remove",
        "app_store_refund",
        "app_store_subscription_cancel",
        "app_store_subscription_convert",
        "app_store_subscription_renew",
        "app_update",
        "app_upgrade",
        "click",
        "dynamic_link_app_open",
        "dynamic_link_app_update",
        "dynamic_link_first_open",
        "error",
        "file_download",
        "first_open",
        "first_visit",
        "form_start",
        "form_submit",
        "in_app_purchase",
        "notification_dismiss",
        "notification_foreground",
        "notification_open",
        "notification_receive",
        "os_update",
        "page_view",
        "scroll",
        "session_start",
        "session_start_with_rollout",
        "user_engagement",
        "video_complete",
        "video_progress",
        "video_start",
        "view_search_results",
    }
)
TEST_CLIENT_ID = "1234567890.1234567890"


def target_problem(target: str) -> str | None:
    """Why `target` cannot be a GA4 event name, or None."""
    if not _NAME.fullmatch(target):
        return (
            "A GA4 event name has at most 40 letters, digits and underscores, "
            "and starts with a letter."
        )
    if target.lower().startswith(RESERVED_PREFIXES):
        return f"GA4 reserves event names starting with {', '.join(RESERVED_PREFIXES)}."
    if target.lower() in RESERVED_NAMES:
        return f"GA4 reserves the event name {target}."
    return None


def missing(event: ConversionEvent) -> str | None:
    """Why GA4 could not record the conversion, or None."""
    if not (event.cid or "").strip():
        return "GA4 needs the visitor's Google Analytics client id (from the _ga cookie)."
    if event.older_than(MAX_AGE_SECONDS):
        return "The conversion is more than 72 hours old, and GA4 drops older events."
    return None


def payload(event: ConversionEvent, target: str) -> dict[str, Any]:
    """The request body: one event for the client id, at the time of the conversion."""
    params: dict[str, Any] = {"transaction_id": event.event_id, "engagement_time_msec": 1}
    if event.value is not None:
        params.update(value=float(event.value), currency=event.currency.upper())
    if event.sid:
        params["session_id"] = event.sid
    since_epoch = event.occurred_utc - datetime(1970, 1, 1, tzinfo=UTC)
    return {
        "client_id": (event.cid or "").strip(),
        "timestamp_micros": since_epoch // timedelta(microseconds=1),
        "events": [{"name": target, "params": params}],
    }


def send(
    config: Config,
    event: ConversionEvent,
    *,
    target: str,
    allow_private: bool,
    graph_version: str = "",  # Meta's only
) -> str:
    """POST the event to /mp/collect, which answers 2xx whatever it makes of it."""
    problem = target_problem(target) or missing(event) or value_problem(event, "GA4")
    if problem:
        raise ConnectorError(problem, permanent=True)
    http.request(
        "POST",
        f"{base_url(config, 'base_url', DEFAULT_BASE_URL)}/mp/collect",
        allow_private=allow_private,
        params=_credentials(config),
        json=payload(event, target),
    )
    return "GA4 accepted the event."


def check(config: Config, allow_private: bool) -> str:
    """Validate a sample event with /debug/mp/collect (which does not check the api_secret)."""
    sample = {
        "client_id": TEST_CLIENT_ID,
        "events": [{"name": "leadhub_connection_test", "params": {"engagement_time_msec": 1}}],
    }
    response = http.request(
        "POST",
        f"{base_url(config, 'base_url', DEFAULT_BASE_URL)}/debug/mp/collect",
        allow_private=allow_private,
        params=_credentials(config),
        json=sample,
    )
    messages = json_object(response, "GA4").get("validationMessages") or []
    if not isinstance(messages, list):
        raise ConnectorError("GA4 answered something unexpected.", permanent=True)
    if messages:
        first = messages[0] if isinstance(messages[0], dict) else {}
        raise ConnectorError(str(first.get("description") or first), permanent=True)
    return "GA4 accepted a test event."


def _credentials(config: Config) -> dict[str, str]:
    measurement_id = required(config, "measurement_id")
    if not _MEASUREMENT_ID.fullmatch(measurement_id):
        raise ConnectorError("A GA4 measurement id looks like G-XXXXXXXXXX.", permanent=True)
    return {"measurement_id": measurement_id, "api_secret": required(config, "api_secret")}
