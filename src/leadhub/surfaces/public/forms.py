"""/f/{form_id}: the hosted form. GET renders it; POST records the submission."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from leadhub.domains.forms import service as forms
from leadhub.domains.forms.schemas import PublicForm, SubmissionMeta
from leadhub.errors import Invalid
from leadhub.kit import attribution
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.common.deps import RuntimeDep, SessionDep
from leadhub.surfaces.common.forms import channel_flow_from, client_ip, posted_fields
from leadhub.surfaces.common.runtime import Runtime
from leadhub.surfaces.public.headers import form_policy
from leadhub.surfaces.public.pages import STATIC, message, render

router = APIRouter()

FormId = Annotated[int, Path(ge=1, le=MAX_ID)]
HONEYPOT = "website_url"
INTERNAL = ("_lh_landing", "_lh_referrer", HONEYPOT)
SUBMISSIONS_PER_10_MINUTES = 10
AUTOCOMPLETE = {
    "first_name": "given-name",
    "last_name": "family-name",
    "email": "email",
    "phone": "tel",
    "company": "organization",
    "job_title": "organization-title",
    "city": "address-level2",
    "state": "address-level1",
    "country": "country-name",
}
_ASSETS = {"form.css": "text/css", "frame.js": "text/javascript"}


@router.get("/assets/{name}", include_in_schema=False)
def asset(name: str) -> Response:
    if name not in _ASSETS:
        return Response(status_code=404)
    return FileResponse(
        STATIC / name, media_type=_ASSETS[name], headers={"Cache-Control": "public, max-age=3600"}
    )


@router.get("/{form_id}/embed.js", include_in_schema=False)
def embed_script(
    form_id: FormId, request: Request, runtime: RuntimeDep, session: SessionDep
) -> Response:
    form = forms.public_form(session, form_id)
    url = f"{runtime.settings.effective_base_url}{request.scope.get('root_path', '')}/{form.id}"
    script = (STATIC / "embed.js.tmpl").read_text()
    script = script.replace("__FORM_URL__", _js_string(url)).replace(
        "__FORM_TITLE__", _js_string(form.name)
    )
    return Response(
        script, media_type="text/javascript", headers={"Cache-Control": "public, max-age=300"}
    )


@router.get("/{form_id}", response_class=HTMLResponse, include_in_schema=False)
def show_form(form_id: FormId, request: Request, session: SessionDep) -> HTMLResponse:
    """The form, ready to fill in."""
    form = forms.public_form(session, form_id)
    embedded = request.query_params.get("embed") == "1"
    referer = request.headers.get("referer", "")
    return _form_page(
        request,
        form,
        values={},
        errors={},
        landing_page=referer if embedded else str(request.url),
        referrer="" if embedded else referer,
    )


@router.post("/{form_id}", response_class=HTMLResponse, include_in_schema=False)
async def submit_form(form_id: FormId, request: Request, runtime: RuntimeDep) -> Response:
    """Record a submission: spam is dropped quietly, a valid submission is never lost."""
    values = await posted_fields(request)
    return await run_in_threadpool(_submit, request, runtime, form_id, values)


def _submit(request: Request, runtime: Runtime, form_id: int, values: dict[str, str]) -> Response:
    if values.get(HONEYPOT, "").strip():
        return message(request, "Thank you", "Your submission has been received.", 200)
    address = client_ip(request)
    with runtime.db.unit_of_work(write=False) as session:
        form = forms.public_form(session, form_id)
    budget = runtime.limiter.hit(
        f"public-form:{form.public_key}:{address}", SUBMISSIONS_PER_10_MINUTES, 600
    )
    if not budget.allowed:
        response = message(request, "Please wait", "Too many submissions; try again later.", 429)
        response.headers["Retry-After"] = str(budget.retry_after)
        return response
    landing, referrer = values.get("_lh_landing", ""), values.get("_lh_referrer", "")
    found = attribution.collect(
        {**values, "landing_page": landing, "referrer": referrer},
        request.query_params,
        cookies=request.cookies,
    )
    meta = SubmissionMeta(
        attribution=found,
        ip_address=address,
        user_agent=request.headers.get("user-agent"),
        channel_flow=channel_flow_from(values, request),
    )
    submitted = {key: value for key, value in values.items() if key not in INTERNAL}
    try:
        with runtime.db.unit_of_work() as session:
            forms.record_public(session, form_id, values=submitted, meta=meta)
    except Invalid as exc:
        return _form_page(
            request,
            form,
            values=submitted,
            errors=exc.fields,
            landing_page=landing,
            referrer=referrer,
            status=422,
        )
    if form.redirect_url:
        return RedirectResponse(form.redirect_url, status_code=303)
    thanks = form.success_message or "Your submission has been received."
    return message(request, "Thank you", thanks, 200)


def _form_page(
    request: Request,
    form: PublicForm,
    *,
    values: dict[str, Any],
    errors: dict[str, list[str]],
    landing_page: str,
    referrer: str,
    status: int = 200,
) -> HTMLResponse:
    query = urlencode(list(request.query_params.multi_items()))
    action = f"{request.scope.get('root_path', '')}/{form.id}" + (f"?{query}" if query else "")
    response = render(
        request,
        "form.html",
        status,
        title=form.name,
        form=form,
        fields=form.fields,
        values=values,
        errors=errors,
        action=action,
        honeypot=HONEYPOT,
        autocomplete=AUTOCOMPLETE,
        landing_page=landing_page[:2000],
        referrer=referrer[:2000],
    )
    # A form that sends visitors on may post to a page that redirects to that site.
    response.headers["Content-Security-Policy"] = form_policy(form.redirect_url)
    return response


def _js_string(value: str) -> str:
    """Text safe inside a double-quoted JavaScript string in a script file."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\u003c")
    escaped = escaped.replace("\n", "\\n").replace("\r", "\\r")
    return escaped.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
