"""`leadhub restore`: an archive back into the configured database and data directory.

Everything is checked and staged first (extracted, verified, the SQLite copy migrated to this
code's schema); then the staged files take their targets' places by renames that are undone if
any of them fails. On PostgreSQL `pg_restore` replaces the data in one transaction.
"""

from __future__ import annotations

import secrets
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from leadhub.backup import archive, postgres, sqlite
from leadhub.backup.files import (
    Swap,
    current_secret_key,
    has_files,
    media_root,
    secret_key_file,
)
from leadhub.backup.manifest import (
    DATABASE_DIR,
    MEDIA_DIR,
    SECRET_KEY_MEMBER,
    BackupError,
    Manifest,
    database_kind,
    fingerprint,
)
from leadhub.config import Settings
from leadhub.db.engine import make_engine
from leadhub.db.migrate import current_revisions, head_revisions, is_known_revision, upgrade
from leadhub.kit.tokens import constant_time_equal


@dataclass(frozen=True)
class RestoreDone:
    manifest: Manifest
    # Where the data now is: the SQLite file, or the PostgreSQL URL without its password.
    database: str
    revisions: tuple[str, ...]
    warnings: list[str] = field(default_factory=list)


def restore(settings: Settings, source: Path, *, force: bool = False) -> RestoreDone:
    """Restore the archive at `source`; refuses to replace data unless `force`."""
    source = source.expanduser().resolve()
    manifest = archive.read_manifest(source)
    url = settings.effective_database_url
    kind = database_kind(url)
    if manifest.database_kind != kind:
        raise BackupError(
            f"the backup holds a {manifest.database_kind} database and LEADHUB_DATABASE_URL "
            f"names a {kind} one"
        )
    _check_schema(manifest)
    data_dir = settings.ensure_data_dir().resolve()
    restores_media = manifest.media_store == "local"
    if kind == "sqlite":
        sqlite.ensure_unused(sqlite.database_path(url))
    else:
        postgres.require_tools("pg_restore")
    if not force:
        _refuse_existing_data(settings, url, restores_media)
    with tempfile.TemporaryDirectory(dir=data_dir, prefix=".restore-") as scratch:
        staging = Path(scratch)
        archive.extract(source, staging)
        database_file = _staged_database(manifest, staging)
        swap = _files_swap(settings, manifest, staging)
        if kind == "sqlite":
            revisions = _restore_sqlite(sqlite.database_path(url), database_file, swap)
            where = str(sqlite.database_path(url))
        else:
            revisions = _restore_postgres(url, database_file, swap)
            where = postgres.describe(url)
    return RestoreDone(
        manifest=manifest,
        database=where,
        revisions=revisions,
        warnings=_warnings(settings, manifest),
    )


def _check_schema(manifest: Manifest) -> None:
    unknown = [revision for revision in manifest.revisions if not is_known_revision(revision)]
    if unknown or not manifest.revisions:
        heads = ",".join(head_revisions())
        raise BackupError(
            f"the backup's schema ({manifest.schema_revision or 'none'}) is newer than this "
            f"LeadHub's ({heads}): restore it with LeadHub {manifest.leadhub_version} or newer"
        )


def _refuse_existing_data(settings: Settings, url: str, restores_media: bool) -> None:
    if database_kind(url) == "sqlite":
        found = sqlite.holds_data(sqlite.database_path(url))
    else:
        found = postgres.holds_data(url)
    if found or (restores_media and has_files(media_root(settings))):
        raise BackupError(
            "the database or the data directory holds data already: pass --force to replace it"
        )


def _staged_database(manifest: Manifest, staging: Path) -> Path:
    member = PurePosixPath(manifest.database_file)
    path = staging / member
    if member.parent != PurePosixPath(DATABASE_DIR) or not path.is_file():
        raise BackupError(f"the archive lacks its database file ({manifest.database_file})")
    if archive.sha256_of(path) != manifest.database_sha256:
        raise BackupError("the archive's database file does not match its checksum")
    return path


