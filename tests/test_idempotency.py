"""`watchparty.idempotency` paths the API tests cannot reach: a key released by a server
error, and a replay that gives up waiting for a first request that never finishes.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from tests.utils.factories import make_user
from watchparty import idempotency
from watchparty.db import Database, utcnow
from watchparty.errors import Conflict
from watchparty.settings import Settings
from watchparty.tables import IdempotencyRecord

BODY = {"item_id": "x"}


async def test_server_error_releases_the_key(db: Database, settings: Settings) -> None:
    user = await make_user(db, settings)

    async def broken(session: AsyncSession) -> idempotency.Answer:
        raise RuntimeError("boom")

    async def works(session: AsyncSession) -> idempotency.Answer:
        return {"ok": True}, 201

    async with db.session() as session:
        with pytest.raises(RuntimeError):
            await idempotency.run_idempotent(
                session=session, user_id=user.id, operation="op", key="k", body=BODY, action=broken
            )
    async with db.session() as session:
        assert (await session.exec(select(IdempotencyRecord))).all() == []
        answer = await idempotency.run_idempotent(
            session=session, user_id=user.id, operation="op", key="k", body=BODY, action=works
        )
    assert answer == ({"ok": True}, 201)


async def test_replay_gives_up_on_a_stuck_first_request(
    db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = await make_user(db, settings)
    async with db.session() as session:
        # A first request that claimed the key and never stored an answer (still running).
        session.add(
            IdempotencyRecord(
                user_id=user.id, operation="op", key="k", fingerprint=idempotency.fingerprint(BODY)
            )
        )
        await session.commit()
    monkeypatch.setattr(idempotency, "WAIT_FOR_FIRST_SECS", 0.2)

    async def never(session: AsyncSession) -> idempotency.Answer:
        raise AssertionError("a replay must not act")

    async with db.session() as session:
        with pytest.raises(Conflict) as caught:
            await idempotency.run_idempotent(
                session=session, user_id=user.id, operation="op", key="k", body=BODY, action=never
            )
    assert caught.value.code == "idempotency_in_progress"


async def test_answers_expire_after_a_day(db: Database, settings: Settings) -> None:
    user = await make_user(db, settings)
    day_old = utcnow() - idempotency.KEY_TTL - dt.timedelta(minutes=1)
    async with db.session() as session:
        for key, created_at in [("old", day_old), ("recent", utcnow() - dt.timedelta(hours=1))]:
            session.add(
                IdempotencyRecord(
                    user_id=user.id,
                    operation="op",
                    key=key,
                    fingerprint=idempotency.fingerprint(BODY),
                    status_code=201,
                    response={"first": True},
                    created_at=created_at,
                )
            )
        await session.commit()

    async def charge(session: AsyncSession) -> idempotency.Answer:
        return {"first": False}, 201

    other_body = {"item_id": "y"}
    async with db.session() as session:
        # A day later the key is free again, even with another body: a new request.
        answer = await idempotency.run_idempotent(
            session=session,
            user_id=user.id,
            operation="op",
            key="old",
            body=other_body,
            action=charge,
        )
        assert answer == ({"first": False}, 201)
        with pytest.raises(idempotency.IdempotencyKeyReused):
            await idempotency.run_idempotent(
                session=session,
                user_id=user.id,
                operation="op",
                key="recent",
                body=other_body,
                action=charge,
            )
    async with db.session() as session:
        keys = (await session.exec(select(IdempotencyRecord.key))).all()
    assert sorted(keys) == ["old", "recent"]
