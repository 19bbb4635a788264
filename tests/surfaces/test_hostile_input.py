"""Hostile HTTP input on every surface: oversized bodies, JSON nested 10,000 deep, bodies of
another media type, invalid UTF-8 and NUL bytes in the body, path and query, a 100 KB query
string, a query parameter given twice. Each gets a clear 4xx in the surface's own shape (the
API surfaces' error envelopes, the pages' HTML), never a 500."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import anyio
import anyio.from_thread
import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.types import Message

from leadhub.config import Settings
from leadhub.db.migrate import upgrade
from leadhub.db.uow import Database
from leadhub.surfaces.common.limits import MAX_QUERY_BYTES
from tests.conftest import BASE_URL, node_app, scratch_database
from tests.factories import Workspace, make_key, make_workspace
from tests.lead_magnets.helpers import guide
from tests.surfaces.envelopes import Envelope, NativeError, message_of, parse_error
from tests.web.conftest import PASSWORD, csrf_of, make_member

DEEP = 10_000


@dataclass(frozen=True)
class Target:
    """One route of a surface that reads a body, and how that surface answers bad input."""

    method: str
    path: str
    # "json": a JSON API answering errors in its envelope; "form": an HTML page reading a form.
    reads: str
    # The status of a validation error (the native API's 422, the dialects' and pages' 400).
    invalid: int
    headers: dict[str, str] = field(default_factory=dict)
    # A body the route accepts (as JSON, or as form fields).
    body: dict[str, Any] = field(default_factory=dict)

    @property
    def surface(self) -> str:
        return self.path.split("?", 1)[0]


def check_refused(target: Target, response: httpx.Response, status: int | None = None) -> str:
    """The answer is the given 4xx (any 4xx when None) in the target's shape; its message."""
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:500])
    if status is not None:
        assert response.status_code == status, response.text[:500]
    content_type = response.headers.get("content-type", "")
    if target.reads == "json":
        body: Envelope = parse_error(target.surface, content_type, response.content)
        return message_of(body)
    assert content_type.startswith("text/html"), content_type
    assert "Traceback" not in response.text
    return response.text


# -- one seeded workspace for the module ---------------------------------------------------------
# What these tests send is refused before it writes anything, so they share one workspace (a
# member, a key, a form and a magnet) in a database of their own, seeded once: seeding it for each
# test was most of the module's time. Each test still gets an app of its own (its own limits).


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    with scratch_database(tmp_path_factory.mktemp("hostile-db")) as url:
        database = Database(url)
        upgrade(database.engine)
        yield database
        database.dispose()


@pytest.fixture(autouse=True)
def _empty_tables() -> Iterator[None]:
    """The suite's emptying after each test, replaced: the module's rows are shared."""
    yield


@pytest.fixture(scope="module")
def workspace(db: Database) -> Workspace:
    return make_workspace(db, "acme")


@pytest.fixture(scope="module")
def headers(db: Database, workspace: Workspace) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_key(db, workspace)}"}


@pytest.fixture(scope="module")
def seeded(
    db: Database,
    headers: dict[str, str],
    workspace: Workspace,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[int, str]:
    """The workspace's member, form and magnet: the form's id and the magnet page's slug."""
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("hostile-data"),
        base_url=BASE_URL,
        secret_key="test-secret",
        redis_url=None,
    )
    client = TestClient(node_app(settings, db), base_url=BASE_URL)
    api = headers
    make_member(db, workspace, "owner@example.com")
    form = client.post(
        "/api/v1/forms",
        json={
            "name": "Contact",
            "fields": [{"name": "email", "label": "Email", "type": "email", "required": True}],
        },
        headers=api,
    ).json()["data"]
    magnet = client.post(
        "/api/v1/lead-magnets",
        json=guide(delivery_mode="gated", keyword="CHECKLIST", resource_name="Checklist"),
        headers=api,
    ).json()["data"]
    return form["id"], magnet["hosted_page"]["slug"]


