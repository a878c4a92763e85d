"""Forged, stale and misused tokens (issue 10.2), on a real server: every one is refused with
401 `{detail, code}` over REST and closes a WebSocket with 4401 (DESIGN §3, §4).

Each case builds a bad access token from a real session of `user` (so only the one thing
that is wrong differs from a token the server accepts; `test_the_good_token_passes` shows
the baseline is accepted).
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import jwt
import orjson
import pytest
import sqlalchemy as sa

from tests.realtime.conftest import Connect, Server
from tests.security.conftest import suspend
from tests.utils.factories import DEFAULT_PASSWORD, Session, auth_headers, login, make_user
from watchparty.auth.tokens import REQUIRED_CLAIMS, decode_access_token
from watchparty.db import Database, utcnow
from watchparty.settings import Settings
from watchparty.tables import User

ME = "/api/auth/me/"
WS_PATHS = ("/ws/notifications/",)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned(header: dict[str, Any], claims: dict[str, Any], signature: bytes = b"") -> str:
    """A token assembled by hand, for algorithms pyjwt refuses to produce."""
    parts = [orjson.dumps(header), orjson.dumps(claims)]
    return ".".join([*(b64(part) for part in parts), b64(signature)])


@pytest.fixture
async def user(db: Database, settings: Settings) -> User:
    return await make_user(db, settings)


@pytest.fixture
async def me(http: httpx.AsyncClient, user: User) -> Session:
    return await login(http, user)


def claims_of(me: Session, settings: Settings) -> dict[str, Any]:
    return decode_access_token(me.access, settings=settings)


def resign(claims: dict[str, Any], settings: Settings, **changes: Any) -> str:
    key = settings.secret_key.get_secret_value()
    return jwt.encode({**claims, **changes}, key, algorithm=settings.jwt_algorithm)


def now_s(**delta: float) -> int:
    return int((utcnow() + dt.timedelta(**delta)).timestamp())


Forge = Callable[[Session, Settings], str]


def without(claim: str) -> Forge:
    def forge(me: Session, settings: Settings) -> str:
        claims = {k: v for k, v in claims_of(me, settings).items() if k != claim}
        key = settings.secret_key.get_secret_value()
        return jwt.encode(claims, key, algorithm=settings.jwt_algorithm)

    return forge


SECRET_HS = "another-secret-" + "y" * 60

FORGED: dict[str, Forge] = {
    "alg-none": lambda me, s: unsigned({"alg": "none", "typ": "JWT"}, claims_of(me, s)),
    "alg-None": lambda me, s: unsigned({"alg": "None", "typ": "JWT"}, claims_of(me, s)),
    "alg-none-with-signature": lambda me, s: unsigned(
        {"alg": "none"}, claims_of(me, s), me.access.rsplit(".", 1)[1].encode()
    ),
    "wrong-key": lambda me, s: jwt.encode(claims_of(me, s), SECRET_HS, algorithm="HS256"),
    "wrong-algorithm-hs512": lambda me, s: jwt.encode(
        claims_of(me, s), s.secret_key.get_secret_value(), algorithm="HS512"
    ),
    "wrong-algorithm-hs384": lambda me, s: jwt.encode(
        claims_of(me, s), s.secret_key.get_secret_value(), algorithm="HS384"
    ),
    # RS/HS confusion: an asymmetric header over our claims (pyjwt is not asked to verify RS).
    "rs256-header": lambda me, s: unsigned({"alg": "RS256"}, claims_of(me, s), b"\x01" * 256),
    "es256-header": lambda me, s: unsigned({"alg": "ES256"}, claims_of(me, s), b"\x01" * 64),
    "tampered-claims": lambda me, s: ".".join(
        [
            me.access.split(".")[0],
            b64(orjson.dumps({**claims_of(me, s), "role": "admin"})),
            me.access.split(".")[2],
        ]
    ),
    "expired": lambda me, s: resign(claims_of(me, s), s, iat=now_s(hours=-2), exp=now_s(hours=-1)),
    "future-iat": lambda me, s: resign(claims_of(me, s), s, iat=now_s(hours=1), exp=now_s(hours=2)),
    "future-nbf": lambda me, s: resign(claims_of(me, s), s, nbf=now_s(hours=1)),
    "refresh-as-access": lambda me, s: me.refresh,
    "typ-refresh": lambda me, s: resign(claims_of(me, s), s, typ="refresh"),
    "sub-not-uuid": lambda me, s: resign(claims_of(me, s), s, sub="1"),
    "sub-of-nobody": lambda me, s: resign(claims_of(me, s), s, sub=str(uuid.uuid4())),
    "fid-of-nobody": lambda me, s: resign(claims_of(me, s), s, fid=str(uuid.uuid4())),
    "no-token": lambda me, s: "",
    "garbage": lambda me, s: "a.b.c",
    **{f"missing-{claim}": without(claim) for claim in REQUIRED_CLAIMS},
}


async def refused_everywhere(
    http: httpx.AsyncClient, ws_connect: Connect, token: str, *, code: str | None = None
) -> None:
    response = await http.get(ME, headers=auth_headers(token) if token else {})
    assert response.status_code == 401, response.text
    body = response.json()
    assert set(body) == {"detail", "code"} and body["detail"], body
    if code is not None:
        assert body["code"] == code, body
    for path in WS_PATHS:
        assert await (await ws_connect(path, token or None, welcome=False)).closed() == 4401


async def test_the_good_token_passes(
    http: httpx.AsyncClient, ws_connect: Connect, me: Session
) -> None:
    assert (await http.get(ME, headers=me.headers)).status_code == 200
    for path in WS_PATHS:
        await ws_connect(path, me.access)  # welcomed


@pytest.mark.parametrize("case", sorted(FORGED))
async def test_forged_tokens_are_refused(
    http: httpx.AsyncClient, ws_connect: Connect, server: Server, me: Session, case: str
) -> None:
    token = FORGED[case](me, server.rt.settings)
    assert token != me.access
    await refused_everywhere(http, ws_connect, token)


async def test_access_token_is_not_a_refresh_token(http: httpx.AsyncClient, me: Session) -> None:
    response = await http.post("/api/auth/refresh/", json={"refresh": me.access})
    assert response.status_code == 401, response.text
    assert set(response.json()) == {"detail", "code"}


async def test_logout_revokes_the_access_token(
    http: httpx.AsyncClient, ws_connect: Connect, me: Session
) -> None:
    out = await http.post("/api/auth/logout/", json={"refresh": me.refresh}, headers=me.headers)
    assert out.status_code == 204, out.text
    await refused_everywhere(http, ws_connect, me.access)
    dead = await http.post("/api/auth/refresh/", json={"refresh": me.refresh})
    assert dead.status_code == 401


async def test_refresh_reuse_revokes_the_whole_family(
    http: httpx.AsyncClient, ws_connect: Connect, me: Session
) -> None:
    rotated = await http.post("/api/auth/refresh/", json={"refresh": me.refresh})
    assert rotated.status_code == 200, rotated.text
    new = rotated.json()
    assert (await http.get(ME, headers=auth_headers(new["access"]))).status_code == 200
    reused = await http.post("/api/auth/refresh/", json={"refresh": me.refresh})
    assert reused.status_code == 401  # the copy of a spent token: the family dies
    for token in (me.access, new["access"]):
        await refused_everywhere(http, ws_connect, token)
    assert (
        await http.post("/api/auth/refresh/", json={"refresh": new["refresh"]})
    ).status_code == 401


Change = Callable[[Database, User], Awaitable[None]]


async def _mark_deleted(db: Database, user: User) -> None:
    async with db.session() as session:
        stmt = sa.update(User).where(User.id == user.id).values(status="deleted")  # type: ignore[arg-type]
        await session.exec(stmt)  # type: ignore[call-overload]
        await session.commit()


async def _remove_row(db: Database, user: User) -> None:
    async with db.session() as session:
        await session.exec(sa.delete(User).where(User.id == user.id))  # type: ignore[call-overload, arg-type]
        await session.commit()


async def _ban(db: Database, user: User) -> None:
    async with db.session() as session:
        stmt = sa.update(User).where(User.id == user.id).values(status="banned")  # type: ignore[arg-type]
        await session.exec(stmt)  # type: ignore[call-overload]
        await session.commit()


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (_mark_deleted, None),
        (_remove_row, None),
        (suspend, "account_suspended"),
        (_ban, "account_banned"),
    ],
    ids=["deleted", "row-removed", "suspended", "banned"],
)
async def test_tokens_of_users_who_may_no_longer_act(
    http: httpx.AsyncClient,
    ws_connect: Connect,
    db: Database,
    user: User,
    me: Session,
    change: Change,
    code: str | None,
) -> None:
    """The token stays well signed; the account's state refuses it on the next request."""
    await change(db, user)
    await refused_everywhere(http, ws_connect, me.access, code=code)


