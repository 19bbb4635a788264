"""The `/clients/{client_id}/…` twins: an agency's key acting on a client through its grant.

The native API and the LeadPanther dialect both serve their workspace routes a second time under
this prefix; `authenticate` reads `client_id` from the path and resolves the grant.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

CLIENT_PREFIX = "/clients/{client_id}"


def client_path(
    client_id: Annotated[
        str,
        Path(
            max_length=64,
            description="The client workspace's public id (ws_…), as listed by GET /clients.",
        ),
    ],
) -> str:
    """Declares `{client_id}` on the client twins of every route (authenticate resolves it).

    The path parameter is named `client_id`, the name authenticate reads.
    """
    return client_id
