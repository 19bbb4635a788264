"""The store a node's settings call for: an S3 bucket when one is named, else the data dir."""

from __future__ import annotations

from leadhub.config import Settings
from leadhub.storage.base import BlobStore
from leadhub.storage.local import LocalStore
from leadhub.storage.s3 import S3Options, S3Store

LOCAL_SUBDIR = "media"


def store_from_settings(settings: Settings) -> BlobStore:
    if settings.s3_bucket:
        return S3Store(
            S3Options(
                bucket=settings.s3_bucket,
                endpoint_url=settings.s3_endpoint_url,
                region=settings.s3_region,
                access_key_id=settings.s3_access_key_id,
                secret_access_key=settings.s3_secret_access_key,
                path_style=settings.s3_path_style,
            )
        )
    return LocalStore(settings.data_dir / LOCAL_SUBDIR)
