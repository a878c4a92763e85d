"""`Idempotency-Key` for operations that charge (DESIGN §3 "Idempotency").

A key is claimed by inserting its row, keyed by (user, operation, key), in a transaction of
its own: the database's unique constraint picks one winner among concurrent identical
requests, on SQLite and PostgreSQL alike. The winner runs the action and stores its answer
in the same transaction as the action's writes, so "charged" and "answer recorded" commit
together. Every other request with that key waits for the stored answer and returns it;
the same key with another body is refused (422 `idempotency_key_reused`).

An action that fails with an `APIError` has its writes rolled back and its error stored as
the answer (a retry with the same key gets the same error, like the first). An unexpected
failure releases the key, so the client may retry it.

Answers are kept for `KEY_TTL` (24 hours, as payment providers keep theirs): each claim first
deletes the user's own answers older than that, so the table holds about one day of each
user's charges and a key may be used again after a day.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.db import utcnow
from watchparty.errors import APIError, Conflict
from watchparty.tables import IdempotencyRecord

__all__ = ["IdempotencyKeyReused", "Action", "Answer", "run_idempotent", "request_idempotency_key"]

Answer = tuple[Any, int]
# Does the operation's writes in the session it is given, without committing.
Action = Callable[[AsyncSession], Awaitable[Answer]]

# How long a replay waits for the first request to finish before answering 409.
WAIT_FOR_FIRST_SECS = 10.0
POLL_SECS = 0.05
KEY_TTL = dt.timedelta(hours=24)


class IdempotencyKeyReused(APIError):
    status_code = 422
    default_detail = "This Idempotency-Key was already used with a different request body."
    default_code = "idempotency_key_reused"


def fingerprint(body: Any) -> str:
    """SHA-256 of the body in canonical JSON (sorted keys), so key order does not matter.

    The standard library's encoder: a body may hold what orjson refuses (integers past 64
    bits, lone surrogates) in properties the schema lets through.
    """
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


async def run_idempotent(
    *,
    session: AsyncSession,
    user_id: uuid.UUID,
    operation: str,
    key: str | None,
    body: Any,
    action: Action,
) -> Answer:
    """Run `action` once per (user, operation, key) and answer what its first run answered.

    Everything happens on the request's `session` (one connection per request, however many
    requests race); objects loaded before may be expired afterwards. Without a key the action
    simply runs and commits.

    Raises:
        IdempotencyKeyReused: the key was used with another body.
        Conflict: the first request with this key is still running after the wait.
    """
    if key is None:
        answer = await action(session)
        await session.commit()
        return answer
    print_ = fingerprint(body)
    where = (
        col(IdempotencyRecord.user_id) == user_id,
        col(IdempotencyRecord.operation) == operation,
        col(IdempotencyRecord.key) == key,
    )
    while True:
        record_id = await _claim(session, user_id, operation, key, print_)
        if record_id is not None:
            break
        first = await _first_answer(session, where, print_)
        if first is not None:
            return first
        # The first request failed unexpectedly and released the key: compete for it again.
    try:
        answer = await action(session)
        await _store(session, record_id, answer)
        await session.commit()
        return answer
    except APIError as exc:
        await session.rollback()
        if exc.status_code >= 500:
            await _release(session, record_id)
        else:
            await _store(session, record_id, (exc.body(), exc.status_code))
            await session.commit()
        raise
    except BaseException:
        await session.rollback()
        await _release(session, record_id)
        raise


async def _claim(
    session: AsyncSession, user_id: uuid.UUID, operation: str, key: str, print_: str
) -> uuid.UUID | None:
    """Insert the key's row; its id if this request won it, None if it already existed."""
    # A first request still running (no status yet) is never expired under a replay.
    await session.exec(
        sa.delete(IdempotencyRecord).where(
            col(IdempotencyRecord.user_id) == user_id,
            col(IdempotencyRecord.created_at) < utcnow() - KEY_TTL,
            col(IdempotencyRecord.status_code).is_not(None),
        )
    )
    record = IdempotencyRecord(user_id=user_id, operation=operation, key=key, fingerprint=print_)
    record_id = record.id
    session.add(record)
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        return None
    return record_id


async def _first_answer(
    session: AsyncSession, where: tuple[Any, ...], print_: str
) -> Answer | None:
    """The stored answer of the key's first request (waiting for it); None if it was released."""
    deadline = time.monotonic() + WAIT_FOR_FIRST_SECS
    # Columns, not the entity: the identity map would hand back a stale row while we wait.
    stmt = select(
        col(IdempotencyRecord.fingerprint),
        col(IdempotencyRecord.status_code),
        col(IdempotencyRecord.response),
    ).where(*where)
    while True:
        row = (await session.exec(stmt)).first()
        # End the read transaction, so the next poll sees what committed meanwhile.
        await session.rollback()
        if row is None:
            return None
        stored_print, status_code, response = row
        if stored_print != print_:
            raise IdempotencyKeyReused()
        if status_code is not None:
            return response, status_code
        if time.monotonic() > deadline:
            raise Conflict(
                "A request with this Idempotency-Key is still in progress; retry shortly.",
                code="idempotency_in_progress",
            )
        await asyncio.sleep(POLL_SECS)


async def _store(session: AsyncSession, record_id: uuid.UUID, answer: Answer) -> None:
    response, status_code = answer
    await session.exec(
        sa.update(IdempotencyRecord)
        .where(col(IdempotencyRecord.id) == record_id)
        .values(status_code=status_code, response=response)
    )


async def _release(session: AsyncSession, record_id: uuid.UUID) -> None:
    await session.exec(sa.delete(IdempotencyRecord).where(col(IdempotencyRecord.id) == record_id))
    await session.commit()


def request_idempotency_key() -> str | None:
    """The current request's `Idempotency-Key` header (the spec validator checked its form)."""
    from connexion import request  # type: ignore[import-untyped, unused-ignore]

    key: str | None = request.headers.get("idempotency-key")
    return key
