"""Finding a person's email or phone written in free text (a submission, a deletion's snapshot,
a search, an export file): whole values only, so `an@example.com` is not found inside
`dan@example.com`, nor `+3161234567` inside `+31612345678`.

The database narrows the rows with a case-insensitive LIKE; each candidate is then checked
here, where the boundaries of the value can be seen."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, Literal, overload

# A needle shorter than this would match (and scrub) unrelated text.
MIN_LENGTH = 6
ERASED = "[erased]"
# Characters that continue an address or a number on either side of it.
_BEFORE = r"(?<![\w.%+\-])"
_AFTER = r"(?![\w\-]|\.\w)"
# Reading a file, the end of each chunk is kept so a value across two chunks is still found.
_OVERLAP = 512


class Needles:
    def __init__(self, values: Iterable[str]) -> None:
        found = {value.strip().lower() for value in values if value}
        self.texts: list[str] = sorted(text for text in found if len(text) >= MIN_LENGTH)
        self._text = _pattern(self.texts)

    def __bool__(self) -> bool:
        return bool(self.texts)

    def in_text(self, text: str | None) -> bool:
        return bool(self._text and text and self._text.search(text.lower()))

    def in_value(self, value: Any) -> bool:
        """Whether a JSON value (a string, or any string inside it) holds a needle."""
        if isinstance(value, str):
            return self.in_text(value)
        if isinstance(value, dict):
            return any(self.in_value(item) for item in value.values())
        if isinstance(value, list):
            return any(self.in_value(item) for item in value)
        return False

    def scrub(self, value: Any) -> Any:
        """A copy of a JSON value with every string that holds a needle made "[erased]"."""
        if isinstance(value, str):
            return ERASED if self.in_text(value) else value
        if isinstance(value, dict):
            return {key: self.scrub(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.scrub(item) for item in value]
        return value

    def in_stream(self, chunks: Iterable[bytes], *, spellings: Sequence[str] = ()) -> bool:
        """Whether the bytes (lower-cased) hold a needle or one of its other `spellings`."""
        pattern = _pattern([*self.texts, *spellings], binary=True)
        if pattern is None:
            return False
        tail = b""
        for chunk in chunks:
            window = tail + chunk.lower()
            # A match at the very end may go on in the next chunk: it is judged there.
            if any(found.end() < len(window) for found in pattern.finditer(window)):
                return True
            tail = window[-_OVERLAP:]
        return bool(pattern.search(tail))


@overload
def _pattern(texts: Sequence[str], binary: Literal[False] = False) -> re.Pattern[str] | None: ...
@overload
def _pattern(texts: Sequence[str], binary: Literal[True]) -> re.Pattern[bytes] | None: ...
def _pattern(texts: Sequence[str], binary: bool = False) -> re.Pattern[Any] | None:
    if not texts:
        return None
    source = f"{_BEFORE}(?:{'|'.join(re.escape(text) for text in texts)}){_AFTER}"
    return re.compile(source.encode() if binary else source)
