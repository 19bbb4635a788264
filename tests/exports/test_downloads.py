"""Signed download links: they serve the file until they expire; a tampered one is refused."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from leadhub.domains.exports.downloads import download_token
from leadhub.kit.clock import utcnow
from leadhub.surfaces.common.downloads import download_signer
from tests.exports.helpers import grant, make_list, run_jobs
from tests.factories import Workspace, make_lead


@pytest.fixture
def written(
    app: FastAPI, client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> dict[str, str]:
    """A written export's download (its JSON)."""
    list_id = make_list(db, workspace, "Sales", [make_lead(db, workspace, email="a@example.com")])
    grant(db, workspace, 5)
    started = client.post(
        f"/api/v1/lists/{list_id}/exports", json={"format": "xlsx"}, headers=headers
    )
    run_jobs(app)
    found: dict[str, str] = client.get(
        f"/api/v1/downloads/{started.json()['data']['id']}", headers=headers
    ).json()["data"]
    return found


def test_the_signed_url_serves_the_file_without_a_key(
    client: TestClient, written: dict[str, str]
) -> None:
    url = written["url"]
    parts = urlsplit(url)
    assert parts.path.endswith(f"/{written['filename']}") and "token" in parse_qs(parts.query)
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["cache-control"] == "private, no-store"
    assert response.content.startswith(b"PK")  # a zip, as XLSX files are
    assert int(response.headers["content-length"]) == len(response.content)


def test_a_tampered_or_foreign_token_is_refused(
    client: TestClient, written: dict[str, str]
) -> None:
    parts = urlsplit(written["url"])
    token = parse_qs(parts.query)["token"][0]
    flipped = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    assert client.get(f"{parts.path}?token={quote(flipped)}").status_code == 403
    assert client.get(parts.path).status_code == 403  # no token at all
    other_uuid = "00000000-0000-4000-8000-000000000000"
    moved = parts.path.replace(parts.path.split("/")[2], other_uuid)
    assert client.get(f"{moved}?token={quote(token)}").status_code == 403


def test_an_expired_link_is_refused(
    app: FastAPI, client: TestClient, written: dict[str, str]
) -> None:
    parts = urlsplit(written["url"])
    export_uuid = parts.path.split("/")[2]
    signer = download_signer(app.state.runtime)
    expired = download_token(signer, export_uuid, expires_at=utcnow() - timedelta(seconds=1))
    response = client.get(f"{parts.path}?token={quote(expired)}")
    assert response.status_code == 403
    assert "expired" in response.text
    fresh = download_token(signer, export_uuid, expires_at=utcnow() + timedelta(minutes=1))
    assert client.get(f"{parts.path}?token={quote(fresh)}").status_code == 200


def test_an_upload_token_is_no_download_token(
    app: FastAPI, client: TestClient, written: dict[str, str]
) -> None:
    parts = urlsplit(written["url"])
    export_uuid = parts.path.split("/")[2]
    uploads = app.state.runtime.upload_signer
    forged = download_token(uploads, export_uuid, expires_at=utcnow() + timedelta(minutes=1))
    assert client.get(f"{parts.path}?token={quote(forged)}").status_code == 403


def test_the_link_names_its_file(client: TestClient, written: dict[str, str]) -> None:
    parts = urlsplit(written["url"])
    wrong = parts.path.rsplit("/", 1)[0] + "/other.xlsx"
    assert client.get(f"{wrong}?{parts.query}").status_code == 404


def test_the_url_lasts_the_configured_time(app: FastAPI, written: dict[str, str]) -> None:
    token = parse_qs(urlsplit(written["url"]).query)["token"][0]
    payload = download_signer(app.state.runtime).unsign(token)
    assert payload is not None
    expires = int(payload.rsplit(".", 1)[1])
    ttl = app.state.runtime.settings.download_url_ttl
    assert ttl == 3600
    assert abs(expires - (utcnow().timestamp() + ttl)) < 60
