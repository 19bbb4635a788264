from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from leadhub.db.uow import Database
from leadhub.domains.forms import service as forms
from leadhub.domains.forms.schemas import FormCreate, FormField, FormRead, SubmissionMeta
from tests.factories import Workspace, default_pipeline, make_workspace
from tests.web.conftest import WebSession
from tests.web.test_pipelines import assert_forms_carry_the_token


def make_form(db: Database, workspace: Workspace, name: str = "Contact us", **extra: Any) -> int:
    fields = [
        FormField(name="first_name", required=True),
        FormField(name="email", type="email", required=True),
        FormField(name="budget", type="select", options=["Small", "Large"]),
    ]
    with db.unit_of_work() as session:
        data = FormCreate(name=name, fields=fields, **extra)
        return forms.create_form(session, workspace.principal(), data=data).id


def read_form(db: Database, workspace: Workspace, form_id: int) -> FormRead:
    with db.unit_of_work(write=False) as session:
        return forms.get_form(session, workspace.principal(), form_id)


def submit(db: Database, form_id: int, **values: str) -> None:
    with db.unit_of_work() as session:
        forms.record_public(session, form_id, values=values, meta=SubmissionMeta())


def builder_post(rows: list[dict[str, str]], **settings: str) -> dict[str, str]:
    """What the builder page posts: its settings and one group of inputs per row."""
    data = {
        "name": "Webinar sign-up",
        "description": "",
        "default_stage": "",
        "tags": "",
        "source": "form",
        "submit_label": "Submit",
        "success_message": "",
        "redirect_url": "",
        "is_active": "1",
        "row_count": str(len(rows)),
        **settings,
    }
    for index, row in enumerate(rows):
        data[f"fields-{index}-position"] = str(index)
        for key, value in row.items():
            data[f"fields-{index}-{key}"] = value
    return data


def error_of(html: str, element_id: str) -> str:
    assert f'aria-describedby="{element_id}-error"' in html or f'id="{element_id}-error"' in html
    return html.split(f'id="{element_id}-error">')[1].split("</p>", maxsplit=1)[0]


EMAIL_ROW = {"name": "email", "label": "Email", "type": "email", "required": "1"}
BLANK_ROW = {"name": "", "label": "", "type": "text", "maps_to": ""}


# -- the list ---------------------------------------------------------------------------------


def test_the_list_starts_empty_with_a_way_to_build_a_form(owner: WebSession) -> None:
    page = owner.get("/forms").text
    assert "No forms yet" in page and "/forms/new" in page


