"""What the API and the web app share about privacy requests: the node's key for the person's
reference, and the links to the files that hold the person."""

from __future__ import annotations

from urllib.parse import quote

from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.domains.exports import service as exports
from leadhub.domains.privacy.schemas import HeldFile
from leadhub.surfaces.common.downloads import download_url
from leadhub.surfaces.common.links import UPLOADS_PATH
from leadhub.surfaces.common.runtime import Runtime


def reference_key(runtime: Runtime) -> str:
    """The key of the keyed hash that names a person in the audit log."""
    return runtime.settings.effective_secret_key()


def with_links(
    runtime: Runtime, session: Session, principal: Principal, files: list[HeldFile]
) -> list[HeldFile]:
    """The files, each with its link: a media file's public URL, an export's signed one."""
    base = runtime.settings.effective_base_url
    linked = []
    for held in files:
        url = None
        if held.kind == "media" and held.path:
            url = f"{base}{UPLOADS_PATH}/{quote(held.path)}"
        elif held.kind == "export":
            url = download_url(runtime, exports.get_export(session, principal, int(held.id)))
        linked.append(held.model_copy(update={"url": url}))
    return linked
