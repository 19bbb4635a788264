"""`leadhub backup`: the database, copied while the node runs, and the data dir's files."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import leadhub
from leadhub.backup import archive, postgres, sqlite
from leadhub.backup.files import current_secret_key, media_files, media_root, secret_key_file
from leadhub.backup.manifest import (
    DATABASE_DIR,
    MEDIA_DIR,
    SECRET_KEY_MEMBER,
    BackupError,
    DatabaseKind,
    Manifest,
    database_kind,
    fingerprint,
)
from leadhub.config import Settings
from leadhub.kit.clock import isoformat, utcnow

ARCHIVE_SUFFIX = ".tar.gz"


@dataclass(frozen=True)
class BackupDone:
    path: Path
    manifest: Manifest
    media_files: int
    media_bytes: int


def create(settings: Settings, destination: Path) -> BackupDone:
    """Write one archive of the node's data to `destination` (a file, or a directory to name
    one in); nothing is left there when any step fails."""
    target = archive_path(destination)
    url = settings.effective_database_url
    kind = database_kind(url)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".leadhub-backup-") as scratch:
        # The database first: a file stored after its copy is only an extra file in the archive.
        database_file, revisions = _copy_database(kind, url, Path(scratch))
        manifest = _manifest(settings, kind, database_file, revisions)
        with archive.writing(target, manifest) as writer:
            writer.add_file(database_file, manifest.database_file)
            if manifest.secret_key == "included":
                writer.add_file(secret_key_file(settings), SECRET_KEY_MEMBER)
            count, size = 0, 0
            if manifest.media_store == "local":
                for path, key in media_files(media_root(settings)):
                    added = writer.add_file(path, f"{MEDIA_DIR}/{key}")
                    if added is not None:  # None: deleted since the directory was read
                        count, size = count + 1, size + added
    return BackupDone(path=target, manifest=manifest, media_files=count, media_bytes=size)


def archive_path(destination: Path) -> Path:
    destination = destination.expanduser().resolve()
    if destination.is_dir():
        stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
        return destination / f"leadhub-backup-{stamp}{ARCHIVE_SUFFIX}"
    if destination.exists():
        raise BackupError(f"{destination} exists already: name a new file")
    if not destination.parent.is_dir():
        raise BackupError(f"cannot write {destination}: no such directory")
    return destination


def _copy_database(kind: DatabaseKind, url: str, scratch: Path) -> tuple[Path, tuple[str, ...]]:
    if kind == "sqlite":
        copy = scratch / "leadhub.db"
        sqlite.snapshot(sqlite.database_path(url), copy)
        sqlite.check_integrity(copy)
        return copy, sqlite.revisions(copy)
    postgres.require_tools("pg_dump")
    revisions = postgres.revisions(url)
    copy = scratch / "leadhub.dump"
    postgres.dump(url, copy)
    return copy, revisions


def _manifest(
    settings: Settings, kind: DatabaseKind, database_file: Path, revisions: tuple[str, ...]
) -> Manifest:
    key = current_secret_key(settings)
    if settings.secret_key:
        secret = "external"
    elif key is not None:
        secret = "included"
    else:
        secret = "none"
    return Manifest(
        leadhub_version=leadhub.__version__,
        created_at=isoformat(utcnow()) or "",
        database_kind=kind,
        database_file=f"{DATABASE_DIR}/{database_file.name}",
        database_sha256=archive.sha256_of(database_file),
        schema_revision=",".join(revisions),
        secret_key=secret,
        secret_key_fingerprint=fingerprint(key) if key else None,
        media_store="s3" if settings.s3_bucket else "local",
    )
