"""Outbound targets: refuse addresses inside the network LeadHub runs in (SSRF guard)."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class TargetRefused(ValueError):
    """A URL that may not be called: not http(s), unresolvable, or a private address."""


def is_public(address: IPAddress) -> bool:
    """False for loopback, private, link-local (metadata), multicast, reserved, unspecified."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return is_public(address.ipv4_mapped)
    refused = (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )
    if isinstance(address, ipaddress.IPv6Address):
        refused = refused or address.is_site_local
    return not refused


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the host name resolves to (an IP literal is itself)."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise TargetRefused(f"The host {host} cannot be resolved.") from exc
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


def check_target(url: str, *, allow_private: bool) -> None:
    """Raise TargetRefused unless the URL is http(s) and (when not allowed) every address public."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetRefused("The URL must be an http or https URL.")
    if allow_private:
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise TargetRefused("The URL has an invalid port.") from exc
    for address in resolve(parts.hostname, port):
        if not is_public(address):
            raise TargetRefused(
                f"The URL points to a private or reserved address ({address}); "
                "it is refused unless LEADHUB_WEBHOOK_ALLOW_PRIVATE is set."
            )
