"""Password reset by mail: a single-use, expiring token behind a link.

The request answers the same whether or not the email belongs to someone, so it cannot be
used to find out who has an account; a mail problem is logged, never shown.
"""

from __future__ import annotations

import datetime as dt
import logging
from urllib.parse import urlencode

from sqlmodel import col, update
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.auth.tokens import new_opaque_token
from watchparty.db import utcnow
from watchparty.errors import ValidationFailed
from watchparty.mail import MailError
from watchparty.runtime import runtime
from watchparty.services.accounts import check_password_policy, do_set_password
from watchparty.services.sessions import revoke_families
from watchparty.services.single_use import find_token, is_live, spend_token
from watchparty.services.users import get_user_by_email
from watchparty.tables import PasswordResetToken, User

__all__ = ["RESET_PATH", "do_request_password_reset", "check_confirm_password_reset"]

logger = logging.getLogger(__name__)

# Frontend page that reads `?token=` and posts it to /api/auth/password/reset/confirm/.
RESET_PATH = "/reset-password"
BAD_TOKEN = "This password-reset link is invalid or has expired."
# Accounts that may not get a reset mail (a banned user would just be locked out again).
NO_RESET_STATUSES = frozenset({"deleted", "banned"})


def reset_link(token: str) -> str:
    base = runtime().settings.public_base_url.rstrip("/")
    return f"{base}{RESET_PATH}?{urlencode({'token': token})}"


async def do_request_password_reset(*, session: AsyncSession, email: str) -> None:
    """Mail a reset link when `email` has an account; do nothing visible otherwise."""
    user = await get_user_by_email(session=session, email=email)
    if user is None or user.status in NO_RESET_STATUSES:
        return
    now = utcnow()
    token, token_hash = new_opaque_token()
    ttl = dt.timedelta(seconds=runtime().settings.password_reset_ttl_seconds)
    session.add(
        PasswordResetToken(
            user_id=user.id, token_hash=token_hash, created_at=now, expires_at=now + ttl
        )
    )
    await session.commit()
    minutes = max(1, int(ttl.total_seconds()) // 60)
    body = (
        f"Hi {user.display_name or user.username},\n\n"
        f"Someone asked to reset the password of your watchparty account. To choose a new one,\n"
        f"open this link within {minutes} minutes:\n\n{reset_link(token)}\n\n"
        "If it was not you, ignore this mail: your password stays as it is.\n"
    )
    try:
        await runtime().mailer.send(
            to=user.email, subject="Reset your watchparty password", body=body
        )
    except MailError:
        logger.exception("password-reset mail for user %s was not sent", user.id)


async def check_confirm_password_reset(
    *, session: AsyncSession, token: str, new_password: str
) -> None:
    """Set the password with a live token; the token and every session of the user end.

    Raises:
        ValidationFailed: `token` is unknown, used or expired; `new_password` is too weak.
    """
    now = utcnow()
    row = await find_token(session=session, model=PasswordResetToken, token=token)
    if row is None or not is_live(row, now=now):
        raise ValidationFailed.field("token", BAD_TOKEN)
    user = await session.get(User, row.user_id)
    if user is None or user.status in NO_RESET_STATUSES:
        raise ValidationFailed.field("token", BAD_TOKEN)
    check_password_policy(user, new_password, field="new_password")
    # Single use, even against a concurrent confirm with the same token.
    if not await spend_token(session=session, model=PasswordResetToken, row_id=row.id, now=now):
        await session.rollback()
        raise ValidationFailed.field("token", BAD_TOKEN)
    # The other links mailed to this user die with this one.
    await session.exec(
        update(PasswordResetToken)
        .where(
            col(PasswordResetToken.user_id) == user.id, col(PasswordResetToken.used_at).is_(None)
        )
        .values(used_at=now)
    )
    await do_set_password(session=session, user=user, password=new_password)
    await revoke_families(session=session, user_id=user.id, reason="password_reset")
    await session.commit()
