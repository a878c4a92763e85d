"""TOTP two-factor: setup, enable, login challenge, verify-2fa, disable (pyotp codes)."""

from __future__ import annotations

import datetime as dt

import httpx
import pyotp
import pytest
from sqlmodel import update
from starlette.applications import Starlette

from tests.api.test_auth import ME, assert_error, assert_fields, client_from
from tests.utils.factories import DEFAULT_PASSWORD, TotpUser, login, totp_code
from watchparty.db import Database, utcnow
from watchparty.services.sessions import MAX_CHALLENGE_FAILURES
from watchparty.tables import TwoFactorChallenge, User


def wrong_code(secret: str) -> str:
    """A well-formed code that is none of the accepted window's."""
    totp = pyotp.TOTP(secret)
    now = utcnow()
    valid = {totp.at(now + dt.timedelta(seconds=30 * k)) for k in (-1, 0, 1)}
    return next(code for code in (f"{n:06d}" for n in range(1_000_000)) if code not in valid)


def step_code(secret: str, step: int) -> str:
    return pyotp.TOTP(secret).generate_otp(step)


async def last_step(db: Database, user: User) -> int:
    async with db.session() as s:
        row = await s.get(User, user.id)
        assert row is not None and row.totp_last_step is not None
        return row.totp_last_step


async def forget_last_step(db: Database, user: User) -> None:
    async with db.session() as s:
        await s.exec(update(User).where(User.id == user.id).values(totp_last_step=None))  # type: ignore[arg-type]
        await s.commit()


