"""Accounts: users, login sessions (refresh token families) and single-use tokens."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from watchparty.tables.columns import user_fk, uuid_pk, when

__all__ = [
    "Role",
    "AccountStatus",
    "ROLES",
    "User",
    "RefreshTokenFamily",
    "SingleUseToken",
    "RefreshToken",
    "PasswordResetToken",
    "TwoFactorChallenge",
    "OutboxMail",
]

Role = Literal["user", "moderator", "admin"]
AccountStatus = Literal["active", "suspended", "banned", "deleted"]
ROLES: tuple[Role, ...] = ("user", "moderator", "admin")


class User(SQLModel, table=True):
    """An account. Deleting one anonymizes it and keeps the row, so authored content stays."""

    __tablename__ = "users"

    id: uuid.UUID = uuid_pk()
    # Stored lowercased: emails are case-insensitive here (see services.accounts.normalize_email).
    email: str = Field(max_length=254, unique=True)
    username: str = Field(max_length=64)
    password_hash: str = Field(max_length=255)
    display_name: str = Field(default="", max_length=60)
    bio: str = Field(default="", max_length=500)
    avatar_url: str | None = Field(default=None, max_length=500)
    role: str = Field(default="user", max_length=16)
    status: str = Field(default="active", max_length=16)
    suspended_until: dt.datetime | None = when(nullable=True)
    plan: str = Field(default="free", max_length=32)
    totp_secret: str | None = Field(default=None, max_length=64)
    # Set by 2FA setup, promoted to totp_secret once a code proves the app has it.
    totp_pending_secret: str | None = Field(default=None, max_length=64)
    two_factor_enabled: bool = Field(default=False)
    # Last accepted TOTP time step: a code is good for one use only.
    totp_last_step: int | None = Field(default=None, sa_type=sa.BigInteger)
    date_joined: dt.datetime = when()
    last_login: dt.datetime | None = when(nullable=True)
    password_changed_at: dt.datetime = when()
    deleted_at: dt.datetime | None = when(nullable=True)

    @property
    def is_deleted(self) -> bool:
        return self.status == "deleted"


# Usernames are unique regardless of case ("Ana" cannot impersonate "ana").
sa.Index("uq_users_username_lower", sa.func.lower(User.__table__.c.username), unique=True)  # type: ignore[attr-defined]


class RefreshTokenFamily(SQLModel, table=True):
    """One login session: every refresh token rotated from one login shares the family."""

    __tablename__ = "refresh_token_families"

    id: uuid.UUID = uuid_pk()
    user_id: uuid.UUID = user_fk()
    created_at: dt.datetime = when()
    revoked_at: dt.datetime | None = when(nullable=True)
    # logout, reuse, password_change, password_reset, deleted, admin
    revoked_reason: str | None = Field(default=None, max_length=32)


class SingleUseToken(SQLModel):
    """Columns shared by the hashed, expiring, single-use token tables (not a table itself)."""

    id: uuid.UUID = uuid_pk()
    token_hash: str = Field(max_length=64, unique=True)
    created_at: dt.datetime = when()
    expires_at: dt.datetime = when()
    used_at: dt.datetime | None = when(nullable=True)


class RefreshToken(SingleUseToken, table=True):
    """`used_at` is set on rotation; presenting a used token again is reuse: the family dies."""

    __tablename__ = "refresh_tokens"

    family_id: uuid.UUID = Field(
        sa_column_args=[sa.ForeignKey("refresh_token_families.id", ondelete="CASCADE")],
        nullable=False,
        index=True,
    )


class PasswordResetToken(SingleUseToken, table=True):
    __tablename__ = "password_reset_tokens"

    user_id: uuid.UUID = user_fk()


class TwoFactorChallenge(SingleUseToken, table=True):
    """Issued by a login whose password was right when the user has TOTP on."""

    __tablename__ = "two_factor_challenges"

    user_id: uuid.UUID = user_fk()
    failed_attempts: int = Field(default=0)


class OutboxMail(SQLModel, table=True):
    """Mail kept instead of sent when no SMTP server is configured (`watchparty mail outbox`)."""

    __tablename__ = "mail_outbox"

    id: uuid.UUID = uuid_pk()
    to: str = Field(max_length=254, index=True)
    subject: str = Field(max_length=200)
    body: str = Field(sa_type=sa.Text)
    created_at: dt.datetime = when(index=True)