def _files_swap(settings: Settings, manifest: Manifest, staging: Path) -> Swap:
    swap = Swap()
    if manifest.secret_key == "included":
        staged_key = staging / SECRET_KEY_MEMBER
        if not staged_key.is_file():
            raise BackupError("the archive lacks the secret key its manifest lists")
        staged_key.chmod(0o600)
        swap.replace(staged_key, secret_key_file(settings))
    if manifest.media_store == "local":
        staged_media = staging / MEDIA_DIR
        staged_media.mkdir(parents=True, exist_ok=True)  # an archive without media files
        swap.replace(staged_media, media_root(settings))
    return swap


def _restore_sqlite(target: Path, staged: Path, swap: Swap) -> tuple[str, ...]:
    sqlite.check_integrity(staged)
    # Beside its target, so that putting it in place is a rename on one file system.
    target.parent.mkdir(parents=True, exist_ok=True)
    beside = target.with_name(f".{target.name}.restore-{secrets.token_hex(4)}")
    shutil.move(staged, beside)
    try:
        revisions = _migrate(f"sqlite:///{beside}")
        _leave_wal(beside)
        # The old database's WAL and shared memory go with it: beside the new file they would
        # be read as its own.
        for companion in sqlite.companions(target):
            swap.remove(companion)
        swap.replace(beside, target)
        sqlite.ensure_unused(target)  # a node may have started while the archive was staged
        swap.apply()
    finally:
        for leftover in (beside, *sqlite.companions(beside)):
            leftover.unlink(missing_ok=True)
    swap.discard_previous()
    return revisions


def _leave_wal(path: Path) -> None:
    """Fold the migration's write-ahead log into the file, so the file alone is the database."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=DELETE")
    finally:
        connection.close()


def _restore_postgres(url: str, dump_file: Path, swap: Swap) -> tuple[str, ...]:
    _clear_newer_tables(url, dump_file)
    postgres.restore(url, dump_file)
    swap.apply()
    swap.discard_previous()
    try:
        return _migrate(url)
    except Exception as exc:
        raise BackupError(
            f"the backup was restored at schema {','.join(postgres.revisions(url))}, but "
            f"migrating it failed ({type(exc).__name__}: {exc}); `leadhub migrate` retries"
        ) from exc


def _clear_newer_tables(url: str, dump_file: Path) -> None:
    """Tables the dump lacks come from a newer schema; they would stop the migration that
    follows. Empty ones are dropped; rows in them are not thrown away."""
    extra = postgres.table_names(url) - postgres.tables_in(dump_file)
    if not extra:
        return
    if not postgres.all_empty(url, extra):
        raise BackupError(
            f"the database has tables the backup lacks, with rows ({', '.join(sorted(extra))}): "
            "restore into an empty database"
        )
    postgres.drop_tables(url, extra)


def _migrate(url: str) -> tuple[str, ...]:
    engine = make_engine(url)
    try:
        upgrade(engine)
        with engine.connect() as connection:
            return current_revisions(connection)
    finally:
        engine.dispose()


def _warnings(settings: Settings, manifest: Manifest) -> list[str]:
    found: list[str] = []
    key = current_secret_key(settings)
    kept = manifest.secret_key_fingerprint
    same_key = key is not None and kept is not None and constant_time_equal(fingerprint(key), kept)
    if manifest.secret_key == "included" and settings.secret_key and not same_key:
        found.append(
            "LEADHUB_SECRET_KEY differs from the backup's key (restored to "
            f"{secret_key_file(settings)}): unset it, or integration secrets stay unreadable"
        )
    if manifest.secret_key == "external" and not same_key:
        found.append(
            "the backup was made with LEADHUB_SECRET_KEY set: set the same key here, or "
            "integration secrets stay unreadable and sessions and signed links end"
        )
    if manifest.media_store == "s3":
        found.append("media files were kept in an S3 bucket, which the backup does not hold")
    elif settings.s3_bucket:
        found.append(
            f"media files were restored to {media_root(settings)}, but LEADHUB_S3_BUCKET is "
            "set: copy them into the bucket"
        )
    return found
