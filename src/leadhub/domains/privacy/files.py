"""The stored files that hold a person.

- Media: a file uploaded through a signed URL belongs to the workspace, and a lead points at one
  by its link (`/uploads/api-uploads/<workspace>/<uuid>/<name>`) in a custom field, the notes,
  the form data, a submission or a message. Such a file is the person's when nothing else of the
  workspace (another lead or submission, a post, a lead magnet or its page) links to it too.
- Export files: a finished CSV or XLSX export holds the person when their email or phone is in
  it; the file is read from the store to find out.
"""

from __future__ import annotations

import json
import logging
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any
from xml.sax.saxutils import escape

from sqlalchemy import Text, cast, func, or_
from sqlalchemy.orm import Session

from leadhub.db.scoped import ScopedRepository
from leadhub.domains.privacy.needles import Needles
from leadhub.domains.privacy.person import Person
from leadhub.models import (
    FormSubmission,
    HostedPage,
    Lead,
    LeadExport,
    LeadMagnet,
    MediaObject,
    Post,
)
from leadhub.storage.base import BlobMissing, BlobStore, InvalidKey

log = logging.getLogger("leadhub.privacy")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def attached_media(
    session: Session, person: Person, texts: Iterable[Any], submission_ids: Sequence[int]
) -> list[MediaObject]:
    """The workspace's media the person's records (their `texts`) link to and nothing else of
    it does; `submission_ids` are the person's submissions (some no longer name a lead)."""
    found = {match for text in texts for match in _UUID.findall(_flat(text).lower())}
    if not found:
        return []
    repo = ScopedRepository(session, person.workspace_id)
    statement = repo.select(MediaObject).where(MediaObject.uuid.in_(sorted(found)))
    media = list(session.scalars(statement.order_by(MediaObject.id)))
    shared = _linked_elsewhere(repo, person, [record.uuid for record in media], submission_ids)
    return [record for record in media if record.uuid not in shared]


def _linked_elsewhere(
    repo: ScopedRepository, person: Person, uuids: Sequence[str], submission_ids: Sequence[int]
) -> set[str]:
    """The uuids that a record of the workspace other than the person's links to."""
    if not uuids:
        return set()
    theirs = person.all_lead_ids or [0]
    others = FormSubmission.id.not_in(list(submission_ids) or [0])
    sources: list[tuple[Any, list[Any], Any]] = [
        (Lead, [Lead.notes, Lead.custom_fields, Lead.form_data], Lead.id.not_in(theirs)),
        (FormSubmission, [FormSubmission.data], others),
        (Post, [Post.images, Post.document_url], None),
        (LeadMagnet, [LeadMagnet.external_resource_url, LeadMagnet.text_template], None),
        (HostedPage, [HostedPage.markdown_content, HostedPage.external_resource_url], None),
    ]
    linked: set[str] = set()
    for model, columns, condition in sources:
        texts = [func.lower(cast(column, Text)) for column in columns]
        wanted = or_(*(text.contains(uuid) for text in texts for uuid in uuids))
        statement = repo.select_columns(model, *columns).where(wanted)
        if condition is not None:
            statement = statement.where(condition)
        for row in repo.session.execute(statement):
            text = _flat(list(row)).lower()
            linked |= {uuid for uuid in uuids if uuid in text}
    return linked


def exports_holding(
    exports: Sequence[LeadExport], store: BlobStore, needles: Needles
) -> list[LeadExport]:
    """The finished exports whose file holds the person's email or phone."""
    if not needles:
        return []
    return [
        record
        for record in exports
        if record.file_key and _file_holds(store, record.file_key, record.extension, needles)
    ]


def _file_holds(store: BlobStore, key: str, extension: str, needles: Needles) -> bool:
    try:
        if extension == "xlsx":
            return _xlsx_holds(store.open(key), needles)
        return needles.in_stream(store.open(key))
    except (BlobMissing, InvalidKey):
        return False


def _xlsx_holds(chunks: Iterator[bytes], needles: Needles) -> bool:
    """Whether a sheet or the shared strings of the workbook hold a needle (XML-escaped)."""
    escaped = [escape(text, {"'": "&apos;", '"': "&quot;"}) for text in needles.texts]
    with tempfile.TemporaryFile() as local:
        for chunk in chunks:
            local.write(chunk)
        local.seek(0)
        try:
            with zipfile.ZipFile(local) as workbook:
                for name in workbook.namelist():
                    if not name.endswith(".xml"):
                        continue
                    with workbook.open(name) as member:
                        if needles.in_stream(_chunks_of(member), spellings=escaped):
                            return True
        except zipfile.BadZipFile:
            return False
    return False


def _chunks_of(handle: IO[bytes]) -> Iterator[bytes]:
    while chunk := handle.read(64 * 1024):
        yield chunk


def discard(store: BlobStore, keys: Iterable[str]) -> None:
    """Remove stored files once the erasure committed. A key the store refuses holds nothing;
    a store that fails leaves that file behind (logged), never the others."""
    for key in keys:
        try:
            store.discard(key)
        except InvalidKey:
            continue
        except Exception:
            log.exception("an erased person's stored file could not be deleted: %s", key)


def _flat(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, default=str)
