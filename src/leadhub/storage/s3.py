"""Blobs in an S3-compatible bucket (AWS, MinIO, Ceph, R2, …) through boto3."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

from leadhub.storage.base import CHUNK_SIZE, BlobMissing, CappedDigest, StoredBlob, check_key

if TYPE_CHECKING:
    from mypy_boto3_s3.client import S3Client

# Bodies up to this size wait in memory before the upload; larger ones in a temporary file.
_SPOOL_IN_MEMORY = 1024 * 1024
_MISSING = {"404", "NoSuchKey", "NotFound"}


@dataclass(frozen=True)
class S3Options:
    bucket: str
    endpoint_url: str | None = None
    region: str | None = None
    access_key_id: str | None = None
    secret_access_key: str | None = None
    # Path-style (`https://host/bucket/key`) for servers without per-bucket host names.
    path_style: bool = False


class S3Store:
    """The body is counted and capped on a local spool first, so a refused body never reaches
    the bucket; boto3's transfer manager then sends it, in parts when it is large."""

    def __init__(self, options: S3Options, client: S3Client | None = None) -> None:
        self.name = options.bucket
        self.bucket = options.bucket
        self.client: S3Client = client or boto3.client(
            "s3",
            endpoint_url=options.endpoint_url,
            region_name=options.region,
            aws_access_key_id=options.access_key_id,
            aws_secret_access_key=options.secret_access_key,
            config=Config(
                s3={"addressing_style": "path" if options.path_style else "auto"},
                retries={"max_attempts": 3, "mode": "standard"},
            ),
        )
        self._transfer = TransferConfig(multipart_threshold=8 * 1024 * 1024, use_threads=False)

    def put(
        self, key: str, chunks: Iterable[bytes], *, max_size: int, content_type: str
    ) -> StoredBlob:
        check_key(key)
        digest = CappedDigest(max_size)
        with tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY) as spool:
            for chunk in chunks:
                spool.write(digest.feed(chunk))
            spool.seek(0)
            self.client.upload_fileobj(
                spool,
                self.bucket,
                key,
                ExtraArgs={"ContentType": content_type},
                Config=self._transfer,
            )
        return digest.result()

    def open(self, key: str) -> Iterator[bytes]:
        try:
            found = self.client.get_object(Bucket=self.bucket, Key=check_key(key))
        except ClientError as exc:
            raise _missing_or(exc, key) from exc
        return _read(found["Body"].iter_chunks(CHUNK_SIZE))

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=check_key(key))
        except ClientError as exc:
            if _is_missing(exc):
                return False
            raise
        return True

    def size(self, key: str) -> int:
        try:
            found = self.client.head_object(Bucket=self.bucket, Key=check_key(key))
        except ClientError as exc:
            raise _missing_or(exc, key) from exc
        return found["ContentLength"]

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=check_key(key))

    def discard(self, key: str) -> None:
        """The object and the parts of multipart uploads to it that never completed."""
        self.delete(key)
        listing = self.client.list_multipart_uploads(Bucket=self.bucket, Prefix=key)
        for upload in listing.get("Uploads", []):
            if upload.get("Key") == key and upload.get("UploadId"):
                self.client.abort_multipart_upload(
                    Bucket=self.bucket, Key=key, UploadId=upload["UploadId"]
                )


def _read(chunks: Iterator[bytes]) -> Iterator[bytes]:
    yield from chunks


def _is_missing(exc: ClientError) -> bool:
    return str(exc.response.get("Error", {}).get("Code")) in _MISSING


def _missing_or(exc: ClientError, key: str) -> Exception:
    return BlobMissing(key) if _is_missing(exc) else exc
