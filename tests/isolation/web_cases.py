"""How each route of the web app (and of the public pages) is called by a person signed in to
another workspace than A: the reviewed table. Forms are posted with the session's CSRF token.
"""

from __future__ import annotations

from typing import Any

from tests.isolation.table import Case, Entry, Exempt, Foreign, Ref, Unique, a, a_value, own
from tests.isolation.world import MARK, OTHER_MARK

HACK = f"hacked-{OTHER_MARK}"
SEARCH = Foreign(MARK, "nothingatall")
PUBLIC_BY_DESIGN = "public by design: it serves what its unguessable link or slug names"


def _automation(**fields: Any) -> dict[str, Any]:
    return {
        "name": f"{OTHER_MARK} web automation",
        "trigger_type": "lead_created",
        "a_rows": "1",
        "a0_type": "add_tag",
        "a0_target": f"{OTHER_MARK}-web",
        **fields,
    }


def _form_builder(**fields: Any) -> dict[str, Any]:
    return {
        "name": f"{OTHER_MARK} web form",
        "row_count": "1",
        "fields-0-name": "email",
        "fields-0-label": "Email",
        "fields-0-type": "email",
        "fields-0-position": "0",
        **fields,
    }


def _magnet(keyword: Any) -> dict[str, Any]:
    return {
        "delivery_mode": "hosted_content",
        "keyword": keyword,
        "resource_name": f"{OTHER_MARK} web guide",
        "text_template": "Here: {{resource_link}}",
        "has_page": "1",
        "page_title": "Guide",
        "page_markdown_content": "# Guide",
        "page_status": "draft",
    }


CSV_FILE = {"file": ("b.csv", b"email,first_name\nweb@bravomark.example,Bee\n", "text/csv")}
LEAD = {"lead_id": a("lead")}
RATED_LEAD = {"lead_id": a("form_lead")}
PIPELINE = {"pipeline_id": a("pipeline")}
STAGE = {"pipeline_id": a("pipeline"), "stage_id": a("stage")}
STAGE_IN_OWN = {"pipeline_id": own("pipeline"), "stage_id": a("stage")}
GRANT = {"grant_id": Ref("g.grant")}
NOT_AN_AGENCY = 403  # B is no agency: its clients' pages refuse every grant id alike

