"""LeadTrackr's translation, without a database: wire bodies to lead fields, leads to LeadTrackr's
lead object, getLeads' parameters to filters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from leadhub.domains.conversions.schemas import StatusChange
from leadhub.domains.leads.schemas import Attribution, Device, LeadRead, LeadReference
from leadhub.kit.pagination import Page, PageRequest
from leadhub.surfaces.leadtrackr import translate
from leadhub.surfaces.leadtrackr.schemas import LeadTrackrCreateLead
from leadhub.surfaces.leadtrackr.translate import BadRequest, ListQuery

MOMENT = datetime(2026, 3, 15, 10, 30, 0, 123456, tzinfo=UTC)


def read(**fields: Any) -> LeadRead:
    base: dict[str, Any] = {
        "id": 42,
        "first_name": "John",
        "last_name": "Doe",
        "email": "john@example.com",
        "phone": "+31612345678",
        "company": "Acme Inc.",
        "job_title": None,
        "source": "leadtrackr",
        "status": "open",
        "pipeline_id": None,
        "pipeline_stage_id": None,
        "assigned_user_id": None,
        "lead_score": 0,
        "starred": False,
        "notes": None,
        "custom_fields": {},
        "tags": [],
        "value": None,
        "unique_identifier": "crm-lead-456",
        "form_id": None,
        "form_name": "Contact Form",
        "form_data": None,
        "channel_flow": None,
        "device": Device(),
        "conversion_label_id": None,
        "attribution": Attribution(),
        "created_at": MOMENT,
        "updated_at": MOMENT,
    }
    return LeadRead(**{**base, **fields})


def body(**fields: Any) -> LeadTrackrCreateLead:
    return LeadTrackrCreateLead.model_validate(fields)


# -- the lead object ----------------------------------------------------------------------------


def test_the_lead_object_has_leadtrackrs_names_and_values() -> None:
    lead = translate.lead(read()).model_dump(by_alias=True)
    assert lead == {
        "id": 42,
        "status": "open",
        "formName": "Contact Form",
        "firstName": "John",
        "lastName": "Doe",
        "phone": "+31612345678",
        "email": "john@example.com",
        "companyName": "Acme Inc.",
        "price": None,
        "note": None,
        "formData": None,
        "userData": {
            "firstName": "John",
            "lastName": "Doe",
            "email": "john@example.com",
            "phone": "+31612345678",
            "companyName": "Acme Inc.",
        },
        "attributionData": None,
        "channelFlow": None,
        "uniqueIdentifier": "crm-lead-456",
        "createdAt": "2026-03-15T10:30:00.123Z",
    }


def test_created_at_is_utc_with_milliseconds_and_z() -> None:
    assert translate.timestamp(datetime(2026, 3, 15, 10, 30)) == "2026-03-15T10:30:00.000Z"
    plus_two = datetime(2026, 3, 15, 12, 30, 0, 999999, tzinfo=timezone(timedelta(hours=2)))
    assert translate.timestamp(plus_two) == "2026-03-15T10:30:00.999Z"


@pytest.mark.parametrize(
    ("value", "cents"), [(None, None), (50.0, 5000), (0.0, 0), (19.99, 1999), (0.01, 1)]
)
def test_the_price_is_the_value_in_cents(value: float | None, cents: int | None) -> None:
    assert translate.lead(read(value=value)).price == cents


def test_note_form_data_and_channel_flow_come_from_the_lead() -> None:
    lead = translate.lead(read(notes="Call back", form_data={"msg": "hi"}, channel_flow="a>b"))
    assert (lead.note, lead.form_data, lead.channel_flow) == ("Call back", {"msg": "hi"}, "a>b")


def test_user_data_is_null_when_the_lead_has_no_contact_data() -> None:
    empty = read(first_name=None, last_name=None, email=None, phone=None, company=None)
    assert translate.lead(empty).user_data is None


def test_attribution_data_holds_only_the_keys_present() -> None:
    attribution = Attribution(gclid="g", fbp="fb.1", utm_source="google", landing_page="/x")
    lead = translate.lead(read(attribution=attribution)).model_dump(by_alias=True)
    assert lead["attributionData"] == {
        "gclid": "g",
        "fbp": "fb.1",
        "utm_source": "google",
        "landingPage": "/x",
    }


def test_a_page_says_where_it_stands() -> None:
    items = [read(id=number) for number in range(2)]
    page = translate.leads_page(Page(items=items, total=5, request=PageRequest(2, 2)))
    dumped = page.model_dump(by_alias=True)
    assert {key: dumped[key] for key in ("total", "page", "limit", "totalPages", "hasMore")} == {
        "total": 5,
        "page": 2,
        "limit": 2,
        "totalPages": 3,
        "hasMore": True,
    }
    assert dumped["message"] == "Leads retrieved"
    last = translate.leads_page(Page(items=items[:1], total=5, request=PageRequest(3, 2)))
    assert last.has_more is False


def test_an_empty_result_has_no_pages() -> None:
    page = translate.leads_page(Page(items=[], total=0, request=PageRequest(1, 50)))
    assert (page.total_pages, page.has_more) == (0, False)


# -- a lead in ----------------------------------------------------------------------------------


def test_a_create_body_becomes_the_leads_fields() -> None:
    captured = translate.capture(
        body(
            projectId="ws_1",
            userData={
                "firstName": "John",
                "lastName": "Doe",
                "email": "john@example.com",
                "phone": "+31612345678",
                "companyName": "Acme",
            },
            attributionData={"gclid": "g1", "utmSource": "google", "landing_page": "/lp"},
            formData={"formName": "Contact", "uniqueEventId": "evt-1", "message": "Hello"},
            deviceData={"ipAddress": "203.0.113.9", "userAgent": "Firefox"},
            channelFlow="google / cpc",
            uniqueIdentifier="crm-1",
        ),
        device=None,
    )
    data = captured.data
    assert captured.unique_event_id == "evt-1"
    assert (data.first_name, data.last_name, data.company) == ("John", "Doe", "Acme")
    assert (data.email, data.phone) == ("john@example.com", "+31612345678")
    assert data.attribution == Attribution(gclid="g1", utm_source="google", landing_page="/lp")
    assert (data.form_name, data.form_data) == ("Contact", {"message": "Hello"})
    assert data.device == Device(ip_address="203.0.113.9", user_agent="Firefox")
    assert (data.channel_flow, data.unique_identifier) == ("google / cpc", "crm-1")
    assert data.status is None and data.source is None


def test_only_what_was_sent_is_set() -> None:
    data = translate.capture(body(userData={"email": "a@x.com"}), device=None).data
    assert data.model_fields_set == {"email"}


@pytest.mark.parametrize(
    "extra",
    [
        {"lt_channelflow": "a>b", "unique_identifier": "crm-2"},
        {"channel_flow": "a>b", "uniqueIdentifier": "crm-2"},
    ],
)
def test_the_other_spellings_are_accepted(extra: dict[str, Any]) -> None:
    data = translate.capture(body(userData={"first_name": "Jo"}, **extra), device=None).data
    assert (data.first_name, data.channel_flow, data.unique_identifier) == ("Jo", "a>b", "crm-2")


def test_a_numeric_event_id_is_text() -> None:
    captured = translate.capture(
        body(userData={"email": "a@x.com"}, formData={"uniqueEventId": 1234}), device=None
    )
    assert captured.unique_event_id == "1234"


def test_the_requests_device_fills_in_when_no_device_data_is_sent() -> None:
    default = {"ip_address": "198.51.100.4", "user_agent": "Safari"}
    data = translate.capture(body(userData={"email": "a@x.com"}), device=default).data
    assert data.device == Device(ip_address="198.51.100.4", user_agent="Safari")
    sent = body(userData={"email": "a@x.com"}, deviceData={"userAgent": "Firefox"})
    assert translate.capture(sent, device=default).data.device == Device(user_agent="Firefox")


def test_a_client_address_that_is_no_ip_is_left_out() -> None:
    default = {"ip_address": "testclient", "user_agent": "Safari"}
    data = translate.capture(body(userData={"email": "a@x.com"}), device=default).data
    assert data.device == Device(user_agent="Safari")


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"userData": {}},
        {"userData": {"firstName": "  "}, "attributionData": {"gclid": ""}},
        {"formData": {"formName": "Contact"}, "deviceData": {"userAgent": "x"}},
    ],
)
def test_a_body_without_user_or_attribution_data_is_refused(fields: dict[str, Any]) -> None:
    with pytest.raises(BadRequest, match="At least one of userData or attributionData"):
        translate.capture(body(**fields), device=None)


def test_attribution_data_alone_is_enough() -> None:
    data = translate.capture(body(attributionData={"fbc": "fb.1.1.abc"}), device=None).data
    assert data.attribution == Attribution(fbc="fb.1.1.abc")


def test_a_too_long_event_id_is_refused() -> None:
    with pytest.raises(BadRequest, match="uniqueEventId"):
        translate.capture(
            body(userData={"email": "a@x.com"}, formData={"uniqueEventId": "e" * 256}),
            device=None,
        )


# -- getLeads' parameters -----------------------------------------------------------------------


def test_no_parameters_mean_every_lead_newest_first() -> None:
    filters = translate.filters(ListQuery())
    assert (filters.sort, filters.direction) == ("created_at", "desc")
    assert filters.statuses == [] and filters.has == {} and filters.search is None
    assert translate.page_request(ListQuery()) == PageRequest(page=1, per_page=50)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("createdAt:asc", ("created_at", "asc")),
        ("firstName:desc", ("first_name", "desc")),
        ("lastName:asc", ("last_name", "asc")),
        ("email:ASC", ("email", "asc")),
        ("price:desc", ("value", "desc")),
        ("status:asc", ("status", "asc")),
        ("price", ("value", "desc")),
    ],
)
def test_sort_is_field_colon_direction(sort: str, expected: tuple[str, str]) -> None:
    assert translate.parse_sort(sort) == expected


@pytest.mark.parametrize("sort", ["value:asc", "created_at:desc", "firstName:up", ":asc"])
def test_an_unknown_sort_is_refused(sort: str) -> None:
    with pytest.raises(BadRequest, match="sort"):
        translate.parse_sort(sort)


@pytest.mark.parametrize(("limit", "page"), [(0, 1), (101, 1), (50, 0)])
def test_limit_and_page_out_of_range_are_refused(limit: int, page: int) -> None:
    with pytest.raises(BadRequest):
        translate.page_request(ListQuery(limit=limit, page=page))


def test_statuses_are_split_on_commas() -> None:
    assert translate.filters(ListQuery(status="Open, pending,,")).statuses == ["open", "pending"]


@pytest.mark.parametrize("search", ["a", " b ", ""])
def test_a_search_shorter_than_two_characters_is_refused(search: str) -> None:
    with pytest.raises(BadRequest, match="search"):
        translate.filters(ListQuery(search=search))


def test_exists_filters_keep_only_the_ones_given() -> None:
    query = ListQuery(exists={"gclid": True, "cid": None, "fbp": False, "fbc": None})
    assert translate.filters(query).has == {"gclid": True, "fbp": False}


def test_an_unencoded_plus_in_a_query_is_restored() -> None:
    assert translate.query_phone(" 31612345678") == "+31612345678"
    assert translate.query_phone("+31612345678") == "+31612345678"
    assert translate.query_email("John+Tag@Example.com") == "john+tag@example.com"
    assert translate.query_email("john tag@example.com") == "john+tag@example.com"


@pytest.mark.parametrize(
    ("text", "lower", "upper"),
    [
        (
            "2026-03-15",
            datetime(2026, 3, 15, tzinfo=UTC),
            datetime(2026, 3, 15, 23, 59, 59, 999999, tzinfo=UTC),
        ),
        (
            "2026-03-15T10:30:00Z",
            datetime(2026, 3, 15, 10, 30, tzinfo=UTC),
            datetime(2026, 3, 15, 10, 30, 0, 999999, tzinfo=UTC),
        ),
        (
            "2026-03-15T10:30:00.000Z",
            datetime(2026, 3, 15, 10, 30, tzinfo=UTC),
            datetime(2026, 3, 15, 10, 30, 0, 999, tzinfo=UTC),
        ),
        (
            "2026-03-15T12:30+02:00",
            datetime(2026, 3, 15, 10, 30, tzinfo=UTC),
            datetime(2026, 3, 15, 10, 30, 59, 999999, tzinfo=UTC),
        ),
        (
            "2026-03-15T12:30:00 02:00",  # `+` left unencoded in the query string
            datetime(2026, 3, 15, 10, 30, tzinfo=UTC),
            datetime(2026, 3, 15, 10, 30, 0, 999999, tzinfo=UTC),
        ),
    ],
)
def test_date_bounds_are_inclusive_of_their_unit(
    text: str, lower: datetime, upper: datetime
) -> None:
    assert translate.parse_bound(text, upper=False) == lower
    assert translate.parse_bound(text, upper=True) == upper


@pytest.mark.parametrize(
    "text", ["yesterday", "2026-13-01", "15/03/2026", "9999-12-31T23:59:59-05:00"]
)
def test_an_invalid_date_is_refused(text: str) -> None:
    with pytest.raises(BadRequest, match=r"createdAt\[lte\]"):
        translate.filters(ListQuery(created_lte=text))


# -- naming a lead, changing its status ---------------------------------------------------------


def test_a_reference_keeps_every_identifier_given() -> None:
    found = translate.reference(lead_id=7, unique_identifier=" crm ", email=None, phone=" 316")
    assert found == LeadReference(lead_id=7, unique_identifier="crm", phone="+316")


def test_a_reference_without_identifiers_is_refused() -> None:
    with pytest.raises(BadRequest, match="leadId"):
        translate.reference(lead_id=None, unique_identifier=" ", email="", phone=None)


def test_conversion_id_is_required_and_text() -> None:
    assert translate.conversion(12) == "12"
    assert translate.conversion(" lost ") == "lost"
    with pytest.raises(BadRequest, match="conversionId"):
        translate.conversion(None)


def test_the_status_answer_has_warnings_only_when_queued() -> None:
    reopened = translate.status_answer(StatusChange(1, "crm", "open", queued=False))
    assert reopened.model_dump(by_alias=True, exclude_unset=True) == {
        "message": "Lead status updated to open",
        "leadId": 1,
        "uniqueIdentifier": "crm",
        "status": "open",
        "queued": False,
    }
    warning = {"integration": "google_ads_conversions", "name": "Ads", "message": "no gclid"}
    queued = translate.status_answer(StatusChange(1, None, "pending", True, [warning]))
    assert queued.model_dump(by_alias=True, exclude_unset=True) == {
        "message": "Lead queued for processing",
        "leadId": 1,
        "uniqueIdentifier": None,
        "status": "pending",
        "queued": True,
        "warnings": [warning],
    }
