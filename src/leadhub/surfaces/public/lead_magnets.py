"""/m/{slug}: a lead magnet's hosted page. GET shows it (or its email gate), POST opens the gate,
/cta and /download count the click and redirect.

Visitors are told apart by a long-lived first-party cookie, `lh_visitor`; a visitor who opened a
gate keeps a signed `lh_unlock` cookie (scoped to that page's path) so the gate stays open.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from leadhub.domains.lead_magnets import hosted
from leadhub.domains.lead_magnets.schemas import PublicPage, Unlock, Visit
from leadhub.errors import Invalid, RateLimited
from leadhub.kit.signed import TokenSigner
from leadhub.kit.tokens import random_token
from leadhub.surfaces.common.forms import attribution_from, client_ip, posted_fields
from leadhub.surfaces.common.runtime import Runtime
from leadhub.surfaces.public.pages import STATIC, message, render

router = APIRouter()

Slug = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,99}$")]
VISITOR_COOKIE = "lh_visitor"
UNLOCK_COOKIE = "lh_unlock"
VISITOR_MAX_AGE = 2 * 365 * 24 * 3600
UNLOCK_MAX_AGE = 365 * 24 * 3600
HONEYPOT = "website_url"
UNLOCKS_PER_10_MINUTES = 10
# Every view and click is written down: what one address may count in a minute.
VIEWS_PER_MINUTE = 120
_VISITOR = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# A reply's tracking link adds ?t=<uuid>; the gate's form keeps it in its action.
TRACKING_PARAM = "t"
_TOKEN = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_ASSETS = {"form.css": "text/css", "magnet.css": "text/css"}
# Pages count every view and differ per visitor: never from a cache.
_NO_STORE = {"Cache-Control": "no-store"}


def _runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def _signer(request: Request) -> TokenSigner:
    signer: TokenSigner = request.app.state.unlock_signer
    return signer


@router.get("/assets/{name}", include_in_schema=False)
def asset(name: str) -> Response:
    if name not in _ASSETS:
        return Response(status_code=404)
    return FileResponse(
        STATIC / name, media_type=_ASSETS[name], headers={"Cache-Control": "public, max-age=3600"}
    )


@router.get("/{slug}", response_class=HTMLResponse, include_in_schema=False)
def show_page(slug: Slug, request: Request) -> Response:
    """The page: its content, or the email gate; counts a view."""
    _limit_views(request)
    visit, new_visitor = _visit(request)
    with _runtime(request).db.unit_of_work() as session:
        page = hosted.view(session, slug, visit=visit, token=_token(request))
    response = _page(request, page)
    return _with_visitor(request, response, visit, new_visitor)


@router.post("/{slug}", response_class=HTMLResponse, include_in_schema=False)
async def unlock_page(slug: Slug, request: Request) -> Response:
    """The gate's form: an email (and a name) opens the page and captures the lead."""
    values = {key: value[:1000] for key, value in (await posted_fields(request)).items()}
    return await run_in_threadpool(_unlock, request, slug, values)


@router.get("/{slug}/cta", include_in_schema=False)
def follow_cta(slug: Slug, request: Request) -> Response:
    """Count the call-to-action click and go to its URL."""
    return _click(request, slug, "cta")


@router.get("/{slug}/download", include_in_schema=False)
def follow_download(slug: Slug, request: Request) -> Response:
    """Count the download and go to the external resource (behind the gate on gated pages)."""
    return _click(request, slug, "download")


