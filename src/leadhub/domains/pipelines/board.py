"""A pipeline as a board: its stages as columns holding their newest leads, and moving a lead.

The board is read in a fixed number of queries whatever the number of cards: the pipeline, its
stages, the count and value of each stage, and one query for every column's cards.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.domains.leads import service as leads
from leadhub.domains.leads.schemas import LeadRead, LeadUpdate
from leadhub.domains.pipelines.repository import PipelineRepository
from leadhub.errors import NotFound
from leadhub.models import Pipeline, PipelineStage

CARDS_PER_COLUMN = 20
MAX_CARDS_PER_COLUMN = 200


class BoardCard(BaseModel):
    id: int
    name: str
    email: str | None
    company: str | None
    value: float | None
    owner_id: int | None
    owner_name: str | None
    created_at: datetime


class StageTotal(BaseModel):
    stage_id: int
    name: str
    leads_count: int
    value_total: float


class BoardColumn(BaseModel):
    id: int
    name: str
    position: int
    kind: str
    probability: int | None
    color: str | None
    leads_count: int
    value_total: float
    cards: list[BoardCard]

    @property
    def has_more(self) -> bool:
        return self.leads_count > len(self.cards)


class Board(BaseModel):
    pipeline_id: int
    name: str
    is_default: bool
    columns: list[BoardColumn]


def board(
    session: Session,
    principal: Principal,
    pipeline_id: int | None = None,
    *,
    per_column: int = CARDS_PER_COLUMN,
    expanded: Mapping[int, int] | None = None,
) -> Board:
    """A pipeline's board (the default one without an id): each stage with its newest leads.

    `expanded` raises the number of cards shown for some stages (stage id → cards).
    """
    repo = PipelineRepository(session, principal.workspace_id)
    pipeline = repo.get(Pipeline, pipeline_id) if pipeline_id else repo.default_pipeline()
    if pipeline is None:
        raise NotFound.of("Pipeline")
    stages = repo.stages_of([pipeline.id]).get(pipeline.id, [])
    stage_ids = [stage.id for stage in stages]
    totals = repo.stage_totals(stage_ids)
    limits = {
        stage_id: min(max((expanded or {}).get(stage_id, per_column), 0), MAX_CARDS_PER_COLUMN)
        for stage_id in stage_ids
    }
    cards = _cards_by_stage(repo.newest_leads(limits))
    return Board(
        pipeline_id=pipeline.id,
        name=pipeline.name,
        is_default=pipeline.is_default,
        columns=[_column(stage, totals.get(stage.id), cards[stage.id]) for stage in stages],
    )


def move_lead(
    session: Session, principal: Principal, pipeline_id: int, *, lead_id: int, stage_id: int
) -> tuple[LeadRead, list[StageTotal]]:
    """Move a lead to a stage of this pipeline (recorded in its timeline); the new totals.

    The move is a lead update, so the same rules and the same `stage_changed` event apply as
    through the API; a stage of another pipeline is refused as Invalid.
    """
    repo = PipelineRepository(session, principal.workspace_id)
    pipeline = repo.get(Pipeline, pipeline_id)
    if pipeline is None:
        raise NotFound.of("Pipeline")
    data = LeadUpdate(pipeline_id=pipeline.id, pipeline_stage_id=stage_id)
    lead = leads.update(session, principal, lead_id, data=data)
    return lead, stage_totals(session, principal, pipeline.id)


def stage_totals(session: Session, principal: Principal, pipeline_id: int) -> list[StageTotal]:
    """The count and value of every stage of a pipeline, in order."""
    repo = PipelineRepository(session, principal.workspace_id)
    stages = repo.stages_of([pipeline_id]).get(pipeline_id, [])
    totals = repo.stage_totals([stage.id for stage in stages])
    return [
        StageTotal(
            stage_id=stage.id,
            name=stage.name,
            leads_count=totals.get(stage.id, (0, 0.0))[0],
            value_total=totals.get(stage.id, (0, 0.0))[1],
        )
        for stage in stages
    ]


def card_name(
    first_name: str | None, last_name: str | None, email: str | None, lead_id: int
) -> str:
    """How a lead is called on a card: its name, else its email, else its number."""
    name = " ".join(part for part in (first_name, last_name) if part)
    return name or email or f"Lead #{lead_id}"


def _cards_by_stage(rows: list[Any]) -> dict[int, list[BoardCard]]:
    by_stage: dict[int, list[BoardCard]] = defaultdict(list)
    # The slices arrive in no particular order once combined: newest first again, per stage.
    for row in sorted(rows, key=lambda row: (row.created_at, row.id), reverse=True):
        by_stage[row.stage_id].append(
            BoardCard(
                id=row.id,
                name=card_name(row.first_name, row.last_name, row.email, row.id),
                email=row.email,
                company=row.company,
                value=float(row.value) if row.value is not None else None,
                owner_id=row.owner_id,
                owner_name=row.owner_name,
                created_at=row.created_at,
            )
        )
    return by_stage


def _column(
    stage: PipelineStage, total: tuple[int, float] | None, cards: list[BoardCard]
) -> BoardColumn:
    count, value = total or (0, 0.0)
    return BoardColumn(
        id=stage.id,
        name=stage.name,
        position=stage.position,
        kind=stage.kind,
        probability=stage.probability,
        color=stage.color,
        leads_count=count,
        value_total=value,
        cards=cards,
    )
