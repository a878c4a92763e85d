"""Sending party invitations by email (issue 5; the invitations themselves: `invitations`).

Each distinct email gets one outcome: an account's owner gets an invitation and a
`party_invitation` notification; an email without an account gets an invitation and a mailed
single-use claim token (stored hashed, like password-reset tokens), which
`invitations.check_claim_invitation` later binds to whoever presents it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.auth.tokens import new_opaque_token
from watchparty.db import utcnow
from watchparty.mail import MailError
from watchparty.runtime import runtime
from watchparty.services.activity import record_activity
from watchparty.services.invitations import status_filter
from watchparty.services.notifications import notify
from watchparty.services.parties import PartyView, check_party_open, lock_party
from watchparty.services.users import normalize_email, rfc3339
from watchparty.tables import InvitationToken, Party, PartyInvitation, PartyParticipant, User

__all__ = ["CLAIM_PATH", "check_invite"]

logger = logging.getLogger(__name__)

# Frontend page that reads `?token=` and posts it to /api/invitations/claim/ once logged in.
CLAIM_PATH = "/invitations/claim"


def _claim_link(token: str) -> str:
    base = runtime().settings.public_base_url.rstrip("/")
    return f"{base}{CLAIM_PATH}?{urlencode({'token': token})}"


async def check_invite(
    *, session: AsyncSession, view: PartyView, body: Mapping[str, Any]
) -> dict[str, Any]:
    """Invite each distinct email of an InviteRequest to a party the caller hosts.

    Answers the `InviteResult`; invitation mails leave after the commit (a mail problem is
    logged: the invitation exists and the host may revoke and resend it).

    Raises:
        Conflict: `party_closed`.
    """
    party, host = view.party, view.host
    check_party_open(party)
    # Serialized per party, so two concurrent invites of one email make one invitation.
    await lock_party(session=session, party=party)
    check_party_open(party)
    emails = list(dict.fromkeys(normalize_email(str(email)) for email in body["emails"]))
    message = str(body.get("message") or "")
    now = utcnow()
    users = {
        user.email: user
        for user in (await session.exec(select(User).where(col(User.email).in_(emails)))).all()
    }
    user_ids = [user.id for user in users.values()]
    joined = set(
        (
            await session.exec(
                select(PartyParticipant.user_id).where(
                    col(PartyParticipant.party_id) == party.id,
                    col(PartyParticipant.user_id).in_(user_ids),
                    col(PartyParticipant.status) == "joined",
                )
            )
        ).all()
    )
    pending = (
        await session.exec(
            select(PartyInvitation).where(
                col(PartyInvitation.party_id) == party.id,
                status_filter("pending", now=now),
                sa.or_(
                    col(PartyInvitation.invitee_id).in_(user_ids),
                    col(PartyInvitation.email).in_(emails),
                ),
            )
        )
    ).all()
    by_invitee = {i.invitee_id: i for i in pending if i.invitee_id is not None}
    by_email = {i.email: i for i in pending}
    ttl = dt.timedelta(seconds=runtime().settings.invitation_ttl_seconds)
    results: list[dict[str, Any]] = []
    tokens: list[InvitationToken] = []
    mails: list[tuple[str, str]] = []
    for email in emails:
        user = users.get(email)
        if user is not None and user.id in joined:
            results.append({"email": email, "status": "already_participant", "invitation_id": None})
            continue
        existing = (by_invitee.get(user.id) if user else None) or by_email.get(email)
        if existing is not None:
            results.append(
                {"email": email, "status": "already_invited", "invitation_id": str(existing.id)}
            )
            continue
        invitation = PartyInvitation(
            party_id=party.id,
            invited_by_id=host.id,
            invitee_id=user.id if user else None,
            email=email,
            message=message,
            created_at=now,
            expires_at=now + ttl,
        )
        session.add(invitation)
        record_activity(
            session,
            party_id=party.id,
            kind="invited",
            user_id=invitation.invitee_id,
            data={"invitation_id": str(invitation.id)},
        )
        if user is not None:
            _notify_invitee(session, invitation=invitation, party=party, host=host, user=user)
            results.append(
                {"email": email, "status": "invited", "invitation_id": str(invitation.id)}
            )
            continue
        token, token_hash = new_opaque_token()
        tokens.append(
            InvitationToken(
                invitation_id=invitation.id,
                token_hash=token_hash,
                created_at=now,
                expires_at=invitation.expires_at,
            )
        )
        mails.append((email, token))
        results.append({"email": email, "status": "emailed", "invitation_id": str(invitation.id)})
    await session.flush()  # the invitations exist before their tokens point at them
    session.add_all(tokens)
    await session.commit()
    for email, token in mails:
        await _mail_invitation(email=email, token=token, party=party, host=host, message=message)
    return {"results": results}


def _inviter_name(host: User) -> str:
    return host.display_name or host.username


def _notify_invitee(
    session: AsyncSession, *, invitation: PartyInvitation, party: Party, host: User, user: User
) -> None:
    notify(
        session,
        user_id=user.id,
        type="party_invitation",
        title=f"{_inviter_name(host)} invited you to {party.title}",
        body=invitation.message or f"Starts {rfc3339(party.scheduled_for)}.",
        data={"party_id": party.id, "invitation_id": invitation.id},
    )


async def _mail_invitation(
    *, email: str, token: str, party: Party, host: User, message: str
) -> None:
    note = f"\n{_inviter_name(host)} wrote: {message}\n" if message else ""
    body = (
        f'Hi,\n\n{_inviter_name(host)} invited you to the watch party "{party.title}", '
        f"starting {rfc3339(party.scheduled_for)}.\n{note}\n"
        f"Create an account or log in, then open this link to see the invitation:\n\n"
        f"{_claim_link(token)}\n"
    )
    try:
        await runtime().mailer.send(
            to=email, subject=f"{_inviter_name(host)} invited you to {party.title}", body=body
        )
    except MailError:
        logger.exception("invitation mail for party %s was not sent", party.id)
