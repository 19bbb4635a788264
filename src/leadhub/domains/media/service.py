"""Media uploads: a key asks for a signed URL; whoever holds it may PUT one file of the declared
type and size before it expires; the stored file is then public at its path.

Receiving a body can take a while, so the upload runs in three short units of work (claim,
then store the bytes with no transaction open, then record) rather than one long transaction
that would hold SQLite's write lock for the whole transfer.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, suppress
from datetime import datetime, timedelta
from itertools import chain

from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.domains.media import kinds
from leadhub.domains.media import repository as queries
from leadhub.domains.media.repository import PENDING, RECEIVING, STORED, MediaRepository
from leadhub.domains.media.schemas import (
    PublicMedia,
    StoredMedia,
    UploadClaim,
    UploadRequest,
    UploadTicket,
)
from leadhub.errors import (
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    PayloadTooLarge,
    UnsupportedMediaType,
)
from leadhub.kit.clock import utcnow
from leadhub.kit.signed import TokenSigner
from leadhub.models import MediaObject
from leadhub.storage.base import BlobMissing, BlobStore, BlobTooLarge, InvalidKey, StoredBlob

PATH_PREFIX = "api-uploads"
UnitsOfWork = Callable[[], AbstractContextManager[Session]]
# A PUT claimed before its URL expired may still be streaming: leave it this long to finish.
RECEIVING_GRACE = timedelta(hours=1)
PURGE_BATCH = 500


def create_upload(
    session: Session,
    principal: Principal,
    *,
    data: UploadRequest,
    signer: TokenSigner,
    ttl_seconds: int,
    now: datetime | None = None,
) -> UploadTicket:
    """A signed URL's ticket to upload one file of the declared type and size."""
    kind, filename = _checked(data)
    repo = MediaRepository(session, principal.workspace_id)
    media_uuid = str(uuid.uuid4())
    expires_at = (now or utcnow()) + timedelta(seconds=ttl_seconds)
    record = repo.add(
        MediaObject(
            uuid=media_uuid,
            path=f"{PATH_PREFIX}/{repo.workspace_public_id()}/{media_uuid}/{filename}",
            filename=filename,
            content_type=kind.content_type,
            declared_size=data.file_size,
            status=PENDING,
            expires_at=expires_at,
        )
    )
    session.flush()
    token = signer.sign(f"{uuid.UUID(media_uuid).hex}.{int(expires_at.timestamp())}")
    return UploadTicket(
        id=media_uuid,
        token=token,
        path=record.path,
        filename=filename,
        content_type=kind.content_type,
        file_size=data.file_size,
        expires_at=expires_at,
    )


def accept_upload(
    units: UnitsOfWork,
    store: BlobStore,
    signer: TokenSigner,
    token: str,
    *,
    content_type: str | None,
    content_length: int | None,
    body: Iterable[bytes],
    now: datetime | None = None,
) -> StoredMedia:
    """Store the body the signed token allows; anything refused leaves nothing behind."""
    with units() as session:
        claim = _claim(session, signer, token, content_type, content_length, now or utcnow())
    try:
        blob = _receive(store, claim, body)
    except BaseException:
        with units() as session:
            queries.set_status(session, claim.media_id, expected=RECEIVING, status=PENDING)
        raise
    try:
        with units() as session:
            return _complete(session, claim, blob)
    except BaseException:
        store.delete(claim.path)
        raise


def open_public(session: Session, store: BlobStore, path: str) -> PublicMedia:
    """A stored file by its public path, with its bytes; NotFound for anything else."""
    record = queries.stored_by_path(session, path)
    if record is None:
        raise NotFound.of("File")
    try:
        chunks = store.open(record.path)
    except (BlobMissing, InvalidKey) as exc:
        raise NotFound.of("File") from exc
    return PublicMedia(media=_stored(record), chunks=chunks)


def purge_expired(
    session: Session, store: BlobStore, *, now: datetime | None = None, limit: int = PURGE_BATCH
) -> int:
    """Delete uploads whose URL expired before any file was stored, and their partial bytes."""
    now = now or utcnow()
    expired = queries.expired_unfinished(
        session, pending_before=now, receiving_before=now - RECEIVING_GRACE, limit=limit
    )
    purged = 0
    for record in expired:
        # The row goes first: an upload completing meanwhile then finds no record and removes
        # its own bytes. A failed commit after the bytes went leaves a record the next purge takes.
        if not queries.delete_unfinished(session, record.id, status=record.status):
            continue
        with suppress(InvalidKey):  # nothing can be stored under a path the store refuses
            store.discard(record.path)
        purged += 1
    return purged