def _unlock(request: Request, slug: str, values: dict[str, str]) -> Response:
    runtime = _runtime(request)
    visit, new_visitor = _visit(request)
    if values.get(HONEYPOT, "").strip():
        return message(request, "Thank you", "Your request has been received.", 200)
    with runtime.db.unit_of_work(write=False) as session:
        page_id = hosted.page_id(session, slug)
    budget = runtime.limiter.hit(
        f"magnet-unlock:{page_id}:{client_ip(request)}", UNLOCKS_PER_10_MINUTES, 600
    )
    if not budget.allowed:
        response = message(request, "Please wait", "Too many requests; try again later.", 429)
        response.headers["Retry-After"] = str(budget.retry_after)
        return response
    data = Unlock(
        email=values.get("email", ""),
        name=values.get("name") or None,
        attribution=attribution_from(values, request) or None,
        ip_address=client_ip(request),
        user_agent=(request.headers.get("user-agent") or "")[:1000] or None,
    )
    try:
        with runtime.db.unit_of_work() as session:
            page = hosted.unlock(session, slug, visit=visit, data=data, token=_token(request))
    except Invalid as exc:
        with runtime.db.unit_of_work(write=False) as session:
            locked = hosted.view_locked(session, slug)
        errors = _form_errors(exc.fields)
        response = _page(request, locked, values=values, errors=errors, status=422)
        return _with_visitor(request, response, visit, new_visitor)
    response = _page(request, page)
    response.set_cookie(
        UNLOCK_COOKIE,
        _signer(request).sign(page.id),
        max_age=UNLOCK_MAX_AGE,
        path=f"{_root(request)}/{page.slug}",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return _with_visitor(request, response, visit, new_visitor)


def _form_errors(fields: dict[str, list[str]]) -> dict[str, list[str]]:
    """The lead's field errors on the gate's two inputs."""
    errors: dict[str, list[str]] = {}
    for field, messages in fields.items():
        target = "email" if field == "email" else "name"
        errors.setdefault(target, []).extend(messages)
    return errors


def _click(request: Request, slug: str, kind: hosted.Click) -> Response:
    _limit_views(request)
    visit, new_visitor = _visit(request)
    with _runtime(request).db.unit_of_work() as session:
        target = hosted.click(session, slug, kind, visit=visit)
    # A gated page's download waits behind the gate: back to the page and its form.
    response = RedirectResponse(target or f"{_root(request)}/{slug}", status_code=302)
    response.headers.update(_NO_STORE)
    return _with_visitor(request, response, visit, new_visitor)


def _limit_views(request: Request) -> None:
    budget = _runtime(request).limiter.hit(
        f"magnet-views:{client_ip(request)}", VIEWS_PER_MINUTE, seconds=60
    )
    if not budget.allowed:
        raise RateLimited(budget.retry_after, "Too many requests; try again in a minute.")


def _visit(request: Request) -> tuple[Visit, bool]:
    """The visitor's id (a new one when the cookie is missing or malformed) and their unlock."""
    known = request.cookies.get(VISITOR_COOKIE, "")
    visitor_id = known if _VISITOR.match(known) else random_token(16)
    unlocked = _signer(request).unsign(request.cookies.get(UNLOCK_COOKIE, ""))
    return Visit(visitor_id=visitor_id, unlocked_page_id=unlocked), visitor_id != known


def _with_visitor(request: Request, response: Response, visit: Visit, new: bool) -> Response:
    if new:
        response.set_cookie(
            VISITOR_COOKIE,
            visit.visitor_id,
            max_age=VISITOR_MAX_AGE,
            path=_root(request) or "/",
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
    return response


def _page(
    request: Request,
    page: PublicPage,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HTMLResponse:
    base = f"{_root(request)}/{page.slug}"
    token = _token(request)
    response = render(
        request,
        "magnet.html",
        status,
        title=page.title,
        page=page,
        values=values or {},
        errors=errors or {},
        action=f"{base}?{TRACKING_PARAM}={token}" if token else base,
        base=base,
        honeypot=HONEYPOT,
    )
    response.headers.update(_NO_STORE)
    return response


def _token(request: Request) -> str | None:
    """The tracking link's token in the query string, when it is well-formed."""
    token = request.query_params.get(TRACKING_PARAM, "").strip().lower()
    return token if _TOKEN.match(token) else None


def _root(request: Request) -> str:
    return str(request.scope.get("root_path", ""))
