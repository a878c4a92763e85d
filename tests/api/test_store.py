"""Store over the API (issue 7): the seeded catalog, purchases with `Idempotency-Key` (replays,
races, reused keys), balance, inventory and ownership rules, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import col, select

from tests.utils.factories import Session, login, make_user
from watchparty.db import Database, alembic_config
from watchparty.settings import Settings
from watchparty.tables import (
    IdempotencyRecord,
    Invoice,
    OwnedItem,
    Purchase,
    StoreBalance,
    StoreItem,
)

NOT_FOUND = {"detail": "Not found.", "code": "not_found"}
# Seeded by migration a1c0f0000006 (fixed ids).
ZOMBIE_HAND = "5e5d0000-0000-4000-8000-000000000001"  # emote, 250 credits
MIDNIGHT = "5e5d0000-0000-4000-8000-000000000004"  # theme, 400 credits
RETRO_VHS = "5e5d0000-0000-4000-8000-000000000005"  # theme, 299 usd cents
FOUNDER = "5e5d0000-0000-4000-8000-000000000008"  # badge, retired


def key_headers(me: Session, key: str | None = None) -> dict[str, str]:
    return {**me.headers, "Idempotency-Key": key or uuid.uuid4().hex}


async def buy(
    client: httpx.AsyncClient, me: Session, item: str, key: str | None = None
) -> httpx.Response:
    return await client.post(
        "/api/store/purchase/", json={"item_id": item}, headers=key_headers(me, key)
    )


@pytest.fixture(autouse=True)
async def catalog(db: Database) -> None:
    """The catalog seeded by migration a1c0f0000006, again where PostgreSQL truncated it."""
    from alembic.script import ScriptDirectory

    rows = ScriptDirectory.from_config(alembic_config()).get_revision("a1c0f0000006")
    async with db.session() as session:
        if (await session.exec(select(sa.func.count()).select_from(StoreItem))).one() == 0:
            await session.exec(sa.insert(StoreItem).values(rows.module.catalog_rows()))
            await session.commit()


@pytest.fixture
async def me(client: httpx.AsyncClient, db: Database, settings: Settings) -> Session:
    return await login(client, await make_user(db, settings))


async def count(db: Database, model: Any, **where: Any) -> int:
    async with db.session() as session:
        stmt = select(sa.func.count()).select_from(model)
        for name, value in where.items():
            stmt = stmt.where(getattr(model, name) == value)
        return int((await session.exec(stmt)).one())


async def credits(db: Database, user_id: str) -> int:
    async with db.session() as session:
        balance = await session.get(StoreBalance, uuid.UUID(user_id))
        assert balance is not None
        return balance.credits


async def set_credits(db: Database, user_id: str, amount: int) -> None:
    async with db.session() as session:
        await session.exec(
            sa.update(StoreBalance)
            .where(col(StoreBalance.user_id) == uuid.UUID(user_id))
            .values(credits=amount)
        )
        await session.commit()


async def test_catalog_lists_available_items_with_filters(
    client: httpx.AsyncClient, me: Session
) -> None:
    listed = await client.get("/api/store/items/?page_size=100", headers=me.headers)
    assert listed.status_code == 200, listed.text
    items = listed.json()["results"]
    slugs = [item["slug"] for item in items]
    assert "zombie-hand" in slugs and "retro-vhs-theme" in slugs
    assert "founder-badge" not in slugs  # retired, not owned
    assert all(item["available"] and not item["owned"] for item in items)
    themes = await client.get("/api/store/items/?kind=theme", headers=me.headers)
    assert {item["kind"] for item in themes.json()["results"]} == {"theme"}
    zombie = await client.get(f"/api/store/items/{ZOMBIE_HAND}/", headers=me.headers)
    assert zombie.json()["price"] == {"amount": 250, "currency": "credits"}
    for hidden in (FOUNDER, str(uuid.uuid4())):
        missing = await client.get(f"/api/store/items/{hidden}/", headers=me.headers)
        assert (missing.status_code, missing.json()) == (404, NOT_FOUND)
    assert (await client.get("/api/store/items/")).status_code == 401


async def test_balance_starts_with_the_grant(
    client: httpx.AsyncClient, me: Session, settings: Settings
) -> None:
    balance = await client.get("/api/store/balance/", headers=me.headers)
    assert balance.status_code == 200, balance.text
    assert balance.json()["credits"] == settings.store_starting_credits == 1000


async def test_purchase_with_credits_then_replay(
    client: httpx.AsyncClient, me: Session, db: Database
) -> None:
    first = await buy(client, me, ZOMBIE_HAND, key="k-1")
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["item"]["slug"] == "zombie-hand"
    assert (body["balance_after"], body["invoice_id"], body["status"]) == (750, None, "completed")

    replay = await buy(client, me, ZOMBIE_HAND, key="k-1")
    assert (replay.status_code, replay.json()) == (201, body)
    assert await credits(db, me.user["id"]) == 750
    assert await count(db, Purchase) == 1

    again = await buy(client, me, ZOMBIE_HAND)  # a new key: a second purchase attempt
    assert again.status_code == 409 and again.json()["code"] == "already_owned"
    assert await credits(db, me.user["id"]) == 750

    detail = await client.get(f"/api/store/purchases/{body['id']}/", headers=me.headers)
    assert detail.json() == body
    purchases = await client.get("/api/store/purchases/", headers=me.headers)
    assert [p["id"] for p in purchases.json()["results"]] == [body["id"]]
    inventory = await client.get("/api/store/inventory/", headers=me.headers)
    assert [(o["item"]["id"], o["purchase_id"]) for o in inventory.json()["results"]] == [
        (ZOMBIE_HAND, body["id"])
    ]
    assert (await client.get("/api/store/inventory/?kind=badge", headers=me.headers)).json()[
        "results"
    ] == []
    owned = await client.get("/api/store/items/?owned=true", headers=me.headers)
    assert [(i["id"], i["owned"]) for i in owned.json()["results"]] == [(ZOMBIE_HAND, True)]
    not_owned = await client.get("/api/store/items/?owned=false&page_size=100", headers=me.headers)
    assert ZOMBIE_HAND not in {i["id"] for i in not_owned.json()["results"]}
    balance = await client.get("/api/store/balance/", headers=me.headers)
    assert balance.json()["credits"] == 750


async def test_purchase_needs_a_key_and_one_body_per_key(
    client: httpx.AsyncClient, me: Session, db: Database
) -> None:
    no_key = await client.post(
        "/api/store/purchase/", json={"item_id": ZOMBIE_HAND}, headers=me.headers
    )
    assert no_key.status_code == 400 and "Idempotency-Key" in no_key.json()
    assert (await buy(client, me, ZOMBIE_HAND, key="same")).status_code == 201
    reused = await buy(client, me, MIDNIGHT, key="same")
    assert reused.status_code == 422
    assert reused.json()["code"] == "idempotency_key_reused"
    assert await count(db, Purchase) == 1


async def test_insufficient_balance_is_402_and_replays_as_402(
    client: httpx.AsyncClient, me: Session, db: Database
) -> None:
    await client.get("/api/store/balance/", headers=me.headers)
    await set_credits(db, me.user["id"], 100)
    short = await buy(client, me, ZOMBIE_HAND, key="poor")
    assert short.status_code == 402 and short.json()["code"] == "insufficient_balance"
    await set_credits(db, me.user["id"], 1000)
    # The key's first answer stands, even though the balance would now suffice.
    assert (await buy(client, me, ZOMBIE_HAND, key="poor")).json() == short.json()
    assert await count(db, OwnedItem) == 0 and await credits(db, me.user["id"]) == 1000
    assert (await buy(client, me, ZOMBIE_HAND)).status_code == 201


async def test_unknown_or_retired_item_is_400(client: httpx.AsyncClient, me: Session) -> None:
    for item in (FOUNDER, str(uuid.uuid4())):
        response = await buy(client, me, item)
        assert response.status_code == 400
        assert list(response.json()) == ["item_id"]


async def test_money_purchase_goes_through_the_provider(
    client: httpx.AsyncClient, me: Session, db: Database
) -> None:
    bought = await buy(client, me, RETRO_VHS)
    assert bought.status_code == 201, bought.text
    body = bought.json()
    assert body["price"] == {"amount": 299, "currency": "usd"}
    assert body["balance_after"] is None and body["invoice_id"] is not None
    invoices = (await client.get("/api/billing/invoices/", headers=me.headers)).json()["results"]
    assert [(i["id"], i["amount_cents"], i["plan"], i["status"]) for i in invoices] == [
        (body["invoice_id"], 299, None, "paid")
    ]


async def test_retired_item_stays_visible_to_its_owner(
    client: httpx.AsyncClient, me: Session, db: Database
) -> None:
    async with db.session() as session:
        session.add(OwnedItem(user_id=uuid.UUID(me.user["id"]), item_id=uuid.UUID(FOUNDER)))
        await session.commit()
    founder = await client.get(f"/api/store/items/{FOUNDER}/", headers=me.headers)
    assert founder.status_code == 200
    assert (founder.json()["available"], founder.json()["owned"]) == (False, True)
    inventory = (await client.get("/api/store/inventory/", headers=me.headers)).json()
    assert inventory["results"][0]["purchase_id"] is None  # granted, not bought


async def test_others_purchases_are_not_found(
    client: httpx.AsyncClient, me: Session, db: Database, settings: Settings
) -> None:
    bought = (await buy(client, me, ZOMBIE_HAND)).json()
    other = await login(client, await make_user(db, settings))
    response = await client.get(f"/api/store/purchases/{bought['id']}/", headers=other.headers)
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert (await client.get("/api/store/purchases/", headers=other.headers)).json()[
        "results"
    ] == []
    # Keys are per user: the same key from someone else is their own first request.
    theirs = await buy(client, other, ZOMBIE_HAND, key="shared-key")
    mine = await buy(client, me, MIDNIGHT, key="shared-key")
    assert theirs.status_code == mine.status_code == 201


async def test_parallel_identical_purchases_charge_once(
    client: httpx.AsyncClient, me: Session, db: Database
) -> None:
    """Eight identical requests race on their own database connections: one charge."""
    responses = await asyncio.gather(*(buy(client, me, MIDNIGHT, key="race") for _ in range(8)))
    assert {r.status_code for r in responses} == {201}, [r.text for r in responses]
    assert len({r.text for r in responses}) == 1  # every one got the first answer
    assert await count(db, Purchase) == 1
    assert await count(db, IdempotencyRecord) == 1
    assert await credits(db, me.user["id"]) == 600


async def test_parallel_purchases_with_different_keys_buy_once(
    client: httpx.AsyncClient, me: Session, db: Database
) -> None:
    responses = await asyncio.gather(*(buy(client, me, RETRO_VHS) for _ in range(6)))
    codes = sorted(r.status_code for r in responses)
    assert codes == [201] + [409] * 5, [r.text for r in responses]
    assert await count(db, Purchase) == 1
    assert await count(db, Invoice) == 1
