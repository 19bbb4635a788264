"""`leadhub serve` killed with SIGKILL mid-work, then started again on the same data.

Nothing acknowledged is lost, nothing is half-written, and the work in flight (an import, an
export, the jobs of a burst of inbound leads) runs to completion once in effect after the restart.
"""

from __future__ import annotations

import csv
import io
import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
from bench.generate import generate
from sqlalchemy import func, select

from leadhub.db.uow import Database
from leadhub.domains.apikeys import service as apikeys
from leadhub.domains.credits import service as credits
from leadhub.models import Job, Lead, LeadEvent, LeadExport, LeadImport, ListMember
from tests.factories import Workspace, make_key
from tests.nodes import Node
from tests.webhooks.receiver import receiver

pytestmark = pytest.mark.slow
IMPORT_ROWS = 12_000
EXPORT_LEADS = 20_000


@pytest.fixture
def node(tmp_path: Path, own_database_url: str) -> Iterator[Node]:
    # A short lease: the jobs of the killed server run again soon after the restart.
    server = Node(
        tmp_path / "node",
        own_database_url,
        LEADHUB_JOB_LEASE_SECONDS="3",
        LEADHUB_WEBHOOK_ALLOW_PRIVATE="true",
    )
    try:
        yield server
    finally:
        server.stop()


def wait_for(condition: Callable[[], bool], timeout: float = 120, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what or condition}")


def count(db: Database, model: Any, *where: Any) -> int:
    with db.unit_of_work(write=False) as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def jobs_left(db: Database) -> int:
    """Jobs still to run; a failed one fails the test (none of these may fail)."""
    assert count(db, Job, Job.status == "failed") == 0
    return count(db, Job, Job.status.in_(("pending", "running")))


# -- an import ----------------------------------------------------------------------------------


def people_csv(rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Email", "First name", "Last name", "Company"])
    for number in range(rows):
        writer.writerow([f"person{number}@example.com", f"First{number}", "Doe", "Acme"])
    return out.getvalue().encode()


def import_record(db: Database, import_id: int) -> LeadImport:
    with db.unit_of_work(write=False) as session:
        record = session.get(LeadImport, import_id)
        assert record is not None
        return record


def test_an_import_killed_mid_run_resumes_and_writes_every_row_once(
    node: Node, own_db: Database, own_workspace: Workspace
) -> None:
    auth = {"Authorization": f"Bearer {make_key(own_db, own_workspace)}"}
    base = node.start()
    created = httpx.post(
        f"{base}/api/v1/imports",
        files={"file": ("people.csv", people_csv(IMPORT_ROWS), "text/csv")},
        headers=auth,
        timeout=60,
    )
    assert created.status_code == 202, created.text
    import_id = created.json()["data"]["id"]
    wait_for(
        lambda: 0 < import_record(own_db, import_id).processed_rows < IMPORT_ROWS,
        what="the import to be part-way",
    )
    node.kill()

    # What committed is whole: each committed batch's leads, list members and counts together.
    record = import_record(own_db, import_id)
    assert record.status == "running"
    assert 0 < record.processed_rows < IMPORT_ROWS
    assert count(own_db, Lead) == record.created_count == record.processed_rows
    assert count(own_db, ListMember) == record.processed_rows

    node.start()
    wait_for(lambda: import_record(own_db, import_id).status == "done", what="the import")
    record = import_record(own_db, import_id)
    assert (record.processed_rows, record.created_count, record.failed_count) == (
        IMPORT_ROWS,
        IMPORT_ROWS,
        0,
    )
    assert count(own_db, Lead) == IMPORT_ROWS
    with own_db.unit_of_work(write=False) as session:
        assert session.scalar(select(func.count(func.distinct(Lead.email)))) == IMPORT_ROWS
    assert count(own_db, ListMember) == IMPORT_ROWS
    wait_for(lambda: jobs_left(own_db) == 0, what="every job done")


# -- an export ----------------------------------------------------------------------------------


def export_record(db: Database, export_id: int) -> LeadExport:
    with db.unit_of_work(write=False) as session:
        record = session.get(LeadExport, export_id)
        assert record is not None
        return record


def test_an_export_killed_mid_run_is_written_again_whole_and_paid_once(
    node: Node, own_db: Database
) -> None:
    generated = generate(own_db, slug="bulk", leads=EXPORT_LEADS)
    with own_db.unit_of_work() as session:
        key = apikeys.create(session, generated.workspace_id, scopes=None).plaintext
        credits.grant(session, generated.workspace_id, 1_000_000)
    auth = {"Authorization": f"Bearer {key}"}
    base = node.start()
    created = httpx.post(
        f"{base}/api/v1/exports", json={"format": "xlsx"}, headers=auth, timeout=30
    )
    assert created.status_code == 202, created.text
    export_id = created.json()["data"]["id"]
    wait_for(lambda: export_record(own_db, export_id).status == "running", what="the export")
    time.sleep(0.5)  # inside the file: XLSX is written at a few thousand rows a second
    assert export_record(own_db, export_id).status == "running"
    node.kill()

    with own_db.unit_of_work(write=False) as session:
        spent = 1_000_000 - credits.balance(session, generated.workspace_id)
    assert spent > 0
    base = node.start()
    wait_for(lambda: export_record(own_db, export_id).status == "done", what="the export")
    record = export_record(own_db, export_id)
    assert record.row_count == EXPORT_LEADS
    with own_db.unit_of_work(write=False) as session:  # charged once, for the whole file
        assert 1_000_000 - credits.balance(session, generated.workspace_id) == spent
    download = httpx.get(f"{base}/api/v1/downloads/{export_id}", headers=auth)
    url = download.json()["data"]["url"]
    assert url
    body = httpx.get(url, timeout=60)
    assert body.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(body.content), read_only=True).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == EXPORT_LEADS + 1  # the header, then every lead once
    emails = {row[rows[0].index("email")] for row in rows[1:]}
    assert len(emails) == EXPORT_LEADS