@pytest.fixture
def targets(
    client: TestClient, seeded: tuple[int, str], headers: dict[str, str], workspace: Workspace
) -> dict[str, Target]:
    """Every surface's body-reading route, with the records it needs."""
    api = headers
    form_id, magnet_slug = seeded
    csrf = csrf_of(client.get("/login").text)
    login = {"email": "owner@example.com", "password": PASSWORD, "csrf_token": csrf, "next": "/"}
    return {
        "native": Target("POST", "/api/v1/leads", "json", 422, api, {"first_name": "Ada"}),
        "inbound": Target(
            "POST", "/api/inbound/leads?tenant=acme", "json", 422, api, {"email": "a@x.com"}
        ),
        "leadpanther": Target(
            "POST", "/compat/leadpanther/api/v1/posts", "json", 400, api, {"text": "Hello"}
        ),
        "leadsopedia": Target(
            "POST", "/compat/leadsopedia/v1/mylists", "json", 400, api, {"name": "Hot"}
        ),
        "leadtrackr": Target(
            "POST",
            "/compat/leadtrackr/api/leads/createLead",
            "json",
            400,
            {},
            {"projectId": workspace.public_id, "userData": {"email": "a@x.com"}},
        ),
        "public form": Target("POST", f"/f/{form_id}", "form", 400, {}, {"email": "a@x.com"}),
        "hosted page": Target("POST", f"/m/{magnet_slug}", "form", 400, {}, {"email": "a@x.com"}),
        "web login": Target("POST", "/login", "form", 400, {}, login),
    }


def send(
    client: TestClient, target: Target, content: Any, content_type: str, **extra: Any
) -> httpx.Response:
    headers = {**target.headers, "Content-Type": content_type, **extra.pop("headers", {})}
    return client.request(target.method, target.path, content=content, headers=headers, **extra)


def _encoded(target: Target, body: dict[str, Any]) -> tuple[bytes, str]:
    if target.reads == "json":
        return json.dumps(body).encode(), "application/json"
    return httpx.QueryParams(body).__str__().encode(), "application/x-www-form-urlencoded"


SURFACES = [
    "native",
    "inbound",
    "leadpanther",
    "leadsopedia",
    "leadtrackr",
    "public form",
    "hosted page",
    "web login",
]


# -- the control: each route takes its ordinary body -----------------------------------------------


@pytest.mark.parametrize("name", SURFACES)
def test_each_route_takes_its_ordinary_body(
    client: TestClient, targets: dict[str, Target], name: str
) -> None:
    target = targets[name]
    content, content_type = _encoded(target, target.body)
    response = send(client, target, content, content_type, follow_redirects=False)
    assert response.status_code < 400, response.text[:500]


# -- oversized bodies ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SURFACES)
def test_a_body_over_the_limit_is_413(
    client: TestClient, targets: dict[str, Target], settings: Settings, name: str
) -> None:
    target = targets[name]
    content = b"x" * (settings.max_body_bytes + 1)
    content_type = (
        "application/json" if target.reads == "json" else "application/x-www-form-urlencoded"
    )
    check_refused(target, send(client, target, content, content_type), 413)


@pytest.mark.parametrize("name", SURFACES)
def test_a_streamed_body_is_cut_off_at_the_limit(
    client: TestClient, targets: dict[str, Target], settings: Settings, name: str
) -> None:
    """Without Content-Length (chunked), the body is refused once it has passed the limit."""
    target = targets[name]
    sent = 0

    def chunks() -> Iterator[bytes]:
        nonlocal sent
        while sent < 4 * settings.max_body_bytes:
            sent += 65_536
            yield b" " * 65_536

    content_type = (
        "application/json" if target.reads == "json" else "application/x-www-form-urlencoded"
    )
    check_refused(target, send(client, target, chunks(), content_type), 413)


