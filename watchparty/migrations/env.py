"""Alembic environment: runs on the connection `watchparty.db` hands over, or opens its own.

`Database.migrate()` (and so `watchparty db upgrade`) passes a live connection in
`config.attributes["connection"]`. Plain `alembic -c watchparty/migrations/alembic.ini ...`
(for `revision --autogenerate`) opens an engine from the watchparty settings instead.
"""

from __future__ import annotations

import asyncio
import warnings
from typing import Any, Literal

import sqlalchemy as sa
from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlmodel.sql.sqltypes import AutoString

import watchparty.tables  # noqa: F401  (registers every table on the metadata)
from watchparty.db import UTCDateTime, create_engine
from watchparty.settings import get_settings
from watchparty.tables import metadata

config = context.config


def _render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Write our column types as plain SQLAlchemy ones, so revisions import nothing of ours."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, AutoString):
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    return False


def _run(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_item=_render_item,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction(), warnings.catch_warnings():
        # A SQLite batch rebuild reflects the tables a foreign key points at; users' one
        # expression index (lower(username)) cannot be reflected, and need not be: batch
        # mode rebuilds only the table being altered, never the one it points at.
        warnings.filterwarnings(
            "ignore", "Skipped unsupported reflection of expression-based index", sa.exc.SAWarning
        )
        context.run_migrations()


async def _run_on_own_engine() -> None:
    engine = create_engine(get_settings().prepare())
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_run)
    finally:
        await engine.dispose()


def main() -> None:
    if context.is_offline_mode():
        context.configure(
            url=get_settings().database_url, target_metadata=metadata, literal_binds=True
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
    else:
        asyncio.run(_run_on_own_engine())


main()
