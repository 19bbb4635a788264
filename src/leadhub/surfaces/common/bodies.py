"""Request bodies the framework could not take, told apart so that each surface answers them as
the bad input they are, in its own shape: a body that could not be read (FastAPI and Starlette
raise a bare 400 for bytes that are not UTF-8, JSON nested deeper than the parser goes, a broken
multipart body) and a body of a media type the route does not read (415)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from fastapi import params
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.requests import Request

_JSON = "application/json"
_FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")


def unreadable_body(exc: HTTPException) -> str | None:
    """Why the request body could not be read, when the framework's 400 says it could not;
    None for any other HTTP error."""
    if exc.status_code != 400:
        return None
    cause = exc.__cause__
    if isinstance(cause, UnicodeDecodeError):
        return "The request body must be valid UTF-8 JSON."
    if isinstance(cause, RecursionError):
        return "The request body is nested too deeply."
    if cause is not None:
        return "The request body must be valid JSON."
    # Starlette's own 400s: a multipart body it could not parse (its detail says why).
    detail = str(exc.detail).strip()
    return detail if detail.endswith(".") else "The request body could not be read."


def refused_media_type(request: Request, errors: Iterable[Mapping[str, Any]]) -> str | None:
    """Why the body is refused for its media type (a 415), or None.

    The route reads a JSON (or form) body, the request sent a body under another declared
    `Content-Type`, and so the framework could not read it: FastAPI leaves such a body unparsed
    and its validation then fails on `body`.
    """
    route = request.scope.get("route")
    field = getattr(route, "body_field", None) if isinstance(route, APIRoute) else None
    declared = request.headers.get("content-type")
    if field is None or not declared or not _has_body(request):
        return None
    if not any(error.get("loc", ("",))[0] == "body" for error in errors):
        return None
    media_type = declared.split(";", 1)[0].strip().lower()
    if isinstance(field.field_info, params.Form):
        if media_type in _FORMS:
            return None
        return "The request body must be multipart/form-data."
    if media_type == _JSON or (
        media_type.startswith("application/") and media_type.endswith("+json")
    ):
        return None
    return "The request body must be JSON (Content-Type: application/json)."


def _has_body(request: Request) -> bool:
    length = request.headers.get("content-length")
    if length is not None:
        return length.strip() not in ("", "0")
    return "chunked" in request.headers.get("transfer-encoding", "").lower()


# A \uD800-\uDFFF escape: JSON may write half of a surrogate pair, which no UTF-8 text holds.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class StrictJsonRequest(Request):
    """A request whose JSON body is refused (as invalid JSON) when a string in it holds half a
    surrogate pair: Python's parser takes one, and the database, or the answer, would then fail
    to encode it (a 500) far from where it came in."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            body = await self.body()
            value = json.loads(body)
            found = _SURROGATE_ESCAPE.search(body)
            if found is not None and not _encodable(value):
                text = body.decode("utf-8", "replace")
                raise json.JSONDecodeError("Half a surrogate pair", text, found.start())
            self._json = value
        return self._json


def _encodable(value: Any) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(_encodable(key) and _encodable(item) for key, item in value.items())
    if isinstance(value, list):
        return all(_encodable(item) for item in value)
    return True
