"""Sessions: login (with the TOTP step), refresh-token rotation, logout (DESIGN §3 Auth).

A session is a refresh-token family. Every refresh rotates the token: the presented one is
marked used and a new one joins the family. Presenting a used token again means it was
copied, so the whole family is revoked (the thief's and the owner's tokens alike) and the
owner logs in again. Access tokens carry the family id; `deps.current_user` refuses them as
soon as their family is revoked.

These flows are authentication itself, so they raise the 401s (`AuthenticationFailed`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.auth import passwords, totp
from watchparty.auth.tokens import encode_access_token, hash_token, new_opaque_token
from watchparty.db import utcnow
from watchparty.errors import AuthenticationFailed
from watchparty.realtime.publish import revoke_user_access_after_commit
from watchparty.runtime import runtime
from watchparty.services.single_use import find_token, is_live, spend_token
from watchparty.services.users import get_user_by_email, login_refusal, user_json
from watchparty.tables import (
    PartyParticipant,
    RefreshToken,
    RefreshTokenFamily,
    TwoFactorChallenge,
    User,
)

__all__ = [
    "TokenPair",
    "LoginResult",
    "MAX_CHALLENGE_FAILURES",
    "do_start_session",
    "check_login",
    "check_two_factor",
    "do_refresh",
    "do_logout",
    "revoke_families",
]

BAD_CREDENTIALS = "Unable to log in with the provided credentials."
BAD_REFRESH = "The refresh token is invalid or expired."
BAD_CHALLENGE = "The two-factor challenge is invalid or expired; log in again."
# Wrong codes a challenge survives; then the user has to start from the password again.
MAX_CHALLENGE_FAILURES = 5


@dataclass(frozen=True, slots=True)
class TokenPair:
    access: str
    refresh: str
    family_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class LoginResult:
    """Either `tokens` and `user` (a session) or `challenge` (TOTP code needed)."""

    user: User
    tokens: TokenPair | None = None
    challenge: str | None = None

    def json(self, *, now: dt.datetime) -> dict[str, Any]:
        if self.challenge is not None:
            return {"two_factor_required": True, "challenge": self.challenge}
        assert self.tokens is not None
        return {
            "access": self.tokens.access,
            "refresh": self.tokens.refresh,
            "user": user_json(self.user, now=now),
        }


def _access_token(user: User, family_id: uuid.UUID, now: dt.datetime) -> str:
    return encode_access_token(
        settings=runtime().settings, user_id=user.id, role=user.role, family_id=family_id, now=now
    )


def _new_refresh_token(family_id: uuid.UUID, now: dt.datetime) -> tuple[str, RefreshToken]:
    token, token_hash = new_opaque_token()
    ttl = dt.timedelta(seconds=runtime().settings.refresh_token_ttl_seconds)
    return token, RefreshToken(
        family_id=family_id, token_hash=token_hash, created_at=now, expires_at=now + ttl
    )


async def do_start_session(*, session: AsyncSession, user: User) -> TokenPair:
    """A new refresh family for `user` and its first token pair (committed)."""
    now = utcnow()
    family = RefreshTokenFamily(user_id=user.id, created_at=now)
    refresh, row = _new_refresh_token(family.id, now)
    user.last_login = now
    session.add_all([family, user])
    await session.flush()  # no ORM relationship orders the inserts: the family goes first
    session.add(row)
    await session.commit()
    return TokenPair(
        access=_access_token(user, family.id, now), refresh=refresh, family_id=family.id
    )


async def check_login(*, session: AsyncSession, email: str, password: str) -> LoginResult:
    """Check the password; answer a session, or a TOTP challenge when the user has 2FA on.

    Raises:
        AuthenticationFailed: wrong email or password (one message for both), or the
            account may not log in.
    """
    settings = runtime().settings
    user = await get_user_by_email(session=session, email=email)
    if user is None or user.is_deleted:
        await passwords.verify_dummy(password, settings=settings)
        raise AuthenticationFailed(BAD_CREDENTIALS)
    if not await passwords.verify_password(password, user.password_hash, settings=settings):
        raise AuthenticationFailed(BAD_CREDENTIALS)
    refusal = login_refusal(user, now=utcnow())
    if refusal is not None:
        raise refusal
    if passwords.needs_rehash(user.password_hash, settings=settings):
        user.password_hash = await passwords.hash_password(password, settings=settings)
        session.add(user)
    if user.two_factor_enabled:
        now = utcnow()
        challenge, challenge_hash = new_opaque_token()
        ttl = dt.timedelta(seconds=settings.two_factor_challenge_ttl_seconds)
        session.add(
            TwoFactorChallenge(
                user_id=user.id, token_hash=challenge_hash, created_at=now, expires_at=now + ttl
            )
        )
        await session.commit()
        return LoginResult(user=user, challenge=challenge)
    return LoginResult(user=user, tokens=await do_start_session(session=session, user=user))


async def check_two_factor(*, session: AsyncSession, challenge: str, code: str) -> LoginResult:
    """Finish a login: a live challenge plus a fresh TOTP code give a session.

    Wrong codes count against the challenge (it dies after MAX_CHALLENGE_FAILURES) and
    against the account's `verify_2fa` throttle, whatever address they come from.

    Raises:
        AuthenticationFailed: unknown, used or expired challenge, or a wrong code.
        Throttled: too many wrong codes for this account.
    """
    now = utcnow()
    row = await find_token(session=session, model=TwoFactorChallenge, token=challenge)
    if row is None or not is_live(row, now=now):
        raise AuthenticationFailed(BAD_CHALLENGE)
    user = await session.get(User, row.user_id)
    if user is None or not user.two_factor_enabled or user.totp_secret is None:
        raise AuthenticationFailed(BAD_CHALLENGE)
    refusal = login_refusal(user, now=now)
    if refusal is not None:
        raise refusal
    step = totp.matching_step(user.totp_secret, code, now=now, after_step=user.totp_last_step)
    if step is None:
        row.failed_attempts += 1
        if row.failed_attempts >= MAX_CHALLENGE_FAILURES:
            row.used_at = now
        session.add(row)
        await session.commit()
        await runtime().throttler.hit("verify_2fa", f"account:{user.id}")
        raise AuthenticationFailed("Invalid two-factor code.")
    row.used_at = now
    user.totp_last_step = step
    session.add_all([row, user])
    return LoginResult(user=user, tokens=await do_start_session(session=session, user=user))


async def revoke_families(
    *,
    session: AsyncSession,
    user_id: uuid.UUID,
    reason: str,
    only: Collection[uuid.UUID] | None = None,
    keep: uuid.UUID | None = None,
) -> None:
    """Revoke the user's live sessions (all, `only` those, or all but `keep`); caller commits.

    Open sockets checked the token only at the handshake: those of the revoked sessions are
    closed too, after the commit.
    """
    query = update(RefreshTokenFamily).where(
        col(RefreshTokenFamily.user_id) == user_id, col(RefreshTokenFamily.revoked_at).is_(None)
    )
    if only is not None:
        query = query.where(col(RefreshTokenFamily.id).in_(only))
    if keep is not None:
        query = query.where(col(RefreshTokenFamily.id) != keep)
    revoked = await session.exec(
        query.values(revoked_at=utcnow(), revoked_reason=reason).returning(
            col(RefreshTokenFamily.id)
        )
    )
    # Every session ended (suspended, banned, deleted, reset password): all the user's sockets.
    families = None if only is None and keep is None else [str(id_) for id_ in revoked.scalars()]
    if families == []:
        return
    parties = select(PartyParticipant.party_id).where(PartyParticipant.user_id == user_id)
    party_ids: list[object] = list((await session.exec(parties)).all())
    revoke_user_access_after_commit(
        session, user_id=user_id, party_ids=party_ids, families=families
    )


async def do_refresh(*, session: AsyncSession, refresh: str) -> TokenPair:
    """Rotate `refresh` into a new pair in the same family.

    Raises:
        AuthenticationFailed: unknown, expired, used (the family is then revoked) or revoked
            token, or a user who may no longer log in.
    """
    now = utcnow()
    found = (
        await session.exec(
            select(RefreshToken, RefreshTokenFamily)
            .join(RefreshTokenFamily, col(RefreshTokenFamily.id) == RefreshToken.family_id)
            .where(RefreshToken.token_hash == hash_token(refresh))
        )
    ).first()
    if found is None:
        raise AuthenticationFailed(BAD_REFRESH)
    token, family = found
    if family.revoked_at is not None or token.expires_at <= now:
        raise AuthenticationFailed(BAD_REFRESH)
    # Of two uses of one token (even concurrent ones) only the first may rotate: the other
    # is the reuse of a copied token.
    if not await spend_token(session=session, model=RefreshToken, row_id=token.id, now=now):
        await revoke_families(
            session=session, user_id=family.user_id, reason="reuse", only=[family.id]
        )
        await session.commit()
        raise AuthenticationFailed(BAD_REFRESH)
    user = await session.get(User, family.user_id)
    refusal = None if user is None else login_refusal(user, now=now)
    if user is None or refusal is not None:
        await session.commit()
        raise refusal or AuthenticationFailed(BAD_REFRESH)
    new_refresh, row = _new_refresh_token(family.id, now)
    session.add(row)
    await session.commit()
    return TokenPair(
        access=_access_token(user, family.id, now), refresh=new_refresh, family_id=family.id
    )


async def do_logout(
    *, session: AsyncSession, user: User, family_id: uuid.UUID, refresh: str
) -> None:
    """End the caller's session, and the one `refresh` belongs to if it is theirs too."""
    families = {family_id}
    presented = (
        await session.exec(
            select(RefreshTokenFamily.id)
            .join(RefreshToken, col(RefreshToken.family_id) == RefreshTokenFamily.id)
            .where(
                RefreshToken.token_hash == hash_token(refresh),
                RefreshTokenFamily.user_id == user.id,
            )
        )
    ).first()
    if presented is not None:
        families.add(presented)
    await revoke_families(session=session, user_id=user.id, reason="logout", only=families)
    await session.commit()
