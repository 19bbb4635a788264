"""Pipelines: the list, a board per pipeline, moving leads across it, and pipeline settings."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.orm import Session

from leadhub.domains.pipelines import board as boards
from leadhub.domains.pipelines import service as pipelines
from leadhub.domains.pipelines.schemas import PipelineCreate, PipelineRead, PipelineUpdate
from leadhub.errors import Invalid, NotFound
from leadhub.kit.pagination import PageRequest
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.common.deps import SessionDep
from leadhub.surfaces.web.render import page, redirect, templates
from leadhub.surfaces.web.routes import pipeline_stages
from leadhub.surfaces.web.routes.pipeline_stages import PerForm
from leadhub.surfaces.web.session import AdminUser, Csrf, CurrentUser, flash
from leadhub.surfaces.web.validation import parse

router = APIRouter()
router.include_router(pipeline_stages.router)

PipelineId = Annotated[int, Path(ge=1, le=MAX_ID)]
RecordField = Annotated[int, Form(ge=1, le=MAX_ID)]
NameField = Annotated[str, Form(max_length=1000)]
# A workspace has a handful of pipelines; one page holds them all.
ALL_PIPELINES = PageRequest(1, 100)


def all_pipelines(session: Session, user: CurrentUser) -> list[PipelineRead]:
    return pipelines.list_pipelines(session, user.principal(), page=ALL_PIPELINES).items


@router.get("/pipelines", response_class=HTMLResponse, name="pipelines")
def list_pipelines(request: Request, user: CurrentUser, session: SessionDep) -> HTMLResponse:
    """The workspace's pipelines."""
    return _list_page(request, user, session)


@router.post("/pipelines", dependencies=[Csrf], name="pipeline_create")
def create_pipeline(
    request: Request, user: CurrentUser, session: SessionDep, name: NameField = ""
) -> Response:
    """A new pipeline with the standard stages."""
    try:
        data = parse(PipelineCreate, {"name": name})
        created = pipelines.create_pipeline(session, user.principal(), data=data)
    except Invalid as exc:
        session.rollback()  # nothing half-written is committed
        return _list_page(request, user, session, errors=exc.fields, name=name, status=422)
    flash(request, f"Pipeline “{created.name}” created with the standard stages.")
    return redirect(request, "pipeline_board", pipeline_id=created.id)


@router.get("/pipelines/{pipeline_id}", response_class=HTMLResponse, name="pipeline_board")
def show_board(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    pipeline_id: PipelineId,
    more: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> HTMLResponse:
    """A pipeline as a board: one column per stage, its newest leads as cards."""
    expanded = {more: boards.MAX_CARDS_PER_COLUMN} if more else None
    found = boards.board(session, user.principal(), pipeline_id, expanded=expanded)
    return page(
        request,
        "pipelines/board.html",
        user,
        title=found.name,
        board=found,
        pipelines=all_pipelines(session, user),
        expanded=more,
    )


@router.post("/pipelines/{pipeline_id}/move", dependencies=[Csrf], name="pipeline_move_lead")
def move_lead(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    pipeline_id: PipelineId,
    lead_id: RecordField,
    stage_id: RecordField,
) -> Response:
    """Move a lead to another stage (a drag on the board, or the card's "Move to" form)."""
    wants_json = "application/json" in request.headers.get("accept", "")
    try:
        lead, totals = boards.move_lead(
            session, user.principal(), pipeline_id, lead_id=lead_id, stage_id=stage_id
        )
    except (Invalid, NotFound) as exc:
        session.rollback()  # nothing half-written is committed
        if isinstance(exc, NotFound) and not wants_json:
            raise
        message = _first_message(exc)
        if wants_json:
            return JSONResponse({"ok": False, "message": message}, status_code=_status(exc))
        flash(request, message, "error")
        return redirect(request, "pipeline_board", pipeline_id=pipeline_id)
    name = boards.card_name(lead.first_name, lead.last_name, lead.email, lead.id)
    stage = next((total.name for total in totals if total.stage_id == stage_id), "the stage")
    message = f"{name} moved to {stage}."
    if wants_json:
        return JSONResponse(_moved(lead.id, stage_id, message, totals))
    flash(request, message)
    return redirect(request, "pipeline_board", pipeline_id=pipeline_id)


@router.post("/pipelines/{pipeline_id}/rename", dependencies=[Csrf], name="pipeline_rename")
def rename_pipeline(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    pipeline_id: PipelineId,
    name: NameField = "",
) -> Response:
    """Rename a pipeline."""
    try:
        data = parse(PipelineUpdate, {"name": name})
        pipelines.update_pipeline(session, user.principal(), pipeline_id, data=data)
    except Invalid as exc:
        session.rollback()  # nothing half-written is committed
        errors: PerForm = {"pipeline": exc.fields}
        values: PerForm = {"pipeline": {"name": name}}
        return pipeline_stages.stages_page(
            request, user, session, pipeline_id, errors=errors, values=values
        )
    flash(request, "Pipeline renamed.")
    return redirect(request, "pipeline_stages", pipeline_id=pipeline_id)


@router.post("/pipelines/{pipeline_id}/default", dependencies=[Csrf], name="pipeline_make_default")
def make_default(
    request: Request, user: CurrentUser, session: SessionDep, pipeline_id: PipelineId
) -> Response:
    """Make a pipeline the default, the one shown first."""
    updated = pipelines.update_pipeline(
        session, user.principal(), pipeline_id, data=PipelineUpdate(is_default=True)
    )
    flash(request, f"“{updated.name}” is now the default pipeline.")
    return redirect(request, "pipelines")


@router.post("/pipelines/{pipeline_id}/delete", dependencies=[Csrf], name="pipeline_delete")
def delete_pipeline(
    request: Request,
    user: AdminUser,
    session: SessionDep,
    pipeline_id: PipelineId,
    move_to_stage_id: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Delete a pipeline (owners and admins); the leads it holds move to another's stage."""
    target = pipeline_stages.record_id(move_to_stage_id)
    try:
        pipelines.delete_pipeline(session, user.principal(), pipeline_id, move_to_stage_id=target)
    except Invalid as exc:
        session.rollback()  # nothing half-written is committed
        failed: PerForm = {"pipeline": exc.fields}
        return pipeline_stages.stages_page(request, user, session, pipeline_id, errors=failed)
    flash(request, "Pipeline deleted.")
    return redirect(request, "pipelines")


def _list_page(
    request: Request,
    user: CurrentUser,
    session: Session,
    *,
    errors: dict[str, list[str]] | None = None,
    name: str = "",
    status: int = 200,
) -> HTMLResponse:
    return page(
        request,
        "pipelines/index.html",
        user,
        status=status,
        title="Pipelines",
        pipelines=all_pipelines(session, user),
        errors=errors or {},
        new_name=name,
    )


def _moved(
    lead_id: int, stage_id: int, message: str, totals: list[boards.StageTotal]
) -> dict[str, Any]:
    money = templates.env.filters["money"]
    return {
        "ok": True,
        "message": message,
        "lead_id": lead_id,
        "stage_id": stage_id,
        "stages": [
            {
                "id": total.stage_id,
                "leads_count": total.leads_count,
                "value_total": money(total.value_total),
            }
            for total in totals
        ],
    }


def _first_message(exc: Invalid | NotFound) -> str:
    if isinstance(exc, Invalid):
        for found in exc.fields.values():
            if found:
                return found[0]
    return exc.message


def _status(exc: Invalid | NotFound) -> int:
    return 404 if isinstance(exc, NotFound) else 422