async def test_deleting_the_account_ends_its_tokens(
    http: httpx.AsyncClient, ws_connect: Connect, me: Session
) -> None:
    gone = await http.post(
        "/api/auth/me/delete/", json={"password": DEFAULT_PASSWORD}, headers=me.headers
    )
    assert gone.status_code == 204, gone.text
    await refused_everywhere(http, ws_connect, me.access)
    assert (await http.post("/api/auth/refresh/", json={"refresh": me.refresh})).status_code == 401


@pytest.mark.parametrize(
    "case",
    ["alg-none", "wrong-key", "wrong-algorithm-hs512", "expired", "future-iat", "typ-refresh"],
)
async def test_forged_tokens_do_not_extend_an_open_socket(
    ws_connect: Connect, server: Server, me: Session, case: str
) -> None:
    """`auth.refresh` on an open socket checks the new token as the handshake does."""
    socket = await ws_connect(WS_PATHS[0], me.access, welcome=False)
    welcome = (await socket.expect("session.welcome"))["payload"]
    await socket.send("auth.refresh", {"access": FORGED[case](me, server.rt.settings)}, id_="r")
    error = (await socket.expect("error"))["payload"]
    assert (error["code"], error["ref"]) == ("invalid_token", "r"), error
    await socket.silent("auth.refreshed")
    assert welcome["token_expires_at"]  # the deadline of the real token still stands


async def test_another_users_token_does_not_take_over_a_socket(
    http: httpx.AsyncClient, ws_connect: Connect, db: Database, settings: Settings, me: Session
) -> None:
    other = await login(http, await make_user(db, settings))
    socket = await ws_connect(WS_PATHS[0], me.access)
    await socket.send("auth.refresh", {"access": other.access}, id_="r")
    assert (await socket.expect("error"))["payload"]["code"] == "invalid_token"


async def test_the_role_comes_from_the_account_not_the_token(
    http: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    """A demoted admin's live token (claim `role: admin`) no longer opens admin operations."""
    admin = await make_user(db, settings, role="admin")
    session = await login(http, admin)
    assert (await http.get("/api/admin/users/", headers=session.headers)).status_code == 200
    async with db.session() as s:
        stmt = sa.update(User).where(User.id == admin.id).values(role="user")  # type: ignore[arg-type]
        await s.exec(stmt)  # type: ignore[call-overload]
        await s.commit()
    assert decode_access_token(session.access, settings=settings)["role"] == "admin"
    refused = await http.get("/api/admin/users/", headers=session.headers)
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied", (
        refused.text
    )
