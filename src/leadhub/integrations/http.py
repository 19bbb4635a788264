"""Outbound HTTP with explicit timeouts, refusing private targets unless the node allows them."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import httpx

from leadhub.integrations.errors import ConnectorError
from leadhub.kit import net

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
USER_AGENT = "LeadHub-Connector/1"


def check_target(url: str, *, allow_private: bool) -> None:
    """Refuse URLs that are not http(s), and hosts in private, loopback or reserved ranges."""
    try:
        net.check_target(url, allow_private=allow_private)
    except net.TargetRefused as exc:
        raise ConnectorError(str(exc), permanent=True) from exc


def request(method: str, url: str, *, allow_private: bool, **kwargs: Any) -> httpx.Response:
    """One request; 4xx answers are permanent errors, 5xx answers and network errors are not.

    The connection goes to the address that was checked, and a redirect is not followed.
    """
    check_target(url, allow_private=allow_private)
    headers = {"User-Agent": USER_AGENT, **kwargs.pop("headers", {})}
    try:
        with net.guarded_client(allow_private=allow_private, timeout=TIMEOUT) as client:
            response = client.request(method, url, headers=headers, **kwargs)
    except net.TargetRefused as exc:
        raise ConnectorError(str(exc), permanent=True) from exc
    except httpx.HTTPError as exc:
        raise ConnectorError(f"{method} {_safe(url)} failed: {exc.__class__.__name__}") from exc
    if response.status_code >= 400:
        raise ConnectorError(
            f"{method} {_safe(url)} answered {response.status_code}: {response.text[:200]}",
            permanent=400 <= response.status_code < 500 and response.status_code != 429,
        )
    return response


def _safe(url: str) -> str:
    """The URL without its query string (which may hold a token) nor a Slack hook's path."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path if 'hooks.' not in parts.netloc else ''}"
