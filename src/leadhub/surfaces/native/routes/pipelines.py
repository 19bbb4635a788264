"""/api/v1/pipelines and their nested /stages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path, Query, Request, Response

from leadhub.auth.principal import Principal
from leadhub.domains.pipelines import service as pipelines
from leadhub.domains.pipelines.schemas import (
    PipelineCreate,
    PipelineRead,
    PipelineUpdate,
    StageCreate,
    StageRead,
    StageUpdate,
)
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.common.deps import RequireScope, RuntimeDep, SessionDep
from leadhub.surfaces.common.idempotency import IdempotentRoute
from leadhub.surfaces.native.envelopes import DataEnvelope, PageEnvelope, PageQuery, paginate
from leadhub.surfaces.native.errors import ERROR_RESPONSES

router = APIRouter(
    route_class=IdempotentRoute, prefix="/pipelines", tags=["Pipelines"], responses=ERROR_RESPONSES
)

ReadPipelines = Annotated[Principal, Depends(RequireScope("read:pipelines"))]
WritePipelines = Annotated[Principal, Depends(RequireScope("write:pipelines"))]
DeletePipelines = Annotated[Principal, Depends(RequireScope("delete:pipelines"))]
PipelineId = Annotated[int, Path(ge=1, le=MAX_ID)]
StageId = Annotated[int, Path(ge=1, le=MAX_ID)]
MoveTo = Annotated[
    int | None,
    Query(ge=1, le=MAX_ID, description="Stage that receives the leads held by what is deleted."),
]


def _move_to(query: int | None, body: dict[str, int] | None) -> int | None:
    """`move_to_stage_id` from the query string or, as some clients send it, the JSON body."""
    if query is not None:
        return query
    value = (body or {}).get("move_to_stage_id")
    return value if isinstance(value, int) else None


@router.get("", response_model=PageEnvelope[PipelineRead])
def list_pipelines(
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: ReadPipelines,
    page: PageQuery,
) -> PageEnvelope[PipelineRead]:
    """List pipelines with their stages."""
    return paginate(request, runtime, pipelines.list_pipelines(session, principal, page=page))


@router.post("", status_code=201, response_model=DataEnvelope[PipelineRead])
def create_pipeline(
    body: PipelineCreate, session: SessionDep, principal: WritePipelines
) -> DataEnvelope[PipelineRead]:
    """Create a pipeline (with the standard stages unless `stages` are given)."""
    return DataEnvelope(data=pipelines.create_pipeline(session, principal, data=body))


@router.get("/{pipeline_id}", response_model=DataEnvelope[PipelineRead])
def get_pipeline(
    pipeline_id: PipelineId, session: SessionDep, principal: ReadPipelines
) -> DataEnvelope[PipelineRead]:
    """Get a pipeline with its stages."""
    return DataEnvelope(data=pipelines.get_pipeline(session, principal, pipeline_id))


@router.put("/{pipeline_id}", response_model=DataEnvelope[PipelineRead])
@router.patch("/{pipeline_id}", response_model=DataEnvelope[PipelineRead])
def update_pipeline(
    pipeline_id: PipelineId, body: PipelineUpdate, session: SessionDep, principal: WritePipelines
) -> DataEnvelope[PipelineRead]:
    """Rename a pipeline or make it the default."""
    return DataEnvelope(data=pipelines.update_pipeline(session, principal, pipeline_id, data=body))


@router.delete("/{pipeline_id}", status_code=204, response_class=Response)
def delete_pipeline(
    pipeline_id: PipelineId,
    session: SessionDep,
    principal: DeletePipelines,
    move_to_stage_id: MoveTo = None,
    body: Annotated[dict[str, int] | None, Body()] = None,
) -> Response:
    """Delete a pipeline; its leads need `move_to_stage_id` (a stage of another pipeline)."""
    target = _move_to(move_to_stage_id, body)
    pipelines.delete_pipeline(session, principal, pipeline_id, move_to_stage_id=target)
    return Response(status_code=204)


@router.get("/{pipeline_id}/stages", response_model=PageEnvelope[StageRead])
def list_stages(
    pipeline_id: PipelineId,
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: ReadPipelines,
    page: PageQuery,
) -> PageEnvelope[StageRead]:
    """List the stages of a pipeline in order."""
    result = pipelines.list_stages(session, principal, pipeline_id, page=page)
    return paginate(request, runtime, result)


@router.post("/{pipeline_id}/stages", status_code=201, response_model=DataEnvelope[StageRead])
def create_stage(
    pipeline_id: PipelineId, body: StageCreate, session: SessionDep, principal: WritePipelines
) -> DataEnvelope[StageRead]:
    """Add a stage (at `position`, the end by default)."""
    return DataEnvelope(data=pipelines.create_stage(session, principal, pipeline_id, data=body))


@router.get("/{pipeline_id}/stages/{stage_id}", response_model=DataEnvelope[StageRead])
def get_stage(
    pipeline_id: PipelineId, stage_id: StageId, session: SessionDep, principal: ReadPipelines
) -> DataEnvelope[StageRead]:
    """Get a stage."""
    return DataEnvelope(data=pipelines.get_stage(session, principal, pipeline_id, stage_id))


@router.put("/{pipeline_id}/stages/{stage_id}", response_model=DataEnvelope[StageRead])
@router.patch("/{pipeline_id}/stages/{stage_id}", response_model=DataEnvelope[StageRead])
def update_stage(
    pipeline_id: PipelineId,
    stage_id: StageId,
    body: StageUpdate,
    session: SessionDep,
    principal: WritePipelines,
) -> DataEnvelope[StageRead]:
    """Change a stage; a new `position` reorders the pipeline."""
    updated = pipelines.update_stage(session, principal, pipeline_id, stage_id, data=body)
    return DataEnvelope(data=updated)


@router.delete("/{pipeline_id}/stages/{stage_id}", status_code=204, response_class=Response)
def delete_stage(
    pipeline_id: PipelineId,
    stage_id: StageId,
    session: SessionDep,
    principal: DeletePipelines,
    move_to_stage_id: MoveTo = None,
    body: Annotated[dict[str, int] | None, Body()] = None,
) -> Response:
    """Delete a stage; the leads it holds need `move_to_stage_id`."""
    target = _move_to(move_to_stage_id, body)
    pipelines.delete_stage(session, principal, pipeline_id, stage_id, move_to_stage_id=target)
    return Response(status_code=204)
