"""SQLModel tables. Every change here needs an Alembic revision in watchparty/migrations/versions/.

Conventions: UUID primary keys, aware UTC datetimes (`UTCDateTime`), enumerations stored as
short strings (portable between SQLite and PostgreSQL, no native enum types to migrate), and
secrets stored only as SHA-256 hashes (`token_hash`) so a leaked database leaks no live token.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from watchparty.db import UTCDateTime, utcnow

__all__ = [
    "Role",
    "AccountStatus",
    "User",
    "RefreshTokenFamily",
    "SingleUseToken",
    "RefreshToken",
    "PasswordResetToken",
    "TwoFactorChallenge",
    "OutboxMail",
    "Party",
    "PartyParticipant",
    "ROLES",
    "metadata",
]

Role = Literal["user", "moderator", "admin"]
AccountStatus = Literal["active", "suspended", "banned", "deleted"]
ROLES: tuple[Role, ...] = ("user", "moderator", "admin")

metadata = SQLModel.metadata
# Named constraints, so later migrations can alter them (SQLite batch mode needs the names).
metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _uuid_pk() -> uuid.UUID:
    return Field(default_factory=uuid.uuid4, primary_key=True)  # type: ignore[no-any-return]


def _when(*, nullable: bool = False, index: bool = False) -> dt.datetime:
    if nullable:
        return Field(default=None, sa_type=UTCDateTime, nullable=True, index=index)  # type: ignore[no-any-return]
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=index)  # type: ignore[no-any-return]


def _user_fk(*, index: bool = True) -> uuid.UUID:
    return Field(  # type: ignore[no-any-return]
        sa_column_args=[sa.ForeignKey("users.id", ondelete="CASCADE")], nullable=False, index=index
    )


class User(SQLModel, table=True):
    """An account. Deleting one anonymizes it and keeps the row, so authored content stays."""

    __tablename__ = "users"

    id: uuid.UUID = _uuid_pk()
    # Stored lowercased: emails are case-insensitive here (see services.accounts.normalize_email).
    email: str = Field(max_length=254, unique=True)
    username: str = Field(max_length=64)
    password_hash: str = Field(max_length=255)
    display_name: str = Field(default="", max_length=60)
    bio: str = Field(default="", max_length=500)
    avatar_url: str | None = Field(default=None, max_length=500)
    role: str = Field(default="user", max_length=16)
    status: str = Field(default="active", max_length=16)
    suspended_until: dt.datetime | None = _when(nullable=True)
    plan: str = Field(default="free", max_length=32)
    totp_secret: str | None = Field(default=None, max_length=64)
    # Set by 2FA setup, promoted to totp_secret once a code proves the app has it.
    totp_pending_secret: str | None = Field(default=None, max_length=64)
    two_factor_enabled: bool = Field(default=False)
    # Last accepted TOTP time step: a code is good for one use only.
    totp_last_step: int | None = Field(default=None, sa_type=sa.BigInteger)
    date_joined: dt.datetime = _when()
    last_login: dt.datetime | None = _when(nullable=True)
    password_changed_at: dt.datetime = _when()
    deleted_at: dt.datetime | None = _when(nullable=True)

    @property
    def is_deleted(self) -> bool:
        return self.status == "deleted"


# Usernames are unique regardless of case ("Ana" cannot impersonate "ana").
sa.Index("uq_users_username_lower", sa.func.lower(User.__table__.c.username), unique=True)  # type: ignore[attr-defined]


class RefreshTokenFamily(SQLModel, table=True):
    """One login session: every refresh token rotated from one login shares the family."""

    __tablename__ = "refresh_token_families"

    id: uuid.UUID = _uuid_pk()
    user_id: uuid.UUID = _user_fk()
    created_at: dt.datetime = _when()
    revoked_at: dt.datetime | None = _when(nullable=True)
    # logout, reuse, password_change, password_reset, deleted, admin
    revoked_reason: str | None = Field(default=None, max_length=32)


class SingleUseToken(SQLModel):
    """Columns shared by the hashed, expiring, single-use token tables (not a table itself)."""

    id: uuid.UUID = _uuid_pk()
    token_hash: str = Field(max_length=64, unique=True)
    created_at: dt.datetime = _when()
    expires_at: dt.datetime = _when()
    used_at: dt.datetime | None = _when(nullable=True)


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

    user_id: uuid.UUID = _user_fk()


class TwoFactorChallenge(SingleUseToken, table=True):
    """Issued by a login whose password was right when the user has TOTP on."""

    __tablename__ = "two_factor_challenges"

    user_id: uuid.UUID = _user_fk()
    failed_attempts: int = Field(default=0)


class OutboxMail(SQLModel, table=True):
    """Mail kept instead of sent when no SMTP server is configured (`watchparty mail outbox`)."""

    __tablename__ = "mail_outbox"

    id: uuid.UUID = _uuid_pk()
    to: str = Field(max_length=254, index=True)
    subject: str = Field(max_length=200)
    body: str = Field(sa_type=sa.Text)
    created_at: dt.datetime = _when(index=True)


class Party(SQLModel, table=True):
    """A watch party. `host_id` is authoritative; the host's participant row mirrors it."""

    __tablename__ = "parties"

    id: uuid.UUID = _uuid_pk()
    host_id: uuid.UUID = _user_fk()
    title: str = Field(max_length=120)
    description: str = Field(default="", sa_type=sa.Text)
    # scheduled, live, ended, cancelled
    status: str = Field(default="scheduled", max_length=16)
    # public, private, unlisted
    visibility: str = Field(default="private", max_length=16)
    max_participants: int
    allow_guest_control: bool = Field(default=False)
    chat_enabled: bool = Field(default=True)
    reactions_enabled: bool = Field(default=True)
    require_approval: bool = Field(default=False)
    scheduled_for: dt.datetime = _when(index=True)
    started_at: dt.datetime | None = _when(nullable=True)
    ended_at: dt.datetime | None = _when(nullable=True)
    created_at: dt.datetime = _when()
    updated_at: dt.datetime = _when()


class PartyParticipant(SQLModel, table=True):
    """One user's participation in one party (kept after they leave or are kicked)."""

    __tablename__ = "party_participants"
    __table_args__ = (sa.UniqueConstraint("party_id", "user_id"),)

    id: uuid.UUID = _uuid_pk()
    party_id: uuid.UUID = Field(
        sa_column_args=[sa.ForeignKey("parties.id", ondelete="CASCADE")],
        nullable=False,
        index=True,
    )
    user_id: uuid.UUID = _user_fk()
    # host, moderator, participant
    role: str = Field(default="participant", max_length=16)
    # pending, joined, left, kicked
    status: str = Field(default="joined", max_length=16)
    # 0 for the host, 1 for everyone else: the participants list shows the host first and
    # pages on (rank, created_at, id); transfer-host swaps the ranks.
    rank: int = Field(default=1)
    joined_at: dt.datetime | None = _when(nullable=True)
    left_at: dt.datetime | None = _when(nullable=True)
    created_at: dt.datetime = _when()
