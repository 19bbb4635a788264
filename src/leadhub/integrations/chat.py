"""Posting to Slack's incoming webhooks and calling plain JSON webhooks."""

from __future__ import annotations

import json
import time
from typing import Any

from leadhub.integrations import http
from leadhub.kit.signing import SIGNATURE_HEADER, signature


def post_to_slack(webhook_url: str, text: str, *, allow_private: bool) -> None:
    """POST {"text": …} to a Slack incoming webhook URL."""
    http.request("POST", webhook_url, allow_private=allow_private, json={"text": text})


def call_webhook(
    url: str, payload: Any, *, allow_private: bool, signing_secret: str | None = None
) -> int:
    """POST the payload as JSON (signed `t=…,v1=HMAC-SHA256(secret, "t.body")` when a secret is
    set); the answer's status."""
    body = json.dumps(payload, separators=(",", ":"), default=str).encode()
    headers = {"Content-Type": "application/json"}
    if signing_secret:
        headers[SIGNATURE_HEADER] = signature(signing_secret, int(time.time()), body)
    response = http.request("POST", url, allow_private=allow_private, content=body, headers=headers)
    return response.status_code
