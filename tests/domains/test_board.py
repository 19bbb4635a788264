"""A pipeline's board: its stages with their newest leads, read in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from leadhub.db.uow import Database
from leadhub.domains.pipelines import board as boards
from leadhub.errors import Invalid, NotFound
from tests.factories import Workspace, default_pipeline, make_lead, make_user, make_workspace


@contextmanager
def counted(db: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def _count(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(db.engine, "before_cursor_execute", _count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", _count)


def read_board(db: Database, workspace: Workspace, **options: Any) -> boards.Board:
    with db.unit_of_work(write=False) as session:
        return boards.board(session, workspace.principal(), **options)


def test_the_default_pipeline_is_shown_with_each_stage_and_its_newest_leads(
    db: Database, workspace: Workspace
) -> None:
    _pipeline_id, stages = default_pipeline(db, workspace)
    owner = make_user(db, workspace, "rep@example.com")
    for number in range(3):
        make_lead(
            db, workspace, first_name=f"N{number}", pipeline_stage_id=stages[0], value="10.25"
        )
    make_lead(db, workspace, email="x@example.com", first_name="Q", pipeline_stage_id=stages[2])
    make_lead(db, workspace, first_name="Own", pipeline_stage_id=stages[2], assigned_user_id=owner)
    make_lead(db, workspace, first_name="Nowhere")
    found = read_board(db, workspace, per_column=2)
    assert found.name == "Sales" and found.is_default
    assert [column.id for column in found.columns] == stages
    first = found.columns[0]
    assert (first.leads_count, first.value_total, first.has_more) == (3, 30.75, True)
    assert [card.name for card in first.cards] == ["N2", "N1"]
    qualified = found.columns[2]
    owners = {card.name: card.owner_name for card in qualified.cards}
    assert owners == {"Q": None, "Own": "rep"}
    assert not qualified.has_more and found.columns[1].cards == []


def test_the_board_takes_the_same_queries_for_many_cards_as_for_one(
    db: Database, workspace: Workspace
) -> None:
    _pipeline_id, stages = default_pipeline(db, workspace)
    owner = make_user(db, workspace, "rep@example.com")
    make_lead(db, workspace, pipeline_stage_id=stages[0])
    with counted(db) as few:
        read_board(db, workspace)
    for stage in stages:
        for _ in range(4):
            make_lead(db, workspace, pipeline_stage_id=stage, assigned_user_id=owner)
    with counted(db) as many:
        found = read_board(db, workspace)
    assert sum(len(column.cards) for column in found.columns) == 25
    assert len(many) == len(few) <= 6


def test_another_workspaces_pipeline_is_not_found(db: Database, workspace: Workspace) -> None:
    globex = make_workspace(db, "globex")
    pipeline_id, stages = default_pipeline(db, globex)
    make_lead(db, globex, pipeline_stage_id=stages[0])
    with pytest.raises(NotFound):
        read_board(db, workspace, pipeline_id=pipeline_id)


def test_a_move_to_a_stage_of_another_pipeline_is_invalid(
    db: Database, workspace: Workspace
) -> None:
    pipeline_id, stages = default_pipeline(db, workspace)
    globex_pipeline, globex_stages = default_pipeline(db, make_workspace(db, "globex"))
    lead_id = make_lead(db, workspace, pipeline_stage_id=stages[0])
    with db.unit_of_work() as session, pytest.raises(Invalid):
        boards.move_lead(
            session, workspace.principal(), pipeline_id, lead_id=lead_id, stage_id=globex_stages[0]
        )
    with db.unit_of_work() as session, pytest.raises(NotFound):
        boards.move_lead(
            session, workspace.principal(), globex_pipeline, lead_id=lead_id, stage_id=stages[1]
        )
