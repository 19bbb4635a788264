"""Outbound targets: refuse addresses inside the network LeadHub runs in (SSRF guard).

A check made on a host name is only as good as the connection that follows it: a DNS answer can
change between the check and the connect (DNS rebinding). `guarded_client` therefore resolves each
request's host once, checks every address, and connects to the checked one (TLS still verifies the
certificate for the host name); redirects are not followed, and a hop a caller follows anyway goes
through the same check.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any
from urllib.parse import urlsplit

import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
DEFAULT_PORTS = {"http": 80, "https": 443}


class TargetRefused(ValueError):
    """A URL that may not be called: not http(s), unresolvable, or a private address."""


def is_public(address: IPAddress) -> bool:
    """False for loopback, private, shared (100.64/10, where some clouds keep their metadata
    service), link-local (169.254.169.254), multicast, reserved, unspecified, IPv6 unique-local
    and site-local; an IPv4 address carried in IPv6 (mapped, 6to4, NAT64) is judged as itself."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:  # the IPv4 address is where the packets go
            return is_public(embedded)
    refused = (
        not address.is_global
        or address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )
    if isinstance(address, ipaddress.IPv6Address):
        refused = refused or address.is_site_local
    return not refused


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:  # 64:ff9b::/96 reaches the IPv4 address in its last 32 bits
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the host name resolves to (an IP literal is itself)."""
    literal = _literal(host)
    if literal is not None:
        return [literal]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise TargetRefused(f"The host {host} cannot be resolved.") from exc
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def pick_address(host: str, port: int, *, allow_private: bool) -> IPAddress:
    """The address to connect to for `host`: the first it resolves to, after every one it
    resolves to passed the check (unless private targets are allowed)."""
    addresses = resolve(host, port)
    if not addresses:
        raise TargetRefused(f"The host {host} cannot be resolved.")
    if not allow_private:
        for address in addresses:
            if not is_public(address):
                raise TargetRefused(
                    f"The URL points to a private or reserved address ({address}); "
                    "it is refused unless LEADHUB_WEBHOOK_ALLOW_PRIVATE is set."
                )
    return addresses[0]


def check_target(url: str, *, allow_private: bool) -> None:
    """Raise TargetRefused unless the URL is http(s) and (when not allowed) every address public."""
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise TargetRefused("The URL must be an http or https URL.")
    if allow_private:
        return
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError as exc:
        raise TargetRefused("The URL has an invalid port.") from exc
    pick_address(parts.hostname, port, allow_private=False)


class PinnedTransport(httpx.HTTPTransport):
    """An HTTP transport that connects only to addresses the check let through.

    Each request's host is resolved here, once; the request then goes to that address, with the
    `Host` header and the TLS server name (SNI, certificate check) still the host name.
    """

    def __init__(self, *, allow_private: bool, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._allow_private = allow_private

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if url.scheme not in DEFAULT_PORTS or not url.host:
            raise TargetRefused("The URL must be an http or https URL.")
        if self._allow_private:
            return super().handle_request(request)
        port = url.port or DEFAULT_PORTS[url.scheme]
        address = pick_address(url.host, port, allow_private=False)
        if _literal(url.host) is None:
            request.url = url.copy_with(host=str(address))
            request.extensions = {**request.extensions, "sni_hostname": url.host}
        return super().handle_request(request)


def guarded_client(*, allow_private: bool, timeout: httpx.Timeout | float) -> httpx.Client:
    """An HTTP client for calls to addresses users chose (webhooks, connectors).

    Redirects are not followed; proxy settings from the environment are ignored, so the
    connection goes to the address that was checked.
    """
    return httpx.Client(
        transport=PinnedTransport(allow_private=allow_private),
        timeout=timeout,
        follow_redirects=False,
        trust_env=False,
    )
