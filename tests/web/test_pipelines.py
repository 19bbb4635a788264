from __future__ import annotations

import re

from fastapi import FastAPI

from leadhub.db.uow import Database
from leadhub.domains.events import service as events
from leadhub.domains.leads import service as leads
from leadhub.domains.pipelines import service as pipelines
from leadhub.domains.pipelines.schemas import PipelineCreate
from leadhub.kit.pagination import PageRequest
from tests.factories import Workspace, default_pipeline, make_lead, make_workspace
from tests.web.conftest import WebSession

JSON = {"Accept": "application/json"}
_TOKENS = re.compile(r'name="csrf_token" value="([^"]*)"')


def assert_forms_carry_the_token(page: str, session: WebSession) -> None:
    """Every form on the page posts this session's CSRF token (macros need the context)."""
    tokens = _TOKENS.findall(page)
    assert len(tokens) > 1 and set(tokens) == {session.csrf}


def _stage_of(db: Database, workspace: Workspace, lead_id: int) -> int | None:
    with db.unit_of_work(write=False) as session:
        return leads.get(session, workspace.principal(), lead_id).pipeline_stage_id


def _event_types(db: Database, workspace: Workspace, lead_id: int) -> list[str]:
    with db.unit_of_work(write=False) as session:
        found = events.timeline(session, workspace.principal(), lead_id, page=PageRequest(1, 50))
        return [event.type for event in found.items]


def _new_pipeline(
    db: Database, workspace: Workspace, name: str = "Hiring"
) -> tuple[int, list[int]]:
    with db.unit_of_work() as session:
        created = pipelines.create_pipeline(
            session, workspace.principal(), data=PipelineCreate(name=name)
        )
        return created.id, [stage.id for stage in created.stages]


def _stage_names(db: Database, workspace: Workspace, pipeline_id: int) -> list[str]:
    with db.unit_of_work(write=False) as session:
        found = pipelines.get_pipeline(session, workspace.principal(), pipeline_id)
        return [stage.name for stage in found.stages]


# -- the list and the board -------------------------------------------------------------------


def test_the_list_shows_each_pipeline_with_its_stages(owner: WebSession, db: Database) -> None:
    _new_pipeline(db, make_workspace(db, "globex"), "Their pipeline")
    response = owner.get("/pipelines")
    assert response.status_code == 200
    assert "Sales" in response.text and "Default" in response.text
    assert "Qualified" in response.text and "Open board" in response.text
    assert_forms_carry_the_token(response.text, owner)
    assert "Their pipeline" not in response.text


