"""Mass assignment (issue 10.2): no request body sets a field the server owns.

For every operation that takes a body (JSON or multipart), a valid request (the matrix's
recipes, `BODIES`, plus the account and store ones below) is sent with every server-owned
field its request schema does not declare (`INJECTED`, per docs/catalog.md: ids, host and
owner fields, role, status, counters, timestamps) set to a sentinel. The spec ignores unknown
properties (no `additionalProperties: false`), so the request may pass; what matters is that
no sentinel reaches the response or any row: the whole database is read before and after,
and no cell that changed holds a sentinel.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
import yaml

from tests.security.conftest import Actors, World, add_rows, build_world
from tests.security.test_matrix import BODIES, PREPARE, SPEC, Call, call, expected
from tests.utils.factories import DEFAULT_PASSWORD, make_user
from watchparty.db import Database
from watchparty.settings import Settings
from watchparty.tables import StoreItem, metadata

OPENAPI = Path(__file__).parents[2] / "specs" / "openapi.yaml"
SCHEMAS = yaml.safe_load(OPENAPI.read_text())["components"]["schemas"]
NEW_ID = "0badc0de-0000-4000-8000-00000000dead"
WHEN = "2001-02-03T04:05:06Z"
COUNT = 987654


def injected(mallory: str) -> dict[str, Any]:
    """Server-owned fields and the sentinel each is sent with."""
    people = ("host", "owner", "user", "author", "sender", "reporter", "created_by", "invitee")
    fields: dict[str, Any] = {"id": NEW_ID, "role": "admin", "status": "banned"}
    fields |= {name: mallory for name in people} | {f"{name}_id": mallory for name in people}
    fields |= {"invited_by_id": mallory, "resolved_by_id": mallory, "target_user_id": mallory}
    fields |= {"plan": "pro", "is_staff": True, "is_admin": True, "two_factor_enabled": True}
    fields |= {"processing_state": "ready", "price_amount": 0, "amount_cents": 0}
    counters = ("participant_count", "message_count", "unread_count", "attachment_count")
    fields |= {name: COUNT for name in (*counters, "credits", "balance_after", "size_bytes")}
    fields |= {name: COUNT for name in ("duration_seconds", "position", "rank")}
    stamps = ("created_at", "updated_at", "joined_at", "deleted_at", "resolved_at", "ready_at")
    fields |= {name: WHEN for name in (*stamps, "date_joined", "started_at", "ended_at")}
    return fields


# Bodies for operations outside the matrix: (actor, recipe).
EXTRA: dict[str, tuple[str, Callable[[World, Actors], Call]]] = {
    "register": (
        "anonymous",
        lambda w, c: Call(
            json={
                "username": "newbie",
                "email": "newbie@example.com",
                "password": "violet-lantern-orbit",
            }
        ),
    ),
    "login": (
        "anonymous",
        lambda w, c: Call(json={"email": c.users["owner"].email, "password": DEFAULT_PASSWORD}),
    ),
    "refreshToken": ("anonymous", lambda w, c: Call(json={"refresh": c.sessions["owner"].refresh})),
    "logout": ("owner", lambda w, c: Call(json={"refresh": c.sessions["owner"].refresh})),
    "updateMe": ("owner", lambda w, c: Call(json={"bio": "hi"})),
    "changePassword": (
        "owner",
        lambda w, c: Call(
            json={"current_password": DEFAULT_PASSWORD, "new_password": "violet-lantern-orbit"}
        ),
    ),
    "deleteMe": ("owner", lambda w, c: Call(json={"password": DEFAULT_PASSWORD})),
    "updateAdminUser": (
        "admin",
        lambda w, c: Call(json={"status": "active"}, params={"userId": c.id("outsider")}),
    ),
    "upgradeSubscription": ("owner", lambda w, c: Call(json={"plan": "plus"})),
    "purchaseStoreItem": (
        "owner",
        lambda w, c: Call(json={"item_id": STORE_ITEM}, headers={"Idempotency-Key": "k-1"}),
    ),
}
STORE_ITEM = "5f0a7c1e-0000-4000-8000-0000000000aa"
# Operations with a body whose fields are all secrets or codes the test cannot make cheaply;
# they store nothing from the body but what they check (tests/api/test_auth*.py).
SKIPPED = {
    "verifyTwoFactor": "needs a 2FA challenge and a TOTP code",
    "requestPasswordReset": "stores only a mailed token",
    "confirmPasswordReset": "needs a mailed reset token",
    "enableTwoFactor": "needs a pending TOTP secret and code",
    "disableTwoFactor": "needs a TOTP code",
}
# Raw-byte bodies (`binary`) carry no fields to assign.
WITH_BODY = sorted(op_id for op_id, op in SPEC.items() if op.get("request", "binary") != "binary")


def test_every_body_is_covered() -> None:
    covered = set(BODIES) | set(EXTRA) | set(SKIPPED)
    assert not set(WITH_BODY) - covered, "give the operation a recipe (or a reason to skip)"


def actor_for(op_id: str) -> str:
    if op_id in EXTRA:
        return EXTRA[op_id][0]
    for actor in ("owner", "moderator", "admin"):
        want = expected(op_id, actor)
        if isinstance(want, set):
            return actor
    raise AssertionError(f"nobody passes {op_id}")


def schema_properties(op_id: str) -> set[str]:
    name = SPEC[op_id]["request"].removeprefix("multipart:")
    return set(SCHEMAS[name].get("properties", {})) if name in SCHEMAS else set()


def nested_objects(op_id: str) -> dict[str, set[str]]:
    """Object-valued properties of the request schema (e.g. party `settings`) -> their fields."""
    name = SPEC[op_id]["request"].removeprefix("multipart:")
    found = {}
    for prop, schema in SCHEMAS.get(name, {}).get("properties", {}).items():
        if "$ref" in schema:
            schema = SCHEMAS[schema["$ref"].rsplit("/", 1)[1]]
        if schema.get("type") == "object" and "properties" in schema:
            found[prop] = set(schema["properties"])
    return found


async def snapshot(db: Database) -> dict[tuple[str, str], dict[str, str]]:
    """Every row of every table: (table, primary key) -> {column: value as text}."""
    rows: dict[tuple[str, str], dict[str, str]] = {}
    async with db.engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in (await conn.execute(sa.select(table))).mappings():
                key = "|".join(str(row[col.name]) for col in table.primary_key.columns)
                rows[table.name, key] = {name: _text(value) for name, value in row.items()}
    return rows


def _text(value: Any) -> str:
    """A cell or a sentinel as comparable text (datetimes to the second, 2.0 as 2)."""
    if isinstance(value, str) and value == WHEN:
        value = dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def planted(
    before: dict[Any, dict[str, str]], after: dict[Any, dict[str, str]], sentinels: dict[str, str]
) -> list[str]:
    """Changed cells holding the sentinel sent for their own column name."""
    found = []
    for key, row in after.items():
        old = before.get(key, {})
        for column, value in row.items():
            if column in sentinels and value == sentinels[column] and old.get(column) != value:
                found.append(f"{key[0]}.{column} = {value} (row {key[1]})")
    return found


@pytest.mark.parametrize("op_id", [op for op in WITH_BODY if op not in SKIPPED])
async def test_server_owned_fields_cannot_be_set(
    client: httpx.AsyncClient, db: Database, settings: Settings, actors: Actors, op_id: str
) -> None:
    mallory = await make_user(db, settings)
    await add_rows(
        db,
        StoreItem(
            id=uuid.UUID(STORE_ITEM),
            slug="badge",
            name="Badge",
            kind="badge",
            price_amount=10,
            price_currency="credits",
        ),
    )
    world = await build_world(client, db, actors)
    actor = actor_for(op_id)
    if op_id in PREPARE:
        await PREPARE[op_id](client, world, actors, actor)
    extra = {
        k: v for k, v in injected(str(mallory.id)).items() if k not in schema_properties(op_id)
    }
    before = await snapshot(db)
    recipe = (EXTRA[op_id][1] if op_id in EXTRA else BODIES[op_id])(world, actors)
    if recipe.json is not None:
        recipe.json = {**recipe.json, **extra}
        everything = injected(str(mallory.id))
        for prop, fields in nested_objects(op_id).items():  # and inside nested objects
            inner = {k: v for k, v in everything.items() if k not in fields}
            recipe.json[prop] = {**recipe.json.get(prop, {}), **inner}
            extra |= inner
    else:  # multipart: the extras as form fields
        recipe.data = {**(recipe.data or {}), **{k: str(v) for k, v in extra.items()}}
    response = await call(client, op_id, actor, world, actors, recipe=recipe)
    assert response.status_code < 500, response.text
    assert response.status_code in (200, 201, 202, 204, 400), response.text
    text = response.text
    for sentinel in (str(mallory.id), NEW_ID, WHEN[:10], str(COUNT)):
        assert sentinel not in text, f"{sentinel} echoed by {op_id}: {text[:300]}"
    if response.content and isinstance(body := response.json(), dict):
        for name in ("role", "status", "plan"):
            assert body.get(name) != extra.get(name, object()), (name, body)
    sentinels = {k: _text(v) for k, v in extra.items()}
    after = await snapshot(db)
    assert not planted(before, after, sentinels), planted(before, after, sentinels)


async def test_the_detector_sees_a_planted_cell(
    db: Database, settings: Settings, actors: Actors
) -> None:
    """`snapshot` + `planted` catch a sentinel written into any row (so the test can fail)."""
    user = actors.users["outsider"]
    sentinels = {k: _text(v) for k, v in injected(NEW_ID).items()}
    before = await snapshot(db)
    async with db.engine.begin() as conn:
        await conn.execute(
            sa.update(metadata.tables["users"])
            .where(metadata.tables["users"].c.id == user.id)
            .values(role="admin", date_joined=dt.datetime.fromisoformat(WHEN))
        )
    found = planted(before, await snapshot(db), sentinels)
    assert len(found) == 2 and all(f.startswith("users.") for f in found), found
