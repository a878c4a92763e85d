"""Billing over the API (issue 7): plans, subscription, prorated upgrades through the sandbox
provider (idempotent), cancel at period end, lazy period settlement and invoices, on SQLite
and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import col, select

from tests.utils.factories import Session, login, make_user
from watchparty.db import Database, utcnow
from watchparty.services.billing import add_month
from watchparty.settings import Settings
from watchparty.tables import Invoice, Subscription, User


@pytest.fixture
async def me(client: httpx.AsyncClient, db: Database, settings: Settings) -> Session:
    return await login(client, await make_user(db, settings))


async def upgrade(
    client: httpx.AsyncClient, me: Session, plan: str, key: str | None = None, **extra: Any
) -> httpx.Response:
    headers = {**me.headers, **({"Idempotency-Key": key} if key else {})}
    return await client.post("/api/billing/upgrade/", json={"plan": plan, **extra}, headers=headers)


async def invoices(db: Database, user_id: str) -> list[Invoice]:
    async with db.session() as session:
        stmt = select(Invoice).where(col(Invoice.user_id) == uuid.UUID(user_id))
        return list((await session.exec(stmt.order_by(col(Invoice.created_at)))).all())


async def move_period(db: Database, user_id: str, start: dt.datetime, end: dt.datetime) -> None:
    async with db.session() as session:
        await session.exec(
            sa.update(Subscription)
            .where(col(Subscription.user_id) == uuid.UUID(user_id))
            .values(current_period_start=start, current_period_end=end)
        )
        await session.commit()


async def user_plan(db: Database, user_id: str) -> str:
    async with db.session() as session:
        user = await session.get(User, uuid.UUID(user_id))
        assert user is not None
        return user.plan


async def test_plans_are_public(client: httpx.AsyncClient) -> None:
    plans = await client.get("/api/billing/plans/")
    assert plans.status_code == 200, plans.text
    assert [(p["slug"], p["price_cents"]) for p in plans.json()] == [
        ("free", 0),
        ("plus", 499),
        ("pro", 999),
    ]
    assert plans.json()[1]["limits"]["max_participants"] == 50


async def test_new_user_is_on_free(client: httpx.AsyncClient, me: Session) -> None:
    sub = await client.get("/api/billing/subscription/", headers=me.headers)
    assert sub.status_code == 200, sub.text
    body = sub.json()
    assert body["plan"]["slug"] == "free" and body["status"] == "active"
    assert body["current_period_end"] is None and body["scheduled_plan"] is None
    assert body["usage"] == {
        "upload_bytes_used": 0,
        "upload_bytes_quota": body["plan"]["limits"]["upload_quota_bytes"],
        "video_count": 0,
    }
    assert (await client.get("/api/billing/subscription/")).status_code == 401


async def test_upgrade_from_free_charges_full_price_once(
    client: httpx.AsyncClient, me: Session, db: Database
) -> None:
    first = await upgrade(client, me, "plus", key="up-1", payment_method="pm_card_visa")
    assert first.status_code == 200, first.text
    body = first.json()
    sub, invoice = body["subscription"], body["invoice"]
    assert sub["plan"]["slug"] == "plus" and sub["status"] == "active"
    assert (invoice["amount_cents"], invoice["status"], invoice["plan"]) == (499, "paid", "plus")
    assert invoice["provider"] == "sandbox" and invoice["provider_reference"].startswith("sbx_ch_")
    start = dt.datetime.fromisoformat(sub["current_period_start"])
    assert dt.datetime.fromisoformat(sub["current_period_end"]) == add_month(start)
    assert await user_plan(db, me.user["id"]) == "plus"  # what parties and uploads read

    replay = await upgrade(client, me, "plus", key="up-1", payment_method="pm_card_visa")
    assert (replay.status_code, replay.json()) == (200, body)
    reused = await upgrade(client, me, "pro", key="up-1")
    assert reused.status_code == 422 and reused.json()["code"] == "idempotency_key_reused"
    assert len(await invoices(db, me.user["id"])) == 1

    same = await upgrade(client, me, "plus")
    assert same.status_code == 409 and same.json()["code"] == "already_on_plan"
    listed = await client.get("/api/billing/invoices/", headers=me.headers)
    assert [i["id"] for i in listed.json()["results"]] == [invoice["id"]]


async def test_declined_payment_changes_nothing(
    client: httpx.AsyncClient, me: Session, db: Database
) -> None:
    declined = await upgrade(client, me, "pro", payment_method="pm_card_declined")
    assert declined.status_code == 402 and declined.json()["code"] == "payment_declined"
    assert await user_plan(db, me.user["id"]) == "free"
    assert await invoices(db, me.user["id"]) == []


async def test_upgrade_between_paid_plans_is_prorated(
    client: httpx.AsyncClient, me: Session, db: Database
) -> None:
    assert (await upgrade(client, me, "plus")).status_code == 200
    now = utcnow()
    start, end = now - dt.timedelta(days=10), now + dt.timedelta(days=20)
    await move_period(db, me.user["id"], start, end)
    pro = await upgrade(client, me, "pro")
    assert pro.status_code == 200, pro.text
    invoice = pro.json()["invoice"]
    # (999 - 499) x 20 of 30 days remaining = 333.33 -> 333 cents.
    assert invoice["amount_cents"] == 333 and invoice["plan"] == "pro"
    sub = pro.json()["subscription"]
    assert sub["plan"]["slug"] == "pro"
    assert dt.datetime.fromisoformat(sub["current_period_end"]) == end  # period end kept
    assert await user_plan(db, me.user["id"]) == "pro"

    down = await upgrade(client, me, "plus")
    assert down.status_code == 200
    assert down.json()["invoice"] is None
    assert (
        down.json()["subscription"]["plan"]["slug"],
        down.json()["subscription"]["scheduled_plan"],
    ) == ("pro", "plus")
    assert len(await invoices(db, me.user["id"])) == 2


async def test_cancel_at_period_end_and_undo(
    client: httpx.AsyncClient, me: Session, db: Database
) -> None:
    free = await client.post("/api/billing/cancel/", headers=me.headers)
    assert free.status_code == 409 and free.json()["code"] == "no_paid_plan"
    await upgrade(client, me, "plus")
    cancel = await client.post("/api/billing/cancel/", headers=me.headers)
    assert cancel.status_code == 200, cancel.text
    body = cancel.json()
    assert (body["status"], body["cancel_at_period_end"], body["scheduled_plan"]) == (
        "canceled",
        True,
        "free",
    )
    assert body["plan"]["slug"] == "plus" and body["canceled_at"] is not None
    again = await client.post("/api/billing/cancel/", headers=me.headers)
    assert again.json() == body  # the same state
    undo = await upgrade(client, me, "plus")
    assert undo.status_code == 200 and undo.json()["invoice"] is None
    assert undo.json()["subscription"]["cancel_at_period_end"] is False
    assert len(await invoices(db, me.user["id"])) == 1


async def test_canceled_plan_ends_at_period_end(
    client: httpx.AsyncClient, me: Session, db: Database
) -> None:
    await upgrade(client, me, "plus")
    await client.post("/api/billing/cancel/", headers=me.headers)
    now = utcnow()
    await move_period(db, me.user["id"], now - dt.timedelta(days=31), now - dt.timedelta(days=1))
    sub = await client.get("/api/billing/subscription/", headers=me.headers)
    assert sub.json()["plan"]["slug"] == "free" and sub.json()["current_period_end"] is None
    assert await user_plan(db, me.user["id"]) == "free"
    assert len(await invoices(db, me.user["id"])) == 1  # no refund, no renewal


async def test_period_end_renews_or_switches_to_the_scheduled_plan(
    client: httpx.AsyncClient, me: Session, db: Database
) -> None:
    await upgrade(client, me, "pro")
    await upgrade(client, me, "plus")  # scheduled downgrade
    now = utcnow()
    old_end = now - dt.timedelta(hours=1)
    await move_period(db, me.user["id"], old_end - dt.timedelta(days=30), old_end)
    sub = (await client.get("/api/billing/subscription/", headers=me.headers)).json()
    assert sub["plan"]["slug"] == "plus" and sub["scheduled_plan"] is None
    assert dt.datetime.fromisoformat(sub["current_period_start"]) == old_end
    renewal = (await invoices(db, me.user["id"]))[-1]
    assert (renewal.amount_cents, renewal.plan, renewal.status) == (499, "plus", "paid")
    assert await user_plan(db, me.user["id"]) == "plus"


async def test_invoices_are_private(
    client: httpx.AsyncClient, me: Session, db: Database, settings: Settings
) -> None:
    await upgrade(client, me, "plus")
    other = await login(client, await make_user(db, settings))
    listed = await client.get("/api/billing/invoices/", headers=other.headers)
    assert listed.status_code == 200 and listed.json()["results"] == []
    assert (await client.get("/api/billing/invoices/")).status_code == 401


async def test_parallel_identical_upgrades_charge_once(
    client: httpx.AsyncClient, me: Session, db: Database
) -> None:
    responses = await asyncio.gather(*(upgrade(client, me, "pro", key="race") for _ in range(6)))
    assert {r.status_code for r in responses} == {200}, [r.text for r in responses]
    assert len({r.text for r in responses}) == 1
    assert len(await invoices(db, me.user["id"])) == 1


async def test_parallel_upgrades_with_different_keys_charge_once(
    client: httpx.AsyncClient, me: Session, db: Database
) -> None:
    responses = await asyncio.gather(*(upgrade(client, me, "plus") for _ in range(5)))
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] + [409] * 4, [r.text for r in responses]
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"already_on_plan"}
    assert len(await invoices(db, me.user["id"])) == 1
