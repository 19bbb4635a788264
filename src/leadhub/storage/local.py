"""Blobs as files under one directory (by default `<LEADHUB_DATA_DIR>/media`)."""

from __future__ import annotations

import contextlib
import glob
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from leadhub.storage.base import CHUNK_SIZE, BlobMissing, CappedDigest, InvalidKey, StoredBlob
from leadhub.storage.base import check_key as _check_key

PARTIAL_SUFFIX = ".part"


class LocalStore:
    """Atomic writes (a temporary file renamed into place), paths confined to the root."""

    name = "local"

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def put(
        self, key: str, chunks: Iterable[bytes], *, max_size: int, content_type: str
    ) -> StoredBlob:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = CappedDigest(max_size)
        fd, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=_partial_prefix(target), suffix=PARTIAL_SUFFIX
        )
        try:
            with os.fdopen(fd, "wb") as handle:
                for chunk in chunks:
                    handle.write(digest.feed(chunk))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return digest.result()

    def open(self, key: str) -> Iterator[bytes]:
        path = self._path(key)
        try:
            handle = path.open("rb")
        except FileNotFoundError as exc:
            raise BlobMissing(key) from exc
        return _read(handle)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def size(self, key: str) -> int:
        try:
            return self._path(key).stat().st_size
        except FileNotFoundError as exc:
            raise BlobMissing(key) from exc

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def discard(self, key: str) -> None:
        """The file, the temporary files of puts that died before their rename, and the
        directory they leave empty."""
        target = self._path(key)
        target.unlink(missing_ok=True)
        for partial in target.parent.glob(
            f"{glob.escape(_partial_prefix(target))}*{PARTIAL_SUFFIX}"
        ):
            partial.unlink(missing_ok=True)
        if target.parent != self.root:
            with contextlib.suppress(OSError):  # not empty, or already gone
                target.parent.rmdir()

    def _path(self, key: str) -> Path:
        path = (self.root / _check_key(key)).resolve()
        # Resolved, so a symbolic link inside the root cannot lead out of it either.
        if not path.is_relative_to(self.root) or path == self.root:
            raise InvalidKey(key)
        return path


def _partial_prefix(target: Path) -> str:
    """Temporary files are named after their target, so `discard` finds what a crash left."""
    return f".{target.name}.upload-"


def _read(handle: BinaryIO) -> Iterator[bytes]:
    with handle:
        while chunk := handle.read(CHUNK_SIZE):
            yield chunk
