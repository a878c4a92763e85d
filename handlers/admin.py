"""REST operations of the `admin` tag (service: `watchparty.services.admin_users`); admins only."""

from __future__ import annotations

from typing import Any

from watchparty.db import utcnow
from watchparty.deps import Answer, Body, TokenInfo, caller
from watchparty.pagination import paginate
from watchparty.permissions import require_auth
from watchparty.services import admin_users
from watchparty.tables import User

__all__ = ["list_admin_users", "get_admin_user", "update_admin_user"]


async def list_admin_users(
    token_info: TokenInfo,
    role: str | None = None,
    status: str | None = None,
    search: str | None = None,
    **query: Any,
) -> Answer:
    async with caller(token_info) as (session, me):
        require_auth(me, "admin")
        now = utcnow()
        page = await paginate(
            session,
            admin_users.admin_users_query(role=role, status=status, search=search, now=now),
            params=query,
            serialize=lambda user: admin_users.admin_user_json(user, now=now),
            order="newest",
            key=(User.date_joined, User.id),  # type: ignore[arg-type]
        )
        return page, 200


async def get_admin_user(userId: str, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        require_auth(me, "admin")
        user = await admin_users.access_admin_user(session=session, user_id=userId)
        return await admin_users.admin_user_detail_json(session=session, user=user), 200


async def update_admin_user(userId: str, body: Body, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        require_auth(me, "admin")
        user = await admin_users.access_admin_user(session=session, user_id=userId)
        user = await admin_users.check_update_admin_user(
            session=session, actor=me, user=user, body=body
        )
        return await admin_users.admin_user_detail_json(session=session, user=user), 200
