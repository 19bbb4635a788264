"""A local HTTP receiver for webhook deliveries: records each request, answers scripted codes."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str
    requests: list[Received] = field(default_factory=list)
    # Status codes to answer, in order; 200 once they run out.
    answers: list[int] = field(default_factory=list)
    redirect_to: str | None = None
    # JSON bodies to answer, in order; a plain "ok" once they run out.
    json_answers: list[dict[str, Any]] = field(default_factory=list)


@contextmanager
def receiver() -> Iterator[Receiver]:
    """A receiver on 127.0.0.1 in a background thread for the duration of the block."""
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            state.requests.append(
                Received(
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length),
                )
            )
            code = state.answers.pop(0) if state.answers else 200
            self.send_response(code)
            if state.redirect_to and 300 <= code < 400:
                self.send_header("Location", state.redirect_to)
            body = json.dumps(state.json_answers.pop(0)).encode() if state.json_answers else b"ok"
            if body != b"ok":
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/leadhub"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def verify(secret: str, header: str, body: bytes) -> bool:
    """What a receiver does with `X-LeadHub-Signature: t=<unix>,v1=<hex>`."""
    parts = dict(item.split("=", 1) for item in header.split(","))
    expected = hmac.new(
        secret.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])
