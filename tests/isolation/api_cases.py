"""How each API route is called by another workspace's key: the reviewed table.

Keys are `METHOD path` as the app routes them (an agency's `/clients/{client_id}/…` twin uses
the entry of the same path without the selector). A route added to the app without an entry
here (or in web_cases.py) fails test_cross_workspace.
"""

from __future__ import annotations

from typing import Any

from tests.isolation.table import Case, Entry, Exempt, Foreign, Unique, a, a_value, own
from tests.isolation.world import MARK, OTHER_MARK

V1 = "/api/v1"
LP = "/compat/leadpanther/api/v1"
LS = "/compat/leadsopedia/v1"
LT = "/compat/leadtrackr/api/leads"

SIGNED_BY_PLATFORM = Exempt("a provider's callback: signed by the platform, not called by a key")
HACK = f"hacked-{OTHER_MARK}"
# A's marker as a search term: nothing of A's is found (the term itself is echoed in links).
SEARCH = Foreign(MARK, "nothingatall")


def _lead(**fields: Any) -> dict[str, Any]:
    return {"first_name": OTHER_MARK.title(), **fields}


def _form_body(**fields: Any) -> dict[str, Any]:
    return {
        "name": f"{OTHER_MARK} form",
        "fields": [{"name": "email", "label": "Email", "type": "email", "required": True}],
        **fields,
    }


def _automation(**fields: Any) -> dict[str, Any]:
    return {
        "name": f"{OTHER_MARK} automation",
        "trigger": "lead_created",
        "actions": [{"type": "add_tag", "tag": f"{OTHER_MARK}-auto"}],
        **fields,
    }


def _magnet(keyword: Any) -> dict[str, Any]:
    return {
        "delivery_mode": "hosted_content",
        "keyword": keyword,
        "resource_name": f"{OTHER_MARK} guide",
        "text_template": "Here: {{resource_link}}",
        "hosted_page": {"title": "Guide", "markdown_content": "# Guide", "status": "draft"},
    }


def _post(**fields: Any) -> dict[str, Any]:
    return {"text": f"{OTHER_MARK} post", "status": "draft", **fields}


def _comment(**fields: Any) -> dict[str, Any]:
    return {
        "source": "comment",
        "author_name": f"{OTHER_MARK} person",
        "linkedin_profile_url": f"https://www.linkedin.com/in/{OTHER_MARK}-person",
        "content": "hello",
        **fields,
    }


def _lt_lead(**fields: Any) -> dict[str, Any]:
    return {"userData": {"firstName": OTHER_MARK.title()}, **fields}


INBOUND_EMAIL = f"inbound@{OTHER_MARK}.example"
UPLOAD = {"filename": f"{OTHER_MARK}.png", "content_type": "image/png", "file_size": 1024}
CSV = {"file": ("b.csv", b"email,first_name\nnew@bravomark.example,Bee\n", "text/csv")}
NATIVE_LEAD = {"lead_id": a("lead")}

