"""Users: the members of a workspace. Emails are unique in a workspace, passwords are only
stored hashed, and a workspace always keeps at least one active owner."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from leadhub.auth.passwords import MIN_LENGTH, hash_password
from leadhub.auth.principal import Principal
from leadhub.db.scoped import ScopedRepository
from leadhub.domains.audit import service as audit
from leadhub.domains.events import service as events
from leadhub.domains.events.schemas import Actor
from leadhub.domains.users.schemas import UserCreate, UserRead, UserUpdate
from leadhub.errors import Invalid, NotFound
from leadhub.kit.contact import InvalidEmail, normalize_email
from leadhub.kit.pagination import Page, PageRequest
from leadhub.models import Lead, User

ROLES = ("owner", "admin", "member")
_TAKEN = "The email has already been taken."
_LAST_OWNER = "A workspace must keep at least one active owner."


def create(
    session: Session,
    workspace_id: int,
    *,
    email: str,
    password: str | None,
    role: str | None = None,
    name: str | None = None,
    actor: Principal | None = None,
) -> User:
    """Add a member; the first member of a workspace is its owner unless a role is given.
    The activity notes `actor` (None: the system, the command line) as who invited them."""
    repo = ScopedRepository(session, workspace_id)
    errors: dict[str, list[str]] = {}
    address = _email(repo, email, errors, current=None)
    if password is not None and len(password) < MIN_LENGTH:
        errors["password"] = [f"The password field must be at least {MIN_LENGTH} characters."]
    if role is not None and role not in ROLES:
        errors["role"] = [f"The selected role is invalid (use one of {', '.join(ROLES)})."]
    if errors:
        raise Invalid(errors)
    if role is None:
        has_members = session.scalar(repo.select_columns(User, func.count(User.id)))
        role = "member" if has_members else "owner"
    user = repo.add(
        User(
            email=address,
            name=(name or address.split("@")[0]).strip(),
            role=role,
            password_hash=hash_password(password) if password else None,
        )
    )
    _flush(session)
    _note(session, workspace_id, actor, "user.invited", user, {"role": role})
    return user


# -- the API's use cases ----------------------------------------------------------------------


def list_users(session: Session, principal: Principal, *, page: PageRequest) -> Page[UserRead]:
    """The workspace's members by name."""
    repo = ScopedRepository(session, principal.workspace_id)
    users, total = repo.page_of(repo.select(User).order_by(User.name, User.id), page)
    return Page(items=[to_read(user) for user in users], total=total, request=page)


def get_user(session: Session, principal: Principal, user_id: int) -> UserRead:
    """One member."""
    return to_read(_require(ScopedRepository(session, principal.workspace_id), user_id))


def create_user(session: Session, principal: Principal, *, data: UserCreate) -> UserRead:
    """Add a member with a password."""
    principal.require_own_access()
    user = create(
        session,
        principal.workspace_id,
        email=data.email,
        password=data.password,
        role=data.role or "member",
        name=data.name,
        actor=principal,
    )
    if data.is_active is False:
        user.is_active = False
        session.flush()
    return to_read(user)


def update_user(
    session: Session, principal: Principal, user_id: int, *, data: UserUpdate
) -> UserRead:
    """Change a member; demoting or deactivating the last active owner is refused. Through an
    agency's grant, a sign-in (password, email) does not change."""
    repo = ScopedRepository(session, principal.workspace_id)
    user = _require(repo, user_id)
    if data.password is not None or data.email is not None:
        principal.require_own_access()
    errors: dict[str, list[str]] = {}
    if data.email is not None:
        user.email = _email(repo, data.email, errors, current=user)
    if errors:
        raise Invalid(errors)
    keeps_owner = (data.role in (None, "owner")) and data.is_active is not False
    if not keeps_owner and _is_last_owner(repo, user):
        field = "role" if data.role not in (None, "owner") else "is_active"
        raise Invalid.field(field, _LAST_OWNER)
    before = (user.role, user.is_active)
    if data.name is not None:
        user.name = data.name.strip()
    if data.role is not None:
        user.role = data.role
    if data.is_active is not None:
        user.is_active = data.is_active
    if data.password is not None:
        user.password_hash = hash_password(data.password)
    _flush(session)
    _note_update(session, principal, user, before)
    return to_read(user)


