"""REST operations of the `auth` tag: parse, call `watchparty.services`, serialize.

connexion binds each operationId here (`getMe` -> `get_me`) and has already validated the
body against specs/openapi.yaml; authenticated operations receive `user` (the token's `sub`)
and `token_info` (its claims, checked by `watchparty.auth.bearer.bearer_info`).
"""

from __future__ import annotations

import uuid

from watchparty.db import utcnow
from watchparty.deps import Answer, Body, TokenInfo, caller, db_session
from watchparty.runtime import runtime
from watchparty.services import accounts, password_reset, sessions, two_factor
from watchparty.services.users import normalize_email, user_json
from watchparty.tables import User

__all__ = [
    "register",
    "login",
    "verify_two_factor",
    "refresh_token",
    "logout",
    "get_me",
    "update_me",
    "delete_me",
    "change_password",
    "request_password_reset",
    "confirm_password_reset",
    "setup_two_factor",
    "enable_two_factor",
    "disable_two_factor",
]


def _family(token_info: TokenInfo) -> uuid.UUID:
    return uuid.UUID(str(token_info["fid"]))


def _session_json(user: User, tokens: sessions.TokenPair) -> Body:
    return {
        "access": tokens.access,
        "refresh": tokens.refresh,
        "user": user_json(user, now=utcnow()),
    }


async def register(body: Body) -> Answer:
    async with db_session() as session:
        user = await accounts.check_register(
            session=session,
            username=body["username"],
            email=body["email"],
            password=body["password"],
            display_name=body.get("display_name"),
            bio=body.get("bio", ""),
            avatar_url=body.get("avatar_url"),
        )
        tokens = await sessions.do_start_session(session=session, user=user)
        return _session_json(user, tokens), 201


async def login(body: Body) -> Answer:
    email = normalize_email(body["email"])
    # Per account, on top of the per-address limit the resolver applies: one account
    # attacked from many addresses stays slow to guess.
    await runtime().throttler.hit("login", f"account:{email}")
    async with db_session() as session:
        result = await sessions.check_login(session=session, email=email, password=body["password"])
        return result.json(now=utcnow()), 200


async def verify_two_factor(body: Body) -> Answer:
    async with db_session() as session:
        result = await sessions.check_two_factor(
            session=session, challenge=body["challenge"], code=body["code"]
        )
        return result.json(now=utcnow()), 200


async def refresh_token(body: Body) -> Answer:
    async with db_session() as session:
        tokens = await sessions.do_refresh(session=session, refresh=body["refresh"])
        return {"access": tokens.access, "refresh": tokens.refresh}, 200


async def logout(body: Body, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        await sessions.do_logout(
            session=session, user=me, family_id=_family(token_info), refresh=body["refresh"]
        )
        return None, 204


async def get_me(token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (_, me):
        return user_json(me, now=utcnow()), 200


async def update_me(body: Body, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        me = await accounts.check_update_profile(session=session, user=me, changes=body)
        return user_json(me, now=utcnow()), 200


async def delete_me(body: Body, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        await accounts.check_delete_account(session=session, user=me, password=body["password"])
        return None, 204


async def change_password(body: Body, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        await accounts.check_change_password(
            session=session,
            user=me,
            current_password=body["current_password"],
            new_password=body["new_password"],
            keep_family=_family(token_info),
        )
        return None, 204


async def request_password_reset(body: Body) -> Answer:
    async with db_session() as session:
        await password_reset.do_request_password_reset(session=session, email=body["email"])
        return None, 202


async def confirm_password_reset(body: Body) -> Answer:
    async with db_session() as session:
        await password_reset.check_confirm_password_reset(
            session=session, token=body["token"], new_password=body["new_password"]
        )
        return None, 204


async def setup_two_factor(token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        setup = await two_factor.do_setup_two_factor(session=session, user=me)
        return {"secret": setup.secret, "otpauth_uri": setup.otpauth_uri}, 200


async def enable_two_factor(body: Body, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        await two_factor.check_enable_two_factor(session=session, user=me, code=body["code"])
        return None, 204


async def disable_two_factor(body: Body, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        await two_factor.check_disable_two_factor(
            session=session, user=me, password=body["password"], code=body["code"]
        )
        return None, 204
