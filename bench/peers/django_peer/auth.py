"""Our access tokens in DRF: the same checks as `watchparty.deps.current_user`."""

from __future__ import annotations

import uuid
from typing import Any

import jwt
from django.conf import settings
from django.utils import timezone
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed

from django_peer.models import RefreshTokenFamily, User

REQUIRED_CLAIMS = ["exp", "iat", "jti", "sub", "role", "fid", "typ"]


def user_of_token(token: str) -> User:
    """The user of a valid access token, still allowed to act: one query for the user and
    their session (refresh family)."""
    try:
        claims = jwt.decode(
            token,
            settings.JWT_SECRET,
            algorithms=["HS256"],
            leeway=5,
            options={"require": REQUIRED_CLAIMS},
        )
        if claims["typ"] != "access":
            raise jwt.InvalidTokenError("not an access token")
        user_id, family_id = uuid.UUID(claims["sub"]), uuid.UUID(claims["fid"])
    except (jwt.InvalidTokenError, ValueError) as exc:
        raise AuthenticationFailed("Invalid token.") from exc
    family = (
        RefreshTokenFamily.objects.select_related("user")
        .filter(id=family_id, user_id=user_id)
        .first()
    )
    if family is None:
        raise AuthenticationFailed("User not found.")
    if family.revoked_at is not None:
        raise AuthenticationFailed("This session has ended; log in again.")
    user = family.user
    suspended = user.status == "suspended" and (
        user.suspended_until is None or user.suspended_until > timezone.now()
    )
    if user.status in ("deleted", "banned") or suspended:
        raise AuthenticationFailed(f"This account is {user.status}.")
    return user


class AccessTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Any) -> tuple[User, str] | None:
        scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            return None
        return user_of_token(token), token

    def authenticate_header(self, request: Any) -> str:
        return "Bearer"
