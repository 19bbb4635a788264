"""Search history through a real `leadhub serve`, whose searches' records wait in its buffer:
none is lost to concurrent writers, each is listed at once, and an erasure finds them."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from leadhub.db.uow import Database
from tests.factories import Workspace, make_lead

pytestmark = pytest.mark.slow
SEARCHERS, SEARCHES, WRITERS, CREATES = 6, 12, 3, 15


def test_every_search_is_noted_while_leads_are_written(
    live_server: str, live_db: Database, live_workspace: Workspace, live_key: str
) -> None:
    headers = {"Authorization": f"Bearer {live_key}"}
    make_lead(live_db, live_workspace, first_name="Ada")

    def searches(searcher: int) -> list[int]:
        with httpx.Client(base_url=live_server, headers=headers, timeout=30) as client:
            return [
                client.get("/api/v1/leads", params={"search": f"ada s{searcher}n{n}"}).status_code
                for n in range(SEARCHES)
            ]

    def creates(writer: int) -> list[int]:
        with httpx.Client(base_url=live_server, headers=headers, timeout=30) as client:
            return [
                client.post("/api/v1/leads", json={"first_name": f"W{writer}n{n}"}).status_code
                for n in range(CREATES)
            ]

    with ThreadPoolExecutor(SEARCHERS + WRITERS) as pool:
        searched = [pool.submit(searches, n) for n in range(SEARCHERS)]
        written = [pool.submit(creates, n) for n in range(WRITERS)]
        assert all(status == 200 for done in searched for status in done.result())
        assert all(status == 201 for done in written for status in done.result())

    answer = httpx.get(
        f"{live_server}/api/v1/account/history", params={"per_page": 100}, headers=headers
    )
    assert answer.status_code == 200, answer.text
    noted = sorted(record["query"] for record in answer.json()["data"])
    assert noted == sorted(f"ada s{s}n{n}" for s in range(SEARCHERS) for n in range(SEARCHES))


def test_an_erasure_right_after_a_search_for_the_person_leaves_no_trace_of_it(
    live_server: str, live_db: Database, live_workspace: Workspace, live_key: str
) -> None:
    headers = {"Authorization": f"Bearer {live_key}"}
    make_lead(live_db, live_workspace, first_name="Ada", email="ada@example.com")
    with httpx.Client(base_url=live_server, headers=headers, timeout=30) as client:
        found = client.get("/api/v1/leads", params={"search": "ada@example.com"})
        assert found.json()["meta"]["total"] == 1
        erased = client.post("/api/v1/privacy/erasures", json={"email": "ada@example.com"})
        assert erased.status_code == 201, erased.text
        assert erased.json()["data"]["anonymised"].get("search_history") == 1
        kept = client.get("/api/v1/account/history").json()["data"]
    assert len(kept) == 1 and "ada@example.com" not in str(kept)
