"""Auth over the API: register, login, me, tokens, refresh rotation, logout, throttling.

2FA is in test_auth_2fa.py; password change/reset, profile and deletion in
test_auth_account.py. Every test runs on SQLite and PostgreSQL (tests/conftest.py).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from sqlmodel import select, update
from starlette.applications import Starlette

from tests.conftest import BASE_URL, make_settings
from tests.utils.factories import DEFAULT_PASSWORD, auth_headers, login, make_user, unique_name
from watchparty.auth import passwords
from watchparty.db import Database, utcnow
from watchparty.settings import Settings
from watchparty.tables import RefreshToken, RefreshTokenFamily, User

ME = "/api/auth/me/"


def assert_error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """The `{detail, code}` shape with exactly these two keys."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == {"detail", "code"}, body
    assert body["code"] == code
    assert isinstance(body["detail"], str) and body["detail"]
    return body


def assert_fields(response: httpx.Response, *fields: str) -> dict[str, list[str]]:
    """A 400 serializer map naming exactly `fields`, each with at least one message."""
    assert response.status_code == 400, response.text
    body: dict[str, list[str]] = response.json()
    assert set(body) == set(fields), body
    assert all(
        isinstance(msgs, list) and msgs and all(isinstance(m, str) for m in msgs)
        for msgs in body.values()
    )
    return body


def client_from(app: Starlette, ip: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=(ip, 4321)), base_url=BASE_URL
    )


def register_body(**overrides: Any) -> dict[str, Any]:
    name = unique_name("reg")
    return {
        "username": name,
        "email": f"{name}@Example.com",
        "password": "violet-lantern-orbit",
        **overrides,
    }


# --- register ------------------------------------------------------------------------------


async def test_register_starts_a_session(client: httpx.AsyncClient) -> None:
    body = register_body(display_name="Ana Lima", bio="Horror on Fridays.")
    response = await client.post("/api/auth/register/", json=body)
    assert response.status_code == 201, response.text
    session = response.json()
    user = session["user"]
    assert user["email"] == body["email"].lower()
    assert (user["username"], user["display_name"], user["bio"]) == (
        body["username"],
        "Ana Lima",
        "Horror on Fridays.",
    )
    assert (user["role"], user["status"], user["plan"], user["two_factor_enabled"]) == (
        "user",
        "active",
        "free",
        False,
    )
    assert user["date_joined"].endswith("Z")
    me = await client.get(ME, headers=auth_headers(session["access"]))
    assert me.json() == user


async def test_register_defaults_display_name_to_username(client: httpx.AsyncClient) -> None:
    body = register_body()
    response = await client.post("/api/auth/register/", json=body)
    assert response.json()["user"]["display_name"] == body["username"]


async def test_register_duplicates_are_field_errors(client: httpx.AsyncClient) -> None:
    first = register_body()
    assert (await client.post("/api/auth/register/", json=first)).status_code == 201
    again = register_body(email=first["email"].upper())
    assert (
        "email"
        in assert_fields(await client.post("/api/auth/register/", json=again), "email")["email"][0]
    )
    same_name = register_body(username=first["username"].upper())
    assert_fields(await client.post("/api/auth/register/", json=same_name), "username")
    both_and_weak = register_body(
        email=first["email"], username=first["username"], password="12345678"
    )
    errors = assert_fields(
        await client.post("/api/auth/register/", json=both_and_weak),
        "email",
        "username",
        "password",
    )
    assert any("numeric" in m for m in errors["password"])


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("password123", "too common"),
        ("98765432109", "entirely numeric"),
        ("{username}1", "too similar"),
        ("{local}!!", "too similar"),
        ("short", "at least"),
    ],
)
async def test_register_password_policy(
    client: httpx.AsyncClient, password: str, fragment: str
) -> None:
    body = register_body()
    body["password"] = password.format(username=body["username"], local=body["email"].split("@")[0])
    errors = assert_fields(await client.post("/api/auth/register/", json=body), "password")
    assert any(fragment in message for message in errors["password"]), errors


async def test_register_schema_errors_list_every_field(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/auth/register/", json={"username": "a b", "email": "x@example.com"}
    )
    assert_fields(response, "username", "password")


