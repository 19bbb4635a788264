"""Scale-out for real: two `leadhub serve` and two `leadhub worker` processes, started at once as a
user starts them, on one fresh PostgreSQL database, one Redis and one shared data directory."""

from __future__ import annotations

import json
import os
import re
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import redis
from alembic.script import ScriptDirectory
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from leadhub.db.migrate import alembic_config
from leadhub.db.uow import Database
from leadhub.models import AutomationRun, Job, WebhookDelivery
from tests.conftest import (
    LeadhubProcess,
    free_port,
    leadhub_process,
    scratch_database,
    server_process,
    wait_until_healthy,
)
from tests.factories import Workspace, make_key, make_workspace
from tests.media.samples import UPLOAD_URL, sample
from tests.webhooks.receiver import Receiver, receiver

pytestmark = pytest.mark.slow

WORKER_READY = "leadhub worker: consuming jobs"
# Waiting for readiness, not timing it: four processes import at once on a loaded machine.
START_TIMEOUT = 180.0
DEFAULT_RATE_LIMIT = 1000
LEADS_PER_NODE = 10
# What huey logs when a consumer (with logging, as `leadhub worker` has) starts a job.
RAN_A_JOB = re.compile(r"Executing \S*leadhub\.run_job")
# What must never appear in the output of a node that works.
TROUBLE = re.compile(r"Traceback|\bERROR\b|CRITICAL|Exception")


@dataclass
class Deployment:
    nodes: list[str]  # the base URLs of the two `leadhub serve` processes
    servers: list[LeadhubProcess]
    workers: list[LeadhubProcess]
    db: Database
    database_url: str
    data_dir: Path

    def processes(self) -> list[LeadhubProcess]:
        return [*self.servers, *self.workers]

    def assert_logs_clean(self) -> None:
        for process in self.processes():
            log = process.log()
            assert process.process.poll() is None, f"{process.log_path} exited:\n{log[-4000:]}"
            found = TROUBLE.search(log)
            assert found is None, f"{process.log_path}:\n{log[max(0, found.start() - 2000) :]}"


def on_postgresql() -> str:
    """The PostgreSQL server of the test run, or a skip: scale-out needs a shared database."""
    configured = os.environ.get("LEADHUB_TEST_DATABASE_URL", "")
    if not configured or make_url(configured).get_backend_name() != "postgresql":
        pytest.skip(
            "scale-out is the PostgreSQL + Redis deployment (SQLite is one machine's file): "
            "run with LEADHUB_TEST_DATABASE_URL=postgresql+psycopg://…"
        )
    return configured


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def forget_redis_keys(redis_url: str, namespace: str) -> None:
    connection = redis.Redis.from_url(redis_url)
    try:
        for name in connection.scan_iter(match=f"*{namespace}*"):
            connection.delete(name)
    finally:
        connection.close()


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory, redis_url: str) -> Iterator[Deployment]:
    on_postgresql()
    root = tmp_path_factory.mktemp("scaleout")
    # The job queue and the rate limits of this deployment alone on the shared Redis database
    # (in characters huey keeps in its key names, so that one pattern finds them all).
    namespace = f"leadhub_scaleout_{uuid.uuid4().hex[:12]}"
    data_dir = root / "shared-data"
    try:
        with scratch_database(root) as database_url, ExitStack() as stack:
            yield from start_deployment(
                stack,
                env_for(database_url, redis_url, namespace, data_dir),
                root,
                database_url,
                data_dir,
            )
    finally:  # once every process has stopped, so none writes a key afterwards
        forget_redis_keys(redis_url, namespace)


def env_for(database_url: str, redis_url: str, namespace: str, data_dir: Path) -> dict[str, str]:
    """What every node of the deployment shares. No LEADHUB_SECRET_KEY: the nodes generate it
    into the shared data directory, all at once, and must agree on it."""
    return {
        "LEADHUB_DATABASE_URL": database_url,
        "LEADHUB_REDIS_URL": redis_url,
        "LEADHUB_QUEUE_NAME": namespace,
        "LEADHUB_DATA_DIR": str(data_dir),
        "LEADHUB_WEBHOOK_ALLOW_PRIVATE": "true",  # the local webhook receiver
    }


