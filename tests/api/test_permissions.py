"""Role checks and the `access_*` pattern of watchparty.permissions."""

from __future__ import annotations

import uuid

import pytest

from tests.utils.factories import make_user
from watchparty.db import Database
from watchparty.errors import NotFound, PermissionDenied
from watchparty.permissions import access_object, check_owner, is_staff, require_auth, require_role
from watchparty.runtime import Runtime
from watchparty.services.accounts import check_register
from watchparty.settings import Settings
from watchparty.tables import PasswordResetToken, User


def user_with(role: str) -> User:
    return User(email=f"{role}@example.com", username=role, password_hash="!", role=role)


def test_require_role() -> None:
    require_role(user_with("admin"), "moderator", "admin")
    with pytest.raises(PermissionDenied):
        require_role(user_with("user"), "moderator", "admin")
    with pytest.raises(ValueError):
        require_role(user_with("user"))


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("user", {"public", "user"}),
        ("moderator", {"public", "user", "moderator"}),
        ("admin", {"public", "user", "moderator", "admin"}),
    ],
)
def test_require_auth_levels(role: str, allowed: set[str]) -> None:
    user = user_with(role)
    for level in ("public", "user", "moderator", "admin"):
        if level in allowed:
            require_auth(user, level)
        else:
            with pytest.raises(PermissionDenied):
                require_auth(user, level)
    assert is_staff(user) == (role != "user")


async def test_access_object_hides_what_the_caller_may_not_see(
    db: Database, settings: Settings
) -> None:
    owner = await make_user(db, settings)
    stranger = await make_user(db, settings)
    moderator = await make_user(db, settings, role="moderator")
    token = PasswordResetToken(
        user_id=owner.id, token_hash=uuid.uuid4().hex, expires_at=owner.date_joined
    )
    async with db.session() as session:
        session.add(token)
        await session.commit()
        found = await access_object(
            session=session,
            model=PasswordResetToken,
            object_id=str(token.id),
            user=owner,
            owner_field="user_id",
        )
        assert found.id == token.id
        hidden: list[tuple[User, uuid.UUID | str, bool]] = [
            (stranger, token.id, False),
            (moderator, token.id, False),
            (owner, uuid.uuid4(), False),
            (owner, "not-a-uuid", True),
        ]
        for who, object_id, staff in hidden:
            with pytest.raises(NotFound) as caught:
                await access_object(
                    session=session,
                    model=PasswordResetToken,
                    object_id=object_id,
                    user=who,
                    owner_field="user_id",
                    staff=staff,
                )
            assert caught.value.body() == {"detail": "Not found.", "code": "not_found"}
        assert await access_object(
            session=session,
            model=PasswordResetToken,
            object_id=token.id,
            user=moderator,
            owner_field="user_id",
            staff=True,
        )
    assert check_owner(token, owner, owner_field="user_id") and not check_owner(
        token, stranger, owner_field="user_id"
    )


async def test_services_reach_the_runtime(in_runtime: Runtime) -> None:
    """Service-level tests: `in_runtime` makes `runtime()` answer the test's runtime."""
    async with in_runtime.db.session() as session:
        user = await check_register(
            session=session,
            username="svc_user",
            email="Svc@Example.com",
            password="violet-lantern-orbit",
        )
    assert (user.email, user.display_name, user.role) == ("svc@example.com", "svc_user", "user")
