"""The import wizard's mapping page: every column with a select of the lead fields, a preview of
the first rows, and what to do with leads that already exist."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import HTMLResponse

from leadhub.domains.imports import service as imports
from leadhub.domains.imports.mapping import CUSTOM_PREFIX, custom_key
from leadhub.domains.imports.schemas import ImportPreview, ImportRead
from leadhub.domains.users.signin import Membership
from leadhub.surfaces.web.render import page

_LABELS = {
    "full_name": "Full name (split into first and last)",
    "tags": "Tags (comma-separated)",
    "job_title": "Job title",
    "unique_identifier": "Unique identifier",
    "gclid": "gclid",
    "wbraid": "wbraid",
    "cid": "cid (GA client id)",
    "sid": "sid",
    "fbp": "fbp",
    "fbc": "fbc",
    "fbclid": "fbclid",
}
DUPLICATE_CHOICES = (
    ("update", "Update them: fill their empty fields, add the tags"),
    ("skip", "Skip them: leave them as they are (they still join the list)"),
)


@dataclass(frozen=True)
class Column:
    index: int
    header: str
    target: str
    custom: str  # the value that keeps this column as a custom field
    samples: list[str]


def field_choices() -> list[tuple[str, str]]:
    """(value, label) of every lead field a column may fill."""
    return [(name, _label(name)) for name in imports.targets()]


def _label(name: str) -> str:
    if name in _LABELS:
        return _LABELS[name]
    if name.startswith("utm_"):
        return "UTM " + name[4:]
    return name.replace("_", " ").capitalize()


def mapping_page(
    request: Request,
    user: Membership,
    found: ImportRead,
    preview: ImportPreview,
    chosen: dict[str, str],
    on_duplicate: str,
    errors: dict[str, list[str]],
    *,
    status: int = 200,
) -> HTMLResponse:
    columns = [
        Column(
            index=index,
            header=header,
            target=chosen.get(header, ""),
            custom=CUSTOM_PREFIX + custom_key(header),
            samples=[row[index] for row in preview.rows if index < len(row) and row[index]][:3],
        )
        for index, header in enumerate(preview.headers)
    ]
    return page(
        request,
        "imports/mapping.html",
        user,
        status=status,
        item=found,
        columns=columns,
        rows=preview.rows,
        headers=preview.headers,
        choices=field_choices(),
        duplicate_choices=DUPLICATE_CHOICES,
        on_duplicate=on_duplicate,
        errors=errors,
    )