def _checked(data: UploadRequest) -> tuple[kinds.Kind, str]:
    kind = kinds.KINDS.get(kinds.media_type(data.content_type))
    if kind is None:
        allowed = ", ".join(kinds.KINDS)
        raise Invalid.field("content_type", f"The content type must be one of: {allowed}.")
    if data.file_size > kind.max_size:
        limit = kind.max_size // kinds.MB
        raise Invalid.field(
            "file_size", f"A {kind.content_type} file may not be larger than {limit} MB."
        )
    filename = kinds.safe_filename(data.filename, kind)
    if filename is None:
        extensions = ", ".join(f".{extension}" for extension in kind.extensions)
        raise Invalid.field(
            "filename", f"The filename must have a name and end in {extensions} (or nothing)."
        )
    return kind, filename


def _claim(
    session: Session,
    signer: TokenSigner,
    token: str,
    content_type: str | None,
    content_length: int | None,
    now: datetime,
) -> UploadClaim:
    record = _record_for(session, signer, token)
    if record.status != PENDING:
        raise Conflict(
            "A file has already been uploaded to this URL."
            if record.status == STORED
            else "An upload to this URL is in progress."
        )
    if record.expires_at <= now:
        raise Forbidden("The upload URL has expired; ask for a new one.")
    if kinds.media_type(content_type) != record.content_type:
        raise UnsupportedMediaType(f"The Content-Type must be {record.content_type}.")
    max_size = min(record.declared_size, kinds.KINDS[record.content_type].max_size)
    if content_length is not None and content_length > max_size:
        raise PayloadTooLarge(f"The content may not be larger than {max_size} bytes.")
    if not queries.set_status(session, record.id, expected=PENDING, status=RECEIVING):
        raise Conflict("An upload to this URL is in progress.")
    return UploadClaim(
        media_id=record.id,
        path=record.path,
        content_type=record.content_type,
        max_size=max_size,
    )


def _record_for(session: Session, signer: TokenSigner, token: str) -> MediaObject:
    invalid = Forbidden("The upload URL is not valid.")
    payload = signer.unsign(token)
    if payload is None:
        raise invalid
    media_hex, _, _expires = payload.partition(".")
    try:
        media_uuid = str(uuid.UUID(hex=media_hex))
    except ValueError as exc:
        raise invalid from exc
    record = queries.by_uuid(session, media_uuid)
    if record is None:
        raise invalid
    return record


def _receive(store: BlobStore, claim: UploadClaim, body: Iterable[bytes]) -> StoredBlob:
    head, rest = _peek(iter(body), kinds.SNIFF_BYTES)
    if not head:
        raise Invalid.field("body", "The upload is empty.")
    if kinds.sniff(head) != claim.content_type:
        raise UnsupportedMediaType(f"The content is not a {claim.content_type} file.")
    try:
        return store.put(
            claim.path,
            chain([head], rest),
            max_size=claim.max_size,
            content_type=claim.content_type,
        )
    except BlobTooLarge as exc:
        raise PayloadTooLarge(
            f"The content may not be larger than {claim.max_size} bytes."
        ) from exc


def _peek(chunks: Iterator[bytes], size: int) -> tuple[bytes, Iterator[bytes]]:
    """At least `size` leading bytes (fewer only at the end), and an iterator of the rest."""
    head = bytearray()
    for chunk in chunks:
        head += chunk
        if len(head) >= size:
            break
    return bytes(head), chunks


def _complete(session: Session, claim: UploadClaim, blob: StoredBlob) -> StoredMedia:
    stored_at = utcnow()
    queries.set_status(
        session,
        claim.media_id,
        expected=RECEIVING,
        status=STORED,
        stored_size=blob.size,
        sha256=blob.sha256,
        stored_at=stored_at,
    )
    record = session.get(MediaObject, claim.media_id)
    if record is None:  # the workspace went away while the bytes arrived
        raise NotFound.of("Upload")
    session.refresh(record)
    return _stored(record)


def _stored(record: MediaObject) -> StoredMedia:
    if record.stored_size is None or record.sha256 is None or record.stored_at is None:
        raise NotFound.of("File")
    return StoredMedia(
        id=record.uuid,
        path=record.path,
        filename=record.filename,
        content_type=record.content_type,
        size=record.stored_size,
        sha256=record.sha256,
        stored_at=record.stored_at,
    )
