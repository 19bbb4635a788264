"""What the export services take and give."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from leadhub.domains.leads.schemas import LeadFilters

ExportFormat = Literal["csv", "xlsx"]
FORMATS: tuple[str, ...] = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
PENDING, RUNNING, DONE, FAILED = "pending", "running", "done", "failed"
UNFINISHED = (PENDING, RUNNING)


class ExportRequest(BaseModel):
    """A list's export: the file's format."""

    format: ExportFormat = Field("csv", description="csv or xlsx.")


@dataclass(frozen=True)
class ExportInfo:
    """An export as the services know it; `uuid` names its file in signed download URLs."""

    id: int
    uuid: str
    filename: str
    extension: str
    status: str
    row_count: int
    credits_spent: int
    file_size: int | None
    list_id: int | None
    filters: dict[str, Any] | None
    message: str | None
    created_at: datetime
    finished_at: datetime | None

    @property
    def ready(self) -> bool:
        return self.status == DONE


class ExportRead(BaseModel):
    id: int
    filename: str
    extension: str
    url: str | None = Field(
        description="A signed link to the file that expires; null until the file is written."
    )
    date_created: datetime
    status: str = Field(description="pending, running, done or failed.")
    row_count: int
    credits_spent: int
    file_size: int | None
    list_id: int | None
    message: str | None = Field(description="Why the export failed, when it did.")

    @classmethod
    def of(cls, info: ExportInfo, url: str | None) -> ExportRead:
        return cls(
            id=info.id,
            filename=info.filename,
            extension=info.extension,
            url=url if info.ready else None,
            date_created=info.created_at,
            status=info.status,
            row_count=info.row_count,
            credits_spent=info.credits_spent,
            file_size=info.file_size,
            list_id=info.list_id,
            message=info.message,
        )


@dataclass(frozen=True)
class ExportFile:
    """An export's bytes to stream, with what the response says about them."""

    filename: str
    content_type: str
    size: int | None
    chunks: Iterator[bytes]


# -- the lead filter of an export, kept as JSON -----------------------------------------------

_MOMENTS = ("created_after", "created_before", "created_from", "created_to")
# How leads are ordered does not change which are exported (a file is always in id order).
_NOT_KEPT = ("sort", "direction")


def filters_to_json(filters: LeadFilters) -> dict[str, Any]:
    """The filters that narrow the export (defaults left out), JSON-ready."""
    defaults = LeadFilters()
    kept: dict[str, Any] = {}
    for name, value in asdict(filters).items():
        if name in _NOT_KEPT or value == getattr(defaults, name):
            continue
        kept[name] = value.isoformat() if isinstance(value, datetime) else value
    return kept


def filters_from_json(data: dict[str, Any]) -> LeadFilters:
    """The filters an export was created with."""
    known = {field.name for field in fields(LeadFilters)}
    values = {name: value for name, value in data.items() if name in known}
    for name in _MOMENTS:
        if isinstance(values.get(name), str):
            values[name] = datetime.fromisoformat(values[name])
    return LeadFilters(**values)