async def start_login(client: httpx.AsyncClient, user: User) -> str:
    response = await client.post(
        "/api/auth/login/", json={"email": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body == {"two_factor_required": True, "challenge": body["challenge"]}
    challenge: str = body["challenge"]
    return challenge


async def verify(client: httpx.AsyncClient, challenge: str, code: str) -> httpx.Response:
    return await client.post("/api/auth/verify-2fa/", json={"challenge": challenge, "code": code})


async def test_setup_enable_login_disable(
    client: httpx.AsyncClient, db: Database, user: User
) -> None:
    session = await login(client, user)
    setup = await client.post("/api/auth/2fa/setup/", headers=session.headers)
    assert setup.status_code == 200, setup.text
    secret = setup.json()["secret"]
    assert (
        setup.json()["otpauth_uri"].startswith("otpauth://totp/")
        and secret in setup.json()["otpauth_uri"]
    )
    # Not on until confirmed: login still answers a session.
    assert (await login(client, user)).access

    bad = await client.post(
        "/api/auth/2fa/enable/", json={"code": wrong_code(secret)}, headers=session.headers
    )
    assert_fields(bad, "code")
    on = await client.post(
        "/api/auth/2fa/enable/", json={"code": totp_code(secret)}, headers=session.headers
    )
    assert on.status_code == 204, on.text
    assert (await client.get(ME, headers=session.headers)).json()["two_factor_enabled"] is True

    used_step = await last_step(db, user)
    challenge = await start_login(client, user)
    # The code that enabled 2FA was used up; the next time step's code is fresh.
    assert_error(
        await verify(client, challenge, step_code(secret, used_step)), 401, "authentication_failed"
    )
    finished = await verify(client, challenge, step_code(secret, used_step + 1))
    assert finished.status_code == 200, finished.text
    assert set(finished.json()) == {"access", "refresh", "user"}

    all_wrong = {"password": "not-my-password", "code": wrong_code(secret)}
    assert_fields(
        await client.post("/api/auth/2fa/disable/", json=all_wrong, headers=session.headers),
        "password",
        "code",
    )
    replay = {"password": DEFAULT_PASSWORD, "code": step_code(secret, used_step + 1)}
    assert_fields(
        await client.post("/api/auth/2fa/disable/", json=replay, headers=session.headers), "code"
    )
    await forget_last_step(db, user)
    off = await client.post(
        "/api/auth/2fa/disable/",
        json={"password": DEFAULT_PASSWORD, "code": totp_code(secret)},
        headers=session.headers,
    )
    assert off.status_code == 204, off.text
    assert (await login(client, user)).user["two_factor_enabled"] is False


async def test_enable_without_setup(client: httpx.AsyncClient, user: User) -> None:
    session = await login(client, user)
    response = await client.post(
        "/api/auth/2fa/enable/", json={"code": "123456"}, headers=session.headers
    )
    assert_fields(response, "non_field_errors")
    off = await client.post(
        "/api/auth/2fa/disable/",
        json={"password": DEFAULT_PASSWORD, "code": "123456"},
        headers=session.headers,
    )
    assert_fields(off, "non_field_errors")


async def test_setup_again_keeps_the_active_secret(
    client: httpx.AsyncClient, db: Database, totp_user: TotpUser
) -> None:
    user, secret = totp_user
    session = await login(client, user)
    new_secret = (await client.post("/api/auth/2fa/setup/", headers=session.headers)).json()[
        "secret"
    ]
    assert new_secret != secret
    challenge = await start_login(client, user)
    # The old secret guards logins until the new one is confirmed.
    next_code = step_code(secret, await last_step(db, user) + 1)
    assert (await verify(client, challenge, next_code)).status_code == 200


async def test_challenge_is_single_use(
    client: httpx.AsyncClient, db: Database, totp_user: TotpUser
) -> None:
    user, secret = totp_user
    challenge = await start_login(client, user)
    assert (await verify(client, challenge, totp_code(secret))).status_code == 200
    later = step_code(secret, await last_step(db, user) + 1)
    assert_error(await verify(client, challenge, later), 401, "authentication_failed")


async def test_challenge_expires(
    client: httpx.AsyncClient, db: Database, totp_user: TotpUser
) -> None:
    user, secret = totp_user
    challenge = await start_login(client, user)
    async with db.session() as s:
        await s.exec(
            update(TwoFactorChallenge).values(expires_at=utcnow() - dt.timedelta(seconds=1))
        )
        await s.commit()
    assert_error(await verify(client, challenge, totp_code(secret)), 401, "authentication_failed")
    assert_error(
        await verify(client, "made-up-challenge", totp_code(secret)), 401, "authentication_failed"
    )


async def test_challenge_dies_after_wrong_codes(app: Starlette, totp_user: TotpUser) -> None:
    user, secret = totp_user
    async with client_from(app, "10.3.0.1") as http:
        challenge = await start_login(http, user)
    for n in range(MAX_CHALLENGE_FAILURES):
        # A new address each time: only the challenge and the account count.
        async with client_from(app, f"10.3.1.{n}") as http:
            assert_error(
                await verify(http, challenge, wrong_code(secret)), 401, "authentication_failed"
            )
    async with client_from(app, "10.3.2.1") as http:
        assert_error(await verify(http, challenge, totp_code(secret)), 401, "authentication_failed")
        # The account's wrong-code budget is used up too: the next wrong code is throttled.
        fresh = await start_login(http, user)
    async with client_from(app, "10.3.2.2") as http:
        blocked = await verify(http, fresh, wrong_code(secret))
    assert_error(blocked, 429, "throttled")
    assert int(blocked.headers["Retry-After"]) >= 1


async def test_verify_is_throttled_per_address(app: Starlette) -> None:
    async with client_from(app, "10.4.0.1") as http:
        for _ in range(5):
            assert (await verify(http, "nope", "123456")).status_code == 401
        assert_error(await verify(http, "nope", "123456"), 429, "throttled")


@pytest.mark.parametrize(
    "body", [{"challenge": "x", "code": "12345"}, {"challenge": "", "code": "abcdef"}, {}]
)
async def test_verify_schema_errors(client: httpx.AsyncClient, body: dict[str, str]) -> None:
    response = await client.post("/api/auth/verify-2fa/", json=body)
    assert response.status_code == 400
    assert set(response.json()) <= {"challenge", "code"}
