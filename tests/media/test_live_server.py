"""Uploads through a real `leadhub serve` (uvicorn): the body streams from the socket."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from leadhub.db.uow import Database
from tests.factories import Workspace, make_key
from tests.media.samples import MB, UPLOAD_URL, sample

pytestmark = pytest.mark.slow


def chunked(body: bytes, size: int = 256 * 1024) -> Iterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


def test_a_chunked_upload_round_trips_and_an_oversized_one_is_cut(
    live_server: str, live_db: Database, live_workspace: Workspace
) -> None:
    headers = {"Authorization": f"Bearer {make_key(live_db, live_workspace)}"}
    with httpx.Client(base_url=live_server, timeout=30, trust_env=False) as http:
        asked = http.post(
            UPLOAD_URL,
            json={"filename": "deck.pdf", "content_type": "application/pdf", "file_size": 3 * MB},
            headers=headers,
        )
        assert asked.status_code == 201, asked.text
        data = asked.json()["data"]
        assert data["upload_url"].startswith(f"{live_server}/uploads/")
        too_big = sample("application/pdf", 3 * MB + 1)
        refused = http.put(
            data["upload_url"],
            content=chunked(too_big),
            headers={"Content-Type": "application/pdf"},
        )
        assert refused.status_code == 413, refused.text
        body = sample("application/pdf", 3 * MB)
        stored = http.put(
            data["upload_url"], content=chunked(body), headers={"Content-Type": "application/pdf"}
        )
        assert stored.status_code == 201, stored.text
        served = http.get(data["public_url"])
        assert served.status_code == 200
        assert served.content == body
        assert served.headers["content-type"] == "application/pdf"