def test_the_board_has_a_column_per_stage_with_counts_values_and_cards(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    pipeline_id, stages = default_pipeline(db, workspace)
    ann = make_lead(
        db,
        workspace,
        first_name="Ann",
        last_name="Lee",
        pipeline_stage_id=stages[0],
        value="1000.50",
        assigned_user_id=owner.user_id,
    )
    make_lead(db, workspace, first_name="Bob", pipeline_stage_id=stages[0], value="500")
    cy = make_lead(db, workspace, first_name="Cy", pipeline_stage_id=stages[2])
    page = owner.get(f"/pipelines/{pipeline_id}").text
    for name in ("New", "Contacted", "Qualified", "Proposal", "Won", "Lost"):
        assert f">{name}</h2>" in page
    new_column = page.split(f'data-stage-id="{stages[0]}"')[1].split("</section>")[0]
    assert "<span data-count>2</span>" in new_column
    assert "1,500.50" in new_column
    assert f'href="/leads/{ann}"' in new_column and "Ann Lee" in new_column
    assert "Olivia Owner" in new_column and "Unassigned" in new_column
    # By the card's link: a bare "Cy" may also occur inside the page's random CSRF token.
    assert f'href="/leads/{cy}"' not in new_column
    assert f'href="/leads/{cy}"' in page.split(f'data-stage-id="{stages[2]}"')[1]
    assert 'name="stage_id"' in page and f'value="{stages[3]}"' in page
    assert 'draggable="true"' in page and "board.js" in page
    assert f'data-csrf="{owner.csrf}"' in page
    assert_forms_carry_the_token(page, owner)


def test_each_pipeline_links_to_its_board(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    pipeline_id, _stages = default_pipeline(db, workspace)
    page = owner.get("/pipelines").text
    assert re.search(rf'href="[^"]*/pipelines/{pipeline_id}"', page)


def test_a_full_column_shows_a_show_more_link(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    pipeline_id, stages = default_pipeline(db, workspace)
    for number in range(22):
        make_lead(db, workspace, first_name=f"Lead{number:02d}", pipeline_stage_id=stages[1])
    page = owner.get(f"/pipelines/{pipeline_id}").text
    assert "Show more" in page and "(2 more)" in page
    assert "Lead21" in page and "Lead00" not in page  # the newest first
    expanded = owner.get(f"/pipelines/{pipeline_id}?more={stages[1]}").text
    assert "Lead00" in expanded and "Show more" not in expanded


def test_a_pipeline_without_leads_shows_empty_columns(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    pipeline_id, _stages = default_pipeline(db, workspace)
    page = owner.get(f"/pipelines/{pipeline_id}").text
    assert page.count("No leads in this stage.") == 6


def test_another_workspaces_pipeline_is_not_found(owner: WebSession, db: Database) -> None:
    other_id, _stages = _new_pipeline(db, make_workspace(db, "globex"))
    assert owner.get(f"/pipelines/{other_id}").status_code == 404
    assert owner.get(f"/pipelines/{other_id}/stages").status_code == 404
    assert owner.post(f"/pipelines/{other_id}/rename", {"name": "Mine"}).status_code == 404


# -- moving leads -----------------------------------------------------------------------------


def test_a_drag_moves_the_lead_with_the_header_token_and_answers_json(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    pipeline_id, stages = default_pipeline(db, workspace)
    lead_id = make_lead(db, workspace, first_name="Ann", pipeline_stage_id=stages[0], value="20")
    response = owner.client.post(
        f"/pipelines/{pipeline_id}/move",
        data={"lead_id": lead_id, "stage_id": stages[2]},
        headers={"X-CSRF-Token": owner.csrf, **JSON},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True and body["message"] == "Ann moved to Qualified."
    totals = {stage["id"]: stage for stage in body["stages"]}
    assert totals[stages[0]]["leads_count"] == 0
    assert totals[stages[2]] == {"id": stages[2], "leads_count": 1, "value_total": "20.00"}
    assert _stage_of(db, workspace, lead_id) == stages[2]
    assert "stage_changed" in _event_types(db, workspace, lead_id)


def test_the_move_form_moves_the_lead_and_returns_to_the_board(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    pipeline_id, stages = default_pipeline(db, workspace)
    lead_id = make_lead(db, workspace, first_name="Ann", pipeline_stage_id=stages[0])
    response = owner.post(
        f"/pipelines/{pipeline_id}/move", {"lead_id": lead_id, "stage_id": stages[4]}
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/pipelines/{pipeline_id}"
    assert _stage_of(db, workspace, lead_id) == stages[4]
    assert "stage_changed" in _event_types(db, workspace, lead_id)
    assert "Ann moved to Won." in owner.get(response.headers["location"]).text


def test_a_stage_of_another_pipeline_is_refused(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    pipeline_id, stages = default_pipeline(db, workspace)
    _other_id, other_stages = _new_pipeline(db, workspace)
    lead_id = make_lead(db, workspace, pipeline_stage_id=stages[0])
    response = owner.client.post(
        f"/pipelines/{pipeline_id}/move",
        data={"lead_id": lead_id, "stage_id": other_stages[1]},
        headers={"X-CSRF-Token": owner.csrf, **JSON},
    )
    assert response.status_code == 422
    assert response.json() == {
        "ok": False,
        "message": "The pipeline stage must belong to the selected pipeline.",
    }
    form = owner.post(
        f"/pipelines/{pipeline_id}/move", {"lead_id": lead_id, "stage_id": other_stages[1]}
    )
    assert form.status_code == 303
    assert "must belong to the selected pipeline" in owner.get(form.headers["location"]).text
    assert _stage_of(db, workspace, lead_id) == stages[0]


def test_another_workspaces_stage_and_lead_are_refused(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    pipeline_id, stages = default_pipeline(db, workspace)
    globex = make_workspace(db, "globex")
    _globex_pipeline, globex_stages = default_pipeline(db, globex)
    lead_id = make_lead(db, workspace, pipeline_stage_id=stages[0])
    stranger = make_lead(db, globex, pipeline_stage_id=globex_stages[0])
    url = f"/pipelines/{pipeline_id}/move"
    headers = {"X-CSRF-Token": owner.csrf, **JSON}
    wrong_stage = owner.client.post(
        url, data={"lead_id": lead_id, "stage_id": globex_stages[1]}, headers=headers
    )
    assert wrong_stage.status_code == 422
    wrong_lead = owner.client.post(
        url, data={"lead_id": stranger, "stage_id": stages[1]}, headers=headers
    )
    assert wrong_lead.status_code == 404
    assert owner.post(url, {"lead_id": stranger, "stage_id": stages[1]}).status_code == 404
    assert _stage_of(db, workspace, lead_id) == stages[0]
    assert _stage_of(db, globex, stranger) == globex_stages[0]


def test_moving_without_the_csrf_token_is_refused(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    pipeline_id, stages = default_pipeline(db, workspace)
    lead_id = make_lead(db, workspace, pipeline_stage_id=stages[0])
    url = f"/pipelines/{pipeline_id}/move"
    data = {"lead_id": lead_id, "stage_id": stages[1]}
    assert owner.client.post(url, data=data, headers=JSON).status_code == 403
    wrong = {"X-CSRF-Token": "not-the-token", **JSON}
    assert owner.client.post(url, data=data, headers=wrong).status_code == 403
    assert owner.client.post(url, data=data).status_code == 403
    assert _stage_of(db, workspace, lead_id) == stages[0]


def test_a_member_moves_leads(member: WebSession, db: Database, workspace: Workspace) -> None:
    pipeline_id, stages = default_pipeline(db, workspace)
    lead_id = make_lead(db, workspace, pipeline_stage_id=stages[0])
    response = member.post(
        f"/pipelines/{pipeline_id}/move", {"lead_id": lead_id, "stage_id": stages[1]}
    )
    assert response.status_code == 303
    assert _stage_of(db, workspace, lead_id) == stages[1]


# -- stages -----------------------------------------------------------------------------------


def test_the_stage_editor_lists_the_stages(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    pipeline_id, stages = default_pipeline(db, workspace)
    page = owner.get(f"/pipelines/{pipeline_id}/stages").text
    assert f'id="s{stages[0]}-name"' in page and 'value="Contacted"' in page
    assert "Add a stage" in page and "Delete pipeline" in page
    assert_forms_carry_the_token(page, owner)


def test_a_stage_is_renamed_recoloured_and_given_a_probability(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    pipeline_id, stages = default_pipeline(db, workspace)
    response = owner.post(
        f"/pipelines/{pipeline_id}/stages/{stages[1]}",
        {"name": "Called", "kind": "open", "probability": "30", "color": "#ff8800"},
    )
    assert response.status_code == 303
    with db.unit_of_work(write=False) as session:
        stage = pipelines.get_stage(session, workspace.principal(), pipeline_id, stages[1])
    assert (stage.name, stage.probability, stage.color) == ("Called", 30, "#ff8800")


def test_a_stage_becomes_won(owner: WebSession, db: Database, workspace: Workspace) -> None:
    pipeline_id, stages = default_pipeline(db, workspace)
    owner.post(
        f"/pipelines/{pipeline_id}/stages/{stages[3]}",
        {"name": "Signed", "kind": "won", "probability": "", "color": "#00aa00"},
    )
    with db.unit_of_work(write=False) as session:
        stage = pipelines.get_stage(session, workspace.principal(), pipeline_id, stages[3])
    assert (stage.kind, stage.probability) == ("won", 100)


def test_stage_errors_are_shown_beside_the_stage_field(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    pipeline_id, stages = default_pipeline(db, workspace)
    response = owner.post(
        f"/pipelines/{pipeline_id}/stages/{stages[1]}",
        {"name": "Called", "kind": "open", "probability": "150", "color": "#ff8800"},
    )
    assert response.status_code == 422
    prefix = f"s{stages[1]}-probability"
    assert f'aria-describedby="{prefix}-error"' in response.text
    error = response.text.split(f'id="{prefix}-error">')[1].split("</p>")[0]
    assert error == "The probability field must not be greater than 100."
    assert 'value="Called"' in response.text  # what was typed is kept
    blank = owner.post(
        f"/pipelines/{pipeline_id}/stages/{stages[1]}",
        {"name": " ", "kind": "open", "probability": "", "color": "#ff8800"},
    )
    assert blank.status_code == 422 and f'id="s{stages[1]}-name-error"' in blank.text


def test_a_stage_is_added_where_asked(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    pipeline_id, _stages = default_pipeline(db, workspace)
    response = owner.post(
        f"/pipelines/{pipeline_id}/stages",
        {"name": "Demo", "kind": "open", "probability": "60", "color": "#123456", "position": "3"},
    )
    assert response.status_code == 303
    assert _stage_names(db, workspace, pipeline_id)[3] == "Demo"
    owner.post(f"/pipelines/{pipeline_id}/stages", {"name": "Archive", "kind": "lost"})
    assert _stage_names(db, workspace, pipeline_id)[-1] == "Archive"
    invalid = owner.post(f"/pipelines/{pipeline_id}/stages", {"name": "", "kind": "open"})
    assert invalid.status_code == 422 and 'id="new-name-error"' in invalid.text


def test_stages_are_reordered_up_and_down(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    pipeline_id, stages = default_pipeline(db, workspace)
    owner.post(f"/pipelines/{pipeline_id}/stages/{stages[2]}/move", {"direction": "up"})
    assert _stage_names(db, workspace, pipeline_id)[:3] == ["New", "Qualified", "Contacted"]
    owner.post(f"/pipelines/{pipeline_id}/stages/{stages[0]}/move", {"direction": "down"})
    assert _stage_names(db, workspace, pipeline_id)[:3] == ["Qualified", "New", "Contacted"]
    owner.post(f"/pipelines/{pipeline_id}/stages/{stages[2]}/move", {"direction": "up"})
    assert _stage_names(db, workspace, pipeline_id)[0] == "Qualified"


def test_an_empty_stage_is_deleted(owner: WebSession, db: Database, workspace: Workspace) -> None:
    pipeline_id, stages = default_pipeline(db, workspace)
    response = owner.post(f"/pipelines/{pipeline_id}/stages/{stages[3]}/delete")
    assert response.status_code == 303
    assert "Proposal" not in _stage_names(db, workspace, pipeline_id)


def test_a_stage_holding_leads_needs_a_stage_to_move_them_to(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    pipeline_id, stages = default_pipeline(db, workspace)
    lead_id = make_lead(db, workspace, pipeline_stage_id=stages[1])
    refused = owner.post(f"/pipelines/{pipeline_id}/stages/{stages[1]}/delete")
    assert refused.status_code == 422
    assert f'id="s{stages[1]}-move-error"' in refused.text
    assert "holds 1 lead(s)" in refused.text
    assert "Contacted" in _stage_names(db, workspace, pipeline_id)
    moved = owner.post(
        f"/pipelines/{pipeline_id}/stages/{stages[1]}/delete", {"move_to_stage_id": stages[2]}
    )
    assert moved.status_code == 303
    assert "Contacted" not in _stage_names(db, workspace, pipeline_id)
    assert _stage_of(db, workspace, lead_id) == stages[2]
    assert "stage_changed" in _event_types(db, workspace, lead_id)


def test_a_member_edits_stages_but_cannot_delete_them(
    member: WebSession, db: Database, workspace: Workspace
) -> None:
    pipeline_id, stages = default_pipeline(db, workspace)
    page = member.get(f"/pipelines/{pipeline_id}/stages").text
    assert "Only owners and admins can delete" in page and "Delete pipeline" not in page
    renamed = member.post(
        f"/pipelines/{pipeline_id}/stages/{stages[0]}", {"name": "Fresh", "kind": "open"}
    )
    assert renamed.status_code == 303
    assert member.post(f"/pipelines/{pipeline_id}/stages/{stages[1]}/delete").status_code == 403
    assert member.post(f"/pipelines/{pipeline_id}/delete").status_code == 403
    assert _stage_names(db, workspace, pipeline_id)[:2] == ["Fresh", "Contacted"]


def test_stage_changes_need_the_csrf_token(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    pipeline_id, stages = default_pipeline(db, workspace)
    url = f"/pipelines/{pipeline_id}/stages/{stages[0]}"
    assert owner.client.post(url, data={"name": "X", "kind": "open"}).status_code == 403
    assert owner.client.post(f"{url}/delete").status_code == 403
    assert _stage_names(db, workspace, pipeline_id)[0] == "New"


def test_another_workspaces_stage_cannot_be_edited(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    pipeline_id, _stages = default_pipeline(db, workspace)
    _globex_pipeline, globex_stages = default_pipeline(db, make_workspace(db, "globex"))
    url = f"/pipelines/{pipeline_id}/stages/{globex_stages[0]}"
    assert owner.post(url, {"name": "Mine", "kind": "open"}).status_code == 404
    assert owner.post(f"{url}/delete").status_code == 404


# -- pipelines --------------------------------------------------------------------------------


def test_a_pipeline_is_created_renamed_and_made_the_default(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    created = owner.post("/pipelines", {"name": "Partners"})
    assert created.status_code == 303
    new_id = int(created.headers["location"].rsplit("/", 1)[1])
    assert _stage_names(db, workspace, new_id)[0] == "New"
    renamed = owner.post(f"/pipelines/{new_id}/rename", {"name": "Resellers"})
    assert renamed.status_code == 303
    owner.post(f"/pipelines/{new_id}/default")
    with db.unit_of_work(write=False) as session:
        found = pipelines.get_pipeline(session, workspace.principal(), new_id)
    assert (found.name, found.is_default) == ("Resellers", True)
    page = owner.get("/pipelines").text
    assert page.index("Resellers") < page.index("Default")


def test_pipeline_name_errors_are_shown_beside_the_field(owner: WebSession) -> None:
    response = owner.post("/pipelines", {"name": ""})
    assert response.status_code == 422
    assert 'aria-describedby="e-name"' in response.text
    assert "Sales" in response.text  # the list is still there


def test_a_pipeline_holding_leads_is_deleted_once_they_have_somewhere_to_go(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    pipeline_id, stages = default_pipeline(db, workspace)
    lead_id = make_lead(db, workspace, pipeline_stage_id=stages[0])
    refused = owner.post(f"/pipelines/{pipeline_id}/delete")
    assert refused.status_code == 422 and "create another pipeline" in refused.text
    other_id, other_stages = _new_pipeline(db, workspace)
    no_target = owner.post(f"/pipelines/{pipeline_id}/delete")
    assert no_target.status_code == 422 and 'id="pipeline-move-error"' in no_target.text
    deleted = owner.post(f"/pipelines/{pipeline_id}/delete", {"move_to_stage_id": other_stages[1]})
    assert deleted.status_code == 303
    assert owner.get(f"/pipelines/{pipeline_id}").status_code == 404
    assert _stage_of(db, workspace, lead_id) == other_stages[1]
    with db.unit_of_work(write=False) as session:
        assert pipelines.get_pipeline(session, workspace.principal(), other_id).is_default


def test_every_pipeline_link_leads_to_the_web_app_not_the_api(app: FastAPI) -> None:
    """Route names are looked up across every mounted surface: they must not clash."""
    ids = {"pipeline_id": 1}
    stage = {"pipeline_id": 1, "stage_id": 2}
    routes = {
        "pipelines": {},
        "pipeline_create": {},
        "pipeline_board": ids,
        "pipeline_move_lead": ids,
        "pipeline_rename": ids,
        "pipeline_make_default": ids,
        "pipeline_delete": ids,
        "pipeline_stages": ids,
        "pipeline_stage_create": ids,
        "pipeline_stage_update": stage,
        "pipeline_stage_move": stage,
        "pipeline_stage_delete": stage,
    }
    for name, params in routes.items():
        assert app.url_path_for(name, **params).startswith("/pipelines"), name


def test_an_out_of_range_target_stage_is_no_choice(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    pipeline_id, stages = default_pipeline(db, workspace)
    make_lead(db, workspace, pipeline_stage_id=stages[1])
    url = f"/pipelines/{pipeline_id}/stages/{stages[1]}/delete"
    response = owner.post(url, {"move_to_stage_id": "99999999999"})
    assert response.status_code == 422 and "holds 1 lead(s)" in response.text
