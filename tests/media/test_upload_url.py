"""POST /api/v1/media/upload-url: what it grants and what it refuses."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from tests.conftest import BASE_URL
from tests.factories import Workspace, make_key, make_workspace
from tests.media.samples import MB, UPLOAD_URL, ask
from tests.surfaces.native.assertions import assert_error, bearer

LIMITS = [
    ("image/jpeg", 5 * MB),
    ("image/png", 5 * MB),
    ("image/gif", 5 * MB),
    ("image/webp", 5 * MB),
    ("application/pdf", 15 * MB),
]


@pytest.mark.parametrize(("content_type", "limit"), LIMITS)
def test_each_type_is_granted_up_to_its_limit(
    client: TestClient, headers: dict[str, str], content_type: str, limit: int
) -> None:
    data = ask(client, headers, content_type=content_type, file_size=limit)
    assert data["content_type"] == content_type


@pytest.mark.parametrize(("content_type", "limit"), LIMITS)
def test_a_byte_over_the_types_limit_is_refused(
    client: TestClient, headers: dict[str, str], content_type: str, limit: int
) -> None:
    response = client.post(
        UPLOAD_URL,
        json={"filename": "f", "content_type": content_type, "file_size": limit + 1},
        headers=headers,
    )
    body = assert_error(response, 422, "VALIDATION_FAILED")
    assert list(body["errors"]) == ["file_size"]  # type: ignore[call-overload]


def test_the_answer_has_the_documented_fields(
    client: TestClient, headers: dict[str, str], workspace: Workspace
) -> None:
    data = ask(client, headers, content_type="image/png", filename="Example Image.png")
    assert set(data) >= {"upload_url", "token", "path", "public_url", "bucket", "content_type"}
    assert data["bucket"] == "local"
    assert data["content_type"] == "image/png"
    prefix = f"api-uploads/{workspace.public_id}/"
    assert data["path"].startswith(prefix) and data["path"].endswith("/Example-Image.png")
    assert data["upload_url"] == f"{BASE_URL}/uploads/{data['token']}"
    assert data["public_url"] == f"{BASE_URL}/uploads/{data['path']}"
    assert data["expires_at"].endswith("Z") or "+00:00" in data["expires_at"]


@pytest.mark.parametrize(
    "content_type", ["image/svg+xml", "text/html", "application/octet-stream", "image/bmp", ""]
)
def test_other_types_are_refused(
    client: TestClient, headers: dict[str, str], content_type: str
) -> None:
    response = client.post(
        UPLOAD_URL,
        json={"filename": "x.png", "content_type": content_type, "file_size": 10},
        headers=headers,
    )
    body = assert_error(response, 422, "VALIDATION_FAILED")
    assert "content_type" in body["errors"]  # type: ignore[operator]


@pytest.mark.parametrize("file_size", [0, -1, "big", None])
def test_the_size_must_be_a_positive_number(
    client: TestClient, headers: dict[str, str], file_size: object
) -> None:
    response = client.post(
        UPLOAD_URL,
        json={"filename": "x.png", "content_type": "image/png", "file_size": file_size},
        headers=headers,
    )
    body = assert_error(response, 422, "VALIDATION_FAILED")
    assert "file_size" in body["errors"]  # type: ignore[operator]


@pytest.mark.parametrize("filename", ["", "...", "../", "photo.exe", "photo.pdf", "///", "你好"])
def test_bad_filenames_are_refused(
    client: TestClient, headers: dict[str, str], filename: str
) -> None:
    response = client.post(
        UPLOAD_URL,
        json={"filename": filename, "content_type": "image/png", "file_size": 10},
        headers=headers,
    )
    body = assert_error(response, 422, "VALIDATION_FAILED")
    assert "filename" in body["errors"]  # type: ignore[operator]


@pytest.mark.parametrize(
    ("filename", "stored"),
    [
        ("../../etc/passwd.jpg", "passwd.jpg"),
        ("C:\\Users\\me\\café photo.JPG", "cafe-photo.jpg"),
        ("report", "report.jpg"),
        ("<script>.jpeg", "script.jpeg"),
    ],
)
def test_filenames_are_made_safe(
    client: TestClient, headers: dict[str, str], filename: str, stored: str
) -> None:
    data = ask(client, headers, content_type="image/jpeg", filename=filename)
    assert data["path"].rsplit("/", 1)[1] == stored


def test_the_key_needs_write_media(client: TestClient, db: Database, workspace: Workspace) -> None:
    refused = client.post(
        UPLOAD_URL,
        json={"filename": "a.png", "content_type": "image/png", "file_size": 10},
        headers=bearer(make_key(db, workspace, scopes=["read:media", "write:leads"])),
    )
    assert_error(refused, 403, "FORBIDDEN")
    for scope in ("write:media", "media:write"):
        ask(client, bearer(make_key(db, workspace, scopes=[scope])))


def test_a_key_without_credentials_is_refused(client: TestClient) -> None:
    response = client.post(
        UPLOAD_URL, json={"filename": "a.png", "content_type": "image/png", "file_size": 10}
    )
    assert_error(response, 401, "UNAUTHORIZED")


def test_each_workspace_uploads_under_its_own_path(
    client: TestClient, db: Database, headers: dict[str, str], workspace: Workspace
) -> None:
    other = make_workspace(db, "other")
    mine = ask(client, headers)
    theirs = ask(client, bearer(make_key(db, other)))
    assert mine["path"].startswith(f"api-uploads/{workspace.public_id}/")
    assert theirs["path"].startswith(f"api-uploads/{other.public_id}/")
    assert mine["token"] != theirs["token"]
