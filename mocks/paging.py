"""Pagination for the mock's lists: the real envelope, real signed cursors, real 400s.

A mock list is a sequence that only exists as "item `i` of `total`" (generated on demand in
dynamic mode, the stored records in stateful mode), so a position is an offset. Cursors use
the real server's `CursorSigner`, so they look and fail exactly like the real ones
(`{"cursor": ["Invalid cursor."]}`), and `next`/`previous` are built like the real links.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from starlette.datastructures import URL

__all__ = ["paginate_sequence", "PAGE_PARAMS"]

# Query parameters the pagination convention adds to every list (catalog.md).
PAGE_PARAMS = ("page", "page_size", "cursor")
_CURSOR_CONTEXT = "mock"


def paginate_sequence(
    *,
    total: int,
    item: Callable[[int], Any],
    params: Mapping[str, Any],
    url: URL,
    secret: str,
) -> dict[str, Any]:
    """
    One page of a sequence of `total` items, as `{results, next, previous, next_cursor,
    previous_cursor}`.

    Args:
        item: builds the item at an offset.
        params: the request's `page`, `page_size` and `cursor` (connexion kwargs).
        url: the request URL; links keep its other query parameters (the mock's `__` ones
            included, so `?__dynamic=true` survives a walk along `next`).
        secret: signs the cursors (the mock's seed: cursors of another mock fail).

    Raises:
        ValidationFailed: bad page parameters or a tampered cursor.
    """
    # Imported here: the pagination package pulls SQLAlchemy in, which `watchparty mock`
    # does not otherwise need at startup.
    from watchparty.errors import ValidationFailed
    from watchparty.pagination import MAX_OFFSET, PageParams
    from watchparty.pagination import _envelope as envelope  # the real links and shape
    from watchparty.pagination.cursors import INVALID_CURSOR, Cursor, CursorSigner

    page = PageParams.parse(params)
    signer = CursorSigner(secret=secret, context=f"{url.path}\n{_CURSOR_CONTEXT}")
    if page.cursor is not None:
        (offset,) = signer.loads(page.cursor, width=1).position
        if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
            raise ValidationFailed({"cursor": [INVALID_CURSOR]})
    else:
        offset = (page.page - 1) * page.page_size
        if offset > MAX_OFFSET:
            offset = total
    size = page.page_size
    end = min(total, offset + size)
    results = [item(i) for i in range(offset, end)]

    def cursor_at(position: int) -> str:
        return signer.dumps(Cursor(forward=True, inclusive=True, position=(position,)))

    next_cursor = cursor_at(end) if end < total else None
    previous_cursor = cursor_at(max(0, offset - size)) if 0 < offset <= total else None

    return dict(
        envelope(results, url=url, next_cursor=next_cursor, previous_cursor=previous_cursor)
    )
