"""Users: the members of a workspace."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.orm import Session

from leadhub.auth.passwords import MIN_LENGTH, hash_password
from leadhub.db.scoped import ScopedRepository
from leadhub.errors import Invalid
from leadhub.kit.contact import InvalidEmail, normalize_email
from leadhub.models import User

ROLES = ("owner", "admin", "member")


def create(
    session: Session,
    workspace_id: int,
    *,
    email: str,
    password: str | None,
    role: str | None = None,
    name: str | None = None,
) -> User:
    """Add a member; the first member of a workspace is its owner unless a role is given."""
    repo = ScopedRepository(session, workspace_id)
    errors: dict[str, list[str]] = {}
    try:
        email = normalize_email(email)
    except InvalidEmail:
        errors["email"] = ["The email field must be a valid email address."]
    if password is not None and len(password) < MIN_LENGTH:
        errors["password"] = [f"The password field must be at least {MIN_LENGTH} characters."]
    if role is not None and role not in ROLES:
        errors["role"] = [f"The selected role is invalid (use one of {', '.join(ROLES)})."]
    if not errors and session.scalar(repo.select(User).where(User.email == email)) is not None:
        errors["email"] = ["The email has already been taken."]
    if errors:
        raise Invalid(errors)
    if role is None:
        has_members = session.scalar(repo.select_columns(User, func.count(User.id)))
        role = "member" if has_members else "owner"
    user = repo.add(
        User(
            email=email,
            name=(name or email.split("@")[0]).strip(),
            role=role,
            password_hash=hash_password(password) if password else None,
        )
    )
    session.flush()
    return user


def exists(session: Session, workspace_id: int, user_id: int) -> bool:
    repo = ScopedRepository(session, workspace_id)
    return session.scalar(repo.select_columns(User, User.id).where(User.id == user_id)) is not None


def find_by_email(session: Session, workspace_id: int, email: str) -> User | None:
    repo = ScopedRepository(session, workspace_id)
    return session.scalar(repo.select(User).where(User.email == email))
