"""Page arithmetic shared by every list: one count, one slice."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

DEFAULT_PER_PAGE = 15
MAX_PER_PAGE = 100


@dataclass(frozen=True)
class PageRequest:
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    @classmethod
    def clamped(cls, page: int, per_page: int, maximum: int = MAX_PER_PAGE) -> PageRequest:
        return cls(page=max(1, page), per_page=max(1, min(per_page, maximum)))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    request: PageRequest

    @property
    def last_page(self) -> int:
        return max(1, math.ceil(self.total / self.request.per_page))

    @property
    def first_index(self) -> int | None:
        """1-based position of the first item on this page, None when the page is empty."""
        return self.request.offset + 1 if self.items else None

    @property
    def last_index(self) -> int | None:
        return self.request.offset + len(self.items) if self.items else None
