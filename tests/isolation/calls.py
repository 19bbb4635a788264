"""Making a case's call as another workspace, and judging its answer against workspace A."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, quote_plus, urlsplit

import httpx
from sqlalchemy import select
from sqlalchemy import text as sql

from leadhub.db.base import Base
from leadhub.db.uow import Database
from leadhub.domains.grants import service as grants
from tests.factories import make_key, make_workspace
from tests.isolation.routes import LEADPANTHER, NATIVE, WEB, Operation
from tests.isolation.table import Case, Foreign, Ref, Unique
from tests.isolation.world import Api, World
from tests.web.conftest import WebSession, make_member, sign_in

_UNIQUE = itertools.count(1)

Snapshot = dict[str, list[tuple[Any, ...]]]


@dataclass
class Rendered:
    """A case's values filled in, and each foreign value sent with what stood for it."""

    path: dict[str, Any]
    query: Any
    json: Any
    form: Any
    files: Any
    sent: list[tuple[str, str]] = field(default_factory=list)  # (value sent, placeholder)
    unique: list[tuple[str, str]] = field(default_factory=list)  # new names, the same way


@dataclass(frozen=True)
class Caller:
    """Who calls: a key (B's, a throwaway workspace's, or the agency's acting for one of them),
    or a person signed in to B (or to a throwaway workspace); and its own records' values."""

    headers: dict[str, str]
    own: Mapping[str, Any]
    client_id: str | None = None
    web: WebSession | None = None


@dataclass(frozen=True)
class Answer:
    status: int
    text: str  # the body (for the web app: of the page a redirect leads to)
    location: str | None


def caller_for(world: World, operation: Operation, case: Case) -> Caller:
    if case.fresh:
        return _fresh_caller(world, operation)
    own = {name: value for name, value in world.values.items() if name.startswith("b.")}
    if operation.surface == WEB:
        return Caller(headers={}, own=own, web=world.web_b)
    if operation.twin:
        headers = {"Authorization": f"Bearer {world.agency_key}"}
        return Caller(headers=headers, own=own, client_id=world.b.public_id)
    return Caller(headers={"Authorization": f"Bearer {world.b_key}"}, own=own)


def _fresh_caller(world: World, operation: Operation) -> Caller:
    """A workspace of its own, for a call that keeps A's values where B's answers show them
    (a lead with A's email, a search for A's name in the search history)."""
    number = next(_UNIQUE)
    workspace = make_workspace(world.db, f"fresh-{number}")
    key = make_key(world.db, workspace, rate_limit=1_000_000)
    listed = Api(world.client(), key).data("POST", "/lists", json={"name": "fresh"})
    lead = Api(world.client(), key).data("POST", "/leads", json={"first_name": "Fresh"})
    own = {
        "b.slug": workspace.slug,
        "b.public_id": workspace.public_id,
        "b.list": listed["id"],
        "b.lead": lead["id"],
    }
    if operation.surface == WEB:
        email = f"fresh-{number}@fresh.example"
        user_id = make_member(world.db, workspace, email, "owner")
        browser = world.client()
        return Caller(
            headers={}, own=own, web=WebSession(browser, user_id, sign_in(browser, email))
        )
    if operation.twin:
        with world.db.unit_of_work() as session:
            grants.create(
                session,
                agency_slug=world.agency.slug,
                client_slug=workspace.slug,
                permissions=["*"],
            )
        headers = {"Authorization": f"Bearer {world.agency_key}"}
        return Caller(headers=headers, own=own, client_id=workspace.public_id)
    return Caller(headers={"Authorization": f"Bearer {key}"}, own=own)


