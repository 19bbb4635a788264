"""A database that is briefly unavailable, against a real `leadhub serve`: every surface answers 503
with `Retry-After` in its own envelope, logs it once, writes nothing half-way, and serves again
by itself once the database is back.

On PostgreSQL the server reaches the database through a TCP proxy the test cuts and restores; on
SQLite another connection holds the write lock past the server's busy timeout.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from leadhub.db.migrate import upgrade
from leadhub.db.uow import Database
from leadhub.models import Lead
from tests.conftest import running_server
from tests.factories import Workspace, make_key, make_workspace
from tests.tcp_proxy import CuttableProxy, cuttable_proxy
from tests.web.conftest import PASSWORD, csrf_of, make_member

pytestmark = pytest.mark.slow

FORM = {"name": "Demo", "fields": [{"name": "email", "label": "Email", "type": "email"}]}
MAGNET = {
    "delivery_mode": "hosted_content",
    "keyword": "GUIDE",
    "resource_name": "Guide",
    "text_template": "Here: {{resource_link}}",
    "not_connected_reply": "Connect first.",
    "linked_posts": [],
    "confirm_missing_magnet_url": False,
    "confirm_legacy_placeholder": False,
    "hosted_page": {
        "title": "The guide",
        "markdown_content": "Read me.",
        "status": "published",
    },
}
PDF = b"%PDF-1.4\n" + b"0" * 1024


def is_postgresql(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


# -- what each surface answers ------------------------------------------------------------------


def native(response: httpx.Response) -> None:
    body = response.json()
    assert body["status"] == "error" and body["code"] == "SERVICE_UNAVAILABLE", body
    assert body["errors"] == {} and body["message"]


def leadpanther(response: httpx.Response) -> None:
    body = response.json()
    assert body["error"]["code"] == "service_unavailable" and body["error"]["message"], body
    assert body["request_id"] == response.headers["X-Request-Id"]


def leadsopedia(response: httpx.Response) -> None:
    body = response.json()
    assert set(body) == {"message"} and body["message"].endswith("."), body


def leadtrackr(response: httpx.Response) -> None:
    body = response.json()
    assert set(body) == {"message"} and not body["message"].endswith("."), body


def uploads(response: httpx.Response) -> None:
    body = response.json()
    assert (body["status"], body["code"]) == ("error", "SERVICE_UNAVAILABLE"), body


def page(response: httpx.Response) -> None:
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>" in response.text and "unavailable" in response.text


@dataclass
class Probe:
    """One request to a surface, what its 503 must look like, and its answer when all is well."""

    surface: str
    method: str
    path: str
    envelope: Callable[[httpx.Response], None]
    ok: int = 200
    options: dict[str, Any] = field(default_factory=dict, kw_only=True)

    def send(self, http: httpx.Client) -> httpx.Response:
        return http.request(self.method, self.path, **self.options)


def assert_unavailable(probe: Probe, response: httpx.Response) -> str:
    """The probe's 503 in its surface's envelope; answers its request id."""
    assert response.status_code == 503, (probe.surface, response.status_code, response.text)
    assert int(response.headers["Retry-After"]) > 0, probe.surface
    for leak in ("Traceback", "OperationalError", "psycopg", "sqlite", ".py"):
        assert leak not in response.text, (probe.surface, leak)
    probe.envelope(response)
    return response.headers["X-Request-Id"]


# -- the server's log ----------------------------------------------------------------------------


def log_records(log: Path) -> list[dict[str, Any]]:
    """The JSON lines of the server's log (LEADHUB_LOG_FORMAT=json)."""
    lines = log.read_text().splitlines()
    return [json.loads(line) for line in lines if line.startswith("{")]


def assert_logged_once_each(log: Path, request_ids: list[str]) -> None:
    """Each failed request was reported once, as a warning without a trace, besides its access
    line (other work it did, such as flushing the usage meter, may note the outage too)."""
    deadline = time.monotonic() + 5  # the access line of the last request may still be on its way
    while True:
        records = log_records(log)
        problems = {
            request_id: [r for r in records if r.get("request_id") == request_id]
            for request_id in request_ids
        }
        if all(any(r["logger"] == "leadhub.access" for r in found) for found in problems.values()):
            break
        assert time.monotonic() < deadline, "access lines missing"
        time.sleep(0.1)
    for request_id, found in problems.items():
        reported = [r for r in found if r["logger"] == "leadhub.errors"]
        assert len(reported) == 1, (request_id, found)
        assert reported[0]["level"] == "WARNING" and "exception" not in reported[0]
        assert "database unavailable" in reported[0]["message"]
        assert not [r for r in found if r["level"] in ("ERROR", "CRITICAL")], found
        access = next(r for r in found if r["logger"] == "leadhub.access")
        assert access["status"] == 503
    assert not [r for r in records if "exception" in r and "Traceback" in r["exception"]]


# -- PostgreSQL: the connection goes away -------------------------------------------------------