def test_the_list_shows_name_state_submissions_and_public_link(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    form_id = make_form(db, workspace)
    make_form(db, workspace, "Paused one", is_active=False)
    make_form(db, make_workspace(db, "globex"), "Their form")
    submit(db, form_id, first_name="Ann", email="ann@example.com")
    page = owner.get("/forms").text
    assert "Contact us" in page and "Paused one" in page and "Their form" not in page
    assert "Active" in page and "Paused" in page
    assert f"http://testserver/f/{form_id}" in page
    row = page.split("Contact us")[1].split("</tr>")[0]
    assert ">1</a>" in row


# -- the builder ------------------------------------------------------------------------------


def test_the_new_form_builder_starts_with_name_and_email_rows(owner: WebSession) -> None:
    page = owner.get("/forms/new").text
    assert 'action="/forms/new"' in page
    assert 'name="fields-0-name"' in page and 'value="first_name"' in page
    assert 'name="fields-1-type"' in page and 'name="fields-4-name"' in page
    assert 'name="row_count" value="5"' in page
    assert "Custom field…" in page and "utm_source" in page
    assert 'name="default_stage"' in page and "Sales: Qualified" in page
    assert_forms_carry_the_token(page, owner)


def test_a_form_is_created_with_its_fields_mapping_and_defaults(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    _pipeline_id, stages = default_pipeline(db, workspace)
    rows = [
        EMAIL_ROW,
        BLANK_ROW,
        {"name": "", "label": "Company size", "type": "select", "options": "1-10\n11-50, 51+"},
        {"name": "plan", "label": "Plan", "maps_to": "custom", "custom_key": "chosen_plan"},
        {"name": "campaign", "type": "hidden", "maps_to": "utm_campaign", "default": "spring"},
    ]
    data = builder_post(
        rows,
        default_stage=f"stage:{stages[1]}",
        tags="webinar, hot",
        source="webinar",
        submit_label="Join",
        redirect_url="https://example.com/thanks",
    )
    response = owner.post("/forms/new", data)
    assert response.status_code == 303, response.text
    form_id = int(response.headers["location"].rsplit("/", 1)[1])
    form = read_form(db, workspace, form_id)
    assert [field.name for field in form.fields] == ["email", "company_size", "plan", "campaign"]
    assert form.fields[1].options == ["1-10", "11-50", "51+"]
    assert form.fields[2].maps_to == "custom_fields.chosen_plan"
    assert (form.fields[3].maps_to, form.fields[3].default) == ("utm_campaign", "spring")
    assert (form.pipeline_stage_id, form.tags, form.source) == (
        stages[1],
        ["webinar", "hot"],
        "webinar",
    )
    assert (form.submit_label, form.redirect_url) == ("Join", "https://example.com/thanks")


def test_field_errors_are_shown_beside_the_right_row(owner: WebSession) -> None:
    rows = [
        EMAIL_ROW,
        BLANK_ROW,
        {"name": "2bad", "label": "Bad name", "type": "text"},
        {"name": "choice", "label": "Choice", "type": "select", "options": ""},
    ]
    response = owner.post("/forms/new", builder_post(rows))
    assert response.status_code == 422
    page = response.text
    assert error_of(page, "fields-2-name").startswith("The name field must start with a letter")
    assert error_of(page, "fields-3-options") == "A select field needs options."
    assert 'id="fields-0-name-error"' not in page
    assert 'value="2bad"' in page and 'value="Webinar sign-up"' in page  # kept as typed
    assert "could not be saved" in page


def test_form_level_errors_are_shown_beside_their_fields(owner: WebSession) -> None:
    rows = [EMAIL_ROW, {"name": "Email", "label": "Again"}]
    data = builder_post(rows, name="", redirect_url="javascript:alert(1)")
    response = owner.post("/forms/new", data)
    assert response.status_code == 422
    page = response.text

    def beside(name: str) -> str:
        assert f'aria-describedby="e-{name}"' in page
        return page.split(f'id="e-{name}">')[1].split("</p>")[0]

    assert beside("name") == "The name field must be at least 1 characters."
    assert beside("redirect_url") == "The redirect url field must be an http or https URL."
    assert "Field names must be unique." in page.split('id="fields-error"')[1]


def test_the_services_own_errors_are_shown_beside_their_fields(owner: WebSession) -> None:
    data = builder_post([EMAIL_ROW], default_stage="stage:999999", source="bad source!")
    response = owner.post("/forms/new", data)
    assert response.status_code == 422
    assert 'aria-describedby="e-default_stage"' in response.text
    assert "The selected pipeline stage id is invalid." in response.text
    assert 'id="e-source"' in response.text
    assert "No forms yet" in owner.get("/forms").text  # nothing half-saved


def test_an_invalid_edit_changes_nothing(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    form_id = make_form(db, workspace)
    data = builder_post([EMAIL_ROW], name="Renamed", source="bad source!")
    assert owner.post(f"/forms/{form_id}/edit", data).status_code == 422
    form = read_form(db, workspace, form_id)
    assert (form.name, len(form.fields)) == ("Contact us", 3)


def test_a_form_needs_at_least_one_field(owner: WebSession) -> None:
    response = owner.post("/forms/new", builder_post([BLANK_ROW, BLANK_ROW]))
    assert response.status_code == 422
    assert "Add at least one field." in response.text


def test_the_builder_adds_rows_and_moves_them_without_saving(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    rows = [EMAIL_ROW, {"name": "company", "label": "Company"}]
    added = owner.post("/forms/new", {**builder_post(rows), "builder": "add"})
    assert added.status_code == 200 and 'name="row_count" value="5"' in added.text
    moved = owner.post("/forms/new", {**builder_post(rows), "builder": "down-0"})
    page = moved.text
    assert page.index('value="company"') < page.index('value="email"')
    assert owner.get("/forms").text.count("Webinar sign-up") == 0


def test_the_edit_builder_shows_the_saved_form_and_saves_changes(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    form_id = make_form(db, workspace)
    page = owner.get(f"/forms/{form_id}/edit").text
    assert 'value="Contact us"' in page and 'value="budget"' in page
    assert "Small\nLarge</textarea>" in page
    rows = [
        {"name": "first_name", "label": "First name", "required": "1"},
        {"name": "email", "label": "Email", "type": "email", "required": "1"},
        {"name": "budget", "type": "select", "options": "Small,Large", "remove": "1"},
        {"name": "phone", "label": "Phone", "type": "phone"},
    ]
    data = builder_post(rows, name="Contact", is_active="")
    del data["is_active"]
    response = owner.post(f"/forms/{form_id}/edit", data)
    assert response.status_code == 303
    form = read_form(db, workspace, form_id)
    assert form.name == "Contact" and not form.is_active
    assert [field.name for field in form.fields] == ["first_name", "email", "phone"]


def test_edit_errors_are_shown_beside_the_right_row(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    form_id = make_form(db, workspace)
    rows = [EMAIL_ROW, {"name": "ok", "maps_to": "custom", "custom_key": "x" * 70}]
    response = owner.post(f"/forms/{form_id}/edit", builder_post(rows))
    assert response.status_code == 422
    assert "is neither a lead field nor custom_fields.KEY" in error_of(
        response.text, "fields-1-maps_to"
    )
    assert read_form(db, workspace, form_id).name == "Contact us"


# -- a form's pages ---------------------------------------------------------------------------


def test_the_form_page_has_a_preview_the_public_link_and_both_embed_snippets(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    _pipeline_id, stages = default_pipeline(db, workspace)
    form_id = make_form(db, workspace, pipeline_stage_id=stages[2], tags=["vip"])
    page = owner.get(f"/forms/{form_id}").text
    assert f'src="/f/{form_id}?embed=1"' in page
    assert f'value="http://testserver/f/{form_id}"' in page
    assert f"&lt;iframe src=&#34;http://testserver/f/{form_id}?embed=1&#34;" in page
    assert f"&lt;script src=&#34;http://testserver/f/{form_id}/embed.js&#34; async" in page
    for target in ("#public-url", "#embed-html", "#embed-script"):
        assert f'data-copy="{target}"' in page
    assert "Sales: Qualified" in page and "vip" in page
    assert_forms_carry_the_token(page, owner)


def test_a_paused_form_has_no_preview(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    form_id = make_form(db, workspace, is_active=False)
    page = owner.get(f"/forms/{form_id}").text
    assert "<iframe class" not in page and "Paused forms have no preview" in page


def test_submissions_are_listed_with_their_lead_values_and_result(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    form_id = make_form(db, workspace)
    submit(db, form_id, first_name="Ann", email="ann@example.com", budget="Large")
    submit(db, form_id, first_name="Ann", email="ann@example.com")
    page = owner.get(f"/forms/{form_id}/submissions").text
    assert page.count('href="/leads/') == 2
    assert "ann@example.com" in page and "Large" in page
    assert "New lead" in page and "Duplicate" in page


def test_submissions_are_paginated(owner: WebSession, db: Database, workspace: Workspace) -> None:
    form_id = make_form(db, workspace)
    for number in range(26):
        submit(db, form_id, first_name=f"P{number}", email=f"p{number}@example.com")
    page = owner.get(f"/forms/{form_id}/submissions").text
    assert "Page 1 of 2" in page and page.count('href="/leads/') == 25
    second = owner.get(f"/forms/{form_id}/submissions?page=2").text
    assert second.count('href="/leads/') == 1 and "p0@example.com" in second


def test_a_form_without_submissions_says_so(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    form_id = make_form(db, workspace)
    assert "No submissions yet" in owner.get(f"/forms/{form_id}/submissions").text


def test_a_member_builds_and_deletes_forms(
    member: WebSession, db: Database, workspace: Workspace
) -> None:
    created = member.post("/forms/new", builder_post([EMAIL_ROW]))
    assert created.status_code == 303
    form_id = int(created.headers["location"].rsplit("/", 1)[1])
    page = member.get(f"/forms/{form_id}").text
    assert "Delete form" in page and "data-confirm=" in page
    deleted = member.post(f"/forms/{form_id}/delete")
    assert deleted.status_code == 303 and deleted.headers["location"] == "/forms"
    assert member.get(f"/forms/{form_id}").status_code == 404


def test_form_changes_need_the_csrf_token(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    form_id = make_form(db, workspace)
    client = owner.client
    assert client.post("/forms/new", data=builder_post([EMAIL_ROW])).status_code == 403
    assert client.post(f"/forms/{form_id}/edit", data=builder_post([EMAIL_ROW])).status_code == 403
    assert client.post(f"/forms/{form_id}/delete").status_code == 403
    assert read_form(db, workspace, form_id).name == "Contact us"


def test_another_workspaces_form_is_not_found(owner: WebSession, db: Database) -> None:
    form_id = make_form(db, make_workspace(db, "globex"))
    for path in ("", "/edit", "/submissions"):
        assert owner.get(f"/forms/{form_id}{path}").status_code == 404
    assert owner.post(f"/forms/{form_id}/edit", builder_post([EMAIL_ROW])).status_code == 404
    assert owner.post(f"/forms/{form_id}/delete").status_code == 404


def test_pages_need_a_signed_in_person(client: Any) -> None:
    for path in ("/forms", "/pipelines"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_every_form_link_leads_to_the_web_app_not_the_api(app: FastAPI) -> None:
    """Route names are looked up across every mounted surface: they must not clash."""
    names = ("form_detail", "form_edit", "form_update", "form_delete", "form_submissions")
    for name in ("forms", "form_new", "form_create"):
        assert app.url_path_for(name).startswith("/forms/") or name == "forms"
    for name in names:
        assert app.url_path_for(name, form_id=1).startswith("/forms/1"), name
    assert app.url_path_for("form_create") == "/forms/new"