def start_deployment(
    stack: ExitStack, env: dict[str, str], root: Path, database_url: str, data_dir: Path
) -> Iterator[Deployment]:
    """Two `leadhub serve` and two `leadhub worker` processes, all started at once."""
    ports = [free_port(), free_port()]
    while ports[0] == ports[1]:
        ports[1] = free_port()
    # Nothing waits for another before it starts: the four migrate the empty database together.
    servers = [
        stack.enter_context(server_process(root / f"node{number}", env, port))
        for number, port in enumerate(ports, start=1)
    ]
    workers = [
        stack.enter_context(
            leadhub_process(["worker"], root / f"worker{number}", env, "worker.log")
        )
        for number in (1, 2)
    ]
    for server, base_url in servers:
        wait_until_healthy(server, base_url)
    for worker in workers:

        def ready(worker: LeadhubProcess = worker) -> bool:
            if worker.process.poll() is not None:
                pytest.fail(f"leadhub worker exited:\n{worker.log()}")
            return WORKER_READY in worker.log()

        wait_for(ready, START_TIMEOUT, f"{worker.log_path} to consume")
    db = Database(database_url)
    try:
        yield Deployment(
            nodes=[base_url for _, base_url in servers],
            servers=[server for server, _ in servers],
            workers=workers,
            db=db,
            database_url=database_url,
            data_dir=data_dir,
        )
    finally:
        db.dispose()


@pytest.fixture(scope="module")
def workspace(deployment: Deployment) -> Workspace:
    return make_workspace(deployment.db, "acme")


def clients(deployment: Deployment, key: str) -> list[httpx.Client]:
    headers = {"Authorization": f"Bearer {key}"}
    return [
        httpx.Client(base_url=node, headers=headers, timeout=30, trust_env=False)
        for node in deployment.nodes
    ]


# -- migrations ---------------------------------------------------------------------------------


def test_the_four_processes_migrated_the_fresh_database_exactly_once(
    deployment: Deployment,
) -> None:
    heads = ScriptDirectory.from_config(alembic_config(deployment.db.engine)).get_heads()
    with deployment.db.engine.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
        assert sorted(versions) == sorted(heads)
    head = ", ".join(sorted(heads))
    migrated = f"migrated the database schema from (empty) to {head}"
    up_to_date = f"the database schema is up to date at {head}"
    said = [process.log() for process in deployment.processes()]
    # One process migrated; the three others waited for it and found nothing left to do.
    assert sum(migrated in log for log in said) == 1, said
    assert sum(up_to_date in log for log in said) == 3, said
    deployment.assert_logs_clean()


# -- rate limits --------------------------------------------------------------------------------


def test_a_keys_default_budget_is_shared_the_1001st_request_is_refused_on_either_node(
    deployment: Deployment, workspace: Workspace
) -> None:
    key = make_key(deployment.db, workspace)  # the default budget, 1000 requests an hour
    nodes = clients(deployment, key)
    try:
        resets = set()
        for number in range(DEFAULT_RATE_LIMIT):
            answer = nodes[number % 2].get("/api/v1/me")  # alternating between the nodes
            assert answer.status_code == 200, (number, answer.text)
            assert answer.headers["X-RateLimit-Limit"] == str(DEFAULT_RATE_LIMIT)
            assert answer.headers["X-RateLimit-Remaining"] == str(DEFAULT_RATE_LIMIT - 1 - number)
            resets.add(answer.headers["X-RateLimit-Reset"])
        assert len(resets) == 1, resets  # one window, the same on both nodes
        refused = [node.get("/api/v1/me") for node in (nodes[1], nodes[0])]
        for answer in refused:
            assert answer.status_code == 429, answer.text
            assert answer.json()["code"] == "RATE_LIMITED"
            assert answer.headers["X-RateLimit-Limit"] == str(DEFAULT_RATE_LIMIT)
            assert answer.headers["X-RateLimit-Remaining"] == "0"
            assert answer.headers["X-RateLimit-Reset"] in resets
            retry_after = int(answer.headers["Retry-After"])
            assert 1 <= retry_after <= 3600
            assert abs(retry_after - (int(answer.headers["X-RateLimit-Reset"]) - time.time())) < 5
        # Another key of the workspace keeps its own budget on both nodes.
        other = clients(deployment, make_key(deployment.db, workspace))
        try:
            assert [node.get("/api/v1/me").status_code for node in other] == [200, 200]
        finally:
            for client in other:
                client.close()
    finally:
        for client in nodes:
            client.close()
    deployment.assert_logs_clean()


# -- jobs ---------------------------------------------------------------------------------------


def jobs_settled(db: Database) -> list[tuple[str, int]]:
    with db.unit_of_work(write=False) as session:
        return [(row.status, row.attempts) for row in session.scalars(select(Job).order_by(Job.id))]


