"""watchparty.pagination against real SQLite and PostgreSQL, on a throwaway table per test."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, cast
from urllib.parse import parse_qsl

import pytest
import sqlalchemy as sa
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.datastructures import URL

from tests.utils.services import require_service
from watchparty.errors import ValidationFailed
from watchparty.pagination import MAX_OFFSET, Page, PageParams, paginate
from watchparty.runtime import Runtime, use_runtime
from watchparty.settings import Settings

SECRET = "test-secret"
BASE = "http://testserver/api/things/?status=open"
PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
T0 = datetime(2026, 1, 1, tzinfo=UTC)


class Base(DeclarativeBase):
    # Own metadata: the throwaway table never joins the app's tables or migrations.
    metadata = sa.MetaData()


class Thing(Base):
    # A unique name per run: parallel runs against one PostgreSQL never collide.
    __tablename__ = f"test_pagination_{uuid.uuid4().hex[:10]}"

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    n: Mapped[int] = mapped_column(sa.Integer)


@pytest.fixture(params=["sqlite", "postgres"])
async def engine(request: pytest.FixtureRequest, tmp_path: Any) -> AsyncIterator[AsyncEngine]:
    if request.param == "postgres":
        require_service("postgres")
        url = PG_URL
    else:
        url = f"sqlite+aiosqlite:///{tmp_path / 'pagination.sqlite3'}"
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    try:
        yield engine
    finally:
        async with engine.begin() as conn:
            await conn.run_sync(Base.metadata.drop_all)
        await engine.dispose()


@pytest.fixture
async def session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    async with AsyncSession(engine, expire_on_commit=False) as session:
        yield session


async def add(session: AsyncSession, *times: datetime, start: int = 0) -> list[Thing]:
    rows = [Thing(created_at=at, n=start + i) for i, at in enumerate(times)]
    session.add_all(rows)
    await session.commit()
    return rows


def minutes(count: int, *, offset: int = 0) -> list[datetime]:
    return [T0 + timedelta(minutes=offset + i) for i in range(count)]


def serialize(thing: Thing) -> int:
    return thing.n


async def fetch(
    session: AsyncSession, *, order: str = "newest", base: str = BASE, **params: Any
) -> Page:
    return await paginate(
        session,
        select(Thing),
        params=params,
        order=order,  # type: ignore[arg-type]
        base_url=base,
        secret=SECRET,
        serialize=serialize,
    )


async def walk(
    session: AsyncSession,
    first: Page,
    link: str,
    *,
    order: str = "newest",
    page_size: int = 3,
    between: Callable[[], Awaitable[None]] | None = None,
) -> list[Page]:
    """Follow `next_cursor` or `previous_cursor` until null; `between` runs before each fetch."""
    pages = [first]
    while (cursor := pages[-1]["next_cursor" if link == "next" else "previous_cursor"]) is not None:
        if between is not None:
            await between()
        pages.append(await fetch(session, order=order, cursor=cursor, page_size=page_size))
    return pages


def flat(pages: list[Page]) -> list[int]:
    return [n for page in pages for n in page["results"]]


@pytest.mark.parametrize("order", ["newest", "oldest"])
async def test_walk_forward_then_back(session: AsyncSession, order: str) -> None:
    await add(session, *minutes(10))
    expected = list(range(9, -1, -1)) if order == "newest" else list(range(10))

    first = await fetch(session, order=order, page_size=3)
    assert first["previous"] is None and first["previous_cursor"] is None
    forward = await walk(session, first, "next", order=order)
    assert [p["results"] for p in forward] == [expected[i : i + 3] for i in range(0, 10, 3)]
    assert forward[-1]["next"] is None and forward[-1]["next_cursor"] is None

    backward = await walk(session, forward[-1], "previous", order=order)
    assert [p["results"] for p in reversed(backward)] == [p["results"] for p in forward]
    assert backward[-1]["previous_cursor"] is None
    # Walking back lands on a page that leads forward again.
    assert backward[-1]["next_cursor"] is not None


async def test_links_are_full_urls_that_keep_other_params(session: AsyncSession) -> None:
    await add(session, *minutes(5))
    page = await fetch(session, page=2, page_size=2, base=BASE + "&page=2&page_size=2")
    assert page["results"] == [2, 1]
    for link, cursor in (
        (page["next"], page["next_cursor"]),
        (page["previous"], page["previous_cursor"]),
    ):
        assert link is not None and cursor is not None
        url = URL(link)
        assert (url.scheme, url.netloc, url.path) == ("http", "testserver", "/api/things/")
        params = dict(parse_qsl(url.query))
        assert params == {"status": "open", "page_size": "2", "cursor": cursor}

    previous = await fetch(session, cursor=page["previous_cursor"], page_size=2)
    assert previous["results"] == [4, 3]
    assert previous["previous_cursor"] is None


async def test_offset_pages_match_the_cursor_walk(session: AsyncSession) -> None:
    await add(session, *minutes(7))
    walked = await walk(session, await fetch(session, page_size=3), "next")
    for number, expected in enumerate(walked, start=1):
        page = await fetch(session, page=number, page_size=3)
        assert page["results"] == expected["results"]
        assert (page["previous_cursor"] is None) == (number == 1)
    past_end = await fetch(session, page=4, page_size=3)
    assert past_end == {
        "results": [],
        "next": None,
        "previous": None,
        "next_cursor": None,
        "previous_cursor": None,
    }


async def test_offset_beyond_the_cap_is_empty(session: AsyncSession) -> None:
    await add(session, *minutes(2))
    page = await fetch(session, page=MAX_OFFSET // 100 + 2, page_size=100)
    assert page["results"] == [] and page["next"] is None and page["previous"] is None


@pytest.mark.parametrize("order", ["newest", "oldest"])
async def test_inserts_between_fetches_cause_no_duplicates_or_gaps(
    session: AsyncSession, order: str
) -> None:
    originals = await add(session, *minutes(12, offset=100), start=0)
    added: list[int] = []

    async def insert_newest_and_oldest() -> None:
        # One row newer than everything, one older than everything, one tying an existing
        # timestamp: every kind of row a concurrent writer could add.
        start = 100 + len(added)
        times = [T0 + timedelta(days=1), T0 - timedelta(days=1), originals[5].created_at]
        rows = await add(session, *times, start=start)
        added.extend(row.n for row in rows)

    first = await fetch(session, order=order, page_size=3)
    await insert_newest_and_oldest()
    seen = flat(await walk(session, first, "next", order=order, between=insert_newest_and_oldest))

    assert len(seen) == len(set(seen)), "duplicates"
    assert set(range(12)) <= set(seen), "gaps among the rows present at the start"
    # Rows added ahead of the walk show up; rows added behind it wait for a new walk.
    assert set(seen) - set(range(12)) <= set(added)


async def test_equal_timestamps_are_ordered_by_id(session: AsyncSession) -> None:
    rows = await add(session, *([T0] * 8))
    by_id = [row.n for row in sorted(rows, key=lambda row: row.id.hex, reverse=True)]
    pages = await walk(session, await fetch(session, page_size=3), "next")
    assert flat(pages) == by_id
    back = await walk(session, pages[-1], "previous")
    assert [n for page in reversed(back) for n in page["results"]] == by_id


async def test_empty_table(session: AsyncSession) -> None:
    page = await fetch(session)
    assert page == {
        "results": [],
        "next": None,
        "previous": None,
        "next_cursor": None,
        "previous_cursor": None,
    }


async def test_empty_page_after_deletes_offers_the_way_back(session: AsyncSession) -> None:
    rows = await add(session, *minutes(4))
    first = await fetch(session, page_size=2)
    assert first["results"] == [3, 2]
    for row in rows[:2]:
        await session.delete(row)
    await session.commit()
    after = await fetch(session, cursor=first["next_cursor"], page_size=2)
    assert after["results"] == [] and after["next_cursor"] is None
    back = await fetch(session, cursor=after["previous_cursor"], page_size=2)
    # The anchor row (2) is included on the way back, and nothing is left ahead of it.
    assert back["results"] == [3, 2]
    assert back["next_cursor"] is None and back["previous_cursor"] is None


async def test_key_and_multi_entity_rows(session: AsyncSession) -> None:
    await add(session, *minutes(3))
    stmt = sa.select(Thing, Thing.n.label("double"))
    page = await paginate(
        session,
        stmt,
        params={"page_size": "2"},
        key=(Thing.created_at, Thing.id),
        base_url=BASE,
        secret=SECRET,
        serialize=lambda row: row[0].n,
    )
    assert page["results"] == [2, 1]
    following = await paginate(
        session,
        stmt,
        params={"cursor": page["next_cursor"], "page_size": "2"},
        key=(Thing.created_at, Thing.id),
        base_url=BASE,
        secret=SECRET,
        serialize=lambda row: row[0].n,
    )
    assert following["results"] == [0]


def tamper(cursor: str) -> list[str]:
    payload, _, signature = cursor.partition(".")
    flipped = "A" if payload[3] != "A" else "B"
    return [
        payload[:3] + flipped + payload[4:] + "." + signature,
        payload + "." + signature[:-2] + ("AA" if signature[-2:] != "AA" else "BB"),
        payload,
        "." + signature,
        "garbage",
        "%%%.***",
        "a" * 500,
    ]


async def test_tampered_or_foreign_cursor_is_a_400_map(session: AsyncSession) -> None:
    await add(session, *minutes(3))
    good = (await fetch(session, page_size=1))["next_cursor"]
    assert good is not None
    foreign = [
        (
            await paginate(
                session,
                select(Thing),
                params={"page_size": 1},
                base_url=BASE,
                secret="another-secret",
                serialize=serialize,
            )
        )["next_cursor"],
        (await fetch(session, page_size=1, base="http://testserver/api/other/"))["next_cursor"],
        (await fetch(session, page_size=1, order="oldest"))["next_cursor"],
    ]
    for bad in [*tamper(good), *foreign]:
        with pytest.raises(ValidationFailed) as caught:
            await fetch(session, cursor=bad)
        assert caught.value.status_code == 400
        assert caught.value.body() == {"cursor": ["Invalid cursor."]}, bad


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({"page_size": 0}, {"page_size"}),
        ({"page_size": 101}, {"page_size"}),
        ({"page_size": "ten"}, {"page_size"}),
        ({"page": 0}, {"page"}),
        ({"page": "x", "page_size": -1}, {"page", "page_size"}),
        ({"cursor": ""}, {"cursor"}),
    ],
)
def test_invalid_params_list_every_field(params: dict[str, Any], errors: set[str]) -> None:
    with pytest.raises(ValidationFailed) as caught:
        PageParams.parse(params)
    assert set(caught.value.errors) == errors


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, PageParams(page=1, page_size=20, cursor=None)),
        ({"page_size": 1}, PageParams(page_size=1)),
        ({"page_size": "100", "page": "3"}, PageParams(page=3, page_size=100)),
        ({"page": None, "page_size": None, "cursor": None, "status": "x"}, PageParams()),
    ],
)
def test_valid_params(params: dict[str, Any], expected: PageParams) -> None:
    assert PageParams.parse(params) == expected


@pytest.mark.parametrize("size", [1, 100])
async def test_page_size_bounds_are_served(session: AsyncSession, size: int) -> None:
    await add(session, *minutes(101))
    page = await fetch(session, page_size=size)
    assert len(page["results"]) == size
    assert page["next_cursor"] is not None


async def test_secret_defaults_to_the_runtime_settings(session: AsyncSession) -> None:
    await add(session, *minutes(2))
    settings = Settings(secret_key=SecretStr(SECRET))
    rt = Runtime(
        settings=settings, db=cast(Any, None), throttler=cast(Any, None), mailer=cast(Any, None)
    )
    with use_runtime(rt):
        page = await paginate(
            session, select(Thing), params={"page_size": 1}, base_url=BASE, serialize=serialize
        )
    # Signed with the runtime's secret: the explicit-secret path accepts it.
    assert (await fetch(session, cursor=page["next_cursor"], page_size=1))["results"] == [0]
