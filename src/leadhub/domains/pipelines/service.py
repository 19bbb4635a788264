"""Pipelines and stages: ordered stages, one default pipeline, no lead left without a stage."""

from __future__ import annotations

from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.domains.events import service as events
from leadhub.domains.events.schemas import Actor
from leadhub.domains.pipelines.repository import PipelineRepository
from leadhub.domains.pipelines.schemas import (
    MAX_STAGES,
    PipelineCreate,
    PipelineRead,
    PipelineUpdate,
    StageCreate,
    StageFields,
    StageRead,
    StageUpdate,
)
from leadhub.errors import Invalid, NotFound
from leadhub.kit.pagination import Page, PageRequest
from leadhub.models import Pipeline, PipelineStage

STANDARD_STAGES = (
    StageCreate(name="New", kind="open", probability=10),
    StageCreate(name="Contacted", kind="open", probability=25),
    StageCreate(name="Qualified", kind="open", probability=50),
    StageCreate(name="Proposal", kind="open", probability=75),
    StageCreate(name="Won", kind="won"),
    StageCreate(name="Lost", kind="lost"),
)


# -- pipelines ------------------------------------------------------------------------------


def create_default(session: Session, workspace_id: int) -> Pipeline:
    """The pipeline every new workspace starts with."""
    repo = PipelineRepository(session, workspace_id)
    return _insert_pipeline(repo, name="Sales", is_default=True, stages=list(STANDARD_STAGES))


def list_pipelines(
    session: Session, principal: Principal, *, page: PageRequest
) -> Page[PipelineRead]:
    """The workspace's pipelines with their stages."""
    repo = _repo(session, principal)
    pipelines, total = repo.page(page)
    return Page(items=_read_many(repo, pipelines), total=total, request=page)


def get_pipeline(session: Session, principal: Principal, pipeline_id: int) -> PipelineRead:
    """One pipeline with its stages."""
    repo = _repo(session, principal)
    return _read_many(repo, [_pipeline(repo, pipeline_id)])[0]


def create_pipeline(
    session: Session, principal: Principal, *, data: PipelineCreate
) -> PipelineRead:
    """A new pipeline; the standard stages unless `stages` are given."""
    repo = _repo(session, principal)
    stages = list(STANDARD_STAGES) if data.stages is None else data.stages
    is_default = bool(data.is_default) or not repo.has_pipelines()
    pipeline = _insert_pipeline(repo, name=data.name.strip(), is_default=is_default, stages=stages)
    return _read_many(repo, [pipeline])[0]


def update_pipeline(
    session: Session, principal: Principal, pipeline_id: int, *, data: PipelineUpdate
) -> PipelineRead:
    """Rename a pipeline or make it the default."""
    repo = _repo(session, principal)
    pipeline = _pipeline(repo, pipeline_id)
    if data.name is not None:
        pipeline.name = data.name.strip()
    if data.is_default is True and not pipeline.is_default:
        repo.unset_defaults(except_id=pipeline.id)
        pipeline.is_default = True
    elif data.is_default is False and pipeline.is_default:
        raise Invalid.field("is_default", "Make another pipeline the default instead.")
    session.flush()
    return _read_many(repo, [pipeline])[0]


def delete_pipeline(
    session: Session, principal: Principal, pipeline_id: int, *, move_to_stage_id: int | None
) -> None:
    """Delete a pipeline; its leads must move to a stage of another pipeline."""
    repo = _repo(session, principal)
    pipeline = _pipeline(repo, pipeline_id)
    held = repo.count_leads(pipeline_id=pipeline.id)
    target = _move_target(repo, move_to_stage_id, held, noun="pipeline")
    if target is not None and target.pipeline_id == pipeline.id:
        raise Invalid.field("move_to_stage_id", "The stage must belong to another pipeline.")
    if target is not None:
        _move(repo, principal, target, from_pipeline=pipeline.id, from_stage=None)
    if pipeline.is_default:
        successor = repo.oldest(excluding=pipeline.id)
        if successor is not None:
            successor.is_default = True
    session.delete(pipeline)
    session.flush()


