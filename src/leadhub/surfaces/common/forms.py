"""What HTTP tells about a form submission: the client's address, its attribution."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request

from leadhub.kit import attribution


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def attribution_from(values: Mapping[str, Any], request: Request | None = None) -> dict[str, str]:
    """Attribution from the submitted values, then the query string and the tracking cookies."""
    if request is None:
        return attribution.collect(values)
    return attribution.collect(values, request.query_params, cookies=request.cookies)


def channel_flow_from(values: Mapping[str, Any], request: Request) -> str | None:
    """The UTM journey from the submitted values, the query string or the tracking cookie."""
    return attribution.channel_flow(values, request.query_params, cookies=request.cookies)
