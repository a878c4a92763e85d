"""Who may do what: role checks and the `access_*` pattern for objects (DESIGN §3 Roles).

Role checks answer 403. Object checks follow the rule of STYLE.md: an object the caller may
not see answers 404 exactly like one that does not exist, so ids cannot be probed. Domain
services write their own `access_<thing>` helpers on top of `access_object`:

    async def access_video(*, session, user, video_id) -> Video:
        return await access_object(session=session, model=Video, object_id=video_id,
                                   user=user, owner_field="owner_id", staff=True)

Rules whose catalog entry says `forbidden: true` (e.g. `host`) load the object first, then
raise `PermissionDenied` for callers who can see it but not change it.
"""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.errors import NotFound, PermissionDenied
from watchparty.tables import ROLES, User

__all__ = [
    "AUTH_ROLES",
    "STAFF_ROLES",
    "has_role",
    "is_staff",
    "require_role",
    "require_auth",
    "check_owner",
    "access_object",
]

ModelT = TypeVar("ModelT", bound=SQLModel)

STAFF_ROLES = ("moderator", "admin")
# Catalog `auth` level -> roles that pass it (docs/catalog.md: moderator means moderator or admin).
AUTH_ROLES: dict[str, tuple[str, ...]] = {
    "user": ROLES,
    "moderator": STAFF_ROLES,
    "admin": ("admin",),
}


def has_role(user: User, *roles: str) -> bool:
    return user.role in roles


def is_staff(user: User) -> bool:
    return user.role in STAFF_ROLES


def require_role(user: User, *roles: str) -> None:
    """Raises PermissionDenied unless the user has one of `roles`."""
    if not roles:
        raise ValueError("require_role needs at least one role")
    if user.role not in roles:
        raise PermissionDenied()


def require_auth(user: User, auth: str) -> None:
    """Check a catalog `auth` level (`user`, `moderator`, `admin`); `public` always passes."""
    if auth == "public":
        return
    require_role(user, *AUTH_ROLES[auth])


def check_owner(
    obj: Any, user: User, *, owner_field: str = "owner_id", staff: bool = False
) -> bool:
    """Whether `user` owns `obj` (or, with `staff=True`, is a moderator or admin)."""
    return getattr(obj, owner_field) == user.id or (staff and is_staff(user))


async def access_object(
    *,
    session: AsyncSession,
    model: type[ModelT],
    object_id: uuid.UUID | str,
    user: User,
    owner_field: str = "owner_id",
    staff: bool = False,
) -> ModelT:
    """The object if `user` may see it.

    Raises:
        NotFound: it does not exist, or the caller may not see it (the same answer).
    """
    try:
        key = object_id if isinstance(object_id, uuid.UUID) else uuid.UUID(object_id)
    except ValueError:
        raise NotFound() from None
    obj = await session.get(model, key)
    if obj is None or not check_owner(obj, user, owner_field=owner_field, staff=staff):
        raise NotFound()
    return obj
