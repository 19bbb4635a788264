"""/api/v1/users: the workspace's members."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response

from leadhub.auth.principal import Principal
from leadhub.domains.users import service as users
from leadhub.domains.users.schemas import UserCreate, UserRead, UserUpdate
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.common.deps import RequireScope, RuntimeDep, SessionDep
from leadhub.surfaces.common.idempotency import IdempotentRoute
from leadhub.surfaces.native.envelopes import DataEnvelope, PageEnvelope, PageQuery, paginate
from leadhub.surfaces.native.errors import ERROR_RESPONSES

router = APIRouter(
    route_class=IdempotentRoute, prefix="/users", tags=["Users"], responses=ERROR_RESPONSES
)

ReadUsers = Annotated[Principal, Depends(RequireScope("read:users"))]
WriteUsers = Annotated[Principal, Depends(RequireScope("write:users"))]
DeleteUsers = Annotated[Principal, Depends(RequireScope("delete:users"))]
UserId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("", response_model=PageEnvelope[UserRead])
def list_users(
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: ReadUsers,
    page: PageQuery,
) -> PageEnvelope[UserRead]:
    """List the workspace's members."""
    return paginate(request, runtime, users.list_users(session, principal, page=page))


@router.post("", status_code=201, response_model=DataEnvelope[UserRead])
def create_user(
    body: UserCreate, session: SessionDep, principal: WriteUsers
) -> DataEnvelope[UserRead]:
    """Add a member (`name`, `email`, `password`; `role` defaults to member)."""
    return DataEnvelope(data=users.create_user(session, principal, data=body))


@router.get("/{user_id}", response_model=DataEnvelope[UserRead])
def get_user(user_id: UserId, session: SessionDep, principal: ReadUsers) -> DataEnvelope[UserRead]:
    """Get a member."""
    return DataEnvelope(data=users.get_user(session, principal, user_id))


@router.put("/{user_id}", response_model=DataEnvelope[UserRead])
@router.patch("/{user_id}", response_model=DataEnvelope[UserRead])
def update_user(
    user_id: UserId, body: UserUpdate, session: SessionDep, principal: WriteUsers
) -> DataEnvelope[UserRead]:
    """Change a member; the last active owner keeps their role."""
    return DataEnvelope(data=users.update_user(session, principal, user_id, data=body))


@router.delete("/{user_id}", status_code=204, response_class=Response)
def delete_user(user_id: UserId, session: SessionDep, principal: DeleteUsers) -> Response:
    """Remove a member; their leads become unassigned."""
    users.delete_user(session, principal, user_id)
    return Response(status_code=204)