def test_jobs_made_on_both_nodes_run_exactly_once_across_the_consumers(
    deployment: Deployment, workspace: Workspace
) -> None:
    nodes = clients(deployment, make_key(deployment.db, workspace))
    try:
        with receiver() as hooks:
            webhook = nodes[0].post(
                "/api/v1/webhooks", json={"url": hooks.url, "events": ["lead_created"]}
            )
            assert webhook.status_code == 201, webhook.text
            automation = nodes[1].post(
                "/api/v1/automations",
                json={
                    "name": "Tag new leads",
                    "trigger": "lead_created",
                    "actions": [{"type": "add_tag", "tag": "scaled"}],
                },
            )
            assert automation.status_code == 201, automation.text
            lead_ids = []
            for number in range(2 * LEADS_PER_NODE):
                created = nodes[number % 2].post(
                    "/api/v1/leads",
                    json={"first_name": f"Lead {number}", "email": f"lead{number}@example.com"},
                )
                assert created.status_code == 201, created.text
                lead_ids.append(created.json()["data"]["id"])
            total = len(lead_ids)

            def settled() -> bool:
                states = jobs_settled(deployment.db)
                return len(hooks.requests) >= total and all(s == "done" for s, _ in states)

            wait_for(settled, 120, "every job to finish")
            time.sleep(2)  # a job run twice would deliver again by now
            assert_delivered_once(hooks, total)
        states = jobs_settled(deployment.db)
        assert states and all(state == ("done", 1) for state in states), states
        with deployment.db.unit_of_work(write=False) as session:
            runs = Counter(
                (run.lead_id, run.status) for run in session.scalars(select(AutomationRun))
            )
            deliveries = list(session.scalars(select(WebhookDelivery)))
        assert runs == Counter({(lead_id, "succeeded"): 1 for lead_id in lead_ids})
        event_ids = [delivery.event_id for delivery in deliveries]
        assert None not in event_ids and len(set(event_ids)) == total, event_ids
        assert [(d.status, d.attempts) for d in deliveries] == [("succeeded", 1)] * total
        for lead_id in lead_ids:
            lead = nodes[lead_id % 2].get(f"/api/v1/leads/{lead_id}").json()["data"]
            assert lead["tags"] == ["scaled"], lead
    finally:
        for client in nodes:
            client.close()
    # The `leadhub worker` processes consumed their share beside the servers' own consumers.
    for worker in deployment.workers:
        assert RAN_A_JOB.search(worker.log()), worker.log()[-4000:]
    deployment.assert_logs_clean()


def assert_delivered_once(hooks: Receiver, total: int) -> None:
    """Each lead's event reached the receiver once: one request per event id."""
    per_event = Counter(json.loads(request.body)["id"] for request in hooks.requests)
    assert len(per_event) == total, per_event
    assert set(per_event.values()) == {1}, per_event


# -- uploads ------------------------------------------------------------------------------------


def test_an_upload_through_one_node_is_served_by_the_other(
    deployment: Deployment, workspace: Workspace
) -> None:
    first, second = clients(deployment, make_key(deployment.db, workspace))
    try:
        body = sample("image/png", 50_000)
        # Asked of node 2, PUT through node 1: the URL's signature is good on every node.
        asked = second.post(
            UPLOAD_URL,
            json={"filename": "logo.png", "content_type": "image/png", "file_size": len(body)},
        )
        assert asked.status_code == 201, asked.text
        data = asked.json()["data"]
        assert data["bucket"] == "local"
        upload_path = httpx.URL(data["upload_url"]).path
        stored = first.put(upload_path, content=body, headers={"Content-Type": "image/png"})
        assert stored.status_code == 201, stored.text
        media_path = httpx.URL(data["public_url"]).path
        for node in (second, first):
            served = node.get(media_path)
            assert served.status_code == 200, served.text
            assert served.content == body
            assert served.headers["content-type"] == "image/png"
            assert served.headers["etag"] == f'"{stored.json()["sha256"]}"'
        again = second.put(upload_path, content=body, headers={"Content-Type": "image/png"})
        assert again.status_code == 409, again.text  # used once, whichever node it reaches
    finally:
        first.close()
        second.close()
    # The one secret every node generated at once and agreed on.
    secret = (deployment.data_dir / "secret_key").read_text().strip()
    assert len(secret) >= 32
    deployment.assert_logs_clean()
