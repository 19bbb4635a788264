"""The local store: atomic writes, a cap, keys confined to its root."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from leadhub.storage.base import BlobMissing, BlobTooLarge, InvalidKey
from leadhub.storage.local import LocalStore


def test_put_open_size_delete(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "media")
    blob = store.put("x/y/z.png", iter([b"abc", b"def"]), max_size=6, content_type="image/png")
    assert (blob.size, len(blob.sha256)) == (6, 64)
    assert store.exists("x/y/z.png") and store.size("x/y/z.png") == 6
    assert b"".join(store.open("x/y/z.png")) == b"abcdef"
    store.delete("x/y/z.png")
    store.delete("x/y/z.png")
    assert not store.exists("x/y/z.png")
    with pytest.raises(BlobMissing):
        store.open("x/y/z.png")


def test_a_body_over_the_cap_leaves_no_file(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    with pytest.raises(BlobTooLarge):
        store.put("a/b.png", iter([b"123", b"456"]), max_size=5, content_type="image/png")
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []


def test_a_failing_stream_leaves_the_old_file_whole(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    store.put("a/b.png", iter([b"old"]), max_size=10, content_type="image/png")

    def broken() -> Iterator[bytes]:
        yield b"new"
        raise ConnectionError("client went away")

    with pytest.raises(ConnectionError):
        store.put("a/b.png", broken(), max_size=10, content_type="image/png")
    assert b"".join(store.open("a/b.png")) == b"old"
    assert sorted(path.name for path in tmp_path.rglob("*") if path.is_file()) == ["b.png"]


@pytest.mark.parametrize(
    "key", ["", "/etc/passwd", "../outside", "a/../../outside", "a//b", "a/./b", "a\\b", "a\x00b"]
)
def test_keys_outside_the_root_are_refused(tmp_path: Path, key: str) -> None:
    store = LocalStore(tmp_path / "media")
    with pytest.raises(InvalidKey):
        store.put(key, iter([b"x"]), max_size=10, content_type="image/png")


def test_a_symbolic_link_cannot_lead_out_of_the_root(tmp_path: Path) -> None:
    root = tmp_path / "media"
    root.mkdir()
    (root / "link").symlink_to(tmp_path)
    store = LocalStore(root)
    with pytest.raises(InvalidKey):
        store.put("link/escaped.png", iter([b"x"]), max_size=10, content_type="image/png")