# -- stages ---------------------------------------------------------------------------------


def list_stages(
    session: Session, principal: Principal, pipeline_id: int, *, page: PageRequest
) -> Page[StageRead]:
    """The stages of a pipeline, in order."""
    repo = _repo(session, principal)
    stages = _ordered_stages(repo, _pipeline(repo, pipeline_id).id)
    window = stages[page.offset : page.offset + page.per_page]
    return Page(items=_read_stages(repo, window), total=len(stages), request=page)


def get_stage(session: Session, principal: Principal, pipeline_id: int, stage_id: int) -> StageRead:
    """One stage of a pipeline."""
    repo = _repo(session, principal)
    return _read_stages(repo, [_stage(repo, pipeline_id, stage_id)])[0]


def create_stage(
    session: Session, principal: Principal, pipeline_id: int, *, data: StageCreate
) -> StageRead:
    """Add a stage at `position` (the end by default); later stages shift down."""
    repo = _repo(session, principal)
    pipeline = _pipeline(repo, pipeline_id)
    stages = _ordered_stages(repo, pipeline.id)
    if len(stages) >= MAX_STAGES:
        raise Invalid.field("name", f"A pipeline has at most {MAX_STAGES} stages.")
    stage = repo.add(PipelineStage(pipeline_id=pipeline.id, name=data.name.strip()))
    _apply_stage_fields(stage, data)
    position = len(stages) if data.position is None else min(data.position, len(stages))
    stages.insert(position, stage)
    _renumber(stages)
    session.flush()
    return _read_stages(repo, [stage])[0]


def update_stage(
    session: Session, principal: Principal, pipeline_id: int, stage_id: int, *, data: StageUpdate
) -> StageRead:
    """Change a stage; a new `position` moves it and renumbers the others."""
    repo = _repo(session, principal)
    stage = _stage(repo, pipeline_id, stage_id)
    if data.name is not None:
        stage.name = data.name.strip()
    _apply_stage_fields(stage, data)
    if data.position is not None:
        stages = [other for other in _ordered_stages(repo, pipeline_id) if other.id != stage.id]
        stages.insert(min(data.position, len(stages)), stage)
        _renumber(stages)
    session.flush()
    return _read_stages(repo, [stage])[0]


def delete_stage(
    session: Session,
    principal: Principal,
    pipeline_id: int,
    stage_id: int,
    *,
    move_to_stage_id: int | None,
) -> None:
    """Delete a stage; the leads it holds move to `move_to_stage_id` in the same transaction."""
    repo = _repo(session, principal)
    stage = _stage(repo, pipeline_id, stage_id)
    held = repo.count_leads(stage_id=stage.id)
    target = _move_target(repo, move_to_stage_id, held, noun="stage")
    if target is not None and target.id == stage.id:
        raise Invalid.field("move_to_stage_id", "The leads must move to another stage.")
    if target is not None:
        _move(repo, principal, target, from_pipeline=None, from_stage=stage.id)
    session.delete(stage)
    session.flush()
    _renumber(_ordered_stages(repo, pipeline_id))
    session.flush()


# -- helpers --------------------------------------------------------------------------------


def _repo(session: Session, principal: Principal) -> PipelineRepository:
    return PipelineRepository(session, principal.workspace_id)


def _pipeline(repo: PipelineRepository, pipeline_id: int) -> Pipeline:
    pipeline = repo.get(Pipeline, pipeline_id)
    if pipeline is None:
        raise NotFound.of("Pipeline")
    return pipeline


def _stage(repo: PipelineRepository, pipeline_id: int, stage_id: int) -> PipelineStage:
    stage = repo.get(PipelineStage, stage_id)
    if stage is None or stage.pipeline_id != pipeline_id:
        raise NotFound.of("Stage")
    return stage


