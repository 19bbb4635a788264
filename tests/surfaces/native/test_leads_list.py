"""Native API: GET /api/v1/leads, its pagination, filters and sorting."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from tests.factories import Workspace, default_pipeline, make_lead, make_user, make_workspace
from tests.surfaces.native.lead_helpers import (
    LEADS,
    assert_invalid,
    create_lead,
    listed_ids,
    make_pipeline,
    set_timestamps,
)

BASE = "http://testserver/api/v1/leads"
MONTHS = ["jan", "feb", "mar"]


def label(field: str) -> str:
    return field.replace("_", " ")


def _make_leads(db: Database, workspace: Workspace, count: int) -> list[int]:
    """`count` leads, oldest first, one minute apart (so created_at order is id order)."""
    ids = [make_lead(db, workspace, first_name=f"Lead {n:02}") for n in range(count)]
    for n, lead_id in enumerate(ids):
        set_timestamps(db, lead_id, created_at=datetime(2024, 1, 1, 10, n, tzinfo=UTC))
    return ids


def _query(link: str) -> dict[str, list[str]]:
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == BASE
    return parse_qs(parts.query)


def _list(client: TestClient, headers: dict[str, str], **params: Any) -> list[int]:
    return listed_ids(client.get(LEADS, params=params, headers=headers))


# -- envelope and pagination ---------------------------------------------------------------


def test_list_answers_data_meta_and_links(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    _make_leads(db, workspace, 2)
    body = client.get(LEADS, headers=headers).json()
    assert set(body) == {"data", "meta", "links"}
    assert set(body["meta"]) == {"current_page", "last_page", "per_page", "total", "from", "to"}
    assert set(body["links"]) == {"first", "last", "prev", "next", "self"}
    assert body["data"][0]["first_name"] == "Lead 01"
    assert "tags" in body["data"][0]


def test_list_of_an_empty_workspace(client: TestClient, headers: dict[str, str]) -> None:
    body = client.get(LEADS, headers=headers).json()
    assert body["data"] == []
    assert body["meta"] == {
        "current_page": 1,
        "last_page": 1,
        "per_page": 15,
        "total": 0,
        "from": None,
        "to": None,
    }
    assert body["links"]["prev"] is None
    assert body["links"]["next"] is None


def test_per_page_defaults_to_15(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    _make_leads(db, workspace, 17)
    body = client.get(LEADS, headers=headers).json()
    assert len(body["data"]) == 15
    assert body["meta"] == {
        "current_page": 1,
        "last_page": 2,
        "per_page": 15,
        "total": 17,
        "from": 1,
        "to": 15,
    }


def test_per_page_above_100_is_clamped_to_100(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    _make_leads(db, workspace, 2)
    body = client.get(LEADS, params={"per_page": 500}, headers=headers).json()
    assert body["meta"]["per_page"] == 100
    assert _query(body["links"]["self"])["per_page"] == ["500"]


def test_per_page_below_1_is_422(client: TestClient, headers: dict[str, str]) -> None:
    assert_invalid(client.get(LEADS, params={"per_page": 0}, headers=headers), "per_page")


def test_invalid_page_is_422(client: TestClient, headers: dict[str, str]) -> None:
    for page in ("0", "-1", "x"):
        assert_invalid(client.get(LEADS, params={"page": page}, headers=headers), "page")


def test_middle_page_meta_and_links(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    ids = _make_leads(db, workspace, 12)
    response = client.get(LEADS, params={"page": 2, "per_page": 5}, headers=headers)
    body = response.json()
    assert [lead["id"] for lead in body["data"]] == list(reversed(ids))[5:10]
    assert body["meta"] == {
        "current_page": 2,
        "last_page": 3,
        "per_page": 5,
        "total": 12,
        "from": 6,
        "to": 10,
    }
    links = body["links"]
    assert _query(links["first"]) == {"per_page": ["5"], "page": ["1"]}
    assert _query(links["last"]) == {"per_page": ["5"], "page": ["3"]}
    assert _query(links["prev"]) == {"per_page": ["5"], "page": ["1"]}
    assert _query(links["next"]) == {"per_page": ["5"], "page": ["3"]}
    assert _query(links["self"]) == {"per_page": ["5"], "page": ["2"]}


def test_first_page_has_no_prev_link(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    _make_leads(db, workspace, 6)
    links = client.get(LEADS, params={"per_page": 5}, headers=headers).json()["links"]
    assert links["prev"] is None
    assert _query(links["next"])["page"] == ["2"]


def test_last_page_is_partial_and_has_no_next_link(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    ids = _make_leads(db, workspace, 12)
    body = client.get(LEADS, params={"page": 3, "per_page": 5}, headers=headers).json()
    assert [lead["id"] for lead in body["data"]] == [ids[1], ids[0]]
    assert (body["meta"]["from"], body["meta"]["to"]) == (11, 12)
    assert body["links"]["next"] is None
    assert _query(body["links"]["prev"])["page"] == ["2"]


def test_page_past_the_end_is_empty(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    _make_leads(db, workspace, 3)
    body = client.get(LEADS, params={"page": 9, "per_page": 5}, headers=headers).json()
    assert body["data"] == []
    assert body["meta"]["total"] == 3
    assert (body["meta"]["from"], body["meta"]["to"]) == (None, None)
    assert body["links"]["next"] is None


def test_links_keep_the_other_query_parameters(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    for n in range(4):
        make_lead(db, workspace, first_name=f"Sam {n}", status="new", source="facebook")
    params = {"status": "new,contacted", "search": "sam", "per_page": 2, "page": 1}
    links = client.get(LEADS, params=params, headers=headers).json()["links"]
    assert _query(links["next"]) == {
        "status": ["new,contacted"],
        "search": ["sam"],
        "per_page": ["2"],
        "page": ["2"],
    }
    assert _query(links["self"])["page"] == ["1"]
    assert links["first"].startswith(f"{BASE}?")


# -- filters -------------------------------------------------------------------------------


def test_filter_by_source(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    facebook = make_lead(db, workspace, source="facebook")
    make_lead(db, workspace, source="website")
    make_lead(db, workspace)
    assert _list(client, headers, source="facebook") == [facebook]
    assert _list(client, headers, source="Facebook") == [facebook]


def test_filter_by_several_sources(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    facebook = make_lead(db, workspace, source="facebook")
    website = make_lead(db, workspace, source="website")
    make_lead(db, workspace, source="google")
    assert sorted(_list(client, headers, source="facebook,website")) == [facebook, website]


def test_filter_by_status(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    contacted = make_lead(db, workspace, status="contacted")
    make_lead(db, workspace, status="new")
    assert _list(client, headers, status="contacted") == [contacted]
    assert _list(client, headers, status="CONTACTED") == [contacted]
    assert _list(client, headers, status="lost") == []


def test_filter_by_a_comma_list_of_statuses(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    new = make_lead(db, workspace, status="new")
    contacted = make_lead(db, workspace, status="contacted")
    make_lead(db, workspace, status="qualified")
    assert sorted(_list(client, headers, status="new, contacted,")) == [new, contacted]


def test_filter_by_pipeline_id(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    pipeline_id, _ = default_pipeline(db, workspace)
    partners, *_ = make_pipeline(db, workspace, "Partners")
    in_sales = make_lead(db, workspace, pipeline_id=pipeline_id)
    in_partners = make_lead(db, workspace, pipeline_id=partners)
    make_lead(db, workspace)
    assert _list(client, headers, pipeline_id=pipeline_id) == [in_sales]
    assert _list(client, headers, pipeline_id=partners) == [in_partners]


def test_filter_by_stage_id(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    _, stages = default_pipeline(db, workspace)
    first = make_lead(db, workspace, pipeline_stage_id=stages[0])
    second = make_lead(db, workspace, pipeline_stage_id=stages[1])
    assert _list(client, headers, stage_id=stages[1]) == [second]
    assert _list(client, headers, stage_id=stages[0]) == [first]


def test_filter_by_assigned_user_id(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    ann = make_user(db, workspace, "ann@acme.example")
    bob = make_user(db, workspace, "bob@acme.example")
    anns = make_lead(db, workspace, assigned_user_id=ann)
    make_lead(db, workspace, assigned_user_id=bob)
    make_lead(db, workspace)
    assert _list(client, headers, assigned_user_id=ann) == [anns]


def test_filter_by_tag_ignores_case(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    vip = make_lead(db, workspace, tags=["VIP", "other"])
    make_lead(db, workspace, tags=["other"])
    make_lead(db, workspace)
    assert _list(client, headers, tag="vip") == [vip]
    assert _list(client, headers, tag="VIP") == [vip]
    assert _list(client, headers, tag="nope") == []


def test_the_total_of_a_tag_counts_each_lead_once_in_this_workspace(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    tagged = [make_lead(db, workspace, tags=["Hot", "vip"], starred=n == 0) for n in range(3)]
    make_lead(db, workspace, tags=["vip"])
    other = make_workspace(db, "other")
    make_lead(db, other, tags=["hot"])  # another workspace's tag of the same name

    def total(**params: Any) -> int:
        answer = client.get(LEADS, params={"per_page": 2, **params}, headers=headers)
        assert answer.status_code == 200
        return int(answer.json()["meta"]["total"])

    assert total(tag="hot") == 3  # the tag alone, counted from its rows
    assert total(tag="HOT", sort="email", direction="asc") == 3
    assert total(tag="hot", starred="true") == 1  # with another filter, counted with it
    assert total(tag="hot", starred="false") == 2
    assert total(tag="missing") == 0
    assert sorted(_list(client, headers, tag="hot", per_page=10)) == sorted(tagged)


def test_filter_by_starred_true_and_false(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    starred = make_lead(db, workspace, starred=True)
    plain = make_lead(db, workspace)
    assert _list(client, headers, starred="true") == [starred]
    assert _list(client, headers, starred="false") == [plain]
    assert sorted(_list(client, headers)) == [starred, plain]


def test_starred_that_is_not_a_boolean_is_422(client: TestClient, headers: dict[str, str]) -> None:
    response = client.get(LEADS, params={"starred": "maybe"}, headers=headers)
    assert_invalid(response, "starred", "The starred field must be true or false.")


def test_filters_combine(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    wanted = make_lead(db, workspace, source="facebook", status="new", starred=True)
    make_lead(db, workspace, source="facebook", status="new")
    make_lead(db, workspace, source="facebook", status="lost", starred=True)
    make_lead(db, workspace, source="website", status="new", starred=True)
    assert _list(client, headers, source="facebook", status="new", starred="true") == [wanted]


def test_id_filter_above_32_bits_or_not_a_number_is_422(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.get(
        LEADS,
        params={"pipeline_id": 2_147_483_648, "stage_id": "abc", "assigned_user_id": 2**40},
        headers=headers,
    )
    assert_invalid(
        response, "pipeline_id", "The pipeline id field must not be greater than 2147483647."
    )
    assert_invalid(response, "stage_id", "The stage id field must be an integer.")
    assert_invalid(response, "assigned_user_id")


def test_nul_character_in_a_text_filter_is_422(client: TestClient, headers: dict[str, str]) -> None:
    for field in ("source", "status", "tag", "search"):
        assert_invalid(client.get(LEADS, params={field: "a\x00b"}, headers=headers), field)


# -- search --------------------------------------------------------------------------------


@pytest.fixture
def people(db: Database, workspace: Workspace) -> dict[str, int]:
    return {
        "sarah": make_lead(
            db,
            workspace,
            first_name="Sarah",
            last_name="Johnson",
            email="sarah.j@example.com",
            phone="+14155551234",
        ),
        "john": make_lead(
            db,
            workspace,
            first_name="John",
            last_name="Smith",
            email="jsmith@globex.example",
            phone="+12125550000",
        ),
        "maria": make_lead(db, workspace, first_name="Maria", last_name="Garcia"),
    }


def _found(client: TestClient, headers: dict[str, str], term: str) -> list[int]:
    return sorted(_list(client, headers, search=term))


def test_search_matches_first_or_last_name_in_any_case(
    client: TestClient, headers: dict[str, str], people: dict[str, int]
) -> None:
    assert _found(client, headers, "sarah") == [people["sarah"]]
    assert _found(client, headers, "GARCIA") == [people["maria"]]
    assert _found(client, headers, "john") == sorted([people["sarah"], people["john"]])
    assert _found(client, headers, "nobody") == []


def test_search_matches_the_email(
    client: TestClient, headers: dict[str, str], people: dict[str, int]
) -> None:
    assert _found(client, headers, "globex") == [people["john"]]
    assert _found(client, headers, "Sarah.J@Example.com") == [people["sarah"]]


def test_search_matches_the_phone(
    client: TestClient, headers: dict[str, str], people: dict[str, int]
) -> None:
    assert _found(client, headers, "+1415555") == [people["sarah"]]
    assert _found(client, headers, "2125550000") == [people["john"]]


def test_search_matches_a_formatted_phone_fragment(
    client: TestClient, headers: dict[str, str], people: dict[str, int]
) -> None:
    assert _found(client, headers, "555-1234") == [people["sarah"]]
    assert _found(client, headers, "(212) 555") == [people["john"]]
    assert _found(client, headers, "415.555.1234") == [people["sarah"]]


def test_search_needs_every_word_to_match(
    client: TestClient, headers: dict[str, str], people: dict[str, int]
) -> None:
    assert _list(client, headers, search="john smith") == [people["john"]]
    assert _list(client, headers, search="sarah smith") == []


def test_search_treats_like_wildcards_literally(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    make_lead(db, workspace, first_name="Anna", email="anna@example.com")
    percent = make_lead(db, workspace, first_name="100%")
    underscore = make_lead(db, workspace, first_name="a_b")
    assert _list(client, headers, search="%") == [percent]
    assert _list(client, headers, search="_") == [underscore]


def test_search_of_a_non_ascii_name_in_any_case(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    emile = make_lead(db, workspace, first_name="Émile", last_name="Zoë")
    make_lead(db, workspace, first_name="Emil")
    assert _list(client, headers, search="Émile") == [emile]
    assert _list(client, headers, search="émile") == [emile]
    assert _list(client, headers, search="ZOË") == [emile]


def test_blank_search_lists_everything(
    client: TestClient, headers: dict[str, str], people: dict[str, int]
) -> None:
    assert sorted(_list(client, headers, search="   ")) == sorted(people.values())


# -- created_after / created_before ---------------------------------------------------------


@pytest.fixture
def dated(db: Database, workspace: Workspace) -> dict[str, int]:
    """Leads created on Jan 1, Feb 1 and Mar 1 2024 at 10:00 UTC."""
    leads = {}
    for month, name in enumerate(MONTHS, start=1):
        leads[name] = make_lead(db, workspace, first_name=name)
        set_timestamps(db, leads[name], created_at=datetime(2024, month, 1, 10, 0, tzinfo=UTC))
    return leads


def _dated(
    client: TestClient, headers: dict[str, str], dated: dict[str, int], **params: str
) -> list[str]:
    by_id = {lead_id: name for name, lead_id in dated.items()}
    return sorted(
        (by_id[lead_id] for lead_id in _list(client, headers, **params)), key=MONTHS.index
    )


def test_created_after_and_before_take_dates(
    client: TestClient, headers: dict[str, str], dated: dict[str, int]
) -> None:
    assert _dated(client, headers, dated, created_after="2024-01-15") == ["feb", "mar"]
    assert _dated(client, headers, dated, created_after="2024-02-01") == ["feb", "mar"]
    assert _dated(client, headers, dated, created_before="2024-02-01") == ["jan"]
    assert _dated(client, headers, dated, created_before="2024-02-02") == ["jan", "feb"]
    assert _dated(client, headers, dated, created_after="2025-01-01") == []


def test_created_after_and_before_combine(
    client: TestClient, headers: dict[str, str], dated: dict[str, int]
) -> None:
    found = _dated(client, headers, dated, created_after="2024-01-15", created_before="2024-02-15")
    assert found == ["feb"]


def test_created_after_and_before_take_date_times_as_strict_bounds(
    client: TestClient, headers: dict[str, str], dated: dict[str, int]
) -> None:
    assert _dated(client, headers, dated, created_after="2024-02-01T10:00:00Z") == ["mar"]
    assert _dated(client, headers, dated, created_after="2024-02-01T09:59:59Z") == ["feb", "mar"]
    found = _dated(client, headers, dated, created_before="2024-02-01T10:00:01+00:00")
    assert found == ["jan", "feb"]
    assert _dated(client, headers, dated, created_before="2024-02-01T10:00:00Z") == ["jan"]


def test_date_time_without_offset_is_utc(
    client: TestClient, headers: dict[str, str], dated: dict[str, int]
) -> None:
    assert _dated(client, headers, dated, created_after="2024-02-01T09:30:00") == ["feb", "mar"]
    assert _dated(client, headers, dated, created_after="2024-02-01T10:30:00") == ["mar"]


def test_date_time_offset_is_honoured(
    client: TestClient, headers: dict[str, str], dated: dict[str, int]
) -> None:
    # 14:30+05:00 is 09:30 UTC; 06:00-05:00 is 11:00 UTC.
    found = _dated(client, headers, dated, created_after="2024-02-01T14:30:00+05:00")
    assert found == ["feb", "mar"]
    assert _dated(client, headers, dated, created_after="2024-02-01T06:00:00-05:00") == ["mar"]


def test_invalid_created_date_is_422(client: TestClient, headers: dict[str, str]) -> None:
    for field in ("created_after", "created_before"):
        response = client.get(LEADS, params={field: "yesterday"}, headers=headers)
        assert_invalid(response, field, f"The {label(field)} field must be a valid date.")


def test_created_date_beyond_the_utc_range_is_422(
    client: TestClient, headers: dict[str, str]
) -> None:
    for field, value in (
        ("created_after", "9999-12-31T23:59:59-05:00"),
        ("created_before", "0001-01-01T00:00:00+05:00"),
    ):
        response = client.get(LEADS, params={field: value}, headers=headers)
        assert_invalid(response, field, f"The {label(field)} field must be a valid date.")


# -- sorting -------------------------------------------------------------------------------

# For every sortable field, three leads whose values sort in this order (a < b < c).
SORT_VALUES: dict[str, tuple[Any, Any, Any]] = {
    "lead_score": (-5, 10, 200),
    "first_name": ("Adam", "Bella", "Cyril"),
    "last_name": ("Abbott", "Baker", "Carter"),
    "email": ("a@example.com", "b@example.com", "c@example.com"),
    "created_at": (
        datetime(2024, 1, 1, tzinfo=UTC),
        datetime(2024, 6, 1, tzinfo=UTC),
        datetime(2025, 1, 1, tzinfo=UTC),
    ),
    "updated_at": (
        datetime(2023, 1, 1, tzinfo=UTC),
        datetime(2023, 6, 1, tzinfo=UTC),
        datetime(2023, 9, 1, tzinfo=UTC),
    ),
}


def _sortable_leads(db: Database, workspace: Workspace, field: str) -> list[int]:
    """Leads a < b < c on `field`, made in the order b, c, a so id order is no help."""
    low, middle, high = SORT_VALUES[field]
    made: dict[str, int] = {}
    for name, value in (("b", middle), ("c", high), ("a", low)):
        if field in ("created_at", "updated_at"):
            made[name] = make_lead(db, workspace, first_name=name)
            set_timestamps(db, made[name], **{field: value})
        else:
            made[name] = make_lead(db, workspace, **{field: value})
    return [made["a"], made["b"], made["c"]]


@pytest.mark.parametrize("field", list(SORT_VALUES))
def test_sort_on_each_field_both_ways(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace, field: str
) -> None:
    ascending = _sortable_leads(db, workspace, field)
    assert _list(client, headers, sort=field, direction="asc") == ascending
    assert _list(client, headers, sort=field, direction="desc") == list(reversed(ascending))


def test_sort_direction_defaults_to_desc(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    ascending = _sortable_leads(db, workspace, "lead_score")
    assert _list(client, headers, sort="lead_score") == list(reversed(ascending))


def test_default_order_is_newest_first(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    ascending = _sortable_leads(db, workspace, "created_at")
    assert _list(client, headers) == list(reversed(ascending))


def test_sort_ties_are_broken_by_id_in_the_same_direction(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    ids = [make_lead(db, workspace, lead_score=7) for _ in range(3)]
    assert _list(client, headers, sort="lead_score", direction="asc") == ids
    assert _list(client, headers, sort="lead_score", direction="desc") == list(reversed(ids))


def test_invalid_sort_is_422(client: TestClient, headers: dict[str, str]) -> None:
    response = client.get(LEADS, params={"sort": "password"}, headers=headers)
    assert_invalid(response, "sort", "The selected sort is invalid.")


def test_invalid_direction_is_422(client: TestClient, headers: dict[str, str]) -> None:
    response = client.get(LEADS, params={"sort": "email", "direction": "up"}, headers=headers)
    assert_invalid(response, "direction", "The selected direction is invalid.")


def test_listed_lead_equals_the_fetched_lead(client: TestClient, headers: dict[str, str]) -> None:
    lead = create_lead(client, headers, first_name="Sarah", tags=["b", "a"], custom_fields={"k": 1})
    assert client.get(LEADS, headers=headers).json()["data"] == [
        client.get(f"{LEADS}/{lead['id']}", headers=headers).json()["data"]
    ]
