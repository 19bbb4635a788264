"""The archive file: a gzipped tar whose first member is the manifest.

Written to a temporary file beside the destination and renamed into place, so a destination
either holds a whole archive or nothing; read with extraction rules that accept only the
members a LeadHub archive has (regular files and directories under known folders).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import tarfile
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from leadhub.backup.manifest import (
    DATABASE_DIR,
    FILES_DIR,
    MANIFEST_NAME,
    BackupError,
    Manifest,
)

CHUNK_SIZE = 1024 * 1024
# The archive holds personal data and possibly the secret key: only its owner reads it.
ARCHIVE_MODE = 0o600


class ArchiveWriter:
    """Adds members to an open archive; the manifest is written first by `writing`."""

    def __init__(self, tar: tarfile.TarFile) -> None:
        self._tar = tar

    def add_file(self, path: Path, name: str) -> int | None:
        """The file's bytes under `name`; its size, or None when it vanished before it opened.

        The open file is what gets archived, so a file replaced meanwhile (stores write a new
        file and rename it over the old) is archived whole, as it was when opened.
        """
        try:
            handle = path.open("rb")
        except FileNotFoundError:
            return None
        with handle:
            info = self._tar.gettarinfo(arcname=name, fileobj=handle)
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            self._tar.addfile(info, handle)
            return info.size


@contextlib.contextmanager
def writing(destination: Path, manifest: Manifest) -> Iterator[ArchiveWriter]:
    """An archive at `destination` once the block ends without error; nothing there otherwise."""
    fd, temporary = tempfile.mkstemp(
        dir=destination.parent, prefix=f".{destination.name}.", suffix=".part"
    )
    try:
        os.fchmod(fd, ARCHIVE_MODE)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            _add_bytes(tar, MANIFEST_NAME, manifest.to_bytes())
            yield ArchiveWriter(tar)
        with open(temporary, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(temporary, destination)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    info.mtime = int(time.time())
    tar.addfile(info, io.BytesIO(data))


def read_manifest(source: Path) -> Manifest:
    """The manifest of the archive at `source`, or a BackupError saying why there is none."""
    if not source.is_file():
        raise BackupError(f"no backup archive at {source}")
    try:
        with tarfile.open(source, "r:gz") as tar:
            first = tar.next()
            if first is None or first.name != MANIFEST_NAME or not first.isfile():
                raise BackupError(f"{source} is not a LeadHub backup (no manifest)")
            handle = tar.extractfile(first)
            assert handle is not None  # a regular file
            return Manifest.from_bytes(handle.read())
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{source} is not a readable backup archive ({exc})") from exc


def extract(source: Path, target: Path) -> None:
    """Every member into `target`, refusing anything a LeadHub archive does not hold."""
    try:
        with tarfile.open(source, "r:gz") as tar:
            tar.extractall(target, filter=_leadhub_member)
    except tarfile.FilterError as exc:
        raise BackupError(f"{source} holds a member a LeadHub backup cannot ({exc})") from exc
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{source} could not be read to the end ({exc})") from exc


def _leadhub_member(member: tarfile.TarInfo, path: str) -> tarfile.TarInfo:
    checked = tarfile.data_filter(member, path)  # no absolute paths, no way out, no devices
    top = checked.name.split("/", 1)[0]
    if not (checked.isfile() or checked.isdir()) or top not in (
        MANIFEST_NAME,
        DATABASE_DIR,
        FILES_DIR,
    ):
        raise tarfile.FilterError(checked)
    return checked


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_SIZE):
            digest.update(chunk)
    return digest.hexdigest()
