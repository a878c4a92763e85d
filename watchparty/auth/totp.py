"""TOTP (RFC 6238) with pyotp: secrets, otpauth URIs, and single-use code checks."""

from __future__ import annotations

import datetime as dt

import pyotp

__all__ = ["ISSUER", "new_secret", "provisioning_uri", "matching_step"]

ISSUER = "watchparty"
TOTP_PERIOD_SECS = 30
# Accept the previous and next 30 s step too: phones and servers drift.
VALID_WINDOW_STEPS = 1


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, *, account: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=ISSUER)


def matching_step(
    secret: str, code: str, *, now: dt.datetime, after_step: int | None
) -> int | None:
    """The time step `code` belongs to, or None when it is wrong or was already used.

    Args:
        after_step: the last step accepted for this secret; codes of it and earlier are
            refused, so a code seen over someone's shoulder cannot be replayed.
    """
    totp = pyotp.TOTP(secret, interval=TOTP_PERIOD_SECS)
    current = totp.timecode(now)
    for offset in range(-VALID_WINDOW_STEPS, VALID_WINDOW_STEPS + 1):
        step = current + offset
        if after_step is not None and step <= after_step:
            continue
        if pyotp.utils.strings_equal(code, totp.generate_otp(step)):
            return step
    return None