def test_the_limit_is_leadhub_max_body_bytes(
    settings: Settings, db: Database, headers: dict[str, str]
) -> None:
    small = settings.model_copy(update={"max_body_bytes": 2048})
    client = TestClient(node_app(small, db), base_url=BASE_URL)

    def padded(size: int) -> bytes:
        empty = json.dumps({"first_name": "Ada", "notes": ""}).encode()
        return json.dumps({"first_name": "Ada", "notes": "n" * (size - len(empty))}).encode()

    api = {**headers, "Content-Type": "application/json"}
    assert client.post("/api/v1/leads", content=padded(2048), headers=api).status_code == 201
    response = client.post("/api/v1/leads", content=padded(2049), headers=api)
    body = parse_error("/api/v1/leads", response.headers["content-type"], response.content)
    assert response.status_code == 413
    assert isinstance(body, NativeError) and body.code == "PAYLOAD_TOO_LARGE"


# -- malformed bodies ------------------------------------------------------------------------------


JSON_SURFACES = ["native", "inbound", "leadpanther", "leadsopedia", "leadtrackr"]
FORM_SURFACES = ["public form", "hosted page"]


@pytest.mark.parametrize("name", JSON_SURFACES)
@pytest.mark.parametrize("shape", ["array", "object"])
def test_json_nested_ten_thousand_deep_is_a_validation_error(
    client: TestClient, targets: dict[str, Target], name: str, shape: str
) -> None:
    target = targets[name]
    content = (
        b"[" * DEEP + b"]" * DEEP if shape == "array" else b'{"a":' * DEEP + b"1" + b"}" * DEEP
    )
    message = check_refused(
        target, send(client, target, content, "application/json"), target.invalid
    )
    assert message


@pytest.mark.parametrize("name", JSON_SURFACES)
def test_deep_json_inside_a_field_is_a_validation_error(
    client: TestClient, targets: dict[str, Target], name: str
) -> None:
    """Parsed fine, but deeper than any field holds (custom fields, form data)."""
    target = targets[name]
    nested: Any = "leaf"
    for _ in range(500):
        nested = {"a": nested}
    body = {**target.body, "custom_fields": {"deep": nested}, "formData": {"deep": nested}}
    response = send(client, target, json.dumps(body).encode(), "application/json")
    assert response.status_code < 500, response.text[:500]
    if response.status_code >= 400:
        check_refused(target, response)


@pytest.mark.parametrize("name", JSON_SURFACES)
@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
    ],
)
def test_a_json_route_refuses_another_media_type_with_415(
    client: TestClient, targets: dict[str, Target], name: str, content_type: str
) -> None:
    target = targets[name]
    content = json.dumps(target.body).encode()
    check_refused(target, send(client, target, content, content_type), 415)


@pytest.mark.parametrize("name", FORM_SURFACES)
@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
def test_a_page_refuses_a_body_that_is_not_a_form_with_415(
    client: TestClient, targets: dict[str, Target], name: str, content_type: str
) -> None:
    target = targets[name]
    content = json.dumps(target.body).encode()
    check_refused(target, send(client, target, content, content_type), 415)


@pytest.mark.parametrize("name", JSON_SURFACES)
@pytest.mark.parametrize(
    "content",
    [b'{"first_name": "\xff\xfe"}', b"\xff\xfe\xfd", b'{"email": "a\xc3@x.com"}', b"\xc3"],
    ids=["in-a-string", "bare-bytes", "truncated-sequence", "lone-byte"],
)
def test_invalid_utf8_in_a_json_body_is_a_validation_error(
    client: TestClient, targets: dict[str, Target], name: str, content: bytes
) -> None:
    target = targets[name]
    check_refused(target, send(client, target, content, "application/json"), target.invalid)


@pytest.mark.parametrize("name", FORM_SURFACES)
@pytest.mark.parametrize(
    "content", [b"email=a%FF%FE%40x.com", b"email=\xff\xfe@x.com", b"em%C3ail=a"]
)
def test_invalid_utf8_in_a_form_is_a_bad_request(
    client: TestClient, targets: dict[str, Target], name: str, content: bytes
) -> None:
    target = targets[name]
    page = check_refused(
        target, send(client, target, content, "application/x-www-form-urlencoded"), 400
    )
    assert "UTF-8" in page


