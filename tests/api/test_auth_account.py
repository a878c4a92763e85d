"""The own account: profile update, password change and reset, deletion."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiosmtplib
import httpx
import pytest
from pydantic import SecretStr
from sqlmodel import select, update

from tests.api.test_auth import ME, assert_error, assert_fields, refresh
from tests.utils.factories import DEFAULT_PASSWORD, login, make_user
from watchparty.db import Database, utcnow
from watchparty.mail import Mailer
from watchparty.runtime import Runtime
from watchparty.settings import Settings
from watchparty.tables import OutboxMail, PasswordResetToken, RefreshTokenFamily, User

NEW_PASSWORD = "staple-battery-horse-correct"


# --- profile -------------------------------------------------------------------------------


async def test_update_profile(client: httpx.AsyncClient, db: Database, settings: Settings) -> None:
    user = await make_user(db, settings, avatar_url="https://example.com/a.png")
    session = await login(client, user)
    changes = {"display_name": "Ana L.", "bio": "Horror films on Fridays.", "avatar_url": None}
    response = await client.patch(ME, json=changes, headers=session.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert {k: body[k] for k in changes} == changes
    assert body["username"] == user.username
    assert (await client.get(ME, headers=session.headers)).json() == body
    # Nothing given, nothing changed.
    assert (await client.patch(ME, json={}, headers=session.headers)).json() == body


async def test_update_profile_without_body_or_content_type(
    client: httpx.AsyncClient, user: User
) -> None:
    # Both were a 500: the handler got the raw bytes of a body sent without Content-Type.
    session = await login(client, user)
    empty = await client.patch(ME, headers=session.headers)
    assert empty.status_code == 200, empty.text
    assert empty.json() == session.user
    untyped = await client.patch(ME, content=b'{"bio": "Hi."}', headers=session.headers)
    assert untyped.status_code == 200, untyped.text
    assert untyped.json()["bio"] == "Hi."


async def test_update_username(
    client: httpx.AsyncClient, db: Database, settings: Settings, user: User
) -> None:
    other = await make_user(db, settings)
    session = await login(client, user)
    taken = await client.patch(
        ME, json={"username": other.username.upper()}, headers=session.headers
    )
    assert_fields(taken, "username")
    recased = await client.patch(
        ME, json={"username": user.username.upper()}, headers=session.headers
    )
    assert recased.status_code == 200 and recased.json()["username"] == user.username.upper()
    assert_fields(
        await client.patch(ME, json={"username": "no spaces", "bio": 5}, headers=session.headers),
        "username",
        "bio",
    )


async def test_profile_needs_auth(client: httpx.AsyncClient) -> None:
    assert_error(await client.patch(ME, json={"bio": "x"}), 401, "not_authenticated")


# --- password change -----------------------------------------------------------------------


async def change(
    client: httpx.AsyncClient, headers: dict[str, str], current: str, new: str
) -> httpx.Response:
    body = {"current_password": current, "new_password": new}
    return await client.post("/api/auth/password/change/", json=body, headers=headers)


async def test_change_password_ends_other_sessions(client: httpx.AsyncClient, user: User) -> None:
    here = await login(client, user)
    elsewhere = await login(client, user)
    assert_fields(
        await change(client, here.headers, "wrong-password", NEW_PASSWORD), "current_password"
    )
    assert_fields(await change(client, here.headers, DEFAULT_PASSWORD, "123456789"), "new_password")
    assert_fields(await change(client, here.headers, DEFAULT_PASSWORD, "short"), "new_password")
    assert (await change(client, here.headers, DEFAULT_PASSWORD, NEW_PASSWORD)).status_code == 204
    assert (await client.get(ME, headers=here.headers)).status_code == 200
    assert (await refresh(client, here.refresh)).status_code == 200
    assert_error(await client.get(ME, headers=elsewhere.headers), 401, "authentication_failed")
    assert_error(await refresh(client, elsewhere.refresh), 401, "authentication_failed")
    old = await client.post(
        "/api/auth/login/", json={"email": user.email, "password": DEFAULT_PASSWORD}
    )
    assert_error(old, 401, "authentication_failed")
    assert (await login(client, user, NEW_PASSWORD)).access


# --- password reset ------------------------------------------------------------------------


async def request_reset(client: httpx.AsyncClient, email: str) -> httpx.Response:
    return await client.post("/api/auth/password/reset/", json={"email": email})


async def confirm(
    client: httpx.AsyncClient, token: str, password: str = NEW_PASSWORD
) -> httpx.Response:
    return await client.post(
        "/api/auth/password/reset/confirm/", json={"token": token, "new_password": password}
    )


async def mailed_token(db: Database, to: str) -> str:
    async with db.session() as session:
        mails = (await session.exec(select(OutboxMail).where(OutboxMail.to == to))).all()
    assert len(mails) == 1, mails
    link = next(word for word in mails[0].body.split() if word.startswith("http"))
    assert link.startswith("http://localhost:8000/reset-password?")
    return parse_qs(urlsplit(link).query)["token"][0]


async def test_reset_answers_alike_for_unknown_email(
    client: httpx.AsyncClient, db: Database, user: User
) -> None:
    known = await request_reset(client, user.email.upper())
    unknown = await request_reset(client, "nobody@example.com")
    assert (
        (known.status_code, known.content) == (unknown.status_code, unknown.content) == (202, b"")
    )
    async with db.session() as session:
        recipients = [m.to for m in (await session.exec(select(OutboxMail))).all()]
    assert recipients == [user.email]


async def test_reset_is_single_use(client: httpx.AsyncClient, db: Database, user: User) -> None:
    session = await login(client, user)
    await request_reset(client, user.email)
    token = await mailed_token(db, user.email)
    assert_fields(await confirm(client, token, "password123"), "new_password")  # the token survives
    assert (await confirm(client, token)).status_code == 204
    assert_fields(await confirm(client, token, "another-fine-passphrase"), "token")
    assert (await login(client, user, NEW_PASSWORD)).access
    # A reset ends every session: whoever knew the old password is out.
    assert_error(await client.get(ME, headers=session.headers), 401, "authentication_failed")
    async with db.session() as s:
        stored = (await s.exec(select(PasswordResetToken.token_hash))).all()
    assert token not in stored


async def test_reset_token_expires(client: httpx.AsyncClient, db: Database, user: User) -> None:
    await request_reset(client, user.email)
    token = await mailed_token(db, user.email)
    async with db.session() as s:
        await s.exec(
            update(PasswordResetToken).values(expires_at=utcnow() - dt.timedelta(seconds=1))
        )
        await s.commit()
    assert_fields(await confirm(client, token), "token")
    assert_fields(await confirm(client, "made-up"), "token")


async def test_reset_request_is_throttled(client: httpx.AsyncClient) -> None:
    for _ in range(5):
        assert (await request_reset(client, "nobody@example.com")).status_code == 202
    blocked = await request_reset(client, "nobody@example.com")
    assert_error(blocked, 429, "throttled")
    assert int(blocked.headers["Retry-After"]) > 60  # 5/hour


# --- deletion ------------------------------------------------------------------------------


async def test_delete_account_anonymizes(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    user = await make_user(
        db, settings, bio="Horror films.", avatar_url="https://example.com/a.png"
    )
    session = await login(client, user)
    wrong = await client.post(
        "/api/auth/me/delete/", json={"password": "not-my-password"}, headers=session.headers
    )
    assert_fields(wrong, "password")
    response = await client.post(
        "/api/auth/me/delete/", json={"password": DEFAULT_PASSWORD}, headers=session.headers
    )
    assert response.status_code == 204, response.text
    async with db.session() as s:
        row = await s.get(User, user.id)
        families = (await s.exec(select(RefreshTokenFamily))).all()
    assert row is not None and row.status == "deleted" and row.deleted_at is not None
    assert user.email not in row.email and user.username not in row.username
    assert (row.display_name, row.bio, row.avatar_url, row.totp_secret) == (
        "Deleted user",
        "",
        None,
        None,
    )
    assert all(f.revoked_at is not None for f in families)
    assert_error(await client.get(ME, headers=session.headers), 401, "authentication_failed")
    gone = await client.post(
        "/api/auth/login/", json={"email": user.email, "password": DEFAULT_PASSWORD}
    )
    assert_error(gone, 401, "authentication_failed")
    # The email and username are free again.
    again = {"username": user.username, "email": user.email, "password": "violet-lantern-orbit"}
    assert (await client.post("/api/auth/register/", json=again)).status_code == 201


async def test_reset_mail_goes_over_smtp_when_configured(
    client: httpx.AsyncClient,
    db: Database,
    settings: Settings,
    rt: Runtime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    smtp = settings.model_copy(
        update={
            "smtp_host": "smtp.example.com",
            "smtp_port": 465,
            "smtp_tls": True,
            "smtp_user": "mailer",
            "smtp_password": SecretStr("pw"),
        }
    )
    rt.mailer = Mailer(settings=smtp, db=db)
    sent: list[tuple[EmailMessage, dict[str, Any]]] = []

    async def fake_send(message: EmailMessage, **options: Any) -> None:
        sent.append((message, options))

    monkeypatch.setattr(aiosmtplib, "send", fake_send)
    user = await make_user(db, settings)
    assert (await request_reset(client, user.email)).status_code == 202
    ((message, options),) = sent
    assert (message["To"], message["From"]) == (user.email, settings.smtp_from)
    assert "/reset-password?token=" in message.get_content()
    assert (
        options["hostname"],
        options["port"],
        options["use_tls"],
        options["username"],
        options["password"],
    ) == ("smtp.example.com", 465, True, "mailer", "pw")
    async with db.session() as s:
        assert (await s.exec(select(OutboxMail))).all() == []

    async def broken_send(message: EmailMessage, **options: Any) -> None:
        raise aiosmtplib.SMTPConnectError("connection refused")

    monkeypatch.setattr(aiosmtplib, "send", broken_send)
    # A mail failure is logged, never shown: the answer stays the same.
    assert (await request_reset(client, user.email)).status_code == 202
