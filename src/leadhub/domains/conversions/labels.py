"""Conversion labels: the outcomes a team rates leads with, and where each one is sent."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.domains.conversions.repository import ConversionRepository
from leadhub.domains.conversions.schemas import (
    DestinationRead,
    LabelCreate,
    LabelFields,
    LabelRead,
    LabelUpdate,
)
from leadhub.errors import Invalid, NotFound
from leadhub.integrations import adplatforms
from leadhub.kit.pagination import Page, PageRequest
from leadhub.models import ConversionLabel

_TAKEN = "The name has already been taken."


def list_labels(session: Session, principal: Principal, *, page: PageRequest) -> Page[LabelRead]:
    """The workspace's conversion labels in their order."""
    repo = ConversionRepository(session, principal.workspace_id)
    statement = repo.select(ConversionLabel).order_by(ConversionLabel.position, ConversionLabel.id)
    rows, total = repo.page_of(statement, page)
    return Page(items=read_many(repo, rows), total=total, request=page)


def all_labels(session: Session, principal: Principal) -> list[LabelRead]:
    """Every label, for choosing one (the workspace has a handful)."""
    repo = ConversionRepository(session, principal.workspace_id)
    return read_many(repo, repo.labels())


def get_label(session: Session, principal: Principal, label_id: int) -> LabelRead:
    """One conversion label."""
    repo = ConversionRepository(session, principal.workspace_id)
    return read_many(repo, [require(repo, label_id)])[0]


def create_label(session: Session, principal: Principal, *, data: LabelCreate) -> LabelRead:
    """A new conversion label; its destinations must be ad-platform integrations."""
    repo = ConversionRepository(session, principal.workspace_id)
    label = ConversionLabel(
        uuid=str(uuid.uuid4()),
        name="",
        currency="EUR",
        destinations=[],
        position=repo.next_position(),
    )
    _apply(repo, label, data)
    repo.add(label)
    session.flush()
    return read_many(repo, [label])[0]


def update_label(
    session: Session, principal: Principal, label_id: int, *, data: LabelUpdate
) -> LabelRead:
    """Change the fields sent; conversions already queued keep what they were given."""
    repo = ConversionRepository(session, principal.workspace_id)
    label = require(repo, label_id)
    _apply(repo, label, data)
    session.flush()
    return read_many(repo, [label])[0]


def delete_label(session: Session, principal: Principal, label_id: int) -> None:
    """Delete a label; the conversions it named keep its name."""
    repo = ConversionRepository(session, principal.workspace_id)
    session.delete(require(repo, label_id))
    session.flush()


def require(repo: ConversionRepository, label_id: int) -> ConversionLabel:
    label = repo.get(ConversionLabel, label_id)
    if label is None:
        raise NotFound.of("Conversion label")
    return label


def _apply(repo: ConversionRepository, label: ConversionLabel, data: LabelFields) -> None:
    errors: dict[str, list[str]] = {}
    given = data.model_fields_set
    if "name" in given and data.name is not None:
        name = data.name.strip()
        if repo.name_taken(name, label.id):
            errors["name"] = [_TAKEN]
        label.name = name
    if "value" in given:
        label.value = data.value
    if "currency" in given and data.currency:
        label.currency = data.currency.upper()
    if "mark_as_done" in given and data.mark_as_done is not None:
        label.mark_as_done = data.mark_as_done
    if "destinations" in given:
        label.destinations = _destinations(repo, data, errors)
    if errors:
        raise Invalid(errors)


def _destinations(
    repo: ConversionRepository, data: LabelFields, errors: dict[str, list[str]]
) -> list[dict[str, object]]:
    """The destinations as stored, after checking each names a usable integration and target."""
    wanted = data.destinations or []
    rows = repo.integrations([item.integration_id for item in wanted])
    stored: list[dict[str, object]] = []
    seen: set[int] = set()
    for index, item in enumerate(wanted):
        key = f"destinations.{index}"
        row = rows.get(item.integration_id)
        if row is None or row.type not in adplatforms.DESTINATION_TYPES:
            errors.setdefault(f"{key}.integration_id", []).append(
                "The integration must be a Meta Conversions API, GA4 or Google Ads integration."
            )
            continue
        if item.integration_id in seen:
            errors.setdefault(f"{key}.integration_id", []).append(
                "Each integration may appear once."
            )
            continue
        seen.add(item.integration_id)
        target = item.target.strip()
        if (problem := adplatforms.target_problem(row.type, target)) is not None:
            errors.setdefault(f"{key}.target", []).append(problem)
            continue
        stored.append({"integration_id": item.integration_id, "target": target})
    return stored


def read_many(repo: ConversionRepository, labels: list[ConversionLabel]) -> list[LabelRead]:
    ids = [int(item["integration_id"]) for label in labels for item in label.destinations or []]
    rows = repo.integrations(ids)
    return [
        LabelRead(
            id=label.id,
            uuid=label.uuid,
            name=label.name,
            value=float(label.value) if label.value is not None else None,
            currency=label.currency,
            mark_as_done=label.mark_as_done,
            destinations=[
                DestinationRead(
                    integration_id=row.id,
                    integration_name=row.name,
                    type=row.type,
                    target=str(item["target"]),
                )
                for item in label.destinations or []
                if (row := rows.get(int(item["integration_id"]))) is not None
            ],
            created_at=label.created_at,
            updated_at=label.updated_at,
        )
        for label in labels
    ]
