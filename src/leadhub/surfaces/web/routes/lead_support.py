"""What every leads page shares: the workspace's choices, posted forms, names and counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from leadhub.auth.principal import Principal
from leadhub.domains.forms import service as forms
from leadhub.domains.leads.labels import LeadLabels, labels_in_use
from leadhub.domains.leads.schemas import LeadRead
from leadhub.domains.pipelines import service as pipelines
from leadhub.domains.pipelines.schemas import PipelineRead
from leadhub.domains.users import service as users
from leadhub.domains.users.schemas import UserRead
from leadhub.errors import Forbidden
from leadhub.kit.pagination import PageRequest
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.web.render import templates

LeadId = Annotated[int, Path(ge=1, le=MAX_ID)]
# Enough for any real workspace's pickers; the lists are read in one query each.
_ALL = PageRequest(1, 1000)
# The attribution fields in the order people look for them.
ATTRIBUTION_LABELS = {
    "utm_source": "UTM source",
    "utm_medium": "UTM medium",
    "utm_campaign": "UTM campaign",
    "utm_term": "UTM term",
    "utm_content": "UTM content",
    "referrer": "Referrer",
    "landing_page": "Landing page",
    "gclid": "Google click id (gclid)",
    "wbraid": "Google wbraid",
    "fbclid": "Facebook click id (fbclid)",
    "fbp": "Facebook browser id (fbp)",
    "fbc": "Facebook click cookie (fbc)",
    "cid": "Client id (cid)",
    "sid": "Session id (sid)",
}


async def posted_form(request: Request) -> FormData:
    """The submitted form (read once; the CSRF check has usually parsed it already)."""
    return await request.form()


PostedForm = Annotated[FormData, Depends(posted_form)]


@dataclass(frozen=True)
class Choices:
    """The workspace's pipelines, users and forms: for pickers, and to name ids on a page."""

    pipelines: list[PipelineRead]
    users: list[UserRead]
    forms: list[tuple[int, str]] = field(default_factory=list)
    labels: LeadLabels = field(default_factory=lambda: LeadLabels([], []))

    def user_name(self, user_id: int | None) -> str | None:
        if user_id is None:
            return None
        return next((u.name for u in self.users if u.id == user_id), f"User #{user_id}")

    def pipeline_name(self, pipeline_id: int | None) -> str | None:
        if pipeline_id is None:
            return None
        found = next((p.name for p in self.pipelines if p.id == pipeline_id), None)
        return found or f"Pipeline #{pipeline_id}"

    def stage_name(self, stage_id: int | None, *, with_pipeline: bool | None = None) -> str | None:
        """The stage's name, after its pipeline's when the workspace has several."""
        if stage_id is None:
            return None
        show_pipeline = len(self.pipelines) > 1 if with_pipeline is None else with_pipeline
        for pipeline in self.pipelines:
            for stage in pipeline.stages:
                if stage.id == stage_id:
                    return f"{pipeline.name} \u203a {stage.name}" if show_pipeline else stage.name
        return f"Stage #{stage_id}"

    def form_name(self, form_id: int | None) -> str | None:
        if form_id is None:
            return None
        return next((name for fid, name in self.forms if fid == form_id), f"Form #{form_id}")

    def user_options(self, keep: int | None = None) -> list[tuple[int, str]]:
        """Active users to pick from, and the one already chosen even if deactivated."""
        return [
            (u.id, u.name if u.is_active else f"{u.name} (inactive)")
            for u in self.users
            if u.is_active or u.id == keep
        ]


def load_choices(
    session: Session, principal: Principal, *, with_forms: bool = False, with_labels: bool = False
) -> Choices:
    """The workspace's pipelines and users, and its forms and labels when a page needs them."""
    return Choices(
        pipelines=pipelines.list_pipelines(session, principal, page=_ALL).items,
        users=users.list_users(session, principal, page=_ALL).items,
        forms=[(f.id, f.name) for f in forms.list_forms(session, principal, page=_ALL).items]
        if with_forms
        else [],
        labels=labels_in_use(session, principal) if with_labels else LeadLabels([], []),
    )


def require_delete(principal: Principal) -> None:
    """Deleting leads needs the delete:leads scope (every role has it today)."""
    if not principal.allows("delete:leads"):
        raise Forbidden("You are not allowed to delete leads.")


def lead_name(lead: LeadRead) -> str:
    """What to call a lead: its name, else its email or phone, else its number."""
    name = " ".join(part for part in (lead.first_name, lead.last_name) if part)
    return name or lead.email or lead.phone or f"Lead #{lead.id}"


def leads_count(count: int) -> str:
    return "1 lead" if count == 1 else f"{count} leads"


templates.env.filters["lead_name"] = lead_name