@pytest.mark.parametrize("name", JSON_SURFACES)
def test_a_nul_in_a_json_string_is_a_validation_error(
    client: TestClient, targets: dict[str, Target], name: str
) -> None:
    target = targets[name]
    body = {
        key: f"{value}\u0000" if isinstance(value, str) else value
        for key, value in target.body.items()
    }
    if name == "leadtrackr":
        body = {**target.body, "userData": {"email": "a\u0000@x.com"}}
    check_refused(
        target, send(client, target, json.dumps(body).encode(), "application/json"), target.invalid
    )


@pytest.mark.parametrize("name", FORM_SURFACES)
def test_a_nul_in_a_form_field_is_a_bad_request(
    client: TestClient, targets: dict[str, Target], name: str
) -> None:
    target = targets[name]
    response = send(client, target, b"email=a%00%40x.com", "application/x-www-form-urlencoded")
    assert "NUL" in check_refused(target, response, 400)


@pytest.mark.parametrize("name", JSON_SURFACES)
@pytest.mark.parametrize("where", ["value", "key", "nested", "low-half"])
def test_half_a_surrogate_pair_in_json_is_a_validation_error(
    client: TestClient, targets: dict[str, Target], name: str, where: str
) -> None:
    """JSON can escape half a surrogate pair, which no UTF-8 text holds (storing or answering
    it would fail): refused as invalid JSON, wherever it stands."""
    target = targets[name]
    extra = {
        "value": {"notes": "\ud800"},
        "key": {"custom_fields": {"\ud800": "x"}},
        "nested": {"custom_fields": {"a": [{"b": "x\udbff"}]}},
        "low-half": {"notes": "\udc00 after"},
    }[where]
    content = json.dumps({**target.body, **extra}).encode()  # ensure_ascii: sent as \uD800
    check_refused(target, send(client, target, content, "application/json"), target.invalid)


@pytest.mark.parametrize("name", JSON_SURFACES)
def test_a_whole_surrogate_pair_in_json_is_text_like_any_other(
    client: TestClient, targets: dict[str, Target], name: str
) -> None:
    """An emoji escaped as its two halves (\ud83d\ude00) is one valid character."""
    target = targets[name]
    content = json.dumps({**target.body, "notes": "\U0001f600"}).encode()
    assert b"\\ud83d\\ude00" in content
    response = send(client, target, content, "application/json", follow_redirects=False)
    assert response.status_code < 400, response.text[:500]


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b'{"email": "owner@example.com"}', "application/json"),
        (b"[" * DEEP + b"]" * DEEP, "application/json"),
        (b"email=owner@example.com", "text/plain"),
        (b"email=\xff\xfe%40example.com&password=x", "application/x-www-form-urlencoded"),
        (b"email=a%00b&password=x", "application/x-www-form-urlencoded"),
        (b"--x\r\nbroken", "multipart/form-data; boundary=x"),
    ],
    ids=["json", "deep-json", "text", "invalid-utf8", "nul", "broken-multipart"],
)
def test_the_sign_in_page_answers_a_malformed_body_with_a_4xx_page(
    client: TestClient, targets: dict[str, Target], content: bytes, content_type: str
) -> None:
    """Nobody is signed in by it (no redirect into the app), and the answer is a page."""
    target = targets["web login"]
    response = send(client, target, content, content_type, follow_redirects=False)
    check_refused(target, response)
    assert client.get("/", follow_redirects=False).status_code == 303  # still signed out


# -- path and query --------------------------------------------------------------------------------

EVERY_SURFACE = [*SURFACES, "uploads"]


def _get_path(targets: dict[str, Target], name: str) -> Target:
    """A GET on the surface (the body-reading routes' paths, or the surface's own)."""
    if name == "uploads":
        return Target("GET", "/uploads/api-uploads/none.png", "json", 400)
    target = targets[name]
    return Target("GET", target.path, target.reads, target.invalid, target.headers)


def _with_query(target: Target, query: str) -> Target:
    joiner = "&" if "?" in target.path else "?"
    return Target(
        target.method, target.path + joiner + query, target.reads, target.invalid, target.headers
    )


