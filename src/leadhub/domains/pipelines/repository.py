"""Every pipeline and stage query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Row, func, select, union_all

from leadhub.db.scoped import ScopedRepository
from leadhub.kit.pagination import PageRequest
from leadhub.models import Lead, Pipeline, PipelineStage, User


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

    # -- the board ----------------------------------------------------------------------------

    def default_pipeline(self) -> Pipeline | None:
        """The default pipeline, or the oldest when none is marked."""
        statement = self.select(Pipeline).order_by(Pipeline.is_default.desc(), Pipeline.id)
        return self.session.scalars(statement.limit(1)).first()

    def stage_totals(self, stage_ids: Sequence[int]) -> dict[int, tuple[int, float]]:
        """How many leads each stage holds and the sum of their values, in one query."""
        if not stage_ids:
            return {}
        statement = (
            self.select_columns(
                Lead, Lead.pipeline_stage_id, func.count(), func.coalesce(func.sum(Lead.value), 0)
            )
            .where(Lead.pipeline_stage_id.in_(stage_ids))
            .group_by(Lead.pipeline_stage_id)
        )
        return {
            stage_id: (int(count), float(total))
            for stage_id, count, total in self.session.execute(statement)
        }

    def newest_leads(self, limits: Mapping[int, int]) -> list[Row[Any]]:
        """The newest leads of each stage up to its limit, with the owner's name, in one query.

        One index-backed slice per stage (UNION ALL), so a stage holding many leads costs no
        more than one holding few; each slice is wrapped so SQLite accepts its LIMIT.
        """
        slices = [
            select(*self._card_columns())
            .select_from(Lead)
            .outerjoin(User, User.id == Lead.assigned_user_id)
            .where(Lead.workspace_id == self.workspace_id, Lead.pipeline_stage_id == stage_id)
            .order_by(Lead.created_at.desc(), Lead.id.desc())
            .limit(limit)
            .subquery()
            for stage_id, limit in limits.items()
            if limit > 0
        ]
        if not slices:
            return []
        statement = union_all(*(select(*part.c) for part in slices))
        return list(self.session.execute(statement))

    @staticmethod
    def _card_columns() -> tuple[Any, ...]:
        return (
            Lead.id.label("id"),
            Lead.pipeline_stage_id.label("stage_id"),
            Lead.first_name.label("first_name"),
            Lead.last_name.label("last_name"),
            Lead.email.label("email"),
            Lead.company.label("company"),
            Lead.value.label("value"),
            Lead.assigned_user_id.label("owner_id"),
            User.name.label("owner_name"),
            Lead.created_at.label("created_at"),
        )
