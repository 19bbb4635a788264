"""Conversions in the web app: labels in settings (admins), rating and processing leads on the
Conversions page (members too), and what a lead's page shows of its attribution and sends."""

from __future__ import annotations

import html
import re
from typing import Any

from fastapi import FastAPI

from leadhub.db.uow import Database
from leadhub.domains.conversions import labels
from leadhub.domains.conversions.schemas import Destination, LabelCreate, LabelRead
from leadhub.domains.integrations import service as integrations
from leadhub.domains.integrations.schemas import IntegrationCreate
from leadhub.domains.leads import service as leads
from tests.factories import Workspace, make_lead
from tests.web.conftest import WebSession
from tests.web.tables import rows, section

GOOGLE_ADS = {
    "customer_id": "1234567890",
    "developer_token": "d",
    "client_id": "c",
    "client_secret": "s",
    "refresh_token": "r",
}
# A private address: the node refuses it, so the send fails at once without any network.
META = {"pixel_id": "123", "access_token": "t", "graph_base_url": "http://127.0.0.1:9"}


def _integration(app: FastAPI, db: Database, workspace: Workspace, kind: str, name: str) -> int:
    settings = GOOGLE_ADS if kind == "google_ads_conversions" else META
    data = IntegrationCreate.model_validate({"type": kind, "name": name, "settings": settings})
    with db.unit_of_work() as session:
        created = integrations.create_integration(
            session, workspace.principal(), data=data, secret_box=app.state.runtime.secret_box
        )
        return created.id


def _label(db: Database, workspace: Workspace, name: str = "Sale", **fields: Any) -> LabelRead:
    with db.unit_of_work() as session:
        return labels.create_label(
            session, workspace.principal(), data=LabelCreate(name=name, **fields)
        )


def _labels(db: Database, workspace: Workspace) -> list[LabelRead]:
    with db.unit_of_work(write=False) as session:
        return labels.all_labels(session, workspace.principal())


def _status(db: Database, workspace: Workspace, lead_id: int) -> str:
    with db.unit_of_work(write=False) as session:
        return leads.get(session, workspace.principal(), lead_id).status


def _run_jobs(app: FastAPI) -> None:
    while app.state.runtime.jobs.run_pending():
        pass


def _lead_names(page: str) -> list[str]:
    return [cells[0] for cells in rows(page)[1:]]


# -- labels in settings -----------------------------------------------------------------------


def test_an_admin_creates_a_label_that_sends_to_google_ads(
    owner: WebSession, app: FastAPI, db: Database, workspace: Workspace
) -> None:
    ads = _integration(app, db, workspace, "google_ads_conversions", "Ads account")
    assert "No conversion labels yet" in owner.get("/settings/conversion-labels").text
    form = owner.get("/settings/conversion-labels/new").text
    assert f'<option value="{ads}" >Ads account (Google Ads)</option>' in form
    response = owner.post(
        "/settings/conversion-labels",
        {
            "name": "Sale",
            "value": "150,5",
            "currency": "usd",
            "mark_as_done": "1",
            "destinations.0.integration_id": "",
            "destinations.0.target": "",
            "destinations.1.integration_id": str(ads),
            "destinations.1.target": "123456789",
        },
    )
    assert response.status_code == 303, response.text
    (label,) = _labels(db, workspace)
    assert (label.value, label.currency, label.mark_as_done) == (150.5, "USD", True)
    assert [(d.integration_id, d.target) for d in label.destinations] == [(ads, "123456789")]
    edit = owner.get(response.headers["location"]).text
    assert f'<p class="code" id="label-uuid">{label.uuid}</p>' in edit
    assert 'data-copy="#label-uuid"' in edit and "<code>conversionId</code>" in edit
    assert 'name="destinations.0.target" type="text" value="123456789"' in edit
    listing = rows(owner.get("/settings/conversion-labels").text)
    assert listing[1][:4] == [
        f"Sale {label.uuid} Copy id of Sale",
        "150.50 USD",
        "Yes",
        "Google Ads: 123456789",
    ]


def test_label_errors_show_beside_their_fields(
    owner: WebSession, app: FastAPI, db: Database, workspace: Workspace
) -> None:
    ads = _integration(app, db, workspace, "google_ads_conversions", "Ads account")
    _label(db, workspace, "Sale")
    blank = owner.post(
        "/settings/conversion-labels",
        {"name": "", "value": "a lot", "destinations.0.integration_id": str(ads)},
    )
    assert blank.status_code == 422
    assert '<p class="field-error" id="e-name">The name field is required.</p>' in blank.text
    assert 'id="e-value"' in blank.text and 'value="a lot"' in blank.text
    assert (
        '<p class="field-error" id="e-destinations-0-target">'
        "Enter the event name or conversion action.</p>" in blank.text
    )
    refused = owner.post(
        "/settings/conversion-labels",
        {
            "name": "sale",
            "destinations.2.integration_id": str(ads),
            "destinations.2.target": "not an action",
        },
    )
    assert refused.status_code == 422
    assert "The name has already been taken." in refused.text
    # The filled row comes back first, with the service's message beside it.
    assert 'name="destinations.0.target" type="text" value="not an action"' in refused.text
    assert 'id="e-destinations-0-target">A Google Ads conversion action is' in refused.text
    assert [label.name for label in _labels(db, workspace)] == ["Sale"]


