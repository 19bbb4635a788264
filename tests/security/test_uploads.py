"""Uploads: the bytes are sniffed against the declared type (markup, SVG and scripts posing as
images are refused), and a stored file is served inline only as one of the accepted image or PDF
types; anything else is a download, `application/octet-stream`, never sniffed."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from leadhub.config import Settings
from leadhub.db.uow import Database
from leadhub.models import MediaObject
from tests.media.samples import ask, sample
from tests.media.test_uploads import put, stored_files

PAYLOADS = {
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "html": b"<!doctype html><html><script>alert(document.cookie)</script></html>",
    "script": b"alert(document.cookie)//",
    "xml": b'<?xml version="1.0"?><x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)'
    b"</x:script>",
    "padded html": b"   \n<html><body onload=alert(1)>",
}


@pytest.mark.parametrize("declared", ["image/png", "image/jpeg", "application/pdf"])
@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_markup_posing_as_an_image_or_pdf_is_refused(
    client: TestClient, headers: dict[str, str], settings: Settings, declared: str, payload: bytes
) -> None:
    ticket = ask(client, headers, content_type=declared)
    refused = put(client, ticket, payload)
    assert refused.status_code == 415, refused.text
    assert refused.json()["code"] == "UNSUPPORTED_MEDIA_TYPE"
    assert stored_files(settings) == []
    assert client.get(ticket["public_url"]).status_code == 404


def test_an_image_is_served_inline_as_itself_never_sniffed(
    client: TestClient, headers: dict[str, str]
) -> None:
    # A GIF header followed by script: a real GIF to the sniffer, and never run as script,
    # because the browser is told not to sniff it into anything but image/gif.
    polyglot = sample("image/gif")[:10] + b"=1;alert(document.cookie)//" + bytes(200)
    ticket = ask(client, headers, content_type="image/gif", file_size=len(polyglot))
    assert put(client, ticket, polyglot).status_code == 201
    served = client.get(ticket["public_url"])
    assert served.headers["content-type"] == "image/gif"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.headers["content-disposition"] == 'inline; filename="picture.gif"'


@pytest.mark.parametrize("stored_as", ["image/svg+xml", "text/html", "application/x-unknown"])
def test_a_file_stored_as_any_other_type_is_only_ever_downloaded(
    client: TestClient, headers: dict[str, str], db: Database, stored_as: str
) -> None:
    ticket = ask(client, headers)
    assert put(client, ticket, sample("image/png")).status_code == 201
    with db.unit_of_work() as session:  # as a row written by hand, or by another version
        session.execute(
            update(MediaObject)
            .where(MediaObject.path == ticket["path"])
            .values(content_type=stored_as)
        )
    for served in (client.get(ticket["public_url"]), client.head(ticket["public_url"])):
        assert served.status_code == 200
        assert served.headers["content-type"] == "application/octet-stream"
        assert served.headers["content-disposition"] == 'attachment; filename="picture.png"'
        assert served.headers["x-content-type-options"] == "nosniff"
