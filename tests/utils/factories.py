"""Data factories: users with unique emails and usernames, and logged-in clients' headers.

Every call makes new unique data, so tests never depend on each other's rows (PostgreSQL
tables are only truncated between tests).
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pyotp

from watchparty.auth import passwords
from watchparty.db import Database, utcnow
from watchparty.settings import Settings
from watchparty.tables import User

# A user with 2FA on and the TOTP secret their authenticator app holds.
TotpUser = tuple[User, str]

__all__ = [
    "TotpUser",
    "DEFAULT_PASSWORD",
    "Session",
    "make_user",
    "login",
    "auth_headers",
    "totp_code",
    "unique_name",
    "make_party",
]

DEFAULT_PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)


def unique_name(prefix: str = "user") -> str:
    return f"{prefix}{next(_counter)}_{uuid.uuid4().hex[:6]}"


async def make_user(
    db: Database,
    settings: Settings,
    *,
    username: str | None = None,
    email: str | None = None,
    password: str = DEFAULT_PASSWORD,
    role: str = "user",
    status: str = "active",
    suspended_until: dt.datetime | None = None,
    totp_secret: str | None = None,
    **fields: Any,
) -> User:
    """A user row, committed. `totp_secret` turns 2FA on with that secret."""
    username = username or unique_name()
    user = User(
        username=username,
        email=(email or f"{username}@example.com").lower(),
        password_hash=await passwords.hash_password(password, settings=settings),
        display_name=fields.pop("display_name", username.title()),
        role=role,
        status=status,
        suspended_until=suspended_until,
        totp_secret=totp_secret,
        two_factor_enabled=totp_secret is not None,
        **fields,
    )
    async with db.session() as session:
        session.add(user)
        await session.commit()
    return user


@dataclass(frozen=True)
class Session:
    access: str
    refresh: str
    user: dict[str, Any]

    @property
    def headers(self) -> dict[str, str]:
        return auth_headers(self.access)


def auth_headers(access: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access}"}


async def login(client: httpx.AsyncClient, user: User, password: str = DEFAULT_PASSWORD) -> Session:
    """Log `user` in over the API (finishing 2FA when the user has it on)."""
    response = await client.post(
        "/api/auth/login/", json={"email": user.email, "password": password}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    if body.get("two_factor_required"):
        assert user.totp_secret is not None
        response = await client.post(
            "/api/auth/verify-2fa/",
            json={"challenge": body["challenge"], "code": totp_code(user.totp_secret)},
        )
        assert response.status_code == 200, response.text
        body = response.json()
    return Session(access=body["access"], refresh=body["refresh"], user=body["user"])


def totp_code(secret: str, *, at: dt.datetime | None = None) -> str:
    return pyotp.TOTP(secret).at(at or utcnow())


async def make_party(
    db: Database,
    host: User,
    *,
    title: str = "Movie night",
    scheduled_in: dt.timedelta = dt.timedelta(days=1),
    **settings: Any,
) -> uuid.UUID:
    """A party hosted by `host` (committed through the service), and its id."""
    from watchparty.services.parties import check_create_party

    body = {
        "title": title,
        "scheduled_for": (utcnow() + scheduled_in).isoformat(),
        "settings": settings,
    }
    async with db.session() as session:
        view = await check_create_party(session=session, host=host, body=body)
        return view.party.id