def render(world: World, caller: Caller, case: Case, *, foreign: bool) -> Rendered:
    """The case's values: A's own (`foreign`), or values nothing has in their place."""
    sent: list[tuple[str, str]] = []
    unique: list[tuple[str, str]] = []

    def fill(spec: Any) -> Any:
        if isinstance(spec, Unique):
            name = f"{spec.prefix}-{next(_UNIQUE)}{spec.suffix}"
            unique.append((name, "<unique>"))
            return name
        if isinstance(spec, Ref):
            if not spec.foreign:
                assert spec.name in caller.own, f"the caller has no value {spec.name!r}"
                return caller.own[spec.name]
            value = world.value(spec.name)
            chosen = value if foreign else spec.missing_for(value)
            sent.append((str(chosen), f"<{spec.name}>"))
            return chosen
        if isinstance(spec, Foreign):
            chosen = spec.value if foreign else spec.missing
            sent.append((str(chosen), "<foreign>"))
            return chosen
        if isinstance(spec, dict):
            return {key: fill(value) for key, value in spec.items()}
        if isinstance(spec, list | tuple):
            return [fill(value) for value in spec]
        return spec

    return Rendered(
        path=fill(dict(case.path)),
        query=fill(dict(case.query)) if case.query is not None else None,
        json=fill(case.json),
        form=fill(dict(case.form)) if case.form is not None else None,
        files=case.files,
        sent=sent,
        unique=unique,
    )


def call(world: World, caller: Caller, operation: Operation, rendered: Rendered) -> Answer:
    path_values = dict(rendered.path)
    if operation.twin:
        path_values["client_id"] = caller.client_id
    url = operation.path.format(**path_values)
    client = caller.web.client if caller.web else world.client()
    data = rendered.form
    if caller.web and operation.method != "GET":
        data = {"csrf_token": caller.web.csrf, **(data or {})}
    files = (
        {
            name: (filename, content, kind)
            for name, (filename, content, kind) in rendered.files.items()
        }
        if rendered.files
        else None
    )
    response = client.request(
        operation.method,
        url,
        params=rendered.query,
        json=rendered.json if rendered.form is None and rendered.files is None else None,
        data=data,
        files=files,
        headers=caller.headers,
        follow_redirects=False,
    )
    location = response.headers.get("location")
    text = _text(response)
    if caller.web and response.is_redirect and location:
        # What the person sees next (a flash message tells what happened).
        target = urlsplit(location)
        followed = client.get(target.path + (f"?{target.query}" if target.query else ""))
        text = _text(followed)
    return Answer(status=response.status_code, text=text, location=location)


def _text(response: httpx.Response) -> str:
    request_id = response.headers.get("x-request-id")
    body = response.text if response.content else ""
    return body.replace(request_id, "<request-id>") if request_id else body


def normalized(operation: Operation, answer: Answer, rendered: Rendered) -> Answer:
    """The answer with the names made up for this call and the foreign text values sent
    replaced by placeholders (what the caller sent may come back to it); after a write that
    succeeded, the new record's ids and times too (they differ from call to call)."""
    text, location = answer.text, answer.location or ""
    texts = [pair for pair in [*rendered.sent, *rendered.unique] if not pair[0].isdigit()]
    for value, placeholder in sorted(texts, key=lambda pair: -len(pair[0])):
        pattern = re.compile(rf"(?<![\w-]){re.escape(value)}(?![\w-])", re.IGNORECASE)
        text, location = pattern.sub(placeholder, text), pattern.sub(placeholder, location)
        for encoded in {json.dumps(value)[1:-1], quote(value, safe=""), quote_plus(value)}:
            if encoded != value:
                text = text.replace(encoded, placeholder)
    if operation.method != "GET" and answer.status < 400:
        text, location = _volatile(text), _volatile(location)
    return Answer(status=answer.status, text=text, location=location or None)


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)


_TOKEN = re.compile(r"[A-Za-z0-9_]{24,}")  # a generated secret or key


def _volatile(text: str) -> str:
    return re.sub(r"\d+", "#", _TOKEN.sub("<token>", _UUID.sub("<uuid>", text)))


