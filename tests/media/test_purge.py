"""Purging expired uploads: records whose URL expired before a file was stored go, with the
bytes an interrupted upload left; completed and still valid uploads stay."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import boto3
import pytest
from fastapi import FastAPI
from moto.server import ThreadedMotoServer
from sqlalchemy import select

from leadhub.db.uow import Database
from leadhub.domains.media import service as media
from leadhub.domains.media.repository import PENDING, RECEIVING, STORED, set_status
from leadhub.domains.media.schemas import UploadRequest, UploadTicket
from leadhub.kit.clock import utcnow
from leadhub.kit.signed import TokenSigner
from leadhub.models import MediaObject
from leadhub.storage.base import BlobStore
from leadhub.storage.local import PARTIAL_SUFFIX, LocalStore
from leadhub.storage.s3 import S3Options, S3Store
from leadhub.surfaces.common.runtime import Runtime
from tests.conftest import free_port
from tests.factories import Workspace
from tests.media.samples import sample

SIGNER = TokenSigner("test-secret", purpose="uploads")
TTL = 900


def ticket(db: Database, workspace: Workspace, *, issued: datetime) -> UploadTicket:
    with db.unit_of_work() as session:
        return media.create_upload(
            session,
            workspace.principal(),
            data=UploadRequest(filename="photo.png", content_type="image/png", file_size=4096),
            signer=SIGNER,
            ttl_seconds=TTL,
            now=issued,
        )


def upload(db: Database, store: BlobStore, issued: UploadTicket) -> None:
    media.accept_upload(
        db.unit_of_work,
        store,
        SIGNER,
        issued.token,
        content_type="image/png",
        content_length=None,
        body=[sample("image/png", 4096)],
    )


def mark_receiving(db: Database, issued: UploadTicket) -> None:
    """As a PUT does when it claims the URL (and as a crash mid-transfer leaves it)."""
    with db.unit_of_work() as session:
        record = session.scalars(select(MediaObject).where(MediaObject.uuid == issued.id)).one()
        assert set_status(session, record.id, expected=PENDING, status=RECEIVING)


def statuses(db: Database) -> dict[str, str]:
    with db.unit_of_work(write=False) as session:
        rows = session.execute(select(MediaObject.uuid, MediaObject.status))
        return {media_uuid: status for media_uuid, status in rows}


def purge(db: Database, store: BlobStore, now: datetime | None = None) -> int:
    with db.unit_of_work() as session:
        return media.purge_expired(session, store, now=now)


def files(root: Path) -> list[Path]:
    return sorted(path.relative_to(root) for path in root.rglob("*") if path.is_file())


def test_expired_pending_uploads_go_and_completed_or_valid_ones_stay(
    db: Database, workspace: Workspace, tmp_path: Path
) -> None:
    store = LocalStore(tmp_path)
    now = utcnow()
    expired = ticket(db, workspace, issued=now - timedelta(seconds=TTL + 1))
    valid = ticket(db, workspace, issued=now - timedelta(seconds=TTL - 60))
    completed = ticket(db, workspace, issued=now - timedelta(seconds=30))
    upload(db, store, completed)
    completed_long_ago = ticket(db, workspace, issued=now - timedelta(seconds=30))
    upload(db, store, completed_long_ago)

    assert purge(db, store, now=now) == 1
    assert statuses(db) == {
        valid.id: PENDING,
        completed.id: STORED,
        completed_long_ago.id: STORED,
    }
    assert expired.id not in statuses(db)
    assert store.exists(completed.path) and store.exists(completed_long_ago.path)
    # Once every URL has expired, the stored files still stay.
    assert purge(db, store, now=now + timedelta(days=30)) == 1
    assert statuses(db) == {completed.id: STORED, completed_long_ago.id: STORED}
    assert files(tmp_path) == sorted(Path(t.path) for t in (completed, completed_long_ago))


def test_an_interrupted_upload_leaves_no_bytes_behind(
    db: Database, workspace: Workspace, tmp_path: Path
) -> None:
    store = LocalStore(tmp_path)
    now = utcnow()
    crashed = ticket(db, workspace, issued=now - timedelta(hours=2))
    mark_receiving(db, crashed)
    target = tmp_path / crashed.path
    target.parent.mkdir(parents=True)
    # A put killed mid-stream leaves its temporary file; one killed after the rename, the file.
    (target.parent / f".{target.name}.upload-k1ll3d{PARTIAL_SUFFIX}").write_bytes(b"\x89PNG")
    target.write_bytes(sample("image/png", 4096))
    stale = ticket(db, workspace, issued=now - timedelta(hours=2))
    (tmp_path / stale.path).parent.mkdir(parents=True)
    (tmp_path / stale.path).write_bytes(b"\x89PNG")

    assert purge(db, store, now=now) == 2
    assert statuses(db) == {}
    assert files(tmp_path) == []
    assert not target.parent.exists()


def test_an_upload_still_streaming_shortly_after_expiry_is_left_to_finish(
    db: Database, workspace: Workspace, tmp_path: Path
) -> None:
    store = LocalStore(tmp_path)
    now = utcnow()
    streaming = ticket(db, workspace, issued=now - timedelta(seconds=TTL + 60))
    mark_receiving(db, streaming)
    assert purge(db, store, now=now) == 0
    assert statuses(db) == {streaming.id: RECEIVING}
    assert purge(db, store, now=now + media.RECEIVING_GRACE) == 1
    assert statuses(db) == {}


def test_the_job_queue_purges_hourly(app: FastAPI, db: Database, workspace: Workspace) -> None:
    runtime: Runtime = app.state.runtime
    expired = ticket(db, workspace, issued=utcnow() - timedelta(seconds=TTL + 1))
    valid = ticket(db, workspace, issued=utcnow())
    hour = utcnow().replace(second=0, microsecond=0)
    runs = [
        minute
        for minute in range(60)
        if "leadhub.purge_uploads"
        in [task.name for task in runtime.jobs.huey.read_periodic(hour.replace(minute=minute))]
    ]
    assert len(runs) == 1
    assert runtime.jobs.purge_uploads() == 1
    assert statuses(db) == {valid.id: PENDING}
    assert expired.id not in statuses(db)


# -- S3: the object and the parts of a multipart upload that never completed ----------------


@pytest.fixture(scope="module")
def bucket_store() -> Iterator[S3Store]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    options = S3Options(
        bucket="leadhub-purge",
        endpoint_url=endpoint,
        region="us-east-1",
        access_key_id="testing",
        secret_access_key="testing",
        path_style=True,
    )
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ).create_bucket(Bucket=options.bucket)
    try:
        yield S3Store(options)
    finally:
        server.stop()


def test_an_interrupted_upload_to_the_bucket_leaves_nothing(
    db: Database, workspace: Workspace, bucket_store: S3Store
) -> None:
    client, bucket = bucket_store.client, bucket_store.bucket
    now = utcnow()
    crashed = ticket(db, workspace, issued=now - timedelta(hours=2))
    mark_receiving(db, crashed)
    started = client.create_multipart_upload(Bucket=bucket, Key=crashed.path)
    client.upload_part(
        Bucket=bucket, Key=crashed.path, UploadId=started["UploadId"], PartNumber=1, Body=b"x" * 5
    )
    stale = ticket(db, workspace, issued=now - timedelta(hours=2))
    bucket_store.put(stale.path, iter([b"\x89PNG"]), max_size=10, content_type="image/png")
    unrelated = client.create_multipart_upload(Bucket=bucket, Key=f"{crashed.path}.other")

    assert purge(db, bucket_store, now=now) == 2
    assert statuses(db) == {}
    assert not bucket_store.exists(stale.path)
    left = client.list_multipart_uploads(Bucket=bucket).get("Uploads", [])
    assert [upload["UploadId"] for upload in left] == [unrelated["UploadId"]]