async def test_register_refuses_text_no_database_stores(client: httpx.AsyncClient) -> None:
    # A NUL was a 500 on PostgreSQL, a lone surrogate one on both backends (schemathesis).
    body = register_body(display_name="Ana\x00Lima", bio="\ud800")
    response = await client.post(
        # JSON escapes them (`\\u0000`, `\\ud800`); httpx would not encode the surrogate.
        "/api/auth/register/",
        content=json.dumps(body),
        headers={"content-type": "application/json"},
    )
    assert response.json() == {
        "display_name": ["Null characters are not allowed."],
        "bio": ["Surrogate characters are not allowed: U+D800."],
    }
    assert response.status_code == 400


# --- login ---------------------------------------------------------------------------------


async def test_login_answers_a_session(client: httpx.AsyncClient, db: Database, user: User) -> None:
    response = await client.post(
        "/api/auth/login/", json={"email": user.email.upper(), "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"access", "refresh", "user"}
    assert body["user"]["id"] == str(user.id)
    async with db.session() as session:
        row = await session.get(User, user.id)
        assert row is not None and row.last_login is not None


async def test_wrong_password_and_unknown_email_answer_alike(
    client: httpx.AsyncClient, settings: Settings, user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    dummy_checks: list[str] = []
    real_dummy = passwords.verify_dummy

    async def counting_dummy(password: str, *, settings: Settings) -> None:
        dummy_checks.append(password)
        await real_dummy(password, settings=settings)

    monkeypatch.setattr(passwords, "verify_dummy", counting_dummy)
    wrong = await client.post(
        "/api/auth/login/", json={"email": user.email, "password": "not-the-password"}
    )
    unknown = await client.post(
        "/api/auth/login/", json={"email": "nobody@example.com", "password": "whatever-it-is"}
    )
    assert assert_error(wrong, 401, "authentication_failed") == assert_error(
        unknown, 401, "authentication_failed"
    )
    # The unknown email still paid for one hash verification, like a real one.
    assert dummy_checks == ["whatever-it-is"]


@pytest.mark.parametrize("env", ["test", "development", "production"])
def test_dummy_hash_costs_what_a_real_one_does(env: str, tmp_path: Path) -> None:
    settings = make_settings(tmp_path, env=env)
    assert not passwords.needs_rehash(passwords._dummy_hash(env), settings=settings)


@pytest.mark.parametrize(
    ("status", "until", "code"),
    [
        ("banned", None, "account_banned"),
        ("suspended", None, "account_suspended"),
        ("suspended", dt.timedelta(days=1), "account_suspended"),
    ],
)
async def test_login_refused_for_blocked_accounts(
    client: httpx.AsyncClient,
    db: Database,
    settings: Settings,
    status: str,
    until: dt.timedelta | None,
    code: str,
) -> None:
    user = await make_user(
        db, settings, status=status, suspended_until=utcnow() + until if until else None
    )
    response = await client.post(
        "/api/auth/login/", json={"email": user.email, "password": DEFAULT_PASSWORD}
    )
    assert_error(response, 401, code)
    # Without the password nobody learns about the suspension.
    wrong = await client.post(
        "/api/auth/login/", json={"email": user.email, "password": "wrong-password"}
    )
    assert_error(wrong, 401, "authentication_failed")


async def test_expired_suspension_lets_the_user_in(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    user = await make_user(
        db, settings, status="suspended", suspended_until=utcnow() - dt.timedelta(minutes=1)
    )
    session = await login(client, user)
    assert session.user["status"] == "active"


async def test_login_is_throttled_per_address(app: Starlette, user: User) -> None:
    async with client_from(app, "10.0.0.1") as http:
        for n in range(10):
            email = f"nobody{n}@example.com"  # other accounts: only the address limit applies
            response = await http.post(
                "/api/auth/login/", json={"email": email, "password": "x-password"}
            )
            assert response.status_code == 401
        blocked = await http.post(
            "/api/auth/login/", json={"email": user.email, "password": DEFAULT_PASSWORD}
        )
    assert_error(blocked, 429, "throttled")
    assert 1 <= int(blocked.headers["Retry-After"]) <= 60
    async with client_from(app, "10.0.0.2") as other:
        assert (await login(other, user)).access


async def test_login_is_throttled_per_account(app: Starlette, user: User) -> None:
    for n in range(10):
        async with client_from(app, f"10.1.0.{n}") as http:
            response = await http.post(
                "/api/auth/login/", json={"email": user.email, "password": "wrong-password"}
            )
            assert response.status_code == 401
    async with client_from(app, "10.1.1.1") as fresh_address:
        response = await fresh_address.post(
            "/api/auth/login/", json={"email": user.email.upper(), "password": DEFAULT_PASSWORD}
        )
    assert_error(response, 429, "throttled")
    assert int(response.headers["Retry-After"]) >= 1


# --- access tokens and me ------------------------------------------------------------------


async def test_me_needs_a_token(client: httpx.AsyncClient) -> None:
    assert_error(await client.get(ME), 401, "not_authenticated")
    assert_error(
        await client.get(ME, headers=auth_headers("not-a-jwt")), 401, "authentication_failed"
    )


def _claims(session_user_id: str, family: str, now: dt.datetime, **changes: Any) -> dict[str, Any]:
    claims = {
        "sub": session_user_id,
        "role": "user",
        "fid": family,
        "jti": uuid.uuid4().hex,
        "typ": "access",
        "iat": int(now.timestamp()),
        "exp": int(now.timestamp()) + 600,
    }
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


async def test_forged_and_stale_tokens_are_refused(
    client: httpx.AsyncClient, settings: Settings, user: User
) -> None:
    session = await login(client, user)
    real = jwt.decode(session.access, options={"verify_signature": False})
    now = utcnow()
    secret = settings.secret_key.get_secret_value()
    good = jwt.encode(_claims(real["sub"], real["fid"], now), secret, algorithm="HS256")
    assert (await client.get(ME, headers=auth_headers(good))).status_code == 200
    forged = [
        jwt.encode(_claims(real["sub"], real["fid"], now), None, algorithm="none"),
        jwt.encode(_claims(real["sub"], real["fid"], now), secret, algorithm="HS512"),
        jwt.encode(
            _claims(real["sub"], real["fid"], now), "another-secret-" + "y" * 60, algorithm="HS256"
        ),
        jwt.encode(
            _claims(real["sub"], real["fid"], now, exp=int(now.timestamp()) - 60),
            secret,
            algorithm="HS256",
        ),
        jwt.encode(_claims(real["sub"], real["fid"], now, jti=None), secret, algorithm="HS256"),
        jwt.encode(
            _claims(real["sub"], real["fid"], now, typ="refresh"), secret, algorithm="HS256"
        ),
        jwt.encode(_claims("not-a-uuid", real["fid"], now), secret, algorithm="HS256"),
        jwt.encode(_claims(str(uuid.uuid4()), real["fid"], now), secret, algorithm="HS256"),
        jwt.encode(_claims(real["sub"], str(uuid.uuid4()), now), secret, algorithm="HS256"),
    ]
    for token in forged:
        assert_error(
            await client.get(ME, headers=auth_headers(token)), 401, "authentication_failed"
        )


async def test_access_token_claims(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    user = await make_user(db, settings, role="moderator")
    session = await login(client, user)
    header = jwt.get_unverified_header(session.access)
    claims = jwt.decode(
        session.access, settings.secret_key.get_secret_value(), algorithms=["HS256"]
    )
    assert header["alg"] == "HS256"
    assert {"exp", "iat", "jti", "sub", "role", "fid"} <= set(claims)
    assert (claims["sub"], claims["role"]) == (str(user.id), "moderator")
    assert claims["exp"] - claims["iat"] == settings.access_token_ttl_seconds


async def test_banning_ends_live_tokens(
    client: httpx.AsyncClient, db: Database, user: User
) -> None:
    session = await login(client, user)
    async with db.session() as s:
        await s.exec(update(User).where(User.id == user.id).values(status="banned"))  # type: ignore[arg-type]
        await s.commit()
    assert_error(await client.get(ME, headers=session.headers), 401, "account_banned")
    assert_error(
        await client.post("/api/auth/refresh/", json={"refresh": session.refresh}),
        401,
        "account_banned",
    )


# --- refresh and logout --------------------------------------------------------------------


async def refresh(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post("/api/auth/refresh/", json={"refresh": token})


async def test_refresh_rotates(client: httpx.AsyncClient, db: Database, user: User) -> None:
    session = await login(client, user)
    response = await refresh(client, session.refresh)
    assert response.status_code == 200, response.text
    pair = response.json()
    assert set(pair) == {"access", "refresh"} and pair["refresh"] != session.refresh
    assert (await client.get(ME, headers=auth_headers(pair["access"]))).status_code == 200
    assert (await refresh(client, pair["refresh"])).status_code == 200
    async with db.session() as s:
        rows = (await s.exec(select(RefreshToken))).all()
    # Only hashes are stored.
    assert session.refresh not in {row.token_hash for row in rows}


async def test_refresh_reuse_revokes_the_family(
    client: httpx.AsyncClient, db: Database, user: User
) -> None:
    session = await login(client, user)
    other = await login(client, user)
    rotated = (await refresh(client, session.refresh)).json()
    assert_error(await refresh(client, session.refresh), 401, "authentication_failed")  # the reuse
    assert_error(await refresh(client, rotated["refresh"]), 401, "authentication_failed")
    assert_error(
        await client.get(ME, headers=auth_headers(rotated["access"])), 401, "authentication_failed"
    )
    assert_error(await client.get(ME, headers=session.headers), 401, "authentication_failed")
    # The user's other session is a different family and lives on.
    assert (await client.get(ME, headers=other.headers)).status_code == 200
    assert (await refresh(client, other.refresh)).status_code == 200
    async with db.session() as s:
        reasons = {f.revoked_reason for f in (await s.exec(select(RefreshTokenFamily))).all()}
    assert reasons == {"reuse", None}


async def test_concurrent_refreshes_with_one_token(client: httpx.AsyncClient, user: User) -> None:
    session = await login(client, user)
    first, second = await asyncio.gather(
        refresh(client, session.refresh), refresh(client, session.refresh)
    )
    assert sorted([first.status_code, second.status_code]) == [200, 401]
    winner = first if first.status_code == 200 else second
    # One token used twice is reuse, however close together: the family is gone.
    assert (await refresh(client, winner.json()["refresh"])).status_code == 401


async def test_refresh_refuses_unknown_and_expired(
    client: httpx.AsyncClient, db: Database, user: User
) -> None:
    session = await login(client, user)
    assert_error(await refresh(client, "unknown-token"), 401, "authentication_failed")
    async with db.session() as s:
        await s.exec(update(RefreshToken).values(expires_at=utcnow() - dt.timedelta(seconds=1)))
        await s.commit()
    assert_error(await refresh(client, session.refresh), 401, "authentication_failed")
    assert_fields(await client.post("/api/auth/refresh/", json={}), "refresh")


async def test_logout_revokes_the_family(client: httpx.AsyncClient, user: User) -> None:
    session = await login(client, user)
    other = await login(client, user)
    response = await client.post(
        "/api/auth/logout/", json={"refresh": session.refresh}, headers=session.headers
    )
    assert response.status_code == 204 and response.content == b""
    assert_error(await refresh(client, session.refresh), 401, "authentication_failed")
    assert_error(await client.get(ME, headers=session.headers), 401, "authentication_failed")
    assert (await client.get(ME, headers=other.headers)).status_code == 200


async def test_logout_ignores_a_foreign_refresh_token(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    mine = await login(client, await make_user(db, settings))
    theirs = await login(client, await make_user(db, settings))
    response = await client.post(
        "/api/auth/logout/", json={"refresh": theirs.refresh}, headers=mine.headers
    )
    assert response.status_code == 204
    assert (await refresh(client, theirs.refresh)).status_code == 200
    assert_error(await client.get(ME, headers=mine.headers), 401, "authentication_failed")


async def test_logout_needs_auth(client: httpx.AsyncClient) -> None:
    assert_error(
        await client.post("/api/auth/logout/", json={"refresh": "x"}), 401, "not_authenticated"
    )


async def test_refresh_is_throttled_per_address(app: Starlette) -> None:
    async with client_from(app, "10.2.0.1") as http:
        for _ in range(30):
            assert (await refresh(http, "unknown")).status_code == 401
        assert_error(await refresh(http, "unknown"), 429, "throttled")