@dataclass
class Proxied:
    base_url: str
    proxy: CuttableProxy
    log: Path


@pytest.fixture
def proxied_server(tmp_path: Path, database_url: str, db: Database) -> Iterator[Proxied]:
    if not is_postgresql(database_url):
        pytest.skip("the connection proxy plays a PostgreSQL server")
    server = make_url(database_url)
    with cuttable_proxy(server.host or "127.0.0.1", server.port or 5432) as proxy:
        proxied = server.set(host="127.0.0.1", port=proxy.port)
        env = {
            "LEADHUB_DATABASE_URL": proxied.render_as_string(hide_password=False),
            "LEADHUB_DATA_DIR": str(tmp_path / "data"),
            "LEADHUB_SECRET_KEY": "test-secret",
            "LEADHUB_LOG_FORMAT": "json",
        }
        with running_server(tmp_path, env) as base_url:
            yield Proxied(base_url, proxy, tmp_path / "server.log")


def signed_in(http: httpx.Client, db: Database, workspace: Workspace) -> None:
    """Sign the client in to the web app through its login form."""
    make_member(db, workspace, "owner@example.com")
    token = csrf_of(http.get("/login").text)
    form = {"email": "owner@example.com", "password": PASSWORD, "csrf_token": token, "next": "/"}
    assert http.post("/login", data=form).status_code == 303


def every_surface(http: httpx.Client, db: Database, workspace: Workspace) -> list[Probe]:
    """A request to each surface, with what it needs made while the database answers."""
    key = {"Authorization": f"Bearer {make_key(db, workspace)}"}
    form = http.post("/api/v1/forms", json=FORM, headers=key)
    assert form.status_code == 201, form.text
    magnet = http.post("/api/v1/lead-magnets", json=MAGNET, headers=key)
    assert magnet.status_code == 201, magnet.text
    media = http.post(
        "/api/v1/media/upload-url",
        json={"filename": "a.pdf", "content_type": "application/pdf", "file_size": len(PDF)},
        headers=key,
    ).json()["data"]
    put = http.put(media["upload_url"], content=PDF, headers={"Content-Type": "application/pdf"})
    assert put.status_code == 201, put.text
    signed_in(http, db, workspace)
    lead = {"email": "known@example.com", "first_name": "Kim"}
    return [
        Probe("native", "GET", "/api/v1/leads", native, options={"headers": key}),
        Probe(
            "inbound",
            "POST",
            f"/api/inbound/leads?tenant={workspace.slug}",
            native,
            ok=201,
            options={"headers": key, "json": lead},
        ),
        Probe(
            "leadpanther",
            "GET",
            "/compat/leadpanther/api/v1/me",
            leadpanther,
            options={"headers": key},
        ),
        Probe(
            "leadsopedia",
            "GET",
            "/compat/leadsopedia/v1/mylists",
            leadsopedia,
            options={"headers": key},
        ),
        Probe(
            "leadtrackr",
            "GET",
            "/compat/leadtrackr/api/leads/getLeads",
            leadtrackr,
            options={"headers": key},
        ),
        Probe("form", "GET", f"/f/{form.json()['data']['id']}", page),
        Probe("magnet", "GET", f"/m/{magnet.json()['data']['hosted_page']['slug']}", page),
        Probe("uploads", "GET", media["public_url"], uploads),
        Probe("web", "GET", "/", page),
    ]


def test_every_surface_answers_503_while_postgresql_is_cut_and_serves_once_it_is_back(
    proxied_server: Proxied, db: Database, workspace: Workspace
) -> None:
    with httpx.Client(base_url=proxied_server.base_url, timeout=30, trust_env=False) as http:
        probes = every_surface(http, db, workspace)
        proxied_server.proxy.cut()
        failed = [assert_unavailable(probe, probe.send(http)) for probe in probes]
        proxied_server.proxy.start()
        for probe in probes:  # the same requests, the same server process
            answer = probe.send(http)
            assert answer.status_code == probe.ok, (probe.surface, answer.text)
    assert_logged_once_each(proxied_server.log, failed)
    with db.unit_of_work(write=False) as session:  # the inbound lead came once, after the cut
        emails = session.scalars(select(Lead.email).where(Lead.workspace_id == workspace.id))
        assert list(emails) == ["known@example.com"]


def test_connections_that_died_while_the_server_was_idle_are_replaced_without_a_failure(
    proxied_server: Proxied, db: Database, workspace: Workspace
) -> None:
    key = {"Authorization": f"Bearer {make_key(db, workspace)}"}
    with httpx.Client(base_url=proxied_server.base_url, timeout=30, trust_env=False) as http:
        for _ in range(3):  # connections in the pool
            assert http.get("/api/v1/leads", headers=key).status_code == 200
        proxied_server.proxy.cut()  # every pooled connection is now dead
        proxied_server.proxy.start()
        time.sleep(1.5)  # idle for longer than PING_AFTER_IDLE_SECONDS
        answers = [http.get("/api/v1/leads", headers=key).status_code for _ in range(5)]
    assert answers == [200] * 5


