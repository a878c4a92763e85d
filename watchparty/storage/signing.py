"""HMAC-signed, expiring URLs for the local storage backend.

A signature covers what the URL grants (`put:<video id>` or `get:<key>`) and its expiry, under
a key derived from the server secret, so it can be neither moved to another object nor
extended. Verification is constant-time; expired and tampered URLs are refused alike.
"""

from __future__ import annotations

import hashlib
import hmac
import time

__all__ = ["sign", "verify"]

_KEY_CONTEXT = b"watchparty.storage.v1:"


def _key(secret: str) -> bytes:
    # Derived, so a storage signature can never double as a token or cursor signature.
    return hashlib.sha256(_KEY_CONTEXT + secret.encode()).digest()


def sign(secret: str, grant: str, expires: int) -> str:
    """Hex signature of `grant` until `expires` (Unix seconds)."""
    message = f"{grant}\n{expires}".encode()
    return hmac.new(_key(secret), message, hashlib.sha256).hexdigest()


def verify(
    secret: str, grant: str, expires: int, signature: str, *, now: float | None = None
) -> bool:
    """Whether `signature` grants `grant` and has not expired."""
    if expires < (time.time() if now is None else now) or not signature.isascii():
        return False  # compare_digest refuses non-ASCII strings; no signature of ours has any
    return hmac.compare_digest(sign(secret, grant, expires), signature)
