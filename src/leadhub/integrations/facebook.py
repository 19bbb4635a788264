"""Facebook Lead Ads: the webhook's signature, and fetching a lead from the Graph API."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from leadhub.config import DEFAULT_META_GRAPH_VERSION
from leadhub.integrations import http
from leadhub.integrations.errors import ConnectorError

# Callers pass the node's LEADHUB_META_GRAPH_VERSION; this default is that setting's.
DEFAULT_GRAPH_VERSION = DEFAULT_META_GRAPH_VERSION
SIGNATURE_PREFIX = "sha256="


def signature_valid(raw_body: bytes, header: str | None, app_secret: str) -> bool:
    """Whether `X-Hub-Signature-256` is `sha256=` and the HMAC-SHA256 of the raw body."""
    if not header or not header.startswith(SIGNATURE_PREFIX) or not app_secret:
        return False
    expected = hmac.new(app_secret.encode(), raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header[len(SIGNATURE_PREFIX) :].strip().lower())


def fetch_lead(
    graph_base_url: str,
    leadgen_id: str,
    access_token: str,
    *,
    allow_private: bool,
    graph_version: str = DEFAULT_GRAPH_VERSION,
) -> dict[str, Any]:
    """The lead as the Graph API returns it: id, created_time, field_data, ad and form ids."""
    response = http.request(
        "GET",
        f"{graph_base_url.rstrip('/')}/{graph_version}/{leadgen_id}",
        allow_private=allow_private,
        params={"access_token": access_token},
    )
    try:
        lead = response.json()
    except ValueError as exc:
        raise ConnectorError("The Graph API answered something other than JSON.") from exc
    if not isinstance(lead, dict):
        raise ConnectorError("The Graph API answered an unexpected lead.", permanent=True)
    return lead


def check_token(graph_base_url: str, access_token: str, *, allow_private: bool) -> str:
    """GET /me with the token: the page or user it belongs to."""
    response = http.request(
        "GET",
        f"{graph_base_url.rstrip('/')}/me",
        allow_private=allow_private,
        params={"access_token": access_token},
    )
    try:
        me = response.json()
    except ValueError:
        me = {}
    name = me.get("name") if isinstance(me, dict) else None
    return f"The access token belongs to {name}." if name else "The access token works."
