"""Keyset pagination for every list endpoint (DESIGN §3 "Pagination").

Modelled on drf's `CursorPagination`: the order is fixed on a unique key, `(created_at, id)`,
and a cursor names a position in that order, so rows inserted between two page fetches never
cause duplicates or gaps (an OFFSET would shift under them). Cursors are opaque and signed:
a client can only replay what we handed out, and a tampered or garbage cursor is a 400
`{"cursor": ["Invalid cursor."]}`. `page` (1-based OFFSET) is only an entry point when no
cursor is given; it is capped like drf caps offsets, and the `next`/`previous` links of every
page, offset-based or not, are cursors.

A handler writes::

    async with runtime().db.session() as session:
        page = await paginate(session, select(Party).where(...), params=query,
                              order="newest", serialize=party_summary)
    return page, 200

Rows whose `created_at` is committed *behind* a cursor that was already handed out (a late
transaction with an older timestamp) are not seen by that walk; every keyset scheme shares this.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypedDict, cast

from sqlalchemy import Row, Select, and_, bindparam, or_
from sqlalchemy.orm import QueryableAttribute
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.datastructures import URL

from watchparty.errors import ValidationFailed
from watchparty.pagination.cursors import INVALID_CURSOR, Cursor, CursorSigner

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_OFFSET",
    "MAX_PAGE_SIZE",
    "Order",
    "Page",
    "PageParams",
    "paginate",
]

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# Deepest row an OFFSET may reach (drf caps offsets too): past it a `page` is empty and the
# client follows `next` cursors instead, which cost the same at any depth.
MAX_OFFSET = 10_000

Order = Literal["newest", "oldest"]


class Page(TypedDict):
    results: list[Any]
    next: str | None
    previous: str | None
    next_cursor: str | None
    previous_cursor: str | None


@dataclass(frozen=True, slots=True)
class PageParams:
    """The validated `page`, `page_size` and `cursor` query parameters."""

    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    cursor: str | None = None

    @classmethod
    def parse(cls, params: Mapping[str, Any]) -> PageParams:
        """
        Read the parameters from connexion kwargs (ints) or a raw query mapping (strings).

        Raises:
            ValidationFailed: one map listing every invalid parameter.
        """
        errors: dict[str, list[str]] = {}
        page = _int_param(params, "page", 1, 1, None, errors)
        size = _int_param(params, "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE, errors)
        cursor = params.get("cursor")
        if cursor is not None and (not isinstance(cursor, str) or not cursor):
            errors["cursor"] = [INVALID_CURSOR]
        if errors:
            raise ValidationFailed(errors)
        return cls(page=page, page_size=size, cursor=cursor or None)


def _int_param(
    params: Mapping[str, Any],
    name: str,
    default: int,
    low: int,
    high: int | None,
    errors: dict[str, list[str]],
) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw) if not isinstance(raw, bool) else None
    except (TypeError, ValueError):
        value = None
    if value is None:
        errors[name] = ["A valid integer is required."]
        return default
    if value < low:
        errors[name] = [f"Ensure this value is greater than or equal to {low}."]
    elif high is not None and value > high:
        errors[name] = [f"Ensure this value is less than or equal to {high}."]
    return value


async def paginate(
    session: AsyncSession,
    stmt: Select[*tuple[Any, ...]],
    *,
    params: Mapping[str, Any] | PageParams,
    serialize: Callable[[Any], Any],
    order: Order = "newest",
    key: Sequence[QueryableAttribute[Any]] | None = None,
    position: Callable[[Any], tuple[Any, ...]] | None = None,
    values: Mapping[str, Any] | None = None,
    base_url: str | None = None,
    secret: str | bytes | None = None,
) -> Page:
    """
    Run one page of `stmt` and build the DESIGN §3 envelope.

    Args:
        session: an async SQLModel session.
        stmt: any select; its ORDER BY is replaced by the key order.
        params: the request's `page`, `page_size` and `cursor` (connexion kwargs, a query
            mapping or `PageParams`); other keys are ignored.
        serialize: turns one result (a model instance, or a Row for multi-entity selects)
            into its JSON dict.
        order: "newest" (key descending) or "oldest" (key ascending).
        key: the unique order key as ORM attributes; defaults to the first selected entity's
            `(created_at, id)`.
        position: reads a result's key values, where the key's attributes are not those of
            an entity in the result (columns selected in bundles); default: from the entity.
        values: the values of `stmt`'s bound parameters (`sqlalchemy.bindparam`), for a
            statement built once per process: its page queries are then built once too
            (copying the statement and computing its cache key cost ~110 µs a call).
        base_url: the request URL `next`/`previous` are built from (its other query
            parameters are kept); defaults to the current connexion request's URL.
        secret: cursor signing secret; defaults to the runtime settings' `secret_key`.

    Returns:
        `{results, next, previous, next_cursor, previous_cursor}`.

    Raises:
        ValidationFailed: invalid parameters or a tampered cursor (400 map).
    """
    page_params = params if isinstance(params, PageParams) else PageParams.parse(params)
    url = URL(base_url if base_url is not None else _current_request_url())
    key_attrs = tuple(key) if key is not None else _default_key(stmt)
    signer = CursorSigner(
        secret=secret if secret is not None else _settings_secret(),
        context=f"{url.path}\n{order}",
    )
    descending = order == "newest"
    size = page_params.page_size

    bound = {**(values or {}), "page_limit": size + 1}
    if page_params.cursor is None:
        offset = (page_params.page - 1) * size
        if offset > MAX_OFFSET:
            return _envelope([], url=url, next_cursor=None, previous_cursor=None)
        query = _page_query(stmt, key_attrs, descending, None, cache=values is not None)
        items = await _fetch(session, query, stmt, {**bound, "page_offset": offset})
        rows, has_next = items[:size], len(items) > size
        has_previous = offset > 0 and bool(rows)
        anchor: Cursor | None = None
    else:
        anchor = signer.loads(page_params.cursor, width=len(key_attrs))
        # Walking backward reads the rows before the anchor in reverse order, then flips them.
        reverse = not anchor.forward
        shape = (anchor.forward, anchor.inclusive)
        query = _page_query(stmt, key_attrs, descending, shape, cache=values is not None)
        bound |= {f"page_key_{i}": value for i, value in enumerate(anchor.position)}
        items = await _fetch(session, query, stmt, bound)
        rows, more = items[:size], len(items) > size
        if reverse:
            rows.reverse()
        # A plain anchor came from a row, so the side we came from holds at least that row;
        # an inclusive one was made from an empty page, so that side held nothing.
        came_from = not anchor.inclusive
        has_next, has_previous = (came_from, more) if reverse else (more, came_from)

    def key_values(item: Any) -> tuple[Any, ...]:
        if position is not None:
            return position(item)
        return tuple(_key_value(item, attr) for attr in key_attrs)

    next_cursor = previous_cursor = None
    if rows:
        if has_next:
            next_cursor = signer.dumps(Cursor(True, False, key_values(rows[-1])))
        if has_previous:
            previous_cursor = signer.dumps(Cursor(False, False, key_values(rows[0])))
    elif anchor is not None:
        # An empty page after a cursor (rows deleted meanwhile): offer the way back, anchor
        # row included, rather than a dead end.
        flipped = Cursor(not anchor.forward, True, anchor.position)
        if anchor.forward:
            previous_cursor = signer.dumps(flipped)
        else:
            next_cursor = signer.dumps(flipped)
    return _envelope(
        [serialize(row) for row in rows],
        url=url,
        next_cursor=next_cursor,
        previous_cursor=previous_cursor,
    )


def _envelope(
    results: list[Any], *, url: URL, next_cursor: str | None, previous_cursor: str | None
) -> Page:
    def link(cursor: str | None) -> str | None:
        if cursor is None:
            return None
        # `page` would be ignored next to a cursor; drop it so the link reads plainly.
        return str(url.remove_query_params("page").include_query_params(cursor=cursor))

    return {
        "results": results,
        "next": link(next_cursor),
        "previous": link(previous_cursor),
        "next_cursor": next_cursor,
        "previous_cursor": previous_cursor,
    }


def _default_key(stmt: Select[*tuple[Any, ...]]) -> tuple[QueryableAttribute[Any], ...]:
    entity = stmt.column_descriptions[0].get("entity")
    created_at, id_ = getattr(entity, "created_at", None), getattr(entity, "id", None)
    if not isinstance(created_at, QueryableAttribute) or not isinstance(id_, QueryableAttribute):
        raise TypeError("paginate() needs key=(...) unless the first entity has created_at and id")
    return (created_at, id_)


# Page queries of statements built once per process (`paginate`'s `values`), by statement,
# key, order and cursor shape: a few per listing, built on first use.
_PAGE_QUERIES: dict[tuple[Any, ...], Select[*tuple[Any, ...]]] = {}


def _page_query(
    stmt: Select[*tuple[Any, ...]],
    key: tuple[QueryableAttribute[Any], ...],
    descending: bool,
    shape: tuple[bool, bool] | None,
    *,
    cache: bool,
) -> Select[*tuple[Any, ...]]:
    """`stmt` in key order, past a cursor of `shape` (forward, inclusive) if any, with the
    limit, offset and cursor position as bound parameters (`page_*`)."""
    cache_key = (stmt, key, descending, shape)
    if cache and (query := _PAGE_QUERIES.get(cache_key)) is not None:
        return query
    if shape is None:
        query = _ordered(stmt, key, descending).offset(bindparam("page_offset"))
    else:
        forward, inclusive = shape
        # Walking backward reads the rows before the anchor in reverse order.
        query = _ordered(stmt, key, descending == forward)
        query = query.where(_beyond(key, forward, inclusive, descending=descending))
    query = query.limit(bindparam("page_limit"))
    if cache:
        _PAGE_QUERIES[cache_key] = query
    return query


def _ordered(
    stmt: Select[*tuple[Any, ...]], key: Sequence[QueryableAttribute[Any]], descending: bool
) -> Select[*tuple[Any, ...]]:
    # The key order is the contract with the cursor; any ORDER BY the caller set is dropped.
    return stmt.order_by(None).order_by(*(a.desc() if descending else a.asc() for a in key))


def _beyond(
    key: Sequence[QueryableAttribute[Any]], forward: bool, inclusive: bool, *, descending: bool
) -> Any:
    """Rows past the cursor position (`page_key_<i>`) in the walking direction, as an expanded
    row comparison."""
    # Lexicographic (a, b) > (x, y) written as `a > x OR (a = x AND b > y)`: portable to
    # SQLite and PostgreSQL and still an index range scan on (created_at, id).
    downward = descending == forward
    marks = [bindparam(f"page_key_{i}", type_=attr.type) for i, attr in enumerate(key)]
    clauses = []
    for index, (attr, mark) in enumerate(zip(key, marks, strict=True)):
        last = index == len(key) - 1
        if last and inclusive:
            step = attr <= mark if downward else attr >= mark
        else:
            step = attr < mark if downward else attr > mark
        equal = [a == m for a, m in zip(key[:index], marks[:index], strict=True)]
        clauses.append(and_(*equal, step))
    return or_(*clauses)


async def _fetch(
    session: AsyncSession,
    query: Select[*tuple[Any, ...]],
    original: Select[*tuple[Any, ...]],
    bound: dict[str, Any],
) -> list[Any]:
    # sqlmodel types `exec` for its own Select subclasses; SQLAlchemy's Select runs the same.
    result = await session.exec(cast(Any, query), params=bound)
    items = list(result.all())
    # sqlmodel unwraps a single-entity select built with its own `select`; unwrap a plain
    # SQLAlchemy one the same way so `serialize` always sees the model instance.
    if len(original.column_descriptions) == 1:
        return [item[0] if isinstance(item, Row) else item for item in items]
    return items


def _key_value(item: Any, attr: QueryableAttribute[Any]) -> Any:
    if isinstance(item, Row):
        for element in item:
            if isinstance(element, cast(type, attr.class_)):
                return getattr(element, attr.key)
        return item._mapping[attr]
    return getattr(item, attr.key)


def _current_request_url() -> str:
    # connexion's per-request context proxy (a LocalProxy over the Starlette request).
    from connexion import request  # type: ignore[import-untyped, unused-ignore]

    return str(request.url)


def _settings_secret() -> str:
    # Imported late: the runtime module names the app's resources, which import this one.
    from watchparty.runtime import runtime

    return runtime().settings.secret_key.get_secret_value()
