"""What an archive says about itself, read before anything in it is trusted."""

from __future__ import annotations

import hashlib
import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy.engine import make_url

from leadhub.kit.crypto import derive_key

FORMAT: Literal["leadhub-backup"] = "leadhub-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
DATABASE_DIR = "database"
FILES_DIR = "files"
SECRET_KEY_MEMBER = f"{FILES_DIR}/secret_key"
MEDIA_DIR = f"{FILES_DIR}/media"

DatabaseKind = Literal["sqlite", "postgresql"]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is one line for the operator."""


class Manifest(BaseModel):
    """`manifest.json`, the archive's first member."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    format: Literal["leadhub-backup"] = FORMAT
    format_version: int = FORMAT_VERSION
    leadhub_version: str
    created_at: str
    database_kind: DatabaseKind
    database_file: str
    database_sha256: str
    # The Alembic revision(s) of the schema, comma-separated when there are several heads.
    schema_revision: str
    # "included": the data dir's generated key is in the archive; "external": it came from
    # LEADHUB_SECRET_KEY, which the operator keeps; "none": no key had been made yet.
    secret_key: Literal["included", "external", "none"]
    secret_key_fingerprint: str | None = None
    # "local": the files of <data dir>/media are in the archive; "s3": they live in a bucket.
    media_store: Literal["local", "s3"]

    @property
    def revisions(self) -> tuple[str, ...]:
        return tuple(part for part in self.schema_revision.split(",") if part)

    def to_bytes(self) -> bytes:
        return json.dumps(self.model_dump(), indent=2).encode()

    @classmethod
    def from_bytes(cls, raw: bytes) -> Manifest:
        try:
            found = json.loads(raw)
        except ValueError as exc:
            raise BackupError("the archive's manifest is not JSON") from exc
        if not isinstance(found, dict) or found.get("format") != FORMAT:
            raise BackupError("not a LeadHub backup (its manifest is not one)")
        version = found.get("format_version")
        if not isinstance(version, int) or version > FORMAT_VERSION:
            raise BackupError(
                f"the archive's format (version {version}) is newer than this LeadHub reads "
                f"({FORMAT_VERSION}): restore it with a newer LeadHub"
            )
        try:
            return cls.model_validate(found)
        except ValidationError as exc:
            fields = ", ".join(str(error["loc"][0]) for error in exc.errors() if error["loc"])
            raise BackupError(f"the archive's manifest is incomplete ({fields})") from exc


def fingerprint(secret_key: str) -> str:
    """Tells secret keys apart without revealing them (a one-way value of a derived key)."""
    return hashlib.sha256(derive_key(secret_key, "backup-fingerprint")).hexdigest()[:16]


def database_kind(url: str) -> DatabaseKind:
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        return "sqlite"
    if backend == "postgresql":
        return "postgresql"
    raise BackupError(f"backups cover SQLite and PostgreSQL databases, not {backend}")
