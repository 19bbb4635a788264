"""Every pipeline and stage query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import func

from leadhub.db.scoped import ScopedRepository
from leadhub.kit.pagination import PageRequest
from leadhub.models import Lead, Pipeline, PipelineStage


class PipelineRepository(ScopedRepository):
    def page(self, page: PageRequest) -> tuple[list[Pipeline], int]:
        return self.page_of(self.select(Pipeline).order_by(Pipeline.id), page)

    def stages_of(self, pipeline_ids: Sequence[int]) -> dict[int, list[PipelineStage]]:
        """Stages per pipeline, in order, for a whole page of pipelines in one query."""
        by_pipeline: dict[int, list[PipelineStage]] = defaultdict(list)
        if not pipeline_ids:
            return by_pipeline
        statement = (
            self.select(PipelineStage)
            .where(PipelineStage.pipeline_id.in_(pipeline_ids))
            .order_by(PipelineStage.position, PipelineStage.id)
        )
        for stage in self.session.scalars(statement):
            by_pipeline[stage.pipeline_id].append(stage)
        return by_pipeline

    def lead_counts(self, stage_ids: Sequence[int]) -> dict[int, int]:
        if not stage_ids:
            return {}
        statement = (
            self.select_columns(Lead, Lead.pipeline_stage_id, func.count())
            .where(Lead.pipeline_stage_id.in_(stage_ids))
            .group_by(Lead.pipeline_stage_id)
        )
        return {stage_id: int(count) for stage_id, count in self.session.execute(statement)}

    def count_leads(self, *, pipeline_id: int | None = None, stage_id: int | None = None) -> int:
        statement = self.select_columns(Lead, func.count())
        if pipeline_id is not None:
            statement = statement.where(Lead.pipeline_id == pipeline_id)
        if stage_id is not None:
            statement = statement.where(Lead.pipeline_stage_id == stage_id)
        return int(self.session.scalar(statement) or 0)

    def move_leads(
        self, *, to: PipelineStage, from_pipeline: int | None, from_stage: int | None
    ) -> list[tuple[int, int | None, int | None]]:
        """Move the leads; answers each moved lead's id, former pipeline and former stage."""
        selection = self.select_columns(Lead, Lead.id, Lead.pipeline_id, Lead.pipeline_stage_id)
        statement = self.update(Lead)
        if from_pipeline is not None:
            selection = selection.where(Lead.pipeline_id == from_pipeline)
            statement = statement.where(Lead.pipeline_id == from_pipeline)
        if from_stage is not None:
            selection = selection.where(Lead.pipeline_stage_id == from_stage)
            statement = statement.where(Lead.pipeline_stage_id == from_stage)
        moved = [
            (row[0], row[1], row[2]) for row in self.session.execute(selection.with_for_update())
        ]
        self.session.execute(
            statement.values(pipeline_id=to.pipeline_id, pipeline_stage_id=to.id),
            execution_options={"synchronize_session": False},
        )
        return moved

    def unset_defaults(self, except_id: int | None) -> None:
        statement = self.update(Pipeline).where(Pipeline.is_default.is_(True))
        if except_id is not None:
            statement = statement.where(Pipeline.id != except_id)
        self.session.execute(statement.values(is_default=False))

    def oldest(self, *, excluding: int) -> Pipeline | None:
        statement = self.select(Pipeline).where(Pipeline.id != excluding).order_by(Pipeline.id)
        return self.session.scalars(statement.limit(1)).first()

    def has_pipelines(self) -> bool:
        return self.session.scalar(self.select_columns(Pipeline, Pipeline.id).limit(1)) is not None
