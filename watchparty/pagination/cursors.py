"""Signed, opaque pagination cursors (DESIGN §3): `base64(json).base64(hmac-sha256)`.

A cursor is a position in a list's key order plus a direction. It is signed with a key derived
from the settings secret and bound to one endpoint path and order, so a client can only replay
cursors we handed out for that list; anything else is `{"cursor": ["Invalid cursor."]}`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from watchparty.errors import ValidationFailed

__all__ = ["INVALID_CURSOR", "Cursor", "CursorSigner"]

INVALID_CURSOR = "Invalid cursor."
# Cursors are signed with a key derived from the settings secret, so a cursor signature can
# never be replayed as any other HMAC we compute with that secret (JWTs, reset tokens).
_KEY_LABEL = b"watchparty.pagination.cursor.v1"


@dataclass(frozen=True, slots=True)
class Cursor:
    """A position in the order: rows strictly after it (or at it, when `inclusive`)."""

    forward: bool
    inclusive: bool
    position: tuple[Any, ...]


class CursorSigner:
    """Encodes cursors as `base64(json).base64(hmac)`, bound to one endpoint path and order."""

    def __init__(self, *, secret: str | bytes, context: str) -> None:
        raw = secret.encode() if isinstance(secret, str) else secret
        self._key = hmac.new(raw, _KEY_LABEL, hashlib.sha256).digest()
        self._context = context.encode()

    def _sign(self, payload: bytes) -> bytes:
        return hmac.new(self._key, self._context + b"\n" + payload, hashlib.sha256).digest()

    def dumps(self, cursor: Cursor) -> str:
        body = {
            "f": int(cursor.forward),
            "i": int(cursor.inclusive),
            "k": [_encode_value(value) for value in cursor.position],
        }
        payload = json.dumps(body, separators=(",", ":")).encode()
        return f"{_b64(payload)}.{_b64(self._sign(payload))}"

    def loads(self, text: str, *, width: int) -> Cursor:
        try:
            head, _, tail = text.partition(".")
            payload = _unb64(head)
            if not hmac.compare_digest(_unb64(tail), self._sign(payload)):
                raise ValueError("bad signature")
            body = json.loads(payload)
            position = tuple(_decode_value(item) for item in body["k"])
            if len(position) != width:
                raise ValueError("wrong key width")
            return Cursor(forward=bool(body["f"]), inclusive=bool(body["i"]), position=position)
        except (ValueError, KeyError, TypeError, IndexError, AttributeError, binascii.Error):
            # One message for every failure: a client learns nothing about the format.
            raise ValidationFailed({"cursor": [INVALID_CURSOR]}) from None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    if not text:
        raise ValueError("empty segment")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# Key values keep their Python type through the cursor, so the bound parameter compares
# exactly like the stored value (aware or naive datetimes are kept as the database gave them).
def _encode_value(value: Any) -> list[Any]:
    if isinstance(value, datetime):
        return ["t", value.isoformat()]
    if isinstance(value, uuid.UUID):
        return ["u", value.hex]
    if isinstance(value, int) and not isinstance(value, bool):
        return ["i", value]
    if isinstance(value, str):
        return ["s", value]
    raise TypeError(f"cannot put a {type(value).__name__} key value in a cursor")


def _decode_value(item: Any) -> Any:
    tag, value = item
    if tag == "t":
        return datetime.fromisoformat(value)
    if tag == "u":
        return uuid.UUID(hex=value)
    if tag == "i" and isinstance(value, int):
        return value
    if tag == "s" and isinstance(value, str):
        return value
    raise ValueError(f"unknown key tag {tag!r}")
