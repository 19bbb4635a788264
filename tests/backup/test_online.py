"""An online backup of SQLite: `leadhub backup` runs while a real `leadhub serve` keeps writing
leads through the API, and the archive restores into a database that passes its integrity check
and holds a moment of the source whole: every lead it counts is complete, and it has every lead
committed before that moment and none after."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from leadhub.db.migrate import upgrade
from leadhub.db.uow import Database
from tests.backup.conftest import Leadhub, Node
from tests.conftest import LEADHUB_COMMAND, running_server
from tests.factories import make_key, make_workspace
from tests.media.samples import UPLOAD_URL, sample

pytestmark = pytest.mark.slow

WRITERS = 2
LEADS_BEFORE_THE_BACKUP = 40


class Writers:
    """Threads that create tagged leads through the API until stopped; the ids answered."""

    def __init__(self, base_url: str, key: str) -> None:
        self.base_url = base_url
        self.headers = {"Authorization": f"Bearer {key}"}
        self.created: list[int] = []
        self.failures: list[str] = []
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._write, args=(number,)) for number in range(WRITERS)
        ]

    def __enter__(self) -> Writers:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def _write(self, writer: int) -> None:
        with httpx.Client(base_url=self.base_url, timeout=60, trust_env=False) as http:
            sequence = 0
            while not self._stop.is_set():
                sequence += 1
                answer = http.post(
                    "/api/v1/leads",
                    json={
                        "first_name": f"Writer {writer}",
                        "email": f"w{writer}-{sequence}@example.com",
                        "tags": ["online", f"writer-{writer}"],
                        "custom_fields": {"writer": writer, "sequence": sequence},
                    },
                    headers=self.headers,
                )
                if answer.status_code != 201:
                    self.failures.append(answer.text)
                    return
                self.created.append(answer.json()["data"]["id"])

    def wait_for(self, count: int, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while len(self.created) < count and not self.failures:
            assert time.monotonic() < deadline, f"only {len(self.created)} leads were created"
            time.sleep(0.05)
        assert not self.failures, self.failures[0]


def command_env(data_dir: Path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("LEADHUB_")}
    env["LEADHUB_DATA_DIR"] = str(data_dir)
    return env


def prepare(data_dir: Path) -> str:
    """A migrated node with a workspace; its key."""
    database = Database(f"sqlite:///{data_dir / 'leadhub.db'}")
    try:
        upgrade(database.engine)
        return make_key(database, make_workspace(database, "acme"))
    finally:
        database.dispose()


def upload(base_url: str, key: str) -> tuple[str, bytes]:
    image = sample("image/png", 4096)
    with httpx.Client(base_url=base_url, timeout=30, trust_env=False) as http:
        asked = http.post(
            UPLOAD_URL,
            json={"filename": "logo.png", "content_type": "image/png", "file_size": len(image)},
            headers={"Authorization": f"Bearer {key}"},
        )
        assert asked.status_code == 201, asked.text
        data = asked.json()["data"]
        put = http.put(data["upload_url"], content=image, headers={"Content-Type": "image/png"})
        assert put.status_code == 201, put.text
    return httpx.URL(data["public_url"]).path, image


def lead_ids(path: Path, *, up_to: int | None = None) -> set[int]:
    connection = sqlite3.connect(path)
    try:
        query = "SELECT id FROM leads" + ("" if up_to is None else f" WHERE id <= {up_to}")
        return {row[0] for row in connection.execute(query)}
    finally:
        connection.close()


def test_a_backup_taken_while_the_server_writes_is_consistent_and_restores(
    tmp_path: Path, leadhub: Leadhub
) -> None:
    source = tmp_path / "source"
    source.mkdir()
    key = prepare(source)
    archive = tmp_path / "online.tar.gz"
    with running_server(tmp_path / "run", {"LEADHUB_DATA_DIR": str(source)}) as base_url:
        media_path, image = upload(base_url, key)
        with Writers(base_url, key) as writers:
            writers.wait_for(LEADS_BEFORE_THE_BACKUP)
            answered_before = len(writers.created)
            backup = subprocess.run(
                [LEADHUB_COMMAND, "backup", str(archive)],
                cwd=tmp_path,
                env=command_env(source),
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            answered_after = len(writers.created)
            writers.wait_for(answered_after + 10)  # the server wrote on throughout
        assert backup.returncode == 0, backup.stderr
        assert backup.stdout.splitlines()[-1] == str(archive)
        # A node that is running is not restored over.
        live = Node(url=f"sqlite:///{source / 'leadhub.db'}", data_dir=source)
        assert "in use" in leadhub("restore", str(archive), "--force", node=live).one_line_error()

    fresh = tmp_path / "fresh"
    target = Node(url=f"sqlite:///{fresh / 'leadhub.db'}", data_dir=fresh)
    assert leadhub("restore", str(archive), node=target).value() == str(fresh / "leadhub.db")

    restored = fresh / "leadhub.db"
    connection = sqlite3.connect(restored)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        incomplete = connection.execute(
            "SELECT count(*) FROM leads WHERE email IS NULL"
            " OR json_extract(custom_fields, '$.sequence') IS NULL"
            " OR (SELECT count(*) FROM lead_tags WHERE lead_tags.lead_id = leads.id) != 2"
        ).fetchone()[0]
        counted = connection.execute("SELECT count(*) FROM leads").fetchone()[0]
    finally:
        connection.close()
    assert incomplete == 0
    # Every lead answered before the backup began is in it; a lead answered after it ended can
    # only be one whose commit came first (one in flight per writer).
    assert answered_before <= counted <= answered_after + WRITERS
    # A moment of the source, whole: exactly the leads committed up to its newest lead.
    ids = lead_ids(restored)
    assert ids == lead_ids(source / "leadhub.db", up_to=max(ids))
    assert len(ids) < len(lead_ids(source / "leadhub.db"))

    served = target.client().get(media_path)
    assert served.status_code == 200
    assert served.content == image
    target.close()
