"""Every automation query, and the look-ups that check the records an automation names."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.orm import InstrumentedAttribute

from leadhub.db.base import WorkspaceOwned
from leadhub.db.scoped import ScopedRepository
from leadhub.kit.pagination import PageRequest
from leadhub.models import Automation, Integration, PipelineStage


class AutomationRepository(ScopedRepository):
    def page(self, page: PageRequest) -> tuple[list[Automation], int]:
        return self.page_of(self.select(Automation).order_by(Automation.id), page)

    def existing(
        self, model: type[WorkspaceOwned], column: InstrumentedAttribute[int], ids: Collection[int]
    ) -> set[int]:
        """Which of these ids name records of `model` in the workspace."""
        if not ids:
            return set()
        statement = self.select_columns(model, column).where(column.in_(set(ids)))
        return set(self.session.scalars(statement))

    def stage_pipelines(self, stage_ids: Collection[int]) -> dict[int, int]:
        """The pipeline of each of these stages that exists in the workspace."""
        if not stage_ids:
            return {}
        statement = self.select_columns(
            PipelineStage, PipelineStage.id, PipelineStage.pipeline_id
        ).where(PipelineStage.id.in_(set(stage_ids)))
        return {stage_id: pipeline_id for stage_id, pipeline_id in self.session.execute(statement)}

    def integration_types(self, integration_ids: Collection[int]) -> dict[int, str]:
        """The type of each of these integrations that exists in the workspace."""
        if not integration_ids:
            return {}
        statement = self.select_columns(Integration, Integration.id, Integration.type).where(
            Integration.id.in_(set(integration_ids))
        )
        return {row_id: kind for row_id, kind in self.session.execute(statement)}
