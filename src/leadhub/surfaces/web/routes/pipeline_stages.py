"""A pipeline's stages: rename, recolour, probability and kind, order, add and delete."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from leadhub.domains.pipelines import service as pipelines
from leadhub.domains.pipelines.schemas import StageCreate, StageUpdate
from leadhub.errors import Invalid
from leadhub.kit.pagination import PageRequest
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.common.deps import SessionDep
from leadhub.surfaces.web.render import page, redirect
from leadhub.surfaces.web.session import AdminUser, Csrf, CurrentUser, flash
from leadhub.surfaces.web.validation import parse

router = APIRouter()

PipelineId = Annotated[int, Path(ge=1, le=MAX_ID)]
StageId = Annotated[int, Path(ge=1, le=MAX_ID)]
Short = Annotated[str, Form(max_length=1000)]
KINDS = (("open", "Open"), ("won", "Won"), ("lost", "Lost"))
# Errors and submitted values per form on the page: "pipeline", "new" or a stage id.
PerForm = dict[str | int, dict[str, Any]]


@router.get("/pipelines/{pipeline_id}/stages", response_class=HTMLResponse, name="pipeline_stages")
def edit_stages(
    request: Request, user: CurrentUser, session: SessionDep, pipeline_id: PipelineId
) -> HTMLResponse:
    """The stages of a pipeline and its settings, to edit."""
    return stages_page(request, user, session, pipeline_id)


@router.post("/pipelines/{pipeline_id}/stages", dependencies=[Csrf], name="pipeline_stage_create")
def create_stage(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    pipeline_id: PipelineId,
    name: Short = "",
    kind: Short = "open",
    probability: Short = "",
    color: Short = "",
    position: Short = "",
) -> Response:
    """Add a stage (at the end, or before the stage chosen)."""
    values = _stage_values(name, kind, probability, color)
    values["position"] = position.strip() or None
    try:
        data = parse(StageCreate, values)
        created = pipelines.create_stage(session, user.principal(), pipeline_id, data=data)
    except Invalid as exc:
        session.rollback()  # nothing half-written is committed
        return stages_page(
            request, user, session, pipeline_id, errors={"new": exc.fields}, values={"new": values}
        )
    flash(request, f"Stage “{created.name}” added.")
    return redirect(request, "pipeline_stages", pipeline_id=pipeline_id)


@router.post(
    "/pipelines/{pipeline_id}/stages/{stage_id}", dependencies=[Csrf], name="pipeline_stage_update"
)
def update_stage(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    pipeline_id: PipelineId,
    stage_id: StageId,
    name: Short = "",
    kind: Short = "open",
    probability: Short = "",
    color: Short = "",
) -> Response:
    """Rename, recolour, or change a stage's kind or probability."""
    values = _stage_values(name, kind, probability, color)
    try:
        data = parse(StageUpdate, values)
        updated = pipelines.update_stage(
            session, user.principal(), pipeline_id, stage_id, data=data
        )
    except Invalid as exc:
        session.rollback()  # nothing half-written is committed
        return stages_page(
            request,
            user,
            session,
            pipeline_id,
            errors={stage_id: exc.fields},
            values={stage_id: values},
        )
    flash(request, f"Stage “{updated.name}” saved.")
    return redirect(request, "pipeline_stages", pipeline_id=pipeline_id)


@router.post(
    "/pipelines/{pipeline_id}/stages/{stage_id}/move",
    dependencies=[Csrf],
    name="pipeline_stage_move",
)
def move_stage(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    pipeline_id: PipelineId,
    stage_id: StageId,
    direction: Annotated[Literal["up", "down"], Form()],
) -> Response:
    """Move a stage one place earlier or later on the board."""
    principal = user.principal()
    stage = pipelines.get_stage(session, principal, pipeline_id, stage_id)
    position = max(0, stage.position + (-1 if direction == "up" else 1))
    data = StageUpdate(position=position)
    pipelines.update_stage(session, principal, pipeline_id, stage_id, data=data)
    flash(request, f"Stage “{stage.name}” moved {direction}.")
    return redirect(request, "pipeline_stages", pipeline_id=pipeline_id)


@router.post(
    "/pipelines/{pipeline_id}/stages/{stage_id}/delete",
    dependencies=[Csrf],
    name="pipeline_stage_delete",
)
def delete_stage(
    request: Request,
    user: AdminUser,
    session: SessionDep,
    pipeline_id: PipelineId,
    stage_id: StageId,
    move_to_stage_id: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Delete a stage (owners and admins); the leads it holds move to the stage chosen."""
    target = record_id(move_to_stage_id)
    principal = user.principal()
    try:
        stage = pipelines.get_stage(session, principal, pipeline_id, stage_id)
        pipelines.delete_stage(session, principal, pipeline_id, stage_id, move_to_stage_id=target)
    except Invalid as exc:
        session.rollback()  # nothing half-written is committed
        return stages_page(request, user, session, pipeline_id, errors={stage_id: exc.fields})
    moved = f" Its {stage.leads_count} lead(s) were moved." if stage.leads_count else ""
    flash(request, f"Stage “{stage.name}” deleted.{moved}")
    return redirect(request, "pipeline_stages", pipeline_id=pipeline_id)


def stages_page(
    request: Request,
    user: CurrentUser,
    session: Session,
    pipeline_id: int,
    *,
    errors: PerForm | None = None,
    values: PerForm | None = None,
) -> HTMLResponse:
    """The stage editor; with `errors`, shown again (422) beside the form that failed."""
    principal = user.principal()
    pipeline = pipelines.get_pipeline(session, principal, pipeline_id)
    others = [
        other
        for other in pipelines.list_pipelines(session, principal, page=PageRequest(1, 100)).items
        if other.id != pipeline.id
    ]
    return page(
        request,
        "pipelines/stages.html",
        user,
        status=422 if errors else 200,
        title=f"{pipeline.name}: stages",
        pipeline=pipeline,
        others=others,
        kinds=KINDS,
        errors=errors or {},
        values=values or {},
    )


def record_id(text: str) -> int | None:
    """An id chosen in a select; anything else (blank, out of range) is no choice."""
    value = text.strip()
    ok = value.isascii() and value.isdigit() and len(value) < 11
    return int(value) if ok and int(value) <= MAX_ID else None


def _stage_values(name: str, kind: str, probability: str, color: str) -> dict[str, Any]:
    return {
        "name": name.strip(),
        "kind": kind.strip() or None,
        "probability": probability.strip() or None,
        "color": color.strip() or None,
    }
