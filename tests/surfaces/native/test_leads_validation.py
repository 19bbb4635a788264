"""Native API: what a lead create or update refuses, with readable per-field messages."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from tests.factories import Workspace, default_pipeline, make_key, make_user, make_workspace
from tests.surfaces.native.lead_helpers import (
    LEADS,
    assert_invalid,
    bearer,
    count_leads,
    create_lead,
    get_lead,
    make_form,
    make_pipeline,
    set_default_region,
)

MAX_ID = 2_147_483_647
REFERENCE_FIELDS = ("pipeline_id", "pipeline_stage_id", "assigned_user_id", "form_id")


def _post(client: TestClient, headers: dict[str, str], **fields: Any) -> Any:
    return client.post(LEADS, json={"first_name": "A", **fields}, headers=headers)


# -- first name ----------------------------------------------------------------------------


def test_first_name_missing_is_422_with_the_required_message(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    response = client.post(LEADS, json={"last_name": "Johnson"}, headers=headers)
    assert response.status_code == 422
    assert response.json() == {
        "status": "error",
        "message": "The given data was invalid.",
        "code": "VALIDATION_FAILED",
        "errors": {"first_name": ["The first name field is required."]},
    }
    assert count_leads(db, workspace) == 0


def test_first_name_blank_is_required(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post(LEADS, json={"first_name": "   "}, headers=headers)
    assert_invalid(response, "first_name", "The first name field is required.")


def test_first_name_null_is_422(client: TestClient, headers: dict[str, str]) -> None:
    assert_invalid(client.post(LEADS, json={"first_name": None}, headers=headers), "first_name")


def test_first_name_longer_than_100_is_422(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post(LEADS, json={"first_name": "a" * 101}, headers=headers)
    assert_invalid(
        response, "first_name", "The first name field must not be greater than 100 characters."
    )


def test_optional_text_longer_than_its_limit_is_counted_in_characters(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = _post(client, headers, last_name="a" * 101)
    assert_invalid(
        response, "last_name", "The last name field must not be greater than 100 characters."
    )


# -- email ---------------------------------------------------------------------------------


def test_invalid_email_is_422(client: TestClient, headers: dict[str, str]) -> None:
    for email in ("nope", "a@", "@example.com", "a b@example.com"):
        response = _post(client, headers, email=email)
        assert_invalid(response, "email", "The email field must be a valid email address.")


def test_email_is_stored_trimmed_and_lower_cased(
    client: TestClient, headers: dict[str, str]
) -> None:
    lead = create_lead(client, headers, email="  Sarah.Johnson@Example.COM ")
    assert lead["email"] == "sarah.johnson@example.com"


def test_blank_email_is_stored_as_null(client: TestClient, headers: dict[str, str]) -> None:
    assert create_lead(client, headers, email="  ")["email"] is None


def test_email_must_be_a_string(client: TestClient, headers: dict[str, str]) -> None:
    assert_invalid(_post(client, headers, email=12), "email", "The email field must be a string.")


# -- phone ---------------------------------------------------------------------------------


def test_phone_is_stored_in_e164_with_the_us_default_region(
    client: TestClient, headers: dict[str, str]
) -> None:
    given = {
        "(415) 555-1234": "+14155551234",
        "415-555-0001": "+14155550001",
        "415.555.0002": "+14155550002",
        "+1 415 555 0003": "+14155550003",
        "4155550004": "+14155550004",
    }
    for raw, stored in given.items():
        assert create_lead(client, headers, phone=raw)["phone"] == stored


def test_phone_uses_the_workspace_s_default_region(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    set_default_region(db, workspace, "GB")
    assert create_lead(client, headers, phone="020 7946 0958")["phone"] == "+442079460958"


def test_phone_with_a_country_code_ignores_the_default_region(
    client: TestClient, headers: dict[str, str]
) -> None:
    assert create_lead(client, headers, phone="+44 20 7946 0958")["phone"] == "+442079460958"


def test_unparseable_phone_is_kept_as_given(client: TestClient, headers: dict[str, str]) -> None:
    for raw in ("not a phone", "12"):
        assert create_lead(client, headers, phone=raw)["phone"] == raw


# -- uniqueness ----------------------------------------------------------------------------


def test_duplicate_email_in_the_workspace_is_422(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    create_lead(client, headers, email="sarah@example.com")
    response = _post(client, headers, email="SARAH@example.com")
    assert_invalid(response, "email", "The email has already been taken.")
    assert count_leads(db, workspace) == 1


def test_duplicate_phone_in_another_format_is_422(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    create_lead(client, headers, phone="+14155551234")
    response = _post(client, headers, phone="(415) 555-1234")
    assert_invalid(response, "phone", "The phone has already been taken.")
    assert count_leads(db, workspace) == 1


def test_update_to_another_lead_s_email_is_422(client: TestClient, headers: dict[str, str]) -> None:
    create_lead(client, headers, email="taken@example.com")
    lead = create_lead(client, headers, email="mine@example.com")
    response = client.patch(
        f"{LEADS}/{lead['id']}", json={"email": "Taken@example.com"}, headers=headers
    )
    assert_invalid(response, "email", "The email has already been taken.")
    assert get_lead(client, headers, lead["id"])["email"] == "mine@example.com"


def test_update_to_another_lead_s_phone_is_422(client: TestClient, headers: dict[str, str]) -> None:
    create_lead(client, headers, phone="+14155551234")
    lead = create_lead(client, headers, phone="+14155550000")
    response = client.put(f"{LEADS}/{lead['id']}", json={"phone": "4155551234"}, headers=headers)
    assert_invalid(response, "phone", "The phone has already been taken.")


def test_same_email_and_phone_are_fine_in_another_workspace(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    other_headers = bearer(make_key(db, make_workspace(db, "globex")))
    create_lead(client, headers, email="sarah@example.com", phone="+14155551234")
    lead = create_lead(client, other_headers, email="sarah@example.com", phone="+14155551234")
    assert (lead["email"], lead["phone"]) == ("sarah@example.com", "+14155551234")


def test_several_leads_without_email_or_phone_are_fine(
    client: TestClient, headers: dict[str, str]
) -> None:
    create_lead(client, headers, first_name="A")
    create_lead(client, headers, first_name="B", email="", phone="")
    create_lead(client, headers, first_name="C", email=None, phone=None)


# -- custom fields -------------------------------------------------------------------------


def test_custom_fields_must_be_an_object(client: TestClient, headers: dict[str, str]) -> None:
    for value in (["a"], "budget", 12, True):
        response = _post(client, headers, custom_fields=value)
        assert_invalid(response, "custom_fields", "The custom fields field must be an object.")


def test_custom_fields_keep_nested_values(client: TestClient, headers: dict[str, str]) -> None:
    fields = {"budget": 10000, "plan": {"name": "pro", "seats": [1, 2]}, "ok": True}
    assert create_lead(client, headers, custom_fields=fields)["custom_fields"] == fields


def test_custom_field_name_longer_than_64_is_422(
    client: TestClient, headers: dict[str, str]
) -> None:
    assert_invalid(_post(client, headers, custom_fields={"k" * 65: 1}), "custom_fields")


def test_custom_fields_larger_than_16_kb_are_422(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = _post(client, headers, custom_fields={"big": "x" * 17_000})
    assert_invalid(response, "custom_fields")


def test_deeply_nested_custom_fields_are_422_and_store_nothing(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    nested: Any = "leaf"
    for _ in range(400):
        nested = [nested]
    assert_invalid(_post(client, headers, custom_fields={"deep": nested}), "custom_fields")
    assert count_leads(db, workspace) == 0


# -- references ----------------------------------------------------------------------------


def test_reference_to_a_missing_record_is_422_on_that_field(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    for field in REFERENCE_FIELDS:
        assert_invalid(_post(client, headers, **{field: 987654}), field)
    assert count_leads(db, workspace) == 0


def test_reference_to_another_workspace_s_record_is_422_on_that_field(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    other = make_workspace(db, "globex")
    other_pipeline, other_stages = default_pipeline(db, other)
    foreign = {
        "pipeline_id": (other_pipeline, "The selected pipeline id is invalid."),
        "pipeline_stage_id": (other_stages[0], "The selected pipeline stage id is invalid."),
        "assigned_user_id": (
            make_user(db, other, "bob@globex.example"),
            "The selected assigned user id is invalid.",
        ),
        "form_id": (make_form(db, other), "The selected form id is invalid."),
    }
    for field, (record_id, message) in foreign.items():
        assert_invalid(_post(client, headers, **{field: record_id}), field, message)
    assert count_leads(db, workspace) == 0


def test_user_and_form_of_the_workspace_are_stored(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    user_id = make_user(db, workspace, "ann@acme.example")
    form_id = make_form(db, workspace)
    lead = create_lead(client, headers, assigned_user_id=user_id, form_id=form_id)
    assert (lead["assigned_user_id"], lead["form_id"]) == (user_id, form_id)


def test_stage_alone_implies_its_pipeline(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    pipeline_id, stages = default_pipeline(db, workspace)
    lead = create_lead(client, headers, pipeline_stage_id=stages[2])
    assert (lead["pipeline_id"], lead["pipeline_stage_id"]) == (pipeline_id, stages[2])


def test_pipeline_alone_puts_the_lead_in_its_first_stage(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    pipeline_id, *stages = make_pipeline(db, workspace, "Partners")
    lead = create_lead(client, headers, pipeline_id=pipeline_id)
    assert (lead["pipeline_id"], lead["pipeline_stage_id"]) == (pipeline_id, stages[0])


def test_stage_of_another_pipeline_is_422(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    pipeline_id, _ = default_pipeline(db, workspace)
    _, *other_stages = make_pipeline(db, workspace, "Partners")
    response = _post(client, headers, pipeline_id=pipeline_id, pipeline_stage_id=other_stages[0])
    assert_invalid(
        response, "pipeline_stage_id", "The pipeline stage must belong to the selected pipeline."
    )


def test_update_pipeline_moves_the_lead_to_its_first_stage(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    _, stages = default_pipeline(db, workspace)
    partners, *partner_stages = make_pipeline(db, workspace, "Partners")
    lead = create_lead(client, headers, pipeline_stage_id=stages[3])
    response = client.patch(
        f"{LEADS}/{lead['id']}", json={"pipeline_id": partners}, headers=headers
    )
    data = response.json()["data"]
    assert (data["pipeline_id"], data["pipeline_stage_id"]) == (partners, partner_stages[0])


def test_update_with_the_same_pipeline_keeps_the_stage(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    pipeline_id, stages = default_pipeline(db, workspace)
    lead = create_lead(client, headers, pipeline_stage_id=stages[3])
    response = client.put(
        f"{LEADS}/{lead['id']}", json={"pipeline_id": pipeline_id}, headers=headers
    )
    assert response.json()["data"]["pipeline_stage_id"] == stages[3]


def test_update_stage_moves_the_lead_to_the_stage_s_pipeline(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    _, stages = default_pipeline(db, workspace)
    partners, *partner_stages = make_pipeline(db, workspace, "Partners")
    lead = create_lead(client, headers, pipeline_stage_id=stages[1])
    response = client.patch(
        f"{LEADS}/{lead['id']}", json={"pipeline_stage_id": partner_stages[1]}, headers=headers
    )
    data = response.json()["data"]
    assert (data["pipeline_id"], data["pipeline_stage_id"]) == (partners, partner_stages[1])


def test_update_pipeline_null_takes_the_lead_out_of_its_pipeline(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    _, stages = default_pipeline(db, workspace)
    lead = create_lead(client, headers, pipeline_stage_id=stages[1])
    response = client.patch(f"{LEADS}/{lead['id']}", json={"pipeline_id": None}, headers=headers)
    data = response.json()["data"]
    assert (data["pipeline_id"], data["pipeline_stage_id"]) == (None, None)


def test_update_with_a_missing_user_is_422_and_changes_nothing(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    user_id = make_user(db, workspace, "ann@acme.example")
    lead = create_lead(client, headers, assigned_user_id=user_id)
    response = client.patch(
        f"{LEADS}/{lead['id']}", json={"assigned_user_id": 987654}, headers=headers
    )
    assert_invalid(response, "assigned_user_id", "The selected assigned user id is invalid.")
    assert get_lead(client, headers, lead["id"])["assigned_user_id"] == user_id


# -- types and ranges ----------------------------------------------------------------------


def test_wrong_types_give_readable_messages_for_every_field(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    response = _post(client, headers, lead_score="abc", starred="maybe", tags="vip")
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "lead_score": ["The lead score field must be an integer."],
        "starred": ["The starred field must be true or false."],
        "tags": ["The tags field must be an array."],
    }
    assert count_leads(db, workspace) == 0


def test_attribution_that_is_not_an_object_is_422(
    client: TestClient, headers: dict[str, str]
) -> None:
    assert_invalid(
        _post(client, headers, attribution="x"),
        "attribution",
        "The attribution field must be an object.",
    )


def test_value_must_be_a_positive_number_with_two_decimals_at_most(
    client: TestClient, headers: dict[str, str]
) -> None:
    assert_invalid(
        _post(client, headers, value="lots"), "value", "The value field must be a number."
    )
    assert_invalid(_post(client, headers, value=12.345), "value")
    assert_invalid(_post(client, headers, value=-1), "value")
    assert create_lead(client, headers, value="99.90")["value"] == 99.9


def test_lead_score_out_of_range_is_422(client: TestClient, headers: dict[str, str]) -> None:
    assert_invalid(_post(client, headers, lead_score=10**12), "lead_score")


def test_source_and_status_with_odd_characters_are_422(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = _post(client, headers, source="<script>", status="new;drop")
    assert_invalid(response, "source")
    assert_invalid(response, "status")


# -- the body itself -----------------------------------------------------------------------


def test_invalid_json_body_is_422_on_body(client: TestClient, headers: dict[str, str]) -> None:
    lead = create_lead(client, headers)
    json_headers = {**headers, "Content-Type": "application/json"}
    for method, path in (("POST", LEADS), ("PATCH", f"{LEADS}/{lead['id']}")):
        response = client.request(
            method, path, content=b'{"first_name": "A",', headers=json_headers
        )
        assert_invalid(response, "body", "The request body must be valid JSON.")


def test_json_array_body_is_422_on_body(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post(LEADS, json=[{"first_name": "A"}], headers=headers)
    assert_invalid(response, "body", "The request body must be a JSON object.")


def test_empty_body_is_422_on_body(client: TestClient, headers: dict[str, str]) -> None:
    json_headers = {**headers, "Content-Type": "application/json"}
    assert_invalid(client.post(LEADS, content=b"", headers=json_headers), "body")


# -- ids beyond 32 bits --------------------------------------------------------------------


def test_reference_id_above_32_bits_is_422(client: TestClient, headers: dict[str, str]) -> None:
    for field in REFERENCE_FIELDS:
        assert_invalid(
            _post(client, headers, **{field: MAX_ID + 1}),
            field,
            f"The {field.replace('_', ' ')} field must not be greater than {MAX_ID}.",
        )


def test_reference_id_at_the_32_bit_limit_is_an_unknown_record(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = _post(client, headers, pipeline_id=MAX_ID)
    assert_invalid(response, "pipeline_id", "The selected pipeline id is invalid.")


def test_lead_id_above_32_bits_in_the_path_is_422(
    client: TestClient, headers: dict[str, str]
) -> None:
    big = f"{LEADS}/{MAX_ID + 1}"
    for method, path in (
        ("GET", big),
        ("PUT", big),
        ("PATCH", big),
        ("DELETE", big),
        ("POST", f"{big}/tags"),
        ("DELETE", f"{big}/tags/vip"),
    ):
        response = client.request(method, path, json={"tag": "vip"}, headers=headers)
        assert_invalid(response, "lead_id")


# -- NUL characters ------------------------------------------------------------------------


def test_nul_character_in_a_text_field_is_422(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    for field in ("first_name", "last_name", "email", "phone", "notes", "source"):
        assert_invalid(_post(client, headers, **{field: "a\x00b"}), field)
    assert count_leads(db, workspace) == 0


def test_nul_character_in_a_tag_or_attribution_is_422(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    assert _post(client, headers, tags=["a\x00"]).status_code == 422
    assert _post(client, headers, attribution={"gclid": "g\x00"}).status_code == 422
    assert count_leads(db, workspace) == 0


def test_nul_character_in_a_custom_field_is_422(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    for fields in ({"note": "a\x00b"}, {"a\x00b": "x"}, {"list": ["ok", {"deep": "\x00"}]}):
        assert_invalid(_post(client, headers, custom_fields=fields), "custom_fields")
    assert count_leads(db, workspace) == 0


def test_nul_character_on_update_is_422(client: TestClient, headers: dict[str, str]) -> None:
    lead = create_lead(client, headers, first_name="Sarah")
    response = client.patch(f"{LEADS}/{lead['id']}", json={"company": "a\x00"}, headers=headers)
    assert_invalid(response, "company")
    assert get_lead(client, headers, lead["id"])["company"] is None


def test_concurrent_creates_with_the_same_email_make_one_lead(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    def create(n: int) -> int:
        payload = {"first_name": f"A{n}", "email": "same@example.com", "phone": "+14155551234"}
        return client.post(LEADS, json=payload, headers=headers).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = sorted(pool.map(create, range(6)))
    assert statuses == [201, 422, 422, 422, 422, 422]
    assert count_leads(db, workspace) == 1
