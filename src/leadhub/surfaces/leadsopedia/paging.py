"""Leadsopedia's `page` and `limit` (100 by default), and its page answers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query, Request

from leadhub.kit.pagination import Page, PageRequest
from leadhub.surfaces.common.deps import RuntimeDep
from leadhub.surfaces.leadsopedia.translate import DEFAULT_LIMIT, MAX_LIMIT, paging


def page_request(
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    limit: Annotated[int, Query(ge=1, description="Page size, 100 by default (at most 1000).")] = (
        DEFAULT_LIMIT
    ),
) -> PageRequest:
    return PageRequest.clamped(page, limit, maximum=MAX_LIMIT)


PageDep = Annotated[PageRequest, Depends(page_request)]


def page_fields(request: Request, runtime: RuntimeDep, page: Page[Any]) -> dict[str, Any]:
    url = f"{runtime.settings.effective_base_url}{request.url.path}"
    return paging(page, url, list(request.query_params.multi_items()))
