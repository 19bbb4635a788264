"""The media service's rules that HTTP cannot easily reach: one upload at a time per URL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from leadhub.db.uow import Database
from leadhub.domains.media import service as media
from leadhub.domains.media.schemas import UploadRequest
from leadhub.errors import Conflict
from leadhub.kit.signed import TokenSigner
from leadhub.storage.local import LocalStore
from tests.factories import Workspace
from tests.media.samples import sample

SIGNER = TokenSigner("test-secret", purpose="uploads")


def test_a_second_upload_while_one_is_in_flight_is_refused(
    db: Database, workspace: Workspace, tmp_path: Path
) -> None:
    store = LocalStore(tmp_path)
    with db.unit_of_work() as session:
        ticket = media.create_upload(
            session,
            workspace.principal(),
            data=UploadRequest(filename="a.png", content_type="image/png", file_size=4096),
            signer=SIGNER,
            ttl_seconds=60,
        )
    body = sample("image/png", 4096)
    refusals: list[str] = []

    def accept(chunks: Iterator[bytes]) -> None:
        media.accept_upload(
            db.unit_of_work,
            store,
            SIGNER,
            ticket.token,
            content_type="image/png",
            content_length=None,
            body=chunks,
        )

    def first_body() -> Iterator[bytes]:
        yield body[:2048]
        with pytest.raises(Conflict) as caught:
            accept(iter([body]))
        refusals.append(caught.value.message)
        yield body[2048:]

    accept(first_body())
    assert refusals == ["An upload to this URL is in progress."]
    assert b"".join(store.open(ticket.path)) == body
