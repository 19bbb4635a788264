"""The file types media uploads accept, their size limits, file names and content sniffing."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import filetype

MB = 1024 * 1024
# Enough leading bytes for the sniffer to recognise every accepted type.
SNIFF_BYTES = 8192
MAX_NAME = 100


@dataclass(frozen=True)
class Kind:
    content_type: str
    max_size: int
    extensions: tuple[str, ...]  # the first is added to a name without one


KINDS = {
    kind.content_type: kind
    for kind in (
        Kind("image/jpeg", 5 * MB, ("jpg", "jpeg", "jpe")),
        Kind("image/png", 5 * MB, ("png",)),
        Kind("image/gif", 5 * MB, ("gif",)),
        Kind("image/webp", 5 * MB, ("webp",)),
        Kind("application/pdf", 15 * MB, ("pdf",)),
    )
}
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def media_type(header: str | None) -> str:
    """`image/png` for `Image/PNG; charset=binary`: the type without parameters, lower-cased."""
    return (header or "").split(";", 1)[0].strip().lower()


def safe_filename(filename: str, kind: Kind) -> str | None:
    """A name safe in a path and a header (ASCII letters, digits, `._-`) ending in one of the
    kind's extensions; None when nothing usable is left or the extension names another type."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    ascii_name = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    cleaned = _UNSAFE.sub("-", ascii_name).strip(".-_")
    stem, dot, extension = cleaned.rpartition(".")
    if not dot:
        stem, extension = cleaned, ""
    stem = stem.strip(".-_")[: MAX_NAME - 6]
    if not stem:
        return None
    if extension and extension.lower() not in kind.extensions:
        return None
    return f"{stem}.{extension.lower() or kind.extensions[0]}"


def sniff(head: bytes) -> str | None:
    """The content type the leading bytes show, by `filetype`'s signatures; None if unknown."""
    found: str | None = filetype.guess_mime(head)
    return found
