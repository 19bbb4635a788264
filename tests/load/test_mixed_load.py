"""50 concurrent clients against one `leadhub serve`: reads, creates, inbound duplicates and hosted
form posts mixed, for `LEADHUB_LOAD_SECONDS` (30 in the test suite; 300 for the full run that
docs/reliability.md reports). No error but the intended 429s, no lead lost or doubled, memory flat.
"""

from __future__ import annotations

import asyncio
import os
import random
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from bench.rss import tree_rss_kb
from sqlalchemy import func, select

from leadhub.db.uow import Database
from leadhub.models import Lead
from tests.factories import Workspace, make_key
from tests.nodes import Node

pytestmark = pytest.mark.slow
CLIENTS = 50
SECONDS = float(os.environ.get("LEADHUB_LOAD_SECONDS", "30"))
DUPLICATES = [f"returning-{number}@example.com" for number in range(20)]
# Memory may grow while caches and pools fill; after that it must stay flat.
WARM_FRACTION = 0.25
MAX_GROWTH_KB = 40 * 1024


@dataclass
class Tally:
    statuses: dict[str, Counter[int]] = field(default_factory=dict)
    created_ids: list[int] = field(default_factory=list)
    created_emails: list[str] = field(default_factory=list)
    form_emails: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)

    def count(self, action: str, response: httpx.Response, *, limited: bool = False) -> bool:
        """Records the answer; True for a success. A 429 is expected only where `limited`."""
        self.statuses.setdefault(action, Counter())[response.status_code] += 1
        if response.is_success or response.status_code == 303:
            return True
        if not (limited and response.status_code == 429):
            self.unexpected.append(f"{action}: {response.status_code} {response.text[:200]}")
        return False


class Memory:
    """The server's RSS, sampled every second in a thread."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Memory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        started = time.monotonic()
        while not self._stop.wait(1.0):
            self.samples.append((time.monotonic() - started, tree_rss_kb(self.pid)))

    def growth_after_warmup_kb(self, warm_seconds: float) -> int:
        settled = [rss for at, rss in self.samples if at >= warm_seconds]
        assert len(settled) >= 3, self.samples
        return max(settled) - settled[0]


@pytest.fixture
def node(tmp_path: Path, own_database_url: str) -> Iterator[Node]:
    server = Node(tmp_path / "node", own_database_url)
    try:
        yield server
    finally:
        server.stop()


async def client(
    number: int,
    base: str,
    auth: dict[str, str],
    form_id: int,
    known: list[int],
    tally: Tally,
    deadline: float,
) -> None:
    rng = random.Random(number)
    sequence = 0
    async with httpx.AsyncClient(base_url=base, headers=auth, timeout=60) as http:
        while time.monotonic() < deadline:
            sequence += 1
            email = f"load-{number}-{sequence}@example.com"
            roll = rng.random()
            if roll < 0.25:
                response = await http.get("/api/v1/leads", params={"per_page": 25})
                tally.count("list", response)
            elif roll < 0.40:
                response = await http.get(f"/api/v1/leads/{rng.choice(known)}")
                tally.count("get", response)
            elif roll < 0.65:
                response = await http.post(
                    "/api/v1/leads", json={"email": email, "first_name": "L"}
                )
                if tally.count("create", response):
                    tally.created_ids.append(response.json()["data"]["id"])
                    tally.created_emails.append(email)
            elif roll < 0.85:
                response = await http.post(
                    "/api/inbound/leads",
                    params={"tenant": "acme"},
                    json={"email": rng.choice(DUPLICATES), "first_name": "Again"},
                )
                tally.count("inbound duplicate", response)
            else:
                # The hosted form takes 10 posts per address in 10 minutes: the rest are 429s.
                response = await http.post(
                    f"/f/{form_id}", data={"email": email, "name": "Form Person"}
                )
                if tally.count("form post", response, limited=True):
                    tally.form_emails.append(email)


async def drive(base: str, auth: dict[str, str], form_id: int, known: list[int]) -> Tally:
    tally = Tally()
    deadline = time.monotonic() + SECONDS
    await asyncio.gather(
        *(client(n, base, auth, form_id, known, tally, deadline) for n in range(CLIENTS))
    )
    return tally


def test_fifty_clients_mixing_reads_and_writes(
    node: Node, own_db: Database, own_workspace: Workspace
) -> None:
    key = make_key(own_db, own_workspace, rate_limit=10_000_000)
    auth = {"Authorization": f"Bearer {key}"}
    base = node.start()
    form = httpx.post(
        f"{base}/api/v1/forms",
        json={
            "name": "Load",
            "fields": [
                {"name": "email", "label": "Email", "type": "email", "required": True},
                {"name": "name", "label": "Name", "type": "text"},
            ],
        },
        headers=auth,
    )
    assert form.status_code == 201, form.text
    known = []
    for email in DUPLICATES:
        lead = {"email": email, "first_name": "Returning"}
        created = httpx.post(f"{base}/api/v1/leads", json=lead, headers=auth)
        assert created.status_code == 201, created.text
        known.append(created.json()["data"]["id"])

    # The clients' event loop runs in a thread of its own: the browser tests keep one in this one.
    with Memory(node.pid) as memory, ThreadPoolExecutor(1) as loop_thread:
        driving = drive(base, auth, form.json()["data"]["id"], known)
        tally = loop_thread.submit(asyncio.run, driving).result()

    print({action: dict(statuses) for action, statuses in tally.statuses.items()})
    print("RSS samples (s, kB):", memory.samples[:: max(1, len(memory.samples) // 20)])
    assert tally.unexpected == []
    assert sum(tally.statuses["create"].values()) > CLIENTS  # the load was real
    # Nothing lost, nothing doubled: every acknowledged lead once, and no other.
    with own_db.unit_of_work(write=False) as session:
        emails = list(session.scalars(select(Lead.email)))
        found = session.scalar(
            select(func.count()).select_from(Lead).where(Lead.id.in_(tally.created_ids))
        )
    assert found == len(tally.created_ids) == len(set(tally.created_ids))
    assert len(emails) == len(set(emails))
    assert sorted(emails) == sorted(DUPLICATES + tally.created_emails + tally.form_emails)
    assert memory.growth_after_warmup_kb(SECONDS * WARM_FRACTION) < MAX_GROWTH_KB