def as_if_foreign(missing: Answer, stand_in: Rendered, rendered: Rendered) -> Answer:
    """The answer to the stand-in values with each of them put back as A's value sent in its
    place: alike to the answer to A's values when nothing tells them apart."""
    text, location = missing.text, missing.location or ""
    for (value, _), (foreign, _) in zip(stand_in.sent, rendered.sent, strict=True):
        if value.isdigit():
            pattern = re.compile(rf"(?<!\d){re.escape(value)}(?!\d)")
            text, location = pattern.sub(foreign, text), pattern.sub(foreign, location)
    return Answer(status=missing.status, text=text, location=location or None)


def not_found_shape(operation: Operation, answer: Answer) -> bool:
    """Whether the answer is the surface's own not-found."""
    if answer.status != 404:
        return False
    if operation.surface == WEB:
        return "<html" in answer.text.lower()
    body = json.loads(answer.text)
    if operation.surface == NATIVE:
        return bool(body.get("code") == "NOT_FOUND" and body.get("status") == "error")
    if operation.surface == LEADPANTHER:
        return bool(body.get("error", {}).get("code") == "not_found")
    return isinstance(body.get("message"), str)


def leaked(world: World, answer: Answer) -> list[str]:
    """A's secrets (its marker, its public id) found in an answer given to another workspace."""
    lowered = (answer.text + " " + (answer.location or "")).lower()
    return [secret for secret in world.secrets if secret.lower() in lowered]


def snapshot(db: Database, workspace_id: int) -> Snapshot:
    """Every row of the workspace, table by table (on PostgreSQL, a digest of each table's rows
    in one statement: forty round trips per call made the suite slow there)."""
    if db.engine.dialect.name == "postgresql":
        return _digests(db, workspace_id)
    found: Snapshot = {}
    with db.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            column = table.c.id if table.name == "workspaces" else table.c.workspace_id
            statement = select(table).where(column == workspace_id)
            ordered = statement.order_by(*table.primary_key.columns)
            found[table.name] = [tuple(row) for row in connection.execute(ordered)]
    return found


def _digests(db: Database, workspace_id: int) -> Snapshot:
    parts = []
    for table in Base.metadata.sorted_tables:
        column = "id" if table.name == "workspaces" else "workspace_id"
        parts.append(
            f"SELECT '{table.name}', md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), ''))"
            f" FROM {table.name} x WHERE x.{column} = :workspace_id"
        )
    with db.engine.connect() as connection:
        rows = connection.execute(sql(" UNION ALL ".join(parts)), {"workspace_id": workspace_id})
        return {str(name): [(digest,)] for name, digest in rows}


def changes(before: Snapshot, after: Snapshot) -> list[str]:
    """What changed in A's rows, table by table."""
    found = []
    for table, rows in before.items():
        now = after[table]
        if rows != now:
            gone = [row for row in rows if row not in now][:2]
            new = [row for row in now if row not in rows][:2]
            found.append(f"{table}: before {gone} now {new}")
    return found


def describe(answer: Answer) -> str:
    text = answer.text
    if "<html" in text.lower():
        title = re.search(r"<title>(.*?)</title>", text, re.S)
        text = title.group(1).strip() if title else text[:200]
    return f"{answer.status} {text[:300]}"


def difference(answer: Answer, missing: Answer) -> str:
    """Where two answers part, for the failure message."""
    if answer.status != missing.status or answer.location != missing.location:
        return (
            f"  A's: {describe(answer)} → {answer.location}"
            f"\n  missing: {describe(missing)} → {missing.location}"
        )
    at = next(
        (i for i, (x, y) in enumerate(zip(answer.text, missing.text, strict=False)) if x != y),
        min(len(answer.text), len(missing.text)),
    )
    start = max(0, at - 120)
    return (
        f"  {answer.status}, from character {at}:\n  A's: …{answer.text[start : at + 120]!r}"
        f"\n  missing: …{missing.text[start : at + 120]!r}"
    )