def _ordered_stages(repo: PipelineRepository, pipeline_id: int) -> list[PipelineStage]:
    return list(repo.stages_of([pipeline_id]).get(pipeline_id, []))


def _renumber(stages: list[PipelineStage]) -> None:
    for position, stage in enumerate(stages):
        stage.position = position


def _apply_stage_fields(stage: PipelineStage, data: StageFields) -> None:
    given = data.model_fields_set
    if data.kind is not None:
        stage.kind = data.kind
    if "color" in given:
        stage.color = data.color
    if "probability" in given:
        stage.probability = data.probability
    # Won and lost stages are certainties, whatever was sent.
    if stage.kind == "won":
        stage.probability = 100
    elif stage.kind == "lost":
        stage.probability = 0


def _move(
    repo: PipelineRepository,
    principal: Principal,
    target: PipelineStage,
    *,
    from_pipeline: int | None,
    from_stage: int | None,
) -> None:
    """Move the leads and record each move in its timeline."""
    moved = repo.move_leads(to=target, from_pipeline=from_pipeline, from_stage=from_stage)
    actor = Actor.of(principal)
    for lead_id, pipeline_id, stage_id in moved:
        events.record_changes(
            repo.session,
            repo.workspace_id,
            lead_id,
            actor=actor,
            before={"pipeline_id": pipeline_id, "pipeline_stage_id": stage_id},
            after={"pipeline_id": target.pipeline_id, "pipeline_stage_id": target.id},
        )


def _move_target(
    repo: PipelineRepository, move_to_stage_id: int | None, held: int, *, noun: str
) -> PipelineStage | None:
    if move_to_stage_id is None:
        if held:
            raise Invalid.field(
                "move_to_stage_id",
                f"The {noun} holds {held} lead(s); give move_to_stage_id to move them first.",
            )
        return None
    target = repo.get(PipelineStage, move_to_stage_id)
    if target is None:
        raise Invalid.field("move_to_stage_id", "The selected move to stage id is invalid.")
    return target


def _insert_pipeline(
    repo: PipelineRepository, *, name: str, is_default: bool, stages: list[StageCreate]
) -> Pipeline:
    if is_default:
        repo.unset_defaults(except_id=None)
    pipeline = repo.add(Pipeline(name=name, is_default=is_default))
    repo.session.flush()
    for position, fields in enumerate(stages):
        stage = repo.add(
            PipelineStage(pipeline_id=pipeline.id, name=fields.name.strip(), position=position)
        )
        _apply_stage_fields(stage, fields)
    repo.session.flush()
    return pipeline


def _read_stages(
    repo: PipelineRepository, stages: list[PipelineStage], counts: dict[int, int] | None = None
) -> list[StageRead]:
    if counts is None:
        counts = repo.lead_counts([stage.id for stage in stages])
    return [
        StageRead(
            id=stage.id,
            pipeline_id=stage.pipeline_id,
            name=stage.name,
            position=stage.position,
            kind=stage.kind,
            probability=stage.probability,
            color=stage.color,
            leads_count=counts.get(stage.id, 0),
            created_at=stage.created_at,
            updated_at=stage.updated_at,
        )
        for stage in stages
    ]


def _read_many(repo: PipelineRepository, pipelines: list[Pipeline]) -> list[PipelineRead]:
    stages = repo.stages_of([pipeline.id for pipeline in pipelines])
    counts = repo.lead_counts([stage.id for group in stages.values() for stage in group])
    return [
        PipelineRead(
            id=pipeline.id,
            name=pipeline.name,
            is_default=pipeline.is_default,
            stages=_read_stages(repo, stages.get(pipeline.id, []), counts),
            created_at=pipeline.created_at,
            updated_at=pipeline.updated_at,
        )
        for pipeline in pipelines
    ]
