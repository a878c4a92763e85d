"""TOTP two-factor setup: a pending secret, confirmed by a code before it guards logins."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.auth import passwords, totp
from watchparty.db import utcnow
from watchparty.errors import ValidationFailed
from watchparty.runtime import runtime
from watchparty.tables import User

__all__ = [
    "TwoFactorSetup",
    "do_setup_two_factor",
    "check_enable_two_factor",
    "check_disable_two_factor",
]

WRONG_CODE = "The code is not valid."


@dataclass(frozen=True, slots=True)
class TwoFactorSetup:
    secret: str
    otpauth_uri: str


async def do_setup_two_factor(*, session: AsyncSession, user: User) -> TwoFactorSetup:
    """A new pending secret; an active one keeps guarding logins until `enable` confirms."""
    secret = totp.new_secret()
    user.totp_pending_secret = secret
    session.add(user)
    await session.commit()
    return TwoFactorSetup(
        secret=secret, otpauth_uri=totp.provisioning_uri(secret, account=user.email)
    )


async def _wrong_code(user: User) -> ValidationFailed:
    # Guessing 6 digits must stay slow however many addresses the guesser has.
    await runtime().throttler.hit("verify_2fa", f"account:{user.id}")
    return ValidationFailed.field("code", WRONG_CODE)


async def check_enable_two_factor(*, session: AsyncSession, user: User, code: str) -> None:
    secret = user.totp_pending_secret
    if secret is None:
        raise ValidationFailed.non_field("Start with 2FA setup: there is no secret to confirm.")
    step = totp.matching_step(secret, code, now=utcnow(), after_step=None)
    if step is None:
        raise await _wrong_code(user)
    user.totp_secret = secret
    user.totp_pending_secret = None
    user.two_factor_enabled = True
    user.totp_last_step = step
    session.add(user)
    await session.commit()


async def check_disable_two_factor(
    *, session: AsyncSession, user: User, password: str, code: str
) -> None:
    errors: dict[str, list[str]] = {}
    if not await passwords.verify_password(
        password, user.password_hash, settings=runtime().settings
    ):
        errors["password"] = ["The password is not correct."]
    if not user.two_factor_enabled or user.totp_secret is None:
        errors["non_field_errors"] = ["Two-factor authentication is not on."]
        raise ValidationFailed(errors)
    step = totp.matching_step(user.totp_secret, code, now=utcnow(), after_step=user.totp_last_step)
    if step is None:
        await _wrong_code(user)
        errors["code"] = [WRONG_CODE]
    if errors:
        raise ValidationFailed(errors)
    user.totp_secret = user.totp_pending_secret = None
    user.two_factor_enabled = False
    user.totp_last_step = None
    session.add(user)
    await session.commit()