# -- a burst of inbound leads -------------------------------------------------------------------


class Burst:
    """Clients posting distinct inbound leads as fast as they can until told to stop."""

    def __init__(self, base: str, auth: dict[str, str], clients: int) -> None:
        self.base, self.auth, self.clients = base, auth, clients
        self.sent: list[str] = []
        self.acknowledged: list[str] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._client, args=(n,)) for n in range(clients)]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def _client(self, number: int) -> None:
        with httpx.Client(timeout=10) as client:
            sequence = 0
            while not self._stop.is_set():
                email = f"burst-{number}-{sequence}@example.com"
                sequence += 1
                with self._lock:
                    self.sent.append(email)
                try:
                    response = client.post(
                        f"{self.base}/api/inbound/leads",
                        params={"tenant": "acme"},
                        json={"email": email, "first_name": "Burst"},
                        headers=self.auth,
                    )
                except httpx.TransportError:  # the server died under this request
                    return
                if response.status_code in (200, 201):
                    with self._lock:
                        self.acknowledged.append(email)


def lead_emails(db: Database) -> list[str]:
    with db.unit_of_work(write=False) as session:
        return [str(email) for email in session.scalars(select(Lead.email))]


def test_a_burst_of_inbound_leads_killed_mid_way_loses_nothing_acknowledged(
    node: Node, own_db: Database, own_workspace: Workspace
) -> None:
    auth = {"Authorization": f"Bearer {make_key(own_db, own_workspace)}"}
    with receiver() as hooks:
        base = node.start()
        webhook = httpx.post(
            f"{base}/api/v1/webhooks",
            json={"url": hooks.url, "events": ["lead_created"]},
            headers=auth,
        )
        assert webhook.status_code == 201, webhook.text
        burst = Burst(base, auth, clients=8)
        burst.start()
        wait_for(lambda: len(burst.acknowledged) >= 150, what="acknowledged leads")
        node.kill()
        burst.stop()

        # Every acknowledged lead is there once, and every lead there is whole (with its event).
        stored = lead_emails(own_db)
        assert len(stored) == len(set(stored))
        assert set(burst.acknowledged) <= set(stored) <= set(burst.sent)
        assert count(own_db, LeadEvent, LeadEvent.type == "lead_created") == len(stored)

        # After the restart the clients send again what they never saw acknowledged.
        base = node.start()
        unacknowledged = sorted(set(burst.sent) - set(burst.acknowledged))
        with httpx.Client(timeout=30) as client:
            for email in unacknowledged:
                response = client.post(
                    f"{base}/api/inbound/leads",
                    params={"tenant": "acme"},
                    json={"email": email, "first_name": "Burst"},
                    headers=auth,
                )
                assert response.status_code in (200, 201), response.text
        stored = lead_emails(own_db)
        assert sorted(stored) == sorted(set(burst.sent))

        # Each lead's event reaches the webhook: the jobs the kill interrupted ran after all.
        wait_for(lambda: jobs_left(own_db) == 0, what="every job done")
        with own_db.unit_of_work(write=False) as session:
            event_ids = set(
                session.scalars(select(LeadEvent.id).where(LeadEvent.type == "lead_created"))
            )
        delivered = {int(json.loads(request.body)["id"]) for request in hooks.requests}
        assert delivered == event_ids
