"""PUT /uploads/{token} and GET /uploads/{path}: the signed upload and the stored file."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from leadhub.config import Settings
from leadhub.db.uow import Database
from leadhub.domains.media import service as media
from leadhub.domains.media.schemas import UploadRequest
from leadhub.kit.clock import utcnow
from leadhub.kit.signed import TokenSigner
from tests.factories import Workspace
from tests.media.samples import MB, ask, sample

IMMUTABLE = "public, max-age=31536000, immutable"


def put(
    client: TestClient, data: dict[str, str], body: bytes, content_type: str | None = None
) -> httpx.Response:
    return client.put(
        data["upload_url"],
        content=body,
        headers={"Content-Type": content_type or data["content_type"]},
    )


def assert_refused(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status"] == "error" and body["code"] == code and body["message"], body


def stored_files(settings: Settings) -> list[Path]:
    root = settings.data_dir / "media"
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    "content_type", ["image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"]
)
def test_an_upload_round_trips_with_the_right_headers(
    client: TestClient, headers: dict[str, str], content_type: str
) -> None:
    data = ask(client, headers, content_type=content_type, file_size=100_000)
    body = sample(content_type, 100_000)
    stored = put(client, data, body)
    assert stored.status_code == 201, stored.text
    digest = hashlib.sha256(body).hexdigest()
    assert stored.json() == {
        **stored.json(),
        "status": "stored",
        "path": data["path"],
        "public_url": data["public_url"],
        "size": len(body),
        "sha256": digest,
    }
    served = client.get(data["public_url"])
    assert served.status_code == 200
    assert served.content == body
    assert served.headers["content-type"] == content_type
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.headers["cache-control"] == IMMUTABLE
    assert served.headers["content-disposition"].startswith("inline")
    assert served.headers["etag"] == f'"{digest}"'
    assert served.headers["content-length"] == str(len(body))


def test_a_streamed_body_of_the_full_limit_is_stored(
    client: TestClient, headers: dict[str, str]
) -> None:
    data = ask(client, headers, content_type="image/png", file_size=5 * MB)
    body = sample("image/png", 5 * MB)

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 256 * 1024):
            yield body[start : start + 256 * 1024]

    stored = client.put(data["upload_url"], content=chunks(), headers={"Content-Type": "image/png"})
    assert stored.status_code == 201, stored.text
    assert client.get(data["public_url"]).content == body


def test_the_etag_answers_not_modified_and_head_answers_headers(
    client: TestClient, headers: dict[str, str]
) -> None:
    data = ask(client, headers)
    put(client, data, sample("image/png"))
    etag = client.get(data["public_url"]).headers["etag"]
    assert client.get(data["public_url"], headers={"If-None-Match": etag}).status_code == 304
    head = client.head(data["public_url"])
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == "2048"


def test_nothing_is_served_before_the_upload_or_for_unknown_paths(
    client: TestClient, headers: dict[str, str]
) -> None:
    data = ask(client, headers)
    assert_refused(client.get(data["public_url"]), 404, "NOT_FOUND")
    assert_refused(client.get("/uploads/api-uploads/ws_x/y/none.png"), 404, "NOT_FOUND")
    assert_refused(client.get("/uploads/%2e%2e/%2e%2e/secret_key"), 404, "NOT_FOUND")


def test_another_content_type_is_refused(client: TestClient, headers: dict[str, str]) -> None:
    data = ask(client, headers, content_type="image/png")
    assert_refused(
        put(client, data, sample("image/png"), "image/jpeg"), 415, "UNSUPPORTED_MEDIA_TYPE"
    )
    assert_refused(
        put(client, data, sample("image/png"), "application/octet-stream"),
        415,
        "UNSUPPORTED_MEDIA_TYPE",
    )


def test_the_content_type_may_differ_only_in_case_and_parameters(
    client: TestClient, headers: dict[str, str]
) -> None:
    data = ask(client, headers, content_type="image/png")
    assert put(client, data, sample("image/png"), "Image/PNG; charset=binary").status_code == 201


def test_a_body_larger_than_declared_is_refused_and_nothing_kept(
    client: TestClient, headers: dict[str, str], settings: Settings
) -> None:
    data = ask(client, headers, file_size=1000)
    assert_refused(put(client, data, sample("image/png", 1001)), 413, "PAYLOAD_TOO_LARGE")
    assert stored_files(settings) == []
    assert_refused(client.get(data["public_url"]), 404, "NOT_FOUND")


def test_a_streamed_body_without_length_is_cut_at_the_declared_size(
    client: TestClient, headers: dict[str, str], settings: Settings
) -> None:
    data = ask(client, headers, file_size=20_000)
    body = sample("image/png", 40_000)

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 8192):
            yield body[start : start + 8192]

    refused = client.put(
        data["upload_url"], content=chunks(), headers={"Content-Type": "image/png"}
    )
    assert_refused(refused, 413, "PAYLOAD_TOO_LARGE")
    assert stored_files(settings) == []


def test_a_refused_upload_leaves_the_url_usable(
    client: TestClient, headers: dict[str, str]
) -> None:
    data = ask(client, headers, file_size=1000)
    assert put(client, data, sample("image/png", 2000)).status_code == 413
    assert put(client, data, sample("image/png", 1000)).status_code == 201


@pytest.mark.parametrize(
    ("declared", "body"),
    [
        ("application/pdf", sample("image/png")),
        ("image/png", b"<!doctype html><html><script>alert(1)</script></html>"),
        ("image/jpeg", sample("image/gif")),
        ("image/png", b"\x00" * 100),
    ],
)
def test_bytes_of_another_type_are_refused(
    client: TestClient, headers: dict[str, str], settings: Settings, declared: str, body: bytes
) -> None:
    data = ask(client, headers, content_type=declared)
    assert_refused(put(client, data, body), 415, "UNSUPPORTED_MEDIA_TYPE")
    assert stored_files(settings) == []


def test_an_empty_body_is_refused(client: TestClient, headers: dict[str, str]) -> None:
    data = ask(client, headers)
    assert_refused(put(client, data, b""), 400, "VALIDATION_FAILED")


def test_a_used_url_is_refused(client: TestClient, headers: dict[str, str]) -> None:
    data = ask(client, headers)
    assert put(client, data, sample("image/png")).status_code == 201
    assert_refused(put(client, data, sample("image/png", 100)), 409, "CONFLICT")
    assert client.get(data["public_url"]).content == sample("image/png")


def test_an_expired_url_is_refused(
    client: TestClient, db: Database, workspace: Workspace, settings: Settings
) -> None:
    signer = TokenSigner(settings.effective_secret_key(), purpose="uploads")
    with db.unit_of_work() as session:
        ticket = media.create_upload(
            session,
            workspace.principal(),
            data=UploadRequest(filename="a.png", content_type="image/png", file_size=2048),
            signer=signer,
            ttl_seconds=settings.upload_url_ttl,
            now=utcnow() - timedelta(seconds=settings.upload_url_ttl + 1),
        )
    response = client.put(
        f"/uploads/{ticket.token}",
        content=sample("image/png"),
        headers={"Content-Type": "image/png"},
    )
    assert_refused(response, 403, "FORBIDDEN")
    assert "expired" in response.json()["message"]


def test_the_url_lasts_the_configured_time(
    client: TestClient, headers: dict[str, str], settings: Settings
) -> None:
    data = ask(client, headers)
    expires = datetime.fromisoformat(data["expires_at"])
    remaining = (expires - utcnow()).total_seconds()
    assert settings.upload_url_ttl - 60 < remaining <= settings.upload_url_ttl


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: token.replace(".", ".9", 1),
        lambda token: token.rsplit(".", 1)[0],
        lambda token: token.rsplit(".", 1)[0] + "." + "x" * 43,
        lambda token: "0" * 32 + token[32:],
        lambda _token: "nonsense",
    ],
)
def test_a_tampered_token_is_refused(
    client: TestClient, headers: dict[str, str], tamper: object
) -> None:
    data = ask(client, headers)
    token = tamper(data["token"])  # type: ignore[operator]
    response = client.put(
        f"/uploads/{token}", content=sample("image/png"), headers={"Content-Type": "image/png"}
    )
    assert_refused(response, 403, "FORBIDDEN")
    assert client.get(data["public_url"]).status_code == 404


def test_a_token_signed_with_another_secret_is_refused(
    client: TestClient, headers: dict[str, str]
) -> None:
    data = ask(client, headers)
    payload = data["token"].rsplit(".", 1)[0]
    forged = TokenSigner("another-secret", purpose="uploads").sign(payload)
    response = client.put(
        f"/uploads/{forged}", content=sample("image/png"), headers={"Content-Type": "image/png"}
    )
    assert_refused(response, 403, "FORBIDDEN")


def test_an_upload_needs_no_api_key_and_answers_a_request_id(
    client: TestClient, headers: dict[str, str]
) -> None:
    data = ask(client, headers)
    response = put(client, data, sample("image/png"))
    assert response.status_code == 201
    assert response.headers["x-request-id"]
    assert response.headers["location"] == data["public_url"]
