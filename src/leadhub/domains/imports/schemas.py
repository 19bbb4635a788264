"""What the import services take and give."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pydantic import BaseModel

OnDuplicate = Literal["update", "skip"]
ON_DUPLICATE = ("update", "skip")
STATUSES = ("pending", "running", "done", "failed")
# Rows per batch: one candidates query, one insert and one commit each.
BATCH_SIZE = 1000
MAX_ERRORS = 1000
DEFAULT_SOURCE = "import"
PREVIEW_ROWS = 5


class RowError(BaseModel):
    line: int
    reason: str


class ImportRead(BaseModel):
    id: int
    status: str
    filename: str
    format: str
    file_size: int
    list_id: int | None
    mapping: dict[str, str]
    on_duplicate: str
    source: str
    total_rows: int | None
    processed_rows: int
    created_count: int
    updated_count: int
    skipped_count: int
    failed_count: int
    errors: list[RowError]
    message: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


@dataclass(frozen=True)
class ImportOptions:
    """How to import an uploaded file: into which list, with which mapping, merging or not."""

    list_id: int | None = None
    list_name: str | None = None
    # Choices over the guessed mapping: header → target ("" skips the column).
    mapping: dict[str, str] | None = None
    on_duplicate: str = "update"
    source: str | None = None


@dataclass(frozen=True)
class ImportPreview:
    """The mapping page's content: the columns, their current targets and the first rows."""

    headers: list[str]
    mapping: dict[str, str]
    rows: list[list[str]]
    total_rows: int | None


@dataclass(frozen=True)
class Progress:
    """Where a running import stands, told after every batch."""

    total_rows: int | None
    processed_rows: int
    created: int
    updated: int
    skipped: int
    failed: int
