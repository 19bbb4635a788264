"""Attribution from what a browser sends: form fields, the query string, tracking cookies."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

FIELDS = (
    "gclid",
    "wbraid",
    "cid",
    "sid",
    "fbp",
    "fbc",
    "fbclid",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "referrer",
    "landing_page",
)
_COOKIES = {"_fbp": "fbp", "_fbc": "fbc"}
MAX_LENGTH = 500
# Where a page's tracking script leaves the UTM journey: a field, a query parameter or a cookie.
CHANNEL_FLOW_KEYS = ("channel_flow", "channelFlow", "lt_channelflow")
MAX_CHANNEL_FLOW = 10_000


def collect(
    *sources: Mapping[str, Any], cookies: Mapping[str, str] | None = None, now: float | None = None
) -> dict[str, str]:
    """Attribution keys from the sources (the first source that has a key wins) and cookies."""
    found: dict[str, str] = {}
    for source in sources:
        for key in FIELDS:
            value = source.get(key)
            if key not in found and isinstance(value, str) and value.strip():
                found[key] = value.strip()[
                    : 2000 if key in ("referrer", "landing_page") else MAX_LENGTH
                ]
    for cookie, key in _COOKIES.items():
        value = (cookies or {}).get(cookie, "").strip()
        if value and key not in found:
            found[key] = value[:MAX_LENGTH]
    client_id = google_client_id((cookies or {}).get("_ga", ""))
    if client_id and "cid" not in found:
        found["cid"] = client_id
    if "fbclid" in found and "fbc" not in found:
        # Meta's documented click-id format: fb.<subdomain index>.<creation ms>.<fbclid>.
        found["fbc"] = f"fb.1.{int((now or time.time()) * 1000)}.{found['fbclid']}"[:MAX_LENGTH]
    return found


def google_client_id(cookie: str) -> str | None:
    """The client id in a `_ga` cookie (`GA1.1.123456789.1700000000` → `123456789.1700000000`)."""
    parts = cookie.strip().split(".")
    if (
        len(parts) >= 4
        and parts[0].upper().startswith("GA")
        and all(p.isdigit() for p in parts[2:4])
    ):
        return f"{parts[2]}.{parts[3]}"
    return None


def channel_flow(
    *sources: Mapping[str, Any], cookies: Mapping[str, str] | None = None
) -> str | None:
    """The UTM journey from the first source (or cookie) that carries one."""
    for source in (*sources, cookies or {}):
        for key in CHANNEL_FLOW_KEYS:
            value = source.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()[:MAX_CHANNEL_FLOW]
    return None
