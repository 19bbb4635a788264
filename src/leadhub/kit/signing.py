"""The signature LeadHub puts on what it sends: `t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.

Receivers recompute the HMAC with their secret over the timestamp, a dot and the raw body, compare
in constant time, and refuse old timestamps to stop replays.
"""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-LeadHub-Signature"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"