def delete_user(session: Session, principal: Principal, user_id: int) -> None:
    """Remove a member; their leads become unassigned."""
    repo = ScopedRepository(session, principal.workspace_id)
    user = _require(repo, user_id)
    if _is_last_owner(repo, user):
        raise Invalid.field("role", _LAST_OWNER)
    assigned = session.scalars(
        repo.select_columns(Lead, Lead.id).where(Lead.assigned_user_id == user.id)
    ).all()
    session.execute(
        repo.update(Lead).where(Lead.assigned_user_id == user.id).values(assigned_user_id=None)
    )
    for lead_id in assigned:
        events.record_changes(
            session,
            principal.workspace_id,
            lead_id,
            actor=Actor.of(principal),
            before={"assigned_user_id": user.id},
            after={"assigned_user_id": None},
        )
    _note(session, principal.workspace_id, principal, "user.removed", user, {"role": user.role})
    session.delete(user)
    session.flush()


def owner_name(session: Session, principal: Principal) -> str | None:
    """The name of the workspace's first active owner, if it has one (LeadPanther's /me)."""
    repo = ScopedRepository(session, principal.workspace_id)
    statement = (
        repo.select_columns(User, User.name)
        .where(User.role == "owner", User.is_active.is_(True))
        .order_by(User.id)
        .limit(1)
    )
    name = session.scalar(statement)
    return (name or "").strip() or None


def to_read(user: User) -> UserRead:
    return UserRead(
        id=user.id,
        name=user.name,
        email=user.email,
        role=user.role,
        is_active=user.is_active,
        last_login_at=user.last_login_at,
        created_at=user.created_at,
        updated_at=user.updated_at,
    )


def _require(repo: ScopedRepository, user_id: int) -> User:
    user = repo.get(User, user_id)
    if user is None:
        raise NotFound.of("User")
    return user


def _email(
    repo: ScopedRepository, raw: str, errors: dict[str, list[str]], *, current: User | None
) -> str:
    try:
        address = normalize_email(raw)
    except InvalidEmail:
        errors["email"] = ["The email field must be a valid email address."]
        return raw
    clash = repo.session.scalar(repo.select(User).where(User.email == address))
    if clash is not None and clash is not current:
        errors["email"] = [_TAKEN]
    return address


def _is_last_owner(repo: ScopedRepository, user: User) -> bool:
    if user.role != "owner" or not user.is_active:
        return False
    others = repo.session.scalar(
        repo.select_columns(User, func.count(User.id)).where(
            User.role == "owner", User.is_active.is_(True), User.id != user.id
        )
    )
    return not others


def _note_update(
    session: Session, principal: Principal, user: User, before: tuple[str, bool]
) -> None:
    role, active = before
    if user.role != role:
        details = {"from": role, "to": user.role}
        _note(session, principal.workspace_id, principal, "user.role_changed", user, details)
    if user.is_active != active:
        action = "user.reactivated" if user.is_active else "user.deactivated"
        _note(session, principal.workspace_id, principal, action, user, {})


def _note(
    session: Session,
    workspace_id: int,
    actor: Principal | None,
    action: str,
    user: User,
    details: Mapping[str, object],
) -> None:
    """An activity entry about a member, named by email (it outlives their removal)."""
    audit.record(
        session,
        workspace_id,
        actor,
        action,
        target_type="user",
        target_id=user.id,
        details={"email": user.email, **details},
    )


def _flush(session: Session) -> None:
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent request took the email
        raise Invalid.field("email", _TAKEN) from exc