API_CASES: dict[str, Entry] = {
    # -- outside /v1 ----------------------------------------------------------------------
    "GET /api/integrations/facebook/{integration_id}/webhook": SIGNED_BY_PLATFORM,
    "POST /api/integrations/facebook/{integration_id}/webhook": SIGNED_BY_PLATFORM,
    "POST /api/integrations/google/{integration_id}/webhook": SIGNED_BY_PLATFORM,
    "POST /api/inbound/leads": [
        Case(query={"tenant": own("slug")}, json=_lead(email=INBOUND_EMAIL), status=201),
        # The contract's answer to a tenant that is not the key's: 403, for any tenant alike.
        Case(query={"tenant": a_value("slug")}, json=_lead(email=INBOUND_EMAIL), status=403),
        # A's lead's email and phone are no duplicate in the caller's workspace.
        Case(
            query={"tenant": own("slug")},
            json=_lead(email=a_value("lead_email"), phone=a_value("lead_phone")),
            status=201,
            fresh=True,
        ),
    ],
    "GET /api/v1/health": Exempt("the health check answers anyone and names no workspace"),
    "GET /api/v1/me": Case(),
    "GET /api/v1/clients": Case(),
    # -- leads ----------------------------------------------------------------------------
    "GET /api/v1/leads": [
        Case(),
        Case(query={"search": SEARCH}, fresh=True),
        Case(query={"search": a_value("lead_email")}, fresh=True),
        Case(query={"pipeline_id": a("pipeline")}),
        Case(query={"stage_id": a("stage")}),
        Case(query={"assigned_user_id": a("user")}),
        Case(query={"tag": a_value("tag_name")}),
        Case(query={"list_id": a("list")}),
        Case(query={"form_id": a("form")}),
        Case(query={"unique_identifier": a_value("lead_uid")}, fresh=True),
    ],
    "POST /api/v1/leads": [
        Case(json=_lead(), status=201),
        Case(json=_lead(pipeline_id=a("pipeline"))),
        Case(json=_lead(pipeline_stage_id=a("stage"))),
        Case(json=_lead(assigned_user_id=a("user"))),
        Case(json=_lead(form_id=a("form"))),
        # What A's leads hold is no duplicate, nor taken, in another workspace.
        Case(
            json=_lead(
                email=a_value("lead_email"),
                phone=a_value("lead_phone"),
                unique_identifier=a_value("lead_uid"),
            ),
            status=201,
            fresh=True,
        ),
    ],
    "GET /api/v1/leads/{lead_id}": Case(path=NATIVE_LEAD),
    "PATCH /api/v1/leads/{lead_id}": [
        Case(path=NATIVE_LEAD, json={"first_name": HACK, "tags": ["pwned"]}),
        Case(path={"lead_id": own("lead")}, json={"pipeline_stage_id": a("stage")}),
        Case(path={"lead_id": own("lead")}, json={"assigned_user_id": a("user")}),
    ],
    "PUT /api/v1/leads/{lead_id}": [
        Case(path=NATIVE_LEAD, json={"first_name": HACK}),
        Case(path={"lead_id": own("lead")}, json={"pipeline_id": a("pipeline")}),
    ],
    "DELETE /api/v1/leads/{lead_id}": Case(path=NATIVE_LEAD),
    "POST /api/v1/leads/{lead_id}/tags": Case(path=NATIVE_LEAD, json={"tag": "pwned"}),
    "DELETE /api/v1/leads/{lead_id}/tags/{tag}": [
        Case(path={**NATIVE_LEAD, "tag": a_value("tag_name")}),
        Case(path={"lead_id": own("lead"), "tag": a_value("tag_name")}),
    ],
    # -- pipelines, tags, lists -----------------------------------------------------------
    "GET /api/v1/pipelines": Case(),
    "POST /api/v1/pipelines": Case(json={"name": f"{OTHER_MARK} pipeline"}, status=201),
    "GET /api/v1/pipelines/{pipeline_id}": Case(path={"pipeline_id": a("pipeline")}),
    "PATCH /api/v1/pipelines/{pipeline_id}": Case(
        path={"pipeline_id": a("pipeline")}, json={"name": HACK, "is_default": True}
    ),
    "PUT /api/v1/pipelines/{pipeline_id}": Case(
        path={"pipeline_id": a("pipeline")}, json={"name": HACK}
    ),
    "DELETE /api/v1/pipelines/{pipeline_id}": [
        Case(path={"pipeline_id": a("pipeline")}),
        Case(path={"pipeline_id": a("pipeline")}, query={"move_to_stage_id": own("stage")}),
    ],
    "GET /api/v1/pipelines/{pipeline_id}/stages": Case(path={"pipeline_id": a("pipeline")}),
    "POST /api/v1/pipelines/{pipeline_id}/stages": Case(
        path={"pipeline_id": a("pipeline")}, json={"name": HACK}
    ),
    "GET /api/v1/pipelines/{pipeline_id}/stages/{stage_id}": [
        Case(path={"pipeline_id": a("pipeline"), "stage_id": a("stage")}),
        Case(path={"pipeline_id": own("pipeline"), "stage_id": a("stage")}),
    ],
    "PATCH /api/v1/pipelines/{pipeline_id}/stages/{stage_id}": [
        Case(path={"pipeline_id": a("pipeline"), "stage_id": a("stage")}, json={"name": HACK}),
        Case(path={"pipeline_id": own("pipeline"), "stage_id": a("stage")}, json={"name": HACK}),
    ],
    "PUT /api/v1/pipelines/{pipeline_id}/stages/{stage_id}": Case(
        path={"pipeline_id": a("pipeline"), "stage_id": a("stage")}, json={"position": 2}
    ),
    "DELETE /api/v1/pipelines/{pipeline_id}/stages/{stage_id}": [
        Case(path={"pipeline_id": a("pipeline"), "stage_id": a("stage")}),
        Case(path={"pipeline_id": own("pipeline"), "stage_id": a("stage")}),
        Case(
            path={"pipeline_id": a("pipeline"), "stage_id": a("stage")},
            query={"move_to_stage_id": own("stage2")},
        ),
    ],
    "GET /api/v1/tags": Case(),
    "POST /api/v1/tags": Case(json={"name": Unique(f"{OTHER_MARK}-tag")}, status=201),
    "GET /api/v1/tags/{tag_id}": Case(path={"tag_id": a("tag")}),
    "PATCH /api/v1/tags/{tag_id}": Case(path={"tag_id": a("tag")}, json={"name": HACK}),
    "PUT /api/v1/tags/{tag_id}": Case(path={"tag_id": a("tag")}, json={"color": "#00ff00"}),
    "DELETE /api/v1/tags/{tag_id}": Case(path={"tag_id": a("tag")}),
    "GET /api/v1/lists": Case(),
    "POST /api/v1/lists": Case(json={"name": Unique(f"{OTHER_MARK} list")}, status=201),
    "GET /api/v1/lists/{list_id}": Case(path={"list_id": a("list")}),
    "PATCH /api/v1/lists/{list_id}": Case(path={"list_id": a("list")}, json={"name": HACK}),
    "PUT /api/v1/lists/{list_id}": Case(path={"list_id": a("list")}, json={"description": HACK}),
    "DELETE /api/v1/lists/{list_id}": Case(path={"list_id": a("list")}),
    "POST /api/v1/lists/{list_id}/leads": [
        Case(path={"list_id": a("list")}, json={"lead_ids": [own("lead")]}),
        Case(path={"list_id": own("list")}, json={"lead_ids": [a("lead")]}),
    ],
    "POST /api/v1/lists/{list_id}/leads/remove": [
        Case(path={"list_id": a("list")}, json={"lead_ids": [a("lead")]}),
        Case(path={"list_id": own("list")}, json={"lead_ids": [a("lead")]}),
    ],
    "DELETE /api/v1/lists/{list_id}/leads/{lead_id}": [
        Case(path={"list_id": a("list"), "lead_id": a("lead")}),
        Case(path={"list_id": own("list"), "lead_id": a("lead")}),
        Case(path={"list_id": a("list"), "lead_id": own("lead")}),
    ],
    # -- imports, exports, downloads ------------------------------------------------------
    "POST /api/v1/imports": [
        Case(files=CSV, form={"list_name": f"{OTHER_MARK} import"}, status=202),
        Case(files=CSV, form={"list_id": a("list")}),
    ],
    "GET /api/v1/imports": Case(),
    "GET /api/v1/imports/{import_id}": Case(path={"import_id": a("import")}),
    "POST /api/v1/lists/{list_id}/exports": Case(
        path={"list_id": a("list")}, json={"format": "csv"}
    ),
    # A's person is nobody in another workspace: exported and erased as a stranger would be.
    "POST /api/v1/privacy/exports": [
        Case(json={"email": a_value("lead_email", "nobody@nowhere.example")}),
        Case(json={"phone": a_value("lead_phone", "+12025550123")}),
        Case(json={"lead_id": a("lead")}),
    ],
    "POST /api/v1/privacy/erasures": [
        Case(json={"email": a_value("lead_email", "nobody@nowhere.example")}),
        Case(json={"lead_id": a("lead")}),
    ],
    "POST /api/v1/exports": [
        Case(json={"format": "csv", "filters": {"search": SEARCH}}, status=202),
        Case(json={"format": "csv", "filters": {"list_id": a("list")}}),
        Case(json={"format": "csv", "filters": {"pipeline_id": a("pipeline")}}),
    ],
    "GET /api/v1/downloads": Case(),
    "GET /api/v1/downloads/{export_id}": Case(path={"export_id": a("export")}),
    "GET /api/v1/downloads/{export_id}/file": Case(path={"export_id": a("export")}),
    "DELETE /api/v1/downloads/{export_id}": Case(path={"export_id": a("export")}),
    # -- users, forms, automations --------------------------------------------------------
    "GET /api/v1/users": Case(),
    # Through a grant no user is made (test_agency_reach): only B's own key makes one.
    "POST /api/v1/users": Case(
        json={
            "name": f"{OTHER_MARK} new",
            "email": Unique("new.user", f"@{OTHER_MARK}.example"),
            "password": "a-long-password-1",
        },
        status=201,
        direct_only=True,
    ),
    "GET /api/v1/users/{user_id}": Case(path={"user_id": a("user")}),
    "PATCH /api/v1/users/{user_id}": Case(
        path={"user_id": a("user")}, json={"name": HACK, "role": "owner"}
    ),
    "PUT /api/v1/users/{user_id}": Case(path={"user_id": a("user")}, json={"is_active": False}),
    "DELETE /api/v1/users/{user_id}": Case(path={"user_id": a("user")}),
    "GET /api/v1/forms": Case(),
    "POST /api/v1/forms": [
        Case(json=_form_body(), status=201),
        Case(json=_form_body(pipeline_id=a("pipeline"))),
        Case(json=_form_body(pipeline_stage_id=a("stage"))),
    ],
    "GET /api/v1/forms/{form_id}": Case(path={"form_id": a("form")}),
    "PATCH /api/v1/forms/{form_id}": [
        Case(path={"form_id": a("form")}, json={"name": HACK}),
        Case(path={"form_id": a("form")}, json={"is_active": False}),
    ],
    "PUT /api/v1/forms/{form_id}": Case(path={"form_id": a("form")}, json={"name": HACK}),
    "DELETE /api/v1/forms/{form_id}": Case(path={"form_id": a("form")}),
    "GET /api/v1/forms/{form_id}/submissions": Case(path={"form_id": a("form")}),
    "POST /api/v1/forms/{form_id}/submissions": Case(
        path={"form_id": a("form")}, json={"email": f"x@{OTHER_MARK}.example"}
    ),
    "GET /api/v1/automations": Case(),
    "POST /api/v1/automations": [
        Case(json=_automation(), status=201),
        Case(json=_automation(actions=[{"type": "move_to_stage", "stage_id": a("stage")}])),
        Case(json=_automation(actions=[{"type": "assign_user", "user_id": a("user")}])),
        Case(json=_automation(trigger={"type": "form_submitted", "form_id": a("form")})),
        Case(
            json=_automation(
                trigger={"type": "stage_changed", "pipeline_id": a("pipeline")},
            )
        ),
    ],
    "GET /api/v1/automations/{automation_id}": Case(path={"automation_id": a("automation")}),
    "PATCH /api/v1/automations/{automation_id}": [
        Case(path={"automation_id": a("automation")}, json={"name": HACK, "is_active": False}),
        Case(
            path={"automation_id": own("automation")},
            json={"actions": [{"type": "move_to_stage", "stage_id": a("stage")}]},
        ),
    ],
    "PUT /api/v1/automations/{automation_id}": Case(
        path={"automation_id": a("automation")}, json={"name": HACK}
    ),
    "DELETE /api/v1/automations/{automation_id}": Case(path={"automation_id": a("automation")}),
    # -- integrations and conversions -----------------------------------------------------
    "GET /api/v1/integrations/types": Case(),
    "GET /api/v1/integrations": Case(),
    "POST /api/v1/integrations": Case(
        json={
            "type": "google_ads_lead_forms",
            "name": f"{OTHER_MARK} google",
            "settings": {"webhook_key": "bravo-key"},
        },
        status=201,
    ),
    "GET /api/v1/integrations/{integration_id}": Case(path={"integration_id": a("integration")}),
    "PATCH /api/v1/integrations/{integration_id}": Case(
        path={"integration_id": a("integration")}, json={"name": HACK, "is_active": False}
    ),
    "PUT /api/v1/integrations/{integration_id}": Case(
        path={"integration_id": a("integration")}, json={"settings": {"webhook_key": HACK}}
    ),
    "DELETE /api/v1/integrations/{integration_id}": Case(path={"integration_id": a("integration")}),
    "GET /api/v1/conversion-labels": Case(),
    "POST /api/v1/conversion-labels": [
        Case(json={"name": Unique(f"{OTHER_MARK} won")}, status=201),
        Case(
            json={
                "name": f"{OTHER_MARK} sent",
                "destinations": [{"integration_id": a("integration"), "target": "Purchase"}],
            }
        ),
    ],
    "GET /api/v1/conversion-labels/{label_id}": Case(path={"label_id": a("label")}),
    "PATCH /api/v1/conversion-labels/{label_id}": Case(
        path={"label_id": a("label")}, json={"name": HACK}
    ),
    "PUT /api/v1/conversion-labels/{label_id}": Case(
        path={"label_id": a("label")}, json={"value": 10}
    ),
    "DELETE /api/v1/conversion-labels/{label_id}": Case(path={"label_id": a("label")}),
    "GET /api/v1/leads/{lead_id}/conversions": Case(path={"lead_id": a("form_lead")}),
    "PUT /api/v1/leads/{lead_id}/rating": [
        Case(path=NATIVE_LEAD, json={"lost": True}),
        Case(path={"lead_id": own("lead")}, json={"label_id": a("label")}),
    ],
    "DELETE /api/v1/leads/{lead_id}/rating": Case(path={"lead_id": a("form_lead")}),
    "POST /api/v1/conversions/process": [
        Case(json={}),
        Case(json={"lead_ids": [a("form_lead")]}),
    ],
    # -- webhooks, media, lead magnets, activity, posts -----------------------------------
    "GET /api/v1/webhooks": Case(),
    "POST /api/v1/webhooks": [
        Case(
            json={"url": f"http://127.0.0.1:9/{OTHER_MARK}-new", "events": ["lead_created"]},
            status=201,
        ),
        Case(
            json={
                "url": Foreign(f"http://127.0.0.1:9/{MARK}", "http://127.0.0.1:9/nothing"),
                "events": ["*"],
            },
            status=201,
            fresh=True,
        ),
    ],
    "GET /api/v1/webhooks/{webhook_id}": Case(path={"webhook_id": a("webhook")}),
    "PATCH /api/v1/webhooks/{webhook_id}": Case(
        path={"webhook_id": a("webhook")}, json={"url": f"http://127.0.0.1:9/{HACK}"}
    ),
    "PUT /api/v1/webhooks/{webhook_id}": Case(
        path={"webhook_id": a("webhook")}, json={"is_active": False}
    ),
    "DELETE /api/v1/webhooks/{webhook_id}": Case(path={"webhook_id": a("webhook")}),
    "GET /api/v1/webhooks/{webhook_id}/deliveries": Case(path={"webhook_id": a("webhook")}),
    "POST /api/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver": [
        Case(path={"webhook_id": a("webhook"), "delivery_id": a("delivery")}),
        Case(path={"webhook_id": own("webhook"), "delivery_id": a("delivery")}),
        Case(path={"webhook_id": a("webhook"), "delivery_id": own("delivery")}),
    ],
    "POST /api/v1/media/upload-url": Case(json=UPLOAD, status=201),
    "GET /api/v1/lead-magnets": Case(),
    "POST /api/v1/lead-magnets": [
        Case(json=_magnet(Unique("BRAVOKEY")), status=201),
        # A's keyword is not taken in another workspace.
        Case(json=_magnet(Foreign(MARK.upper(), "NOTHINGKEY")), status=201, fresh=True),
    ],
    "GET /api/v1/lead-magnets/{magnet_id}": Case(path={"magnet_id": a("magnet")}),
    "PATCH /api/v1/lead-magnets/{magnet_id}": Case(
        path={"magnet_id": a("magnet")}, json={"description": HACK}
    ),
    "PUT /api/v1/lead-magnets/{magnet_id}": Case(
        path={"magnet_id": a("magnet")}, json={"keyword": "HACKED"}
    ),
    "DELETE /api/v1/lead-magnets/{magnet_id}": Case(path={"magnet_id": a("magnet")}),
    "GET /api/v1/lead-magnets/{magnet_id}/analytics": Case(path={"magnet_id": a("magnet")}),
    "POST /api/v1/activity": [
        Case(json=_comment(), status=201),
        # A's keyword and A's person's profile reach nothing of A's: no reply, a new lead.
        Case(
            json=_comment(
                content=Foreign(f"{MARK.upper()} please", "NOTHING please"),
                linkedin_profile_url=Foreign(
                    f"https://www.linkedin.com/in/{MARK}-person",
                    "https://www.linkedin.com/in/nobody-person",
                ),
                post_id=a_value("post_uuid"),
            ),
            status=201,
            fresh=True,
        ),
    ],
    "GET /api/v1/activity": [
        Case(),
        Case(query={"search": SEARCH}),
        Case(query={"keyword": SEARCH}),
    ],
    "GET /api/v1/activity/{activity_id}": Case(path={"activity_id": a("activity")}),
    "PATCH /api/v1/activity/{activity_id}": Case(
        path={"activity_id": a("activity")}, json={"status": "archived"}
    ),
    "GET /api/v1/social-leads": [
        Case(),
        Case(query={"search": SEARCH}),
        Case(query={"keyword": SEARCH}),
    ],
    "GET /api/v1/posts": Case(),
    "POST /api/v1/posts": [
        Case(json=_post(), status=201),
        Case(json=_post(template_id=a("magnet"))),
    ],
    "GET /api/v1/posts/settings": Case(),
    "PATCH /api/v1/posts/settings": Case(json={"publisher": "webhook"}),
    "PUT /api/v1/posts/settings": Case(json={"publisher": "webhook"}),
    "GET /api/v1/posts/{post_id}": Case(path={"post_id": a("post")}),
    "PATCH /api/v1/posts/{post_id}": [
        Case(path={"post_id": a("post")}, json={"notes": HACK}),
        Case(path={"post_id": a("post")}, json={"status": "scheduled"}),
    ],
    "PUT /api/v1/posts/{post_id}": Case(path={"post_id": a("post")}, json={"text": HACK}),
    "DELETE /api/v1/posts/{post_id}": Case(path={"post_id": a("post")}),
    "POST /api/v1/posts/{post_id}/engagement": Case(
        path={"post_id": a("post")}, json={"metrics": {"impressions": 5}}
    ),
    "GET /api/v1/posts/{post_id}/engagement": Case(path={"post_id": a("post")}),
    # -- account --------------------------------------------------------------------------
    "GET /api/v1/account": Case(),
    "GET /api/v1/account/credits": Case(),
    "GET /api/v1/account/credits/ledger": Case(),
    "GET /api/v1/account/usage": Case(),
    "GET /api/v1/account/activity": Case(),
    "GET /api/v1/account/history": Case(),
    # -- LeadPanther ----------------------------------------------------------------------
    f"GET {LP}/me": Case(),
    f"GET {LP}/clients": Case(),
    f"POST {LP}/lead-magnets": Case(json=_magnet(Unique("BRAVOLP")), status=201),
    f"GET {LP}/lead-magnets/{{id}}/analytics": [
        Case(path={"id": a("magnet_uuid")}),
        Case(path={"id": a("magnet")}),
    ],
    f"POST {LP}/media/upload-url": Case(json=UPLOAD, status=201),
    f"POST {LP}/posts": [
        Case(json=_post(), status=201),
        Case(json=_post(template_id=a("magnet_uuid"))),
    ],
    f"GET {LP}/posts/{{id}}/engagement": [
        Case(path={"id": a("post_uuid")}),
        Case(path={"id": a("post")}),
    ],
    f"GET {LP}/leads": [Case(), Case(query={"search": SEARCH}), Case(query={"keyword": SEARCH})],
    f"GET {LP}/activity": [Case(), Case(query={"search": SEARCH}), Case(query={"keyword": SEARCH})],
    # -- Leadsopedia ----------------------------------------------------------------------
    f"GET {LS}/mylists": Case(),
    f"GET {LS}/mylists/{{list_id}}": Case(path={"list_id": a("list")}),
    f"POST {LS}/mylists": [
        Case(json={"name": Unique(f"{OTHER_MARK} mylist")}),
        # A list of A's name is a new list of the caller's: A's is not updated.
        Case(json={"name": a_value("list_name")}, status=201, fresh=True),
    ],
    f"POST {LS}/mylists/{{list_id}}": Case(path={"list_id": a("list")}, json={"name": HACK}),
    f"DELETE {LS}/mylists/{{list_id}}": Case(path={"list_id": a("list")}),
    f"GET {LS}/contacts": [
        Case(),
        Case(query={"list_id": a("list")}),
        Case(query={"id": a("lead")}),
        Case(query={"email": a_value("lead_email")}),
    ],
    f"GET {LS}/contacts/{{list_id}}": [
        Case(path={"list_id": a("list")}),
        Case(path={"list_id": a("list")}, query={"id": a("lead")}),
        Case(path={"list_id": own("list")}, query={"id": a("lead")}),
        Case(path={"list_id": own("list")}, query={"email": a_value("lead_email")}),
    ],
    f"POST {LS}/contacts": [
        Case(json={"list_id": own("list"), "email": f"c@{OTHER_MARK}.example"}),
        Case(json={"list_id": a("list"), "email": f"d@{OTHER_MARK}.example"}),
        # A's lead's email makes a new contact of the caller's: A's lead is not updated.
        Case(
            json={"list_id": own("list"), "email": a_value("lead_email"), "first_name": HACK},
            status=201,
            fresh=True,
        ),
    ],
    f"POST {LS}/contacts/{{contact_id}}": Case(
        path={"contact_id": a("lead")}, json={"first_name": HACK}
    ),
    f"DELETE {LS}/contacts": [
        Case(query={"email": a_value("lead_email")}),
        Case(query={"id": a("lead")}),
        Case(query={"list_id": a("list"), "id": a("lead")}),
    ],
    f"DELETE {LS}/contacts/{{path_id}}": [
        Case(path={"path_id": a("lead")}),
        Case(path={"path_id": a("list")}, query={"id": a("lead")}),
        Case(path={"path_id": own("list")}, query={"id": a("lead")}),
        Case(path={"path_id": own("list")}, query={"email": a_value("lead_email")}),
    ],
    f"GET {LS}/account": Case(),
    f"GET {LS}/account/credits": Case(),
    f"GET {LS}/account/usage": Case(),
    f"GET {LS}/account/activity": Case(),
    f"GET {LS}/account/history": Case(),
    f"GET {LS}/downloads": Case(),
    f"GET {LS}/downloads/{{download_id}}": Case(path={"download_id": a("export")}),
    f"DELETE {LS}/downloads/{{download_id}}": Case(path={"download_id": a("export")}),
    f"GET {LS}/mydownloads": Case(),
    f"GET {LS}/mydownloads/{{download_id}}": Case(path={"download_id": a("export")}),
    f"DELETE {LS}/mydownloads/{{download_id}}": Case(path={"download_id": a("export")}),
    # -- LeadTrackr -----------------------------------------------------------------------
    f"POST {LT}/createLead": Exempt(
        "keyless by design: the browser's body names its project, as LeadTrackr's does"
    ),
    f"POST {LT}/createServerSideLead": [
        Case(json=_lt_lead(), status=201),
        # The documented answer to another project's id, the same for any id.
        Case(json=_lt_lead(projectId=a_value("public_id")), status=403),
        Case(
            json=_lt_lead(
                userData={"email": a_value("lead_email"), "phone": a_value("lead_phone")},
                uniqueIdentifier=a_value("lead_uid"),
            ),
            status=201,
            fresh=True,
        ),
    ],
    f"GET {LT}/getLeads": [
        Case(),
        Case(query={"search": SEARCH}, fresh=True),
        Case(query={"email": a_value("lead_email")}, fresh=True),
        Case(query={"phone": a_value("lead_phone")}, fresh=True),
        Case(query={"uniqueIdentifier": a_value("lead_uid")}, fresh=True),
        Case(query={"formName": a_value("form_name")}, fresh=True),
    ],
    f"GET {LT}/getLead": [
        Case(query={"leadId": a("lead")}, status=404),
        Case(query={"email": a_value("lead_email")}, status=404),
        Case(query={"phone": a_value("lead_phone")}, status=404),
        Case(query={"uniqueIdentifier": a_value("lead_uid")}, status=404),
    ],
    f"POST {LT}/updateLeadStatus": [
        Case(json={"leadId": a("form_lead"), "conversionId": "open"}, status=404),
        Case(json={"email": a_value("lead_email"), "conversionId": "lost"}, status=404),
        Case(json={"leadId": own("lead"), "conversionId": a_value("label_uuid")}),
    ],
}