WEB_CASES: dict[str, Entry] = {
    # -- public pages and the API reference -----------------------------------------------
    "GET /openapi.json": Exempt("the API reference: the same for everyone"),
    "GET /docs": Exempt("the API reference: the same for everyone"),
    "GET /f/assets/{name}": Exempt("static assets of the hosted forms"),
    "GET /f/{form_id}/embed.js": Exempt(PUBLIC_BY_DESIGN),
    "GET /f/{form_id}": Exempt(PUBLIC_BY_DESIGN),
    "POST /f/{form_id}": Exempt(PUBLIC_BY_DESIGN),
    "PUT /uploads/{token}": Exempt("a signed upload URL: the signature is the credential"),
    "GET /uploads/{path}": Exempt(PUBLIC_BY_DESIGN),
    "GET /m/assets/{name}": Exempt("static assets of the hosted pages"),
    "GET /m/{slug}": Exempt(PUBLIC_BY_DESIGN),
    "POST /m/{slug}": Exempt(PUBLIC_BY_DESIGN),
    "GET /m/{slug}/cta": Exempt(PUBLIC_BY_DESIGN),
    "GET /m/{slug}/download": Exempt(PUBLIC_BY_DESIGN),
    "GET /downloads/{export_uuid}/{filename}": Exempt(
        "a signed, expiring download link: the signature is the credential"
    ),
    # -- signing in -----------------------------------------------------------------------
    "GET /login": Case(),
    "POST /login": Exempt("signs in with a password: it opens a session, it reads none"),
    "POST /logout": Exempt("ends the caller's own session"),
    # Another workspace's user id is not one of this person's memberships: nothing changes.
    "POST /switch": Case(form={"user_id": a("user")}),
    "POST /clients/act": Case(form={"client_id": a_value("public_id")}, status=NOT_AN_AGENCY),
    "POST /clients/leave": Case(form={}),
    # -- dashboard, account ---------------------------------------------------------------
    "GET /": Case(),
    "GET /account": Case(),
    "POST /account/quota": Case(form={"quota": "100000"}),
    "GET /account/credits": Case(),
    "GET /account/activity": Case(),
    "GET /account/history": Case(),
    # -- leads ----------------------------------------------------------------------------
    "GET /leads": [
        Case(),
        Case(query={"search": SEARCH}, fresh=True),
        Case(query={"pipeline_id": a("pipeline")}),
        Case(query={"stage_id": a("stage")}),
        Case(query={"list_id": a("list")}),
        Case(query={"tag": a_value("tag_name")}),
        Case(query={"assigned_user_id": a("user")}),
    ],
    "POST /leads/bulk": [
        Case(form={"ids": a("lead"), "action": "tag", "tag": "pwned"}),
        Case(form={"ids": a("lead"), "action": "status", "status": "lost"}),
        Case(form={"ids": a("lead"), "action": "assign", "user_id": ""}),
        Case(form={"ids": a("lead"), "action": "delete", "confirm": "yes"}),
        Case(form={"ids": a("lead"), "action": "delete"}),
        Case(form={"ids": own("lead"), "action": "assign", "user_id": a("user")}),
        Case(form={"ids": own("lead"), "action": "list_add", "list_id": a("list")}),
        Case(form={"ids": a("lead"), "action": "list_add", "list_id": own("list")}),
        Case(form={"ids": own("lead"), "action": "list_remove", "list_id": a("list")}),
    ],
    "GET /leads/new": Case(),
    "POST /leads/new": [
        Case(form={"first_name": f"{OTHER_MARK} web"}),
        Case(form={"first_name": f"{OTHER_MARK} web", "pipeline_stage_id": a("stage")}),
        Case(form={"first_name": f"{OTHER_MARK} web", "assigned_user_id": a("user")}),
        Case(form={"first_name": f"{OTHER_MARK} web", "form_id": a("form")}),
    ],
    "GET /leads/{lead_id}/edit": Case(path=LEAD),
    "POST /leads/{lead_id}/edit": [
        Case(path=LEAD, form={"first_name": HACK}),
        Case(
            path={"lead_id": own("lead")},
            form={"first_name": OTHER_MARK, "pipeline_stage_id": a("stage")},
        ),
    ],
    "GET /leads/{lead_id}": Case(path=LEAD),
    "POST /leads/{lead_id}/tags": Case(path=LEAD, form={"tag": "pwned"}),
    "POST /leads/{lead_id}/tags/remove": Case(path=LEAD, form={"tag": a_value("tag_name")}),
    "POST /leads/{lead_id}/lists": [
        Case(path=LEAD, form={"list_id": own("list")}),
        Case(path={"lead_id": own("lead")}, form={"list_id": a("list")}),
    ],
    "POST /leads/{lead_id}/lists/remove": [
        Case(path=LEAD, form={"list_id": a("list")}),
        Case(path={"lead_id": own("lead")}, form={"list_id": a("list")}),
    ],
    "POST /leads/{lead_id}/delete": [
        Case(path=LEAD, form={"confirm": "yes"}),
        Case(path=LEAD, form={}),
    ],
    # -- conversions ----------------------------------------------------------------------
    "GET /conversions": Case(),
    "GET /conversions/pending": Case(),
    "GET /conversions/pending/rows": Case(),
    "GET /conversions/rated": Case(),
    "POST /conversions/process": Case(form={}),
    "POST /conversions/leads/{lead_id}/rate": [
        Case(path=LEAD, form={"lost": "1"}),
        Case(path={"lead_id": own("lead")}, form={"label_id": a("label")}),
    ],
    "POST /conversions/leads/{lead_id}/reopen": Case(path=RATED_LEAD, form={}),
    "POST /conversions/leads/{lead_id}/process": Case(path=RATED_LEAD, form={}),
    # -- lists, imports, exports ----------------------------------------------------------
    "GET /lists": Case(),
    "POST /lists": Case(form={"name": Unique(f"{OTHER_MARK} web list")}),
    "GET /lists/{list_id}/edit": Case(path={"list_id": a("list")}),
    "POST /lists/{list_id}/edit": Case(path={"list_id": a("list")}, form={"name": HACK}),
    "POST /lists/{list_id}/delete": [
        Case(path={"list_id": a("list")}, form={"confirm": "yes"}),
        Case(path={"list_id": a("list")}, form={}),
    ],
    "GET /imports": Case(),
    "GET /imports/new": Case(),
    "POST /imports": [
        Case(files=CSV_FILE, form={"list_name": f"{OTHER_MARK} web import"}),
        Case(files=CSV_FILE, form={"list_id": a("list")}),
    ],
    "GET /imports/{import_id}/mapping": Case(path={"import_id": a("import")}),
    "POST /imports/{import_id}/start": Case(path={"import_id": a("import")}, form={}),
    "GET /imports/{import_id}": Case(path={"import_id": a("import")}),
    "GET /exports": Case(),
    "POST /exports": [
        Case(form={"list_id": own("list"), "format": "csv"}),
        Case(form={"list_id": a("list"), "format": "csv"}),
    ],
    "POST /exports/{export_id}/delete": Case(path={"export_id": a("export")}, form={}),
    # -- pipelines ------------------------------------------------------------------------
    "GET /pipelines": Case(),
    "POST /pipelines": Case(form={"name": f"{OTHER_MARK} web pipeline"}),
    "GET /pipelines/{pipeline_id}": Case(path=PIPELINE),
    "POST /pipelines/{pipeline_id}/move": [
        Case(path=PIPELINE, form={"lead_id": a("lead"), "stage_id": a("stage2")}),
        Case(
            path={"pipeline_id": own("pipeline")},
            form={"lead_id": a("lead"), "stage_id": own("stage2")},
        ),
        Case(
            path={"pipeline_id": own("pipeline")},
            form={"lead_id": own("lead"), "stage_id": a("stage2")},
        ),
    ],
    "POST /pipelines/{pipeline_id}/rename": Case(path=PIPELINE, form={"name": HACK}),
    "POST /pipelines/{pipeline_id}/default": Case(path=PIPELINE, form={}),
    "POST /pipelines/{pipeline_id}/delete": [
        Case(path=PIPELINE, form={}),
        Case(path=PIPELINE, form={"move_to_stage_id": own("stage")}),
    ],
    "GET /pipelines/{pipeline_id}/stages": Case(path=PIPELINE),
    "POST /pipelines/{pipeline_id}/stages": Case(path=PIPELINE, form={"name": HACK}),
    "POST /pipelines/{pipeline_id}/stages/{stage_id}": [
        Case(path=STAGE, form={"name": HACK}),
        Case(path=STAGE_IN_OWN, form={"name": HACK}),
    ],
    "POST /pipelines/{pipeline_id}/stages/{stage_id}/move": [
        Case(path=STAGE, form={"direction": "down"}),
        Case(path=STAGE_IN_OWN, form={"direction": "down"}),
    ],
    "POST /pipelines/{pipeline_id}/stages/{stage_id}/delete": [
        Case(path=STAGE, form={}),
        Case(path=STAGE_IN_OWN, form={}),
    ],
    # -- forms ----------------------------------------------------------------------------
    "GET /forms": Case(),
    "GET /forms/new": Case(),
    "POST /forms/new": [
        Case(form=_form_builder()),
        Case(form=_form_builder(pipeline_id=a("pipeline"))),
    ],
    "GET /forms/{form_id}": Case(path={"form_id": a("form")}),
    "GET /forms/{form_id}/edit": Case(path={"form_id": a("form")}),
    "POST /forms/{form_id}/edit": Case(path={"form_id": a("form")}, form=_form_builder(name=HACK)),
    "POST /forms/{form_id}/delete": Case(path={"form_id": a("form")}, form={}),
    "GET /forms/{form_id}/submissions": Case(path={"form_id": a("form")}),
    # -- automations ----------------------------------------------------------------------
    "GET /automations": Case(),
    "GET /automations/new": Case(),
    "POST /automations": [
        Case(form=_automation()),
        Case(form=_automation(a0_type="move_to_stage", a0_stage_id=a("stage"))),
        Case(form=_automation(trigger_type="form_submitted", trigger_form_id=a("form"))),
    ],
    "GET /automations/{automation_id}": Case(path={"automation_id": a("automation")}),
    "POST /automations/{automation_id}": Case(
        path={"automation_id": a("automation")}, form=_automation(name=HACK)
    ),
    "POST /automations/{automation_id}/toggle": Case(
        path={"automation_id": a("automation")}, form={}
    ),
    "POST /automations/{automation_id}/delete": Case(
        path={"automation_id": a("automation")}, form={}
    ),
    "GET /automations/{automation_id}/runs": Case(path={"automation_id": a("automation")}),
    # -- inbox, lead magnets, posts -------------------------------------------------------
    "GET /inbox": [Case(), Case(query={"search": SEARCH}), Case(query={"keyword": SEARCH})],
    "POST /inbox/{activity_id}/status": Case(
        path={"activity_id": a("activity")}, form={"to": "archived"}
    ),
    "GET /lead-magnets": Case(),
    "GET /lead-magnets/new": Case(),
    "POST /lead-magnets/new": Case(form=_magnet(Unique("BRAVOWEB"))),
    "GET /lead-magnets/{magnet_id}/edit": Case(path={"magnet_id": a("magnet")}),
    "POST /lead-magnets/{magnet_id}/edit": Case(
        path={"magnet_id": a("magnet")}, form=_magnet("HACKED")
    ),
    "POST /lead-magnets/{magnet_id}/delete": Case(path={"magnet_id": a("magnet")}, form={}),
    "POST /lead-magnets/preview": Case(form={"markdown": "# Preview"}),
    "GET /lead-magnets/{magnet_id}/analytics": Case(path={"magnet_id": a("magnet")}),
    "GET /posts": Case(),
    "GET /posts/new": Case(),
    "POST /posts": [
        Case(form={"text": f"{OTHER_MARK} web post", "status": "draft"}),
        Case(
            form={"text": f"{OTHER_MARK} web post", "status": "draft", "template_id": a("magnet")}
        ),
    ],
    "GET /posts/{post_id}": Case(path={"post_id": a("post")}),
    "POST /posts/{post_id}": Case(
        path={"post_id": a("post")}, form={"text": HACK, "status": "draft"}
    ),
    "POST /posts/{post_id}/delete": Case(path={"post_id": a("post")}, form={}),
    # -- webhooks -------------------------------------------------------------------------
    "GET /webhooks": Case(),
    "GET /webhooks/new": Case(),
    "POST /webhooks": Case(
        form={"url": f"http://127.0.0.1:9/{OTHER_MARK}-web", "events": "*", "is_active": "1"}
    ),
    "GET /webhooks/{webhook_id}": Case(path={"webhook_id": a("webhook")}),
    "POST /webhooks/{webhook_id}": Case(
        path={"webhook_id": a("webhook")},
        form={"url": f"http://127.0.0.1:9/{HACK}", "events": "*", "is_active": "1"},
    ),
    "POST /webhooks/{webhook_id}/delete": Case(path={"webhook_id": a("webhook")}, form={}),
    "GET /webhooks/{webhook_id}/deliveries": Case(path={"webhook_id": a("webhook")}),
    "POST /webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver": [
        Case(path={"webhook_id": a("webhook"), "delivery_id": a("delivery")}, form={}),
        Case(path={"webhook_id": own("webhook"), "delivery_id": a("delivery")}, form={}),
    ],
    # -- settings -------------------------------------------------------------------------
    "GET /settings": Case(),
    "GET /settings/workspace": Case(),
    "POST /settings/workspace": Case(
        form={"name": f"{OTHER_MARK} workspace", "slug": own("slug"), "default_region": "FR"}
    ),
    "GET /settings/users": Case(),
    "GET /settings/users/new": Case(),
    "POST /settings/users": Case(
        form={
            "name": f"{OTHER_MARK} web user",
            "email": Unique("web.user", f"@{OTHER_MARK}.example"),
            "role": "member",
            "password": "a-long-password-1",
        }
    ),
    "POST /settings/users/{user_id}/role": Case(
        path={"user_id": a("user")}, form={"role": "owner"}
    ),
    "POST /settings/users/{user_id}/active": Case(
        path={"user_id": a("user")}, form={"active": "0"}
    ),
    "POST /settings/users/{user_id}/delete": [
        Case(path={"user_id": a("user")}, form={"confirm": "yes"}),
        Case(path={"user_id": a("user")}, form={}),
    ],
    "GET /settings/api-keys": Case(),
    "GET /settings/api-keys/new": Case(),
    "POST /settings/api-keys": Case(
        form={"name": f"{OTHER_MARK} web key", "scopes": "*", "rate_limit": "1000"}
    ),
    "POST /settings/api-keys/{key_id}/revoke": Case(path={"key_id": a("api_key")}, form={}),
    "GET /settings/integrations": Case(),
    "GET /settings/integrations/new": Case(query={"type": "google_ads_lead_forms"}),
    "POST /settings/integrations": Case(
        form={
            "type": "google_ads_lead_forms",
            "name": f"{OTHER_MARK} web google",
            "settings.webhook_key": "web-key",
        }
    ),
    "GET /settings/integrations/{integration_id}": Case(path={"integration_id": a("integration")}),
    "POST /settings/integrations/{integration_id}": Case(
        path={"integration_id": a("integration")}, form={"name": HACK}
    ),
    "POST /settings/integrations/{integration_id}/active": Case(
        path={"integration_id": a("integration")}, form={"active": "0"}
    ),
    "POST /settings/integrations/{integration_id}/test": Case(
        path={"integration_id": a("integration")}, form={}
    ),
    "POST /settings/integrations/{integration_id}/delete": Case(
        path={"integration_id": a("integration")}, form={}
    ),
    "GET /settings/privacy": Case(),
    "POST /settings/privacy/lookup": [
        Case(form={"email": a_value("lead_email", "nobody@nowhere.example")}),
        Case(form={"lead_id": a("lead")}),
    ],
    "POST /settings/privacy/export": Case(
        form={"email": a_value("lead_email", "nobody@nowhere.example")}
    ),
    "POST /settings/privacy/erase": Case(form={"lead_id": a("lead")}),
    "POST /settings/privacy/delete": [
        Case(form={"email": a_value("lead_email", "nobody@nowhere.example"), "confirm": "ERASE"}),
        Case(form={"lead_id": a("lead"), "confirm": "ERASE"}),
    ],
    "GET /settings/tags": Case(),
    "POST /settings/tags": Case(form={"name": Unique(f"{OTHER_MARK}-web-tag")}),
    "GET /settings/tags/{tag_id}": Case(path={"tag_id": a("tag")}),
    "POST /settings/tags/{tag_id}": Case(path={"tag_id": a("tag")}, form={"name": HACK}),
    "POST /settings/tags/{tag_id}/delete": Case(path={"tag_id": a("tag")}, form={}),
    "GET /settings/conversion-labels": Case(),
    "GET /settings/conversion-labels/new": Case(),
    "POST /settings/conversion-labels": Case(
        form={"name": Unique(f"{OTHER_MARK} web label"), "currency": "EUR"}
    ),
    "GET /settings/conversion-labels/{label_id}": Case(path={"label_id": a("label")}),
    "POST /settings/conversion-labels/{label_id}": Case(
        path={"label_id": a("label")}, form={"name": HACK, "currency": "EUR"}
    ),
    "POST /settings/conversion-labels/{label_id}/delete": Case(
        path={"label_id": a("label")}, form={}
    ),
    "GET /settings/clients": Case(status=NOT_AN_AGENCY),
    "GET /settings/clients/new": Case(status=NOT_AN_AGENCY),
    "POST /settings/clients": Case(
        form={"client": a_value("slug"), "permissions": "*"}, status=NOT_AN_AGENCY
    ),
    "GET /settings/clients/{grant_id}": Case(path=GRANT, status=NOT_AN_AGENCY),
    "POST /settings/clients/{grant_id}": Case(
        path=GRANT, form={"permissions": "*"}, status=NOT_AN_AGENCY
    ),
    "POST /settings/clients/{grant_id}/revoke": Case(path=GRANT, form={}, status=NOT_AN_AGENCY),
}