def asgi_get(app: FastAPI, path: str, query: bytes, headers: dict[str, str]) -> httpx.Response:
    """A GET straight through the application: HTTP clients refuse URLs over 64 KB, which a
    server may still receive."""
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query,
        "headers": [(b"host", b"testserver")]
        + [(name.lower().encode(), value.encode()) for name, value in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    # A portal runs the application on a loop of its own thread, as TestClient does: a browser
    # test earlier in the same worker may leave a loop running on this one.
    with anyio.from_thread.start_blocking_portal() as portal:
        portal.call(app, scope, receive, send)
    start = next(message for message in sent if message["type"] == "http.response.start")
    body = b"".join(message.get("body", b"") for message in sent[1:])
    response_headers = [(name.decode(), value.decode()) for name, value in start["headers"]]
    return httpx.Response(start["status"], headers=response_headers, content=body)


@pytest.mark.parametrize("name", EVERY_SURFACE)
def test_a_100kb_query_string_is_414(app: FastAPI, targets: dict[str, Target], name: str) -> None:
    target = _get_path(targets, name)
    path, _, query = target.path.partition("?")
    long_query = (query + "&" if query else "") + "q=" + "a" * 100_000
    response = asgi_get(app, path, long_query.encode(), target.headers)
    check_refused(target, response, 414)


@pytest.mark.parametrize("name", EVERY_SURFACE)
def test_a_query_string_within_the_limit_is_read(
    client: TestClient, targets: dict[str, Target], name: str
) -> None:
    target = _with_query(_get_path(targets, name), "q=" + "a" * (MAX_QUERY_BYTES - 200))
    response = client.request(target.method, target.path, headers=target.headers)
    assert response.status_code != 414


@pytest.mark.parametrize("name", EVERY_SURFACE)
@pytest.mark.parametrize("query", ["q=%FF%FE", "q=%C3", "%FF=1", "q=a%00b", "q%00=1"])
def test_invalid_utf8_or_nul_in_the_query_is_a_bad_request(
    client: TestClient, targets: dict[str, Target], name: str, query: str
) -> None:
    get = _get_path(targets, name)
    target = _with_query(get, query)
    response = client.request(target.method, target.path, headers=target.headers)
    check_refused(target, response, get.invalid)


@pytest.mark.parametrize("name", EVERY_SURFACE)
@pytest.mark.parametrize("segment", ["%FF%FE", "%C3", "a%00b"])
def test_invalid_utf8_or_nul_in_the_path_is_refused(
    client: TestClient, targets: dict[str, Target], name: str, segment: str
) -> None:
    get = _get_path(targets, name)
    target = Target(
        "GET", get.surface.rstrip("/") + "/" + segment, get.reads, get.invalid, get.headers
    )
    response = client.request(target.method, target.path, headers=target.headers)
    check_refused(target, response)


API_SURFACES = ["native", "inbound", "leadpanther", "leadsopedia", "leadtrackr"]


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/v1/leads", "per_page=1&per_page=100"),
        ("/api/v1/leads", "status=new&status=won"),
        ("/compat/leadpanther/api/v1/leads", "limit=1&limit=2"),
        ("/compat/leadsopedia/v1/mylists", "page=1&page=1"),
        ("/compat/leadtrackr/api/leads/getLeads", "sort=createdAt:asc&sort=email:desc"),
    ],
)
def test_a_query_parameter_given_twice_is_a_validation_error(
    client: TestClient, headers: dict[str, str], path: str, query: str
) -> None:
    target = Target("GET", f"{path}?{query}", "json", 422 if path.startswith("/api/") else 400)
    response = client.get(target.path, headers=headers)
    message = check_refused(target, response, target.invalid)
    name = query.split("=", 1)[0]
    if isinstance(
        body := parse_error(target.surface, "application/json", response.content), NativeError
    ):
        label = name.replace("_", " ")
        assert body.errors == {name: [f"The {label} parameter may be given only once."]}
    else:
        assert name in response.text, message


def test_a_form_page_takes_a_query_parameter_given_twice(
    client: TestClient, targets: dict[str, Target]
) -> None:
    """Ad links repeat UTM parameters; a page must still show."""
    target = targets["public form"]
    response = client.get(target.path + "?utm_source=a&utm_source=b")
    assert response.status_code == 200
