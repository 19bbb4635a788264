"""What the media services take and give."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from leadhub.kit.types import Text


class UploadRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    filename: Text = Field(min_length=1, max_length=255)
    content_type: Text = Field(min_length=1, max_length=100)
    file_size: int = Field(ge=1, le=2**53, description="Bytes; the upload may not be larger.")


class UploadTicket(BaseModel):
    """A signed, expiring permission to PUT one file at `path`."""

    id: str
    token: str
    path: str
    filename: str
    content_type: str
    file_size: int
    expires_at: datetime


class StoredMedia(BaseModel):
    id: str
    path: str
    filename: str
    content_type: str
    size: int
    sha256: str
    stored_at: datetime


@dataclass(frozen=True)
class UploadClaim:
    """An upload in flight: the record it fills and the cap on its bytes."""

    media_id: int
    path: str
    content_type: str
    max_size: int


@dataclass
class PublicMedia:
    """A stored file ready to serve: its description and its bytes, in chunks."""

    media: StoredMedia
    chunks: Iterator[bytes]
