"""Outbound calls (webhooks, connectors, SMTP) never reach loopback, private or metadata
addresses when the node does not allow them: every address a name resolves to is checked, the
connection goes to the address that was checked (a DNS answer that changes in between, DNS
rebinding, changes nothing), and redirects are not followed (a hop followed anyway is checked).

The local receiver listens on 127.0.0.1; tests declare that one address public (as a site on the
internet would be) while 127.0.0.2, a canary on the same port, stays private.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from fastapi import FastAPI
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from leadhub.domains.integrations import connectors
from leadhub.integrations import http
from leadhub.integrations.errors import ConnectorError
from leadhub.kit import net
from leadhub.surfaces.common.runtime import Runtime
from tests.connectors.conftest import make_integration
from tests.factories import Workspace, make_lead
from tests.security.servers import Server, server
from tests.webhooks.test_deliveries import deliveries, make_hook, run_jobs

STAND_IN = ipaddress.ip_address("127.0.0.1")
CANARY_HOST = "127.0.0.2"
REBINDING_NAME = "rebind.leadhub.test"

PRIVATE = [
    "127.0.0.1",
    "127.255.255.254",
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "100.100.100.200",  # shared address space (another cloud's metadata)
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fc00::1",
    "fd00:ec2::254",  # IPv6 unique-local (a metadata service's IPv6 address)
    "fe80::1",
    "fec0::1",
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:169.254.169.254",
    "::ffff:10.0.0.1",
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
]
PUBLIC = ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"]


@pytest.fixture
def stand_in_is_public(monkeypatch: pytest.MonkeyPatch) -> None:
    original = net.is_public
    monkeypatch.setattr(net, "is_public", lambda address: address == STAND_IN or original(address))


@contextmanager
def receiver_and_canary() -> Iterator[tuple[Server, Server]]:
    """The receiver on 127.0.0.1 and a canary on 127.0.0.2 listening on the same port."""
    with server() as receiver, server(CANARY_HOST, receiver.port) as canary:
        yield receiver, canary


def fake_dns(monkeypatch: pytest.MonkeyPatch, name: str, answer: Callable[[int], str]) -> list[str]:
    """Resolve `name` to `answer(n)` on its n-th lookup (every resolver in the process sees
    it, httpx's and smtplib's included); the answers given, in order."""
    real = socket.getaddrinfo
    given: list[str] = []

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != name:
            return real(host, port, *args, **kwargs)
        given.append(answer(len(given) + 1))
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (given[-1], int(port or 0)))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return given


def public_first(count: int) -> Callable[[int], str]:
    """A rebinding DNS server: the stand-in's address for `count` lookups, the canary's after."""
    return lambda n: str(STAND_IN) if n <= count else CANARY_HOST


@pytest.mark.parametrize("address", PRIVATE)
def test_private_loopback_and_metadata_addresses_are_refused(address: str) -> None:
    assert not net.is_public(ipaddress.ip_address(address))
    host = f"[{address}]" if ":" in address else address
    with pytest.raises(net.TargetRefused, match="private or reserved"):
        net.check_target(f"http://{host}:8080/hook", allow_private=False)
    with (
        pytest.raises(net.TargetRefused),
        net.guarded_client(allow_private=False, timeout=2) as client,
    ):
        client.get(f"http://{host}:8080/hook")


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass(address: str) -> None:
    assert net.is_public(ipaddress.ip_address(address))


def test_a_name_is_refused_when_any_of_its_addresses_is_private(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != "mixed.leadhub.test":
            return real(host, port, *args, **kwargs)
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("169.254.169.254", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    for url in ("http://mixed.leadhub.test/", "http://localhost:9/"):
        with pytest.raises(net.TargetRefused, match="private or reserved"):
            net.check_target(url, allow_private=False)


@pytest.mark.usefixtures("stand_in_is_public")
def test_the_connection_goes_to_the_address_that_was_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with receiver_and_canary() as (receiver, canary):
        answers = fake_dns(monkeypatch, REBINDING_NAME, public_first(1))
        url = f"http://{REBINDING_NAME}:{receiver.port}/hook"
        with net.guarded_client(allow_private=False, timeout=5) as client:
            assert client.get(url).status_code == 200
    assert answers == [str(STAND_IN)]  # resolved once, by the check
    assert receiver.paths == ["/hook"] and canary.paths == []
    assert receiver.hosts == [f"{REBINDING_NAME}:{receiver.port}"]


@pytest.mark.usefixtures("stand_in_is_public")
@pytest.mark.parametrize("public_lookups", [0, 1, 2, 3])
def test_dns_rebinding_never_reaches_a_private_address_through_a_connector(
    monkeypatch: pytest.MonkeyPatch, public_lookups: int
) -> None:
    with receiver_and_canary() as (receiver, canary):
        fake_dns(monkeypatch, REBINDING_NAME, public_first(public_lookups))
        url = f"http://{REBINDING_NAME}:{receiver.port}/hook"
        try:
            http.request("POST", url, allow_private=False, json={"event": "ping"})
        except ConnectorError as exc:
            assert exc.permanent and "private or reserved" in str(exc)
    assert canary.paths == []
    assert len(receiver.paths) <= 1


@pytest.mark.usefixtures("stand_in_is_public")
def test_a_redirect_to_a_private_address_is_not_followed(monkeypatch: pytest.MonkeyPatch) -> None:
    with receiver_and_canary() as (receiver, canary):
        receiver.redirect_to = f"{canary.url}/latest/meta-data/"
        answer = http.request("POST", f"{receiver.url}/hook", allow_private=False, json={})
        assert answer.status_code == 302
        with net.guarded_client(allow_private=False, timeout=5) as client:
            # A caller that follows redirects gets each hop checked.
            with pytest.raises(net.TargetRefused, match=re.escape(CANARY_HOST)):
                client.post(f"{receiver.url}/again", follow_redirects=True)
            receiver.redirect_to = "http://169.254.169.254/latest/meta-data/"
            with pytest.raises(net.TargetRefused, match=re.escape("169.254.169.254")):
                client.get(f"{receiver.url}/metadata", follow_redirects=True)
    assert receiver.paths == ["/hook", "/again", "/metadata"]
    assert canary.paths == []


@pytest.mark.usefixtures("stand_in_is_public")
def test_webhook_deliveries_reach_public_receivers_and_never_a_redirect_target(
    app: FastAPI, db: Database, workspace: Workspace, client: TestClient, headers: dict[str, str]
) -> None:
    assert app.state.runtime.settings.webhook_allow_private is False
    with receiver_and_canary() as (receiver, canary), server() as redirecting:
        redirecting.redirect_to = f"{canary.url}/latest/meta-data/"
        for url in (f"{receiver.url}/hooks", f"{redirecting.url}/hooks"):
            created = client.post(
                "/api/v1/webhooks", json={"url": url, "events": ["*"]}, headers=headers
            )
            assert created.status_code == 201, created.text
        make_lead(db, workspace, email="ada@example.com")
        run_jobs(app)
    assert receiver.paths == ["/hooks"] and redirecting.paths == ["/hooks"]
    assert canary.paths == []


@pytest.mark.usefixtures("stand_in_is_public")
@pytest.mark.parametrize("public_lookups", [0, 1, 2, 3])
def test_dns_rebinding_never_reaches_a_private_address_through_a_webhook(
    app: FastAPI,
    db: Database,
    workspace: Workspace,
    monkeypatch: pytest.MonkeyPatch,
    public_lookups: int,
) -> None:
    with receiver_and_canary() as (receiver, canary):
        fake_dns(monkeypatch, REBINDING_NAME, public_first(public_lookups))
        hook_id = make_hook(db, workspace, f"http://{REBINDING_NAME}:{receiver.port}/h", ["*"])
        make_lead(db, workspace)
        run_jobs(app)
    assert canary.paths == []
    (delivery,) = deliveries(db, workspace, hook_id)
    if receiver.paths:
        assert delivery.status == "succeeded"
    else:
        assert delivery.status == "failed" and "private or reserved" in (delivery.error or "")


class _Connections:
    """A TCP listener that counts the connections it accepts (and closes them)."""

    def __init__(self, host: str, port: int) -> None:
        self.accepted = 0
        self._socket = socket.create_server((host, port))
        self._socket.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except OSError:
                continue
            self.accepted += 1
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._socket.close()


class _Quiet:
    async def handle_DATA(self, *_args: Any) -> str:
        return "250 OK"


@contextmanager
def smtp_and_canary() -> Iterator[int]:
    """An SMTP server on 127.0.0.1 and a canary listener on 127.0.0.2, on the same port."""
    probe = socket.create_server(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    controller = Controller(_Quiet(), hostname="127.0.0.1", port=port)
    controller.start()
    canary = _Connections(CANARY_HOST, port)
    try:
        yield port
    finally:
        controller.stop()
        canary.close()
        assert canary.accepted == 0, "the SMTP client reached the canary"


def _smtp_check(app: FastAPI, workspace: Workspace, host: str, port: int) -> Any:
    integration = make_integration(
        app,
        workspace,
        "smtp",
        {"host": host, "port": port, "use_tls": False, "from_email": "sales@acme-corp.com"},
    )
    runtime: Runtime = app.state.runtime
    with runtime.db.unit_of_work() as session:
        return connectors.test_connection(
            session,
            workspace.principal(),
            integration,
            secret_box=runtime.secret_box,
            allow_private=False,
        )


def test_smtp_refuses_private_hosts(app: FastAPI, workspace: Workspace) -> None:
    with smtp_and_canary() as port:
        for host in ("127.0.0.2", "localhost"):
            result = _smtp_check(app, workspace, host, port)
            assert not result.ok and "private or reserved" in result.message


@pytest.mark.usefixtures("stand_in_is_public")
def test_smtp_connects_to_the_address_that_was_checked(
    app: FastAPI, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    with smtp_and_canary() as port:
        answers = fake_dns(monkeypatch, REBINDING_NAME, public_first(1))
        result = _smtp_check(app, workspace, REBINDING_NAME, port)
    assert result.ok, result.message
    assert answers == [str(STAND_IN)]
