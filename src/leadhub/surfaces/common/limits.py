"""What no route should have to read, refused before it does, in the surface's own error shape.

- A query string longer than MAX_QUERY_BYTES: 414.
- A path or query string that is not UTF-8 once percent-decoded, or that holds a NUL character;
  a `Content-Length` that is not a number; on the API surfaces, a query parameter given twice
  (every one of their parameters takes one value; a list is written with commas): the surface's
  validation error, naming the parameter.
- A body larger than the surface's limit (LEADHUB_MAX_BODY_BYTES; an import's file has its own):
  413 at once when `Content-Length` says so, else as soon as the bytes read pass the limit, so a
  body is never held in memory beyond it.

The answers come from the surface's own exception handlers, so each surface renders them as its
documents say (the native envelope, a dialect's shape, an HTML page).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote_to_bytes

from fastapi.exceptions import RequestValidationError
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# As much as the request line of most servers and proxies allows (nginx, Apache: 8 KB).
MAX_QUERY_BYTES = 8192
# What a multipart body adds to the file it carries (boundaries, part headers, form fields).
MULTIPART_OVERHEAD = 64 * 1024

Problem = dict[str, Any]


def upload_limit(file_bytes: int) -> int:
    """The body limit of a route that takes a file of at most `file_bytes` in a multipart form."""
    return file_bytes + MULTIPART_OVERHEAD


class RequestLimits:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body: int | None,
        larger: Mapping[str, int] | None = None,
        single_values: bool = False,
        check_path: bool = True,
    ) -> None:
        """`max_body`: the body limit in bytes (None: the routes check sizes themselves);
        `larger`: path patterns (under the surface's mount) with limits of their own;
        `single_values`: a query parameter given twice is refused; `check_path`: False where
        the routes check the path themselves (ThreadedRoute: naming the parameter)."""
        self.app = app
        self.max_body = max_body
        self.larger = [(re.compile(pattern), limit) for pattern, limit in (larger or {}).items()]
        self.single_values = single_values
        self.check_path = check_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"")
        if len(query) > MAX_QUERY_BYTES:
            detail = f"The query string may not be longer than {MAX_QUERY_BYTES} bytes."
            await _answer(scope, receive, send, HTTPException(414, detail))
            return
        declared = Headers(scope=scope).get("content-length")
        problems = [
            *([problem] if self.check_path and (problem := path_problem(scope)) else []),
            *urlencoded_problems(query, "query", single_values=self.single_values),
            *_length_problems(declared),
        ]
        if problems:
            await _answer(scope, receive, send, RequestValidationError(problems))
            return
        limit = self._limit(scope)
        if limit is not None and declared is not None and int(declared) > limit:
            await _answer(scope, receive, send, HTTPException(413, _too_large(limit)))
            return
        await self.app(scope, receive if limit is None else _counting(receive, limit), send)

    def _limit(self, scope: Scope) -> int | None:
        path = scope["path"][len(scope.get("root_path", "")) :]
        for pattern, limit in self.larger:
            if pattern.fullmatch(path):
                return limit
        return self.max_body


def path_problem(scope: Scope) -> Problem | None:
    """What is wrong with the request's path (not UTF-8 once percent-decoded, a NUL), named
    after the path parameter that holds it once a route has taken the path."""
    problem = _text_problem(unquote_to_bytes(scope.get("raw_path") or b""), ("path",))
    if problem is None:
        return None
    # The server decodes what is not UTF-8 to U+FFFD.
    marker = "\x00" if problem["type"] == "no_nul" else "\ufffd"
    for name, value in (scope.get("path_params") or {}).items():
        if isinstance(value, str) and marker in value:
            problem["loc"] = ("path", name)
            break
    return problem


def urlencoded_problems(
    data: bytes, location: str, *, single_values: bool = False
) -> list[Problem]:
    """What is wrong with the names and values of a query string or an urlencoded form (which
    the framework would decode with replacement characters, or pass on with NULs), as
    validation errors at `location` ("query", "body")."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for pair in data.split(b"&"):
        if not pair:
            continue
        raw_key, _, raw_value = pair.partition(b"=")
        key_bytes = unquote_to_bytes(raw_key.replace(b"+", b" "))
        key = key_bytes.decode("utf-8", "replace")
        value_bytes = unquote_to_bytes(raw_value.replace(b"+", b" "))
        for text in (key_bytes, value_bytes):
            if problem := _text_problem(text, (location, key)):
                problems.append(problem)
                break
        else:
            if single_values and key in seen:
                problems.append(
                    {
                        "type": "duplicate_parameter",
                        "loc": (location, key),
                        "msg": "Parameter given more than once",
                        "input": key,
                    }
                )
        seen.add(key)
    return problems


def _text_problem(data: bytes, loc: tuple[str, ...]) -> Problem | None:
    if b"\x00" in data:
        return {"type": "no_nul", "loc": loc, "msg": "Contains a NUL character", "input": ""}
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return {"type": "string_unicode", "loc": loc, "msg": "Not valid UTF-8", "input": ""}
    return None


def _length_problems(declared: str | None) -> list[Problem]:
    if declared is None or declared.strip().isdigit():
        return []
    loc = ("header", "content-length")
    return [{"type": "int_parsing", "loc": loc, "msg": "Not a number", "input": declared}]


def _counting(receive: Receive, limit: int) -> Receive:
    """`receive`, raising 413 (for the surface's handler) once the body passes the limit."""
    received = 0

    async def receive_within_limit() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise HTTPException(413, _too_large(limit))
        return message

    return receive_within_limit


def _too_large(limit: int) -> str:
    return f"The request body may not be larger than {limit} bytes."


async def _answer(scope: Scope, receive: Receive, send: Send, error: Exception) -> None:
    """Answer with the surface's own handler of the error (before any route ran)."""
    request = Request(scope, receive)
    handlers = request.app.exception_handlers
    handler = handlers.get(type(error)) or handlers[HTTPException]
    response = handler(request, error)
    if inspect.isawaitable(response):
        response = await response
    await response(scope, receive, send)
