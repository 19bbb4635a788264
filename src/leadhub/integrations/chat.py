"""Posting to Slack's incoming webhooks and calling plain JSON webhooks."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

from leadhub.integrations import http

SIGNATURE_HEADER = "X-LeadHub-Signature"


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
        stamp = str(int(time.time()))
        digest = hmac.new(
            signing_secret.encode(), stamp.encode() + b"." + body, hashlib.sha256
        ).hexdigest()
        headers[SIGNATURE_HEADER] = f"t={stamp},v1={digest}"
    response = http.request("POST", url, allow_private=allow_private, content=body, headers=headers)
    return response.status_code
