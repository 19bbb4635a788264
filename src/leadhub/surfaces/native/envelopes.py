"""The native API's response shapes: {"data"}, paginated {"data","meta","links"}, errors."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar
from urllib.parse import urlencode

from fastapi import Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from leadhub.kit.pagination import DEFAULT_PER_PAGE, Page, PageRequest
from leadhub.surfaces.common.runtime import Runtime

T = TypeVar("T")


class DataEnvelope(BaseModel, Generic[T]):
    data: T


class PageMeta(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    current_page: int
    last_page: int
    per_page: int
    total: int
    from_: int | None = Field(alias="from")
    to: int | None


class PageLinks(BaseModel):
    first: str
    last: str
    prev: str | None
    next: str | None
    self: str


class PageEnvelope(BaseModel, Generic[T]):
    data: list[T]
    meta: PageMeta
    links: PageLinks


class ErrorEnvelope(BaseModel):
    status: str = "error"
    message: str
    code: str
    errors: dict[str, list[str]] = {}


def page_request(
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    per_page: Annotated[int, Query(ge=1, description="Clamped to 100.")] = DEFAULT_PER_PAGE,
) -> PageRequest:
    return PageRequest.clamped(page, per_page)


PageQuery = Annotated[PageRequest, Depends(page_request)]


def paginate(request: Request, runtime: Runtime, page: Page[T]) -> PageEnvelope[T]:
    """A page with the seed's `meta` and absolute `links` built from the base URL."""
    meta = PageMeta(
        current_page=page.request.page,
        last_page=page.last_page,
        per_page=page.request.per_page,
        total=page.total,
        from_=page.first_index,
        to=page.last_index,
    )
    current = page.request.page

    def link(number: int) -> str:
        query = [(key, value) for key, value in request.query_params.multi_items() if key != "page"]
        query.append(("page", str(number)))
        base = runtime.settings.effective_base_url
        return f"{base}{request.url.path}?{urlencode(query)}"

    links = PageLinks(
        first=link(1),
        last=link(page.last_page),
        prev=link(current - 1) if current > 1 else None,
        next=link(current + 1) if current < page.last_page else None,
        self=link(current),
    )
    return PageEnvelope(data=page.items, meta=meta, links=links)
