"""Mock authentication: tokens are checked for shape and origin, not signature (issue 4).

The mock has no keys and no users, so it cannot verify a real JWT. It accepts the tokens it
hands out itself: the `access` tokens of the spec's examples (the login example flow), and
the JWT-shaped tokens `mint_access` makes (dynamic mode), recognisable by their last
segment. Any other token, however JWT-like, is refused: a mock that took every JWT-shaped
string would teach a frontend nothing about expired or forged tokens. A missing token
still gets the real server's 401 `not_authenticated`, a refused one its 401
`authentication_failed`: connexion raises them and the real server's error handlers render
them. Roles are not enforced (use `Prefer: code=403`).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any

__all__ = [
    "bearer_info",
    "mint_access",
    "token_claims",
    "accept_tokens",
    "MOCK_SUBJECT",
    "BEARER_INFO_FUNC",
]

# What the mock's spec copy names as `x-bearerInfoFunc` instead of the real decoder.
BEARER_INFO_FUNC = "mocks.security.bearer_info"
# Subject of tokens whose payload names none (the spec example token names "6f1c").
MOCK_SUBJECT = "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f"
_JWT_SHAPE = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")
_MAX_TOKEN_CHARS = 4096


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


_MOCK_SIGNATURE = _b64(b"watchparty-mock")
# Example tokens of the spec, added by `accept_tokens` when a mock app is built.
_ACCEPTED: set[str] = set()


def accept_tokens(spec: Any) -> None:
    """Accept every `access` token that appears in the spec's examples."""
    stack = [spec]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("access"), str) and _JWT_SHAPE.match(node["access"]):
                _ACCEPTED.add(node["access"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def token_claims(token: str) -> dict[str, Any] | None:
    """The claims of a token the mock issued (payload decoded when it is JSON), else None."""
    if len(token) > _MAX_TOKEN_CHARS or not _JWT_SHAPE.match(token):
        return None
    if token not in _ACCEPTED and not token.endswith(f".{_MOCK_SIGNATURE}"):
        return None
    payload = token.split(".")[1]
    try:
        decoded = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (binascii.Error, ValueError):
        decoded = None
    claims = decoded if isinstance(decoded, dict) else {}
    sub = claims.get("sub")
    return {
        **claims,
        "sub": sub if isinstance(sub, str) and sub else MOCK_SUBJECT,
        "role": claims.get("role") if isinstance(claims.get("role"), str) else "user",
    }


def bearer_info(token: str) -> dict[str, Any] | None:
    """connexion's `x-bearerInfoFunc` for the mock: claims of a JWT-shaped token, else None."""
    return token_claims(token)


def mint_access(*, sub: str, role: str = "user", exp: int = 4_102_444_800) -> str:
    """An unsigned, JWT-shaped access token the mock accepts (exp defaults to 2100-01-01)."""
    header = _b64(b'{"alg":"HS256","typ":"JWT"}')
    body = _b64(json.dumps({"sub": sub, "role": role, "exp": exp}, separators=(",", ":")).encode())
    return f"{header}.{body}.{_MOCK_SIGNATURE}"
