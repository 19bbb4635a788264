"""The BlobStore Protocol every store follows, and what its operations answer."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

CHUNK_SIZE = 64 * 1024


class BlobTooLarge(Exception):
    """The stream went past the size cap; nothing was kept."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the content is larger than {limit} bytes")
        self.limit = limit


class BlobMissing(Exception):
    """No blob is stored under the key."""


class InvalidKey(ValueError):
    """A key that is empty, absolute, or leaves the store's root."""


@dataclass(frozen=True)
class StoredBlob:
    size: int
    sha256: str


class BlobStore(Protocol):
    """Bytes under keys such as `api-uploads/ws_…/uuid/name.png`."""

    # "local" or the bucket's name: where clients are told their bytes live.
    name: str

    def put(
        self, key: str, chunks: Iterable[bytes], *, max_size: int, content_type: str
    ) -> StoredBlob:
        """Store the chunks under the key, all or nothing; BlobTooLarge past `max_size` bytes."""
        ...

    def open(self, key: str) -> Iterator[bytes]:
        """The stored bytes in chunks; BlobMissing when there are none."""
        ...

    def exists(self, key: str) -> bool: ...

    def size(self, key: str) -> int:
        """The stored size in bytes; BlobMissing when there are none."""
        ...

    def delete(self, key: str) -> None:
        """Remove the blob; nothing happens when there is none."""
        ...

    def discard(self, key: str) -> None:
        """Remove the blob and whatever an interrupted `put` to the key left behind."""
        ...


class CappedDigest:
    """Counts and hashes chunks as they pass, refusing the one that goes past the cap."""

    def __init__(self, max_size: int) -> None:
        self.max_size = max_size
        self.size = 0
        self._hash = hashlib.sha256()

    def feed(self, chunk: bytes) -> bytes:
        self.size += len(chunk)
        if self.size > self.max_size:
            raise BlobTooLarge(self.max_size)
        self._hash.update(chunk)
        return chunk

    def result(self) -> StoredBlob:
        return StoredBlob(size=self.size, sha256=self._hash.hexdigest())


def check_key(key: str) -> str:
    """The key when it is a plain relative path of safe segments."""
    parts = key.split("/")
    if not key or key.startswith("/") or "\\" in key or "\x00" in key:
        raise InvalidKey(key)
    if any(part in ("", ".", "..") for part in parts):
        raise InvalidKey(key)
    return key
