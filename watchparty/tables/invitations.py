"""Party invitations and the emailed tokens that bind one to a new account (issue 5)."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from watchparty.tables.accounts import SingleUseToken
from watchparty.tables.columns import fk, uuid_pk, when

__all__ = ["PartyInvitation", "InvitationToken"]


class PartyInvitation(SQLModel, table=True):
    """One invitation. `invitee_id` is null while it is addressed to an email with no account
    (its `InvitationToken` binds it to whoever claims it). A pending invitation past
    `expires_at` reads as expired (`watchparty.services.invitations`)."""

    __tablename__ = "party_invitations"
    __table_args__ = (sa.Index("ix_party_invitations_party_email", "party_id", "email"),)

    id: uuid.UUID = uuid_pk()
    party_id: uuid.UUID = fk("parties.id", index=False)
    invited_by_id: uuid.UUID | None = fk("users.id", nullable=True, ondelete="SET NULL")
    invitee_id: uuid.UUID | None = fk("users.id", nullable=True)
    email: str = Field(max_length=254)
    message: str = Field(default="", max_length=500)
    # pending, accepted, declined, revoked, expired
    status: str = Field(default="pending", max_length=16)
    created_at: dt.datetime = when()
    expires_at: dt.datetime = when()
    responded_at: dt.datetime | None = when(nullable=True)


class InvitationToken(SingleUseToken, table=True):
    """The hashed token mailed for an invitation to an email without an account."""

    __tablename__ = "invitation_tokens"

    invitation_id: uuid.UUID = fk("party_invitations.id")
