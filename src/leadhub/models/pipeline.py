from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leadhub.db.base import Base, Timestamps, WorkspaceOwned


class Pipeline(WorkspaceOwned, Timestamps, Base):
    """An ordered path of stages that leads move through."""

    __tablename__ = "pipelines"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    is_default: Mapped[bool] = mapped_column(default=False)
    stages: Mapped[list[PipelineStage]] = relationship(
        back_populates="pipeline",
        order_by="PipelineStage.position",
        lazy="raise",
        passive_deletes=True,  # the database's ON DELETE CASCADE removes them
    )


class PipelineStage(WorkspaceOwned, Timestamps, Base):
    """One column of a pipeline: open (with a win probability), won or lost."""

    __tablename__ = "pipeline_stages"
    __table_args__ = (Index("ix_pipeline_stages_pipeline_position", "pipeline_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pipeline_id: Mapped[int] = mapped_column(ForeignKey("pipelines.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(8), default="open")
    probability: Mapped[int | None]
    color: Mapped[str | None] = mapped_column(String(7))
    pipeline: Mapped[Pipeline] = relationship(back_populates="stages", lazy="raise")
