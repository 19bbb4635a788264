"""The S3 store against a real S3-compatible server (moto's, on a loopback port): the whole
upload round trip through the app, and the store's own operations."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from fastapi.testclient import TestClient
from moto.server import ThreadedMotoServer

from leadhub.config import Settings
from leadhub.db.uow import Database
from leadhub.storage.base import BlobMissing, BlobTooLarge
from leadhub.storage.factory import store_from_settings
from leadhub.storage.s3 import S3Store
from tests.conftest import BASE_URL, free_port, node_app
from tests.media.samples import ask, sample

BUCKET = "leadhub-media"
CREDENTIALS = {"s3_access_key_id": "testing", "s3_secret_access_key": "testing"}


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    try:
        yield endpoint
    finally:
        server.stop()


@pytest.fixture
def s3_settings(tmp_path: Path, database_url: str, s3_endpoint: str) -> Settings:
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        base_url=BASE_URL,
        secret_key="test-secret",
        s3_bucket=BUCKET,
        s3_endpoint_url=s3_endpoint,
        s3_region="us-east-1",
        s3_path_style=True,
        **CREDENTIALS,
    )
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET)
    return settings


@pytest.fixture
def s3_client(s3_settings: Settings, db: Database) -> TestClient:
    return TestClient(node_app(s3_settings, db), base_url=BASE_URL)


def test_an_upload_round_trips_through_the_bucket(
    s3_client: TestClient, s3_settings: Settings, headers: dict[str, str]
) -> None:
    data = ask(s3_client, headers, content_type="application/pdf", file_size=50_000)
    assert data["bucket"] == BUCKET
    body = sample("application/pdf", 50_000)
    stored = s3_client.put(
        data["upload_url"], content=body, headers={"Content-Type": "application/pdf"}
    )
    assert stored.status_code == 201, stored.text
    served = s3_client.get(data["public_url"])
    assert served.status_code == 200
    assert served.content == body
    assert served.headers["content-type"] == "application/pdf"
    assert not (s3_settings.data_dir / "media").exists()
    store = store_from_settings(s3_settings)
    assert store.size(data["path"]) == len(body)


def test_a_refused_body_never_reaches_the_bucket(
    s3_client: TestClient, s3_settings: Settings, headers: dict[str, str]
) -> None:
    data = ask(s3_client, headers, file_size=1000)
    refused = s3_client.put(
        data["upload_url"], content=sample("image/png", 1001), headers={"Content-Type": "image/png"}
    )
    assert refused.status_code == 413
    assert not store_from_settings(s3_settings).exists(data["path"])


def test_the_store_puts_reads_sizes_and_deletes(s3_settings: Settings) -> None:
    store = store_from_settings(s3_settings)
    assert isinstance(store, S3Store)
    # Large enough for a multipart upload.
    body = b"x" * (9 * 1024 * 1024)
    blob = store.put("a/b/c.bin", iter([body]), max_size=len(body), content_type="image/png")
    assert blob.size == len(body)
    assert store.exists("a/b/c.bin")
    assert store.size("a/b/c.bin") == len(body)
    assert b"".join(store.open("a/b/c.bin")) == body
    store.delete("a/b/c.bin")
    assert not store.exists("a/b/c.bin")
    with pytest.raises(BlobMissing):
        store.open("a/b/c.bin")
    with pytest.raises(BlobMissing):
        store.size("a/b/c.bin")
    with pytest.raises(BlobTooLarge):
        store.put("a/big.bin", iter([b"12", b"345"]), max_size=4, content_type="image/png")
    assert not store.exists("a/big.bin")
