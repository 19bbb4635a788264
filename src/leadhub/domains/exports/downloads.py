"""Signed download links: whoever holds one may fetch that export's file until it expires.

The token signs the export's uuid and the moment it expires, with a key derived for downloads
alone (an upload token is no download token); the uuid itself is unguessable too.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.orm import Session

from leadhub.domains.exports import repository as queries
from leadhub.domains.exports import service
from leadhub.domains.exports.schemas import ExportFile
from leadhub.errors import Forbidden, NotFound
from leadhub.kit.signed import TokenSigner
from leadhub.storage.base import BlobStore

SIGNER_PURPOSE = "downloads"


def download_token(signer: TokenSigner, export_uuid: str, *, expires_at: datetime) -> str:
    """A token that opens this export's file until `expires_at`."""
    return signer.sign(f"{uuid.UUID(export_uuid).hex}.{int(expires_at.timestamp())}")


def open_signed(
    session: Session,
    signer: TokenSigner,
    *,
    export_uuid: str,
    filename: str,
    token: str,
    now: datetime,
    store: BlobStore,
) -> ExportFile:
    """The file a signed link names: Forbidden for a bad or expired token, NotFound for an
    export that is gone or not written yet."""
    payload = signer.unsign(token)
    if payload is None:
        raise Forbidden("The download link is not valid.")
    signed_hex, _, expires = payload.partition(".")
    if signed_hex != _hex(export_uuid) or not expires.isdigit():
        raise Forbidden("The download link is not valid.")
    if int(expires) <= now.timestamp():
        raise Forbidden("The download link has expired; ask for a new one.")
    record = queries.by_uuid(session, str(uuid.UUID(hex=signed_hex)))
    if record is None or record.filename != filename:
        raise NotFound.of("File")
    return service.open_record(record, store)


def _hex(text: str) -> str | None:
    try:
        return uuid.UUID(text).hex
    except ValueError:
        return None
