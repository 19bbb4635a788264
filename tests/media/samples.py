"""Bytes that sniff as each accepted type, of any size, and helpers to ask for upload URLs."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

UPLOAD_URL = "/api/v1/media/upload-url"
MB = 1024 * 1024

SIGNATURES = {
    "image/png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "image/jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
    "image/gif": b"GIF89a\x01\x00\x01\x00",
    "image/webp": b"RIFF\x24\x00\x00\x00WEBPVP8 ",
    "application/pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
}
EXTENSIONS = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "application/pdf": "pdf",
}


def sample(content_type: str, size: int = 2048) -> bytes:
    """`size` bytes starting with the type's signature."""
    head = SIGNATURES[content_type]
    filler = bytes(range(256)) * (size // 256 + 1)
    return (head + filler)[:size]


def ask(
    client: TestClient,
    headers: dict[str, str],
    *,
    content_type: str = "image/png",
    file_size: int = 2048,
    filename: str | None = None,
) -> dict[str, Any]:
    """A fresh upload URL's data; fails the test when it is not granted."""
    name = filename or f"picture.{EXTENSIONS[content_type]}"
    response = client.post(
        UPLOAD_URL,
        json={"filename": name, "content_type": content_type, "file_size": file_size},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()["data"]
    return data
