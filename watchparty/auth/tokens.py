"""Access JWTs and opaque single-use tokens (refresh, password reset, 2FA challenge).

Access tokens are short-lived HMAC JWTs carrying `sub`, `role`, `jti`, `iat`, `exp` and the
session's refresh family (`fid`), so revoking a session also stops its access tokens at the
next `deps.current_user`. Decoding accepts only the configured algorithm: `alg: none` and
every other algorithm are refused by pyjwt's `algorithms=[...]` allow-list.

Opaque tokens are random strings handed to the client once; the database keeps only their
SHA-256 (a fast hash is enough: they carry 256 bits of entropy, unlike passwords).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from typing import Any

import jwt

from watchparty.settings import Settings

__all__ = [
    "ACCESS_TOKEN_TYPE",
    "REQUIRED_CLAIMS",
    "encode_access_token",
    "decode_access_token",
    "new_opaque_token",
    "hash_token",
]

ACCESS_TOKEN_TYPE = "access"
REQUIRED_CLAIMS = ("exp", "iat", "jti", "sub", "role", "fid", "typ")
OPAQUE_TOKEN_BYTES = 32
# Tolerated clock skew between processes when checking exp/iat.
LEEWAY_SECS = 5


def _signing_key(settings: Settings) -> str:
    key = settings.secret_key.get_secret_value()
    if not key:
        raise RuntimeError("settings.secret_key is empty: call Settings.prepare() first")
    return key


def encode_access_token(
    *, settings: Settings, user_id: uuid.UUID, role: str, family_id: uuid.UUID, now: dt.datetime
) -> str:
    claims = {
        "sub": str(user_id),
        "role": role,
        "fid": str(family_id),
        "jti": uuid.uuid4().hex,
        "typ": ACCESS_TOKEN_TYPE,
        "iat": int(now.timestamp()),
        "exp": int(now.timestamp()) + settings.access_token_ttl_seconds,
    }
    return jwt.encode(claims, _signing_key(settings), algorithm=settings.jwt_algorithm)


def decode_access_token(token: str, *, settings: Settings) -> dict[str, Any]:
    """The claims of a valid access token.

    Raises:
        jwt.InvalidTokenError: bad signature, algorithm, expiry, claims or type.
    """
    claims: dict[str, Any] = jwt.decode(
        token,
        _signing_key(settings),
        algorithms=[settings.jwt_algorithm],
        options={"require": list(REQUIRED_CLAIMS)},
        leeway=LEEWAY_SECS,
    )
    if claims.get("typ") != ACCESS_TOKEN_TYPE:
        raise jwt.InvalidTokenError("not an access token")
    for name in ("sub", "fid"):
        try:
            uuid.UUID(str(claims[name]))
        except ValueError:
            raise jwt.InvalidTokenError(f"claim {name} is not a UUID") from None
    return claims


def new_opaque_token() -> tuple[str, str]:
    """A fresh random token and the hash to store for it."""
    token = secrets.token_urlsafe(OPAQUE_TOKEN_BYTES)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