def test_an_admin_edits_and_deletes_a_label(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    label = _label(db, workspace, "Sale", mark_as_done=True)
    edit = owner.get(f"/settings/conversion-labels/{label.id}").text
    assert 'name="mark_as_done" value="1" checked' in edit
    saved = owner.post(
        f"/settings/conversion-labels/{label.id}",
        {"name": "Quote sent", "value": "", "currency": "EUR"},
    )
    assert saved.status_code == 303
    (changed,) = _labels(db, workspace)
    assert (changed.name, changed.mark_as_done, changed.value) == ("Quote sent", False, None)
    listing = owner.get(saved.headers["location"]).text
    assert "The conversion label “Quote sent” is saved." in listing
    assert "Nowhere (recorded only)" in listing
    deleted = owner.post(f"/settings/conversion-labels/{label.id}/delete")
    assert deleted.status_code == 303
    assert _labels(db, workspace) == []


def test_members_rate_leads_but_cannot_manage_labels(
    member: WebSession, db: Database, workspace: Workspace
) -> None:
    assert member.get("/settings/conversion-labels").status_code == 403
    assert member.post("/settings/conversion-labels", {"name": "x"}).status_code == 403
    assert "/settings/conversion-labels" not in member.get("/settings").text
    label = _label(db, workspace)
    lead_id = make_lead(db, workspace, first_name="Ada")
    page = member.get("/conversions")
    assert page.status_code == 200 and 'href="/conversions"' in page.text
    assert "Ask an owner or admin" not in page.text
    rated = member.post(f"/conversions/leads/{lead_id}/rate", {"label_id": str(label.id)})
    assert rated.status_code == 303
    assert member.post("/conversions/process").status_code == 303
    assert _status(db, workspace, lead_id) == "pending"


def test_owners_find_the_labels_in_the_settings(owner: WebSession) -> None:
    settings = owner.get("/settings").text
    assert '<a href="/settings/conversion-labels">Conversion labels</a>' in settings


# -- rating and processing --------------------------------------------------------------------


def test_rating_and_processing_move_leads_from_open_to_pending_to_rated(
    owner: WebSession, app: FastAPI, db: Database, workspace: Workspace
) -> None:
    label = _label(db, workspace, "Sale", value=100, mark_as_done=True)
    sale = make_lead(db, workspace, first_name="Ada", email="ada@example.com")
    lost = make_lead(
        db, workspace, first_name="Bob", attribution={"gclid": "g-1", "fbp": "fb.1.2.3"}
    )
    open_page = owner.get("/conversions").text
    assert _lead_names(open_page) == ["Bob", "Ada ada@example.com"]
    assert 'title="gclid: g-1">gclid</span>' in open_page
    assert f'<option value="{label.id}" >Sale (100.00 EUR)</option>' in open_page

    owner.post(f"/conversions/leads/{sale}/rate", {"label_id": str(label.id), "page": "1"})
    rated_page = owner.get("/conversions").text
    assert "Rated Ada “Sale”. Process to send it." in rated_page
    assert 'Rated <span class="badge">Sale</span>' in rated_page and "Undo" in rated_page
    undone = owner.post(f"/conversions/leads/{sale}/reopen")
    assert undone.status_code == 303
    assert "Ada is open again." in owner.get("/conversions").text
    owner.post(f"/conversions/leads/{sale}/rate", {"label_id": str(label.id)})
    owner.post(f"/conversions/leads/{lost}/rate", {"lost": "1"})

    processed = owner.post("/conversions/process")
    assert processed.headers["location"] == "/conversions/pending"
    pending = owner.get("/conversions/pending").text
    assert "Queued the conversions of 2 leads." in pending
    assert sorted(_lead_names(pending)) == ["Ada ada@example.com", "Bob"]
    assert 'data-refresh="/conversions/pending/rows?page=1"' in pending
    assert "No open leads" in owner.get("/conversions").text

    _run_jobs(app)
    assert "Nothing pending" in owner.get("/conversions/pending/rows").text
    rated = rows(owner.get("/conversions/rated").text)
    outcomes = {cells[0]: cells[1:3] for cells in rated[1:]}
    assert outcomes["Ada ada@example.com"] == ["Sale 100.00 EUR", "Recorded"]
    assert outcomes["Bob"] == ["Lost", "Recorded"]
    assert (_status(db, workspace, sale), _status(db, workspace, lost)) == ("rated", "lost")


def test_processing_without_ratings_says_so(owner: WebSession) -> None:
    response = owner.post("/conversions/process")
    assert response.headers["location"] == "/conversions"
    page = owner.get("/conversions").text
    assert "There are no rated leads to process." in page
    assert "There are no conversion labels yet." in page and "Create one" in page


def test_a_pending_lead_cannot_be_rated_again(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    label = _label(db, workspace)
    lead_id = make_lead(db, workspace, first_name="Ada")
    owner.post(f"/conversions/leads/{lead_id}/rate", {"label_id": str(label.id)})
    owner.post("/conversions/process")
    again = owner.post(
        f"/conversions/leads/{lead_id}/rate", {"label_id": str(label.id), "back": "lead"}
    )
    assert again.headers["location"] == f"/leads/{lead_id}"
    page = owner.get(f"/leads/{lead_id}").text
    assert "already has a conversion pending" in page
    assert "Being sent: it can be rated again once it has been." in page
    nothing = owner.post(f"/conversions/leads/{lead_id}/rate", {"label_id": ""})
    assert nothing.status_code == 303
    assert "Choose a label to rate the lead with." in owner.get("/conversions").text


# -- a lead's page ----------------------------------------------------------------------------


def test_the_lead_page_shows_attribution_and_every_send_with_failures_flagged(
    owner: WebSession, app: FastAPI, db: Database, workspace: Workspace
) -> None:
    ads = _integration(app, db, workspace, "google_ads_conversions", "Ads account")
    meta = _integration(app, db, workspace, "meta_conversions_api", "Pixel")
    destinations = [
        Destination(integration_id=ads, target="123456789"),
        Destination(integration_id=meta, target="Purchase"),
    ]
    label = _label(db, workspace, "Sale", value=80, destinations=destinations)
    lead_id = make_lead(
        db,
        workspace,
        first_name="Ada",
        email="ada@example.com",
        attribution={"utm_source": "newsletter", "fbc": "fb.1.111.abc"},
        device={"ip_address": "203.0.113.9", "user_agent": "Mozilla/5.0 Test"},
        channel_flow="google / cpc > newsletter / email",
        form_name="Quote request",
        form_data={"budget": "5000", "rooms": 3},
    )
    page = owner.get(f"/leads/{lead_id}").text
    attribution = rows_of(section(page, "h-attribution"))
    assert attribution["UTM source"] == "newsletter"
    assert attribution["Facebook click cookie (fbc)"] == "fb.1.111.abc"
    assert attribution["IP address"] == "203.0.113.9"
    assert attribution["User agent"] == "Mozilla/5.0 Test"
    assert attribution["Channel flow"] == "google / cpc > newsletter / email"
    assert attribution["Form name"] == "Quote request"
    assert attribution["budget"] == "5000" and attribution["rooms"] == "3"
    assert "Not rated yet." in section(page, "h-conversions")

    owner.post(f"/conversions/leads/{lead_id}/rate", {"label_id": str(label.id), "back": "lead"})
    rated = section(owner.get(f"/leads/{lead_id}").text, "h-conversions")
    assert "Not processed yet." in rated and "Process now" in rated
    processed = owner.post(f"/conversions/leads/{lead_id}/process", {"back": "lead"})
    assert processed.headers["location"] == f"/leads/{lead_id}"
    flashed = owner.get(f"/leads/{lead_id}").text
    assert "Queued the conversions of 1 lead." in flashed
    assert "Not sent everywhere: Ads account: Google Ads needs the ad click" in flashed

    _run_jobs(app)
    page = owner.get(f"/leads/{lead_id}").text
    conversions = section(page, "h-conversions")
    assert '<span class="badge badge-danger">Failed</span>' in conversions
    assert "80.00 EUR" in conversions
    assert '<li class="send send-skipped">' in conversions
    assert '<li class="send send-failed">' in conversions
    failed = conversions[conversions.index('<li class="send send-failed">') :]
    assert (
        "Pixel" in failed
        and "1 attempt" in failed
        and 'class="send-detail small field-error"' in failed
    )
    assert "Warning</span> Ads account: Google Ads needs the ad click" in conversions
    timeline = section(page, "h-timeline")
    assert "Rated “Sale”" in timeline
    assert "Conversion “Sale” queued for 1 platform" in timeline
    assert "Not sent: Google Ads needs the ad click" in timeline
    assert "Conversion to Pixel (Meta) failed" in timeline
    assert "Conversion “Sale” failed at every platform" in timeline
    rated_tab = rows(owner.get("/conversions/rated").text)
    assert rated_tab[1][:3] == ["Ada ada@example.com", "Sale 80.00 EUR", "Failed"]
    assert _status(db, workspace, lead_id) == "rated"


def rows_of(fragment: str) -> dict[str, str]:
    """The terms and descriptions of a fragment's definition lists."""
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", fragment, re.S)
    return {html.unescape(term).strip(): html.unescape(value).strip() for term, value in pairs}
