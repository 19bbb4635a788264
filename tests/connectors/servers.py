"""Local servers speaking the providers' documented formats, recording what they receive."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


# (status, JSON answer) for a request.
Responder = Callable[[Received], tuple[int, Any]]


@dataclass
class LocalServer:
    url: str
    received: list[Received] = field(default_factory=list)


@contextmanager
def http_server(respond: Responder) -> Iterator[LocalServer]:
    """A threaded HTTP server on a free loopback port that answers with `respond`."""
    server_state: LocalServer

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            got = Received(
                method=self.command,
                path=self.path,
                headers={key.lower(): value for key, value in self.headers.items()},
                body=self.rfile.read(length),
            )
            server_state.received.append(got)
            status, answer = respond(got)
            data = json.dumps(answer).encode() if not isinstance(answer, bytes) else answer
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._handle()

        def do_POST(self) -> None:
            self._handle()

        def log_message(self, format: str, *args: Any) -> None:
            return

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server_state = LocalServer(url=f"http://127.0.0.1:{httpd.server_address[1]}")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server_state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def path_of(received: Received) -> str:
    """The request's path without its query string."""
    return urlsplit(received.path).path


def query_of(received: Received) -> dict[str, str]:
    """The request's query parameters, one value each."""
    return dict(parse_qsl(urlsplit(received.path).query, keep_blank_values=True))


def form_of(received: Received) -> dict[str, str]:
    """The request's form-encoded body, one value each."""
    return dict(parse_qsl(received.body.decode(), keep_blank_values=True))


# Shared because stopping a server waits out serve_forever's half-second poll.
class Switchboard:
    """One local server for a module's tests, each setting its responder and starting afresh."""

    def __init__(self, server: LocalServer) -> None:
        self.server = server
        self.respond: Responder = lambda _received: (404, {"error": "no responder set"})

    def answering(self, respond: Responder) -> LocalServer:
        """The server, now answering with `respond`, its record of requests emptied."""
        self.respond = respond
        self.server.received.clear()
        return self.server


@contextmanager
def switchboard() -> Iterator[Switchboard]:
    """A Switchboard for the length of the block (a module-scoped fixture's)."""
    board: Switchboard

    def respond(received: Received) -> tuple[int, Any]:
        return board.respond(received)  # the responder of the moment, not the first one

    with http_server(respond) as server:
        board = Switchboard(server)
        yield board
