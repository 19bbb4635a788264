"""What HTTP tells about a form submission: the client's address, its attribution."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi.exceptions import RequestValidationError
from starlette.requests import Request

from leadhub.errors import UnsupportedMediaType
from leadhub.kit import attribution
from leadhub.surfaces.common.limits import urlencoded_problems

_URLENCODED = "application/x-www-form-urlencoded"
_FORM_TYPES = (_URLENCODED, "multipart/form-data")


async def posted_fields(request: Request) -> dict[str, str]:
    """The text fields of a form a browser posted; UnsupportedMediaType for a body that is not
    a form, and a validation error for a field that is not UTF-8 or holds a NUL (the framework
    would read such bytes as Latin-1, or pass the NUL on)."""
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type not in _FORM_TYPES:
        raise UnsupportedMediaType(
            "The form must be posted as a browser posts it (" + _URLENCODED + ")."
        )
    if media_type == _URLENCODED and (
        problems := urlencoded_problems(await request.body(), "body")
    ):
        raise RequestValidationError(problems)
    posted = await request.form()
    return {key: value for key, value in posted.items() if isinstance(value, str)}


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