# -- SQLite: another writer holds the lock -------------------------------------------------------


@dataclass
class Locked:
    base_url: str
    path: Path
    db: Database
    workspace: Workspace
    log: Path


@pytest.fixture
def sqlite_server(tmp_path: Path) -> Iterator[Locked]:
    """A server on a SQLite file of its own, waiting at most a second for the write lock."""
    path = tmp_path / "data" / "leadhub.db"
    path.parent.mkdir(parents=True)
    database = Database(f"sqlite:///{path}")
    upgrade(database.engine)
    workspace = make_workspace(database, "acme")
    env = {
        "LEADHUB_DATA_DIR": str(path.parent),
        "LEADHUB_SECRET_KEY": "test-secret",
        "LEADHUB_SQLITE_BUSY_TIMEOUT": "1",
        "LEADHUB_LOG_FORMAT": "json",
    }
    try:
        with running_server(tmp_path, env) as base_url:
            yield Locked(base_url, path, database, workspace, tmp_path / "server.log")
    finally:
        database.dispose()


def writes(http: httpx.Client, locked: Locked) -> list[Probe]:
    key = {"Authorization": f"Bearer {make_key(locked.db, locked.workspace)}"}
    form = http.post("/api/v1/forms", json=FORM, headers=key)
    assert form.status_code == 201, form.text

    def lead(n: int) -> dict[str, str]:
        return {"email": f"locked-{n}@example.com", "first_name": "Lee"}

    tracked = {"projectId": locked.workspace.public_id, "userData": lead(3)}
    return [
        Probe(
            "native",
            "POST",
            "/api/v1/leads",
            native,
            201,
            options={"headers": key, "json": lead(1)},
        ),
        Probe(
            "inbound",
            "POST",
            f"/api/inbound/leads?tenant={locked.workspace.slug}",
            native,
            201,
            options={"headers": key, "json": lead(2)},
        ),
        Probe(
            "leadtrackr",
            "POST",
            "/compat/leadtrackr/api/leads/createLead",
            leadtrackr,
            201,
            options={"json": tracked},
        ),
        Probe(
            "leadsopedia",
            "POST",
            "/compat/leadsopedia/v1/mylists",
            leadsopedia,
            201,
            options={"headers": key, "json": {"name": "Locked"}},
        ),
        Probe(
            "form", "POST", f"/f/{form.json()['data']['id']}", page, 200, options={"data": lead(4)}
        ),
    ]


def lead_emails(database: Database) -> list[str]:
    with database.unit_of_work(write=False) as session:
        return sorted(e for e in session.scalars(select(Lead.email)) if e is not None)


def test_a_write_that_waits_past_the_sqlite_busy_timeout_answers_503_and_writes_nothing(
    sqlite_server: Locked,
) -> None:
    with httpx.Client(base_url=sqlite_server.base_url, timeout=30, trust_env=False) as http:
        probes = writes(http, sqlite_server)
        # Another process's writer holds the lock for longer than the server's busy timeout.
        holder = sqlite3.connect(sqlite_server.path, isolation_level=None, timeout=30)
        holder.execute("BEGIN IMMEDIATE")
        try:
            failed = [assert_unavailable(probe, probe.send(http)) for probe in probes]
            assert lead_emails(sqlite_server.db) == []  # reads go on: WAL
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        for probe in probes:
            answer = probe.send(http)
            assert answer.status_code == probe.ok, (probe.surface, answer.text)
    assert lead_emails(sqlite_server.db) == [f"locked-{n}@example.com" for n in range(1, 5)]
    assert_logged_once_each(sqlite_server.log, failed)


def test_writes_queued_behind_a_held_sqlite_lock_each_give_up_within_the_timeout(
    sqlite_server: Locked,
) -> None:
    """Writes of one server take turns: without a bound on the wait for a turn, the last of N
    would answer only after N timeouts."""
    key = {"Authorization": f"Bearer {make_key(sqlite_server.db, sqlite_server.workspace)}"}
    holder = sqlite3.connect(sqlite_server.path, isolation_level=None, timeout=30)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with ThreadPoolExecutor(max_workers=6) as pool:
            answers = list(pool.map(lambda n: timed_post(sqlite_server, key, n), range(6)))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert [status for status, _ in answers] == [503] * 6
    # Each waits at most its turn's timeout, then SQLite's (1 s each), where 6 in line took 6 s.
    assert max(seconds for _, seconds in answers) < 4.5, answers


def timed_post(locked: Locked, key: dict[str, str], n: int) -> tuple[int, float]:
    started = time.monotonic()
    answer = httpx.post(
        f"{locked.base_url}/api/v1/leads",
        json={"first_name": f"Queued {n}"},
        headers=key,
        timeout=30,
        trust_env=False,
    )
    return answer.status_code, time.monotonic() - started
