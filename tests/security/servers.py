"""Local HTTP servers for outbound-call tests: a receiver that records requests and may redirect,
bound to a chosen loopback address (127.0.0.1, or 127.0.0.2 as a "private" canary)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Server:
    host: str
    port: int
    paths: list[str] = field(default_factory=list)
    hosts: list[str] = field(default_factory=list)  # each request's Host header
    redirect_to: str | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


@contextmanager
def server(host: str = "127.0.0.1", port: int = 0) -> Iterator[Server]:
    """A server on host:port (0: any free port) recording each request's path; it answers
    302 to `redirect_to` when set, else 200."""
    state = Server(host, port)

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            state.paths.append(self.path)
            state.hosts.append(self.headers.get("Host", ""))
            self.send_response(302 if state.redirect_to else 200)
            if state.redirect_to:
                self.send_header("Location", state.redirect_to)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def do_GET(self) -> None:
            self._answer()

        def do_POST(self) -> None:
            self._answer()

        def log_message(self, format: str, *args: object) -> None:
            return None

    http = ThreadingHTTPServer((host, port), Handler)
    state.port = http.server_address[1]
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        http.shutdown()
        http.server_close()
        thread.join(timeout=5)
