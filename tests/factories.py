"""Plain, typed helpers that make test data through the real services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from leadhub.auth.principal import Principal
from leadhub.auth.scopes import ALL
from leadhub.db.uow import Database
from leadhub.domains.apikeys import service as apikeys
from leadhub.domains.automations import service as automations
from leadhub.domains.automations.schemas import AutomationCreate
from leadhub.domains.leads import service as leads
from leadhub.domains.leads.schemas import LeadCreate
from leadhub.domains.users import service as users
from leadhub.domains.workspaces import service as workspaces
from leadhub.models import Pipeline, PipelineStage


@dataclass(frozen=True)
class Workspace:
    id: int
    slug: str
    public_id: str

    def principal(self) -> Principal:
        return Principal(workspace_id=self.id, workspace_slug=self.slug, scopes=frozenset({ALL}))


def make_workspace(db: Database, slug: str, *, agency: bool = False) -> Workspace:
    with db.unit_of_work() as session:
        created = workspaces.create(session, slug=slug, agency=agency)
        return Workspace(id=created.id, slug=created.slug, public_id=created.public_id)


def make_key(
    db: Database,
    workspace: Workspace,
    *,
    scopes: list[str] | None = None,
    rate_limit: int | None = None,
) -> str:
    with db.unit_of_work() as session:
        created = apikeys.create(session, workspace.id, scopes=scopes, rate_limit=rate_limit)
        return created.plaintext


def make_user(db: Database, workspace: Workspace, email: str, role: str = "member") -> int:
    with db.unit_of_work() as session:
        return users.create(session, workspace.id, email=email, password=None, role=role).id


def make_lead(db: Database, workspace: Workspace, **fields: Any) -> int:
    fields.setdefault("first_name", "Test")
    with db.unit_of_work() as session:
        return leads.create(session, workspace.principal(), data=LeadCreate(**fields)).id


def make_automation(
    db: Database, workspace: Workspace, *, trigger: str = "lead_created", tag: str = "t"
) -> int:
    """An active automation that tags the lead of each `trigger` event."""
    data = AutomationCreate.model_validate(
        {"name": "T", "trigger": trigger, "actions": [{"type": "add_tag", "tag": tag}]}
    )
    with db.unit_of_work() as session:
        return automations.create_automation(session, workspace.principal(), data=data).id


def default_pipeline(db: Database, workspace: Workspace) -> tuple[int, list[int]]:
    """The workspace's default pipeline id and its stage ids in order."""
    with db.unit_of_work(write=False) as session:
        pipeline = session.query(Pipeline).filter_by(workspace_id=workspace.id).one()
        stages = (
            session.query(PipelineStage.id)
            .filter_by(pipeline_id=pipeline.id)
            .order_by(PipelineStage.position)
            .all()
        )
        return pipeline.id, [stage_id for (stage_id,) in stages]
