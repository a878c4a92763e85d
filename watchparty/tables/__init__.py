"""SQLModel tables, one module per domain; import them from here (`watchparty.tables`).

Every change needs an Alembic revision in watchparty/migrations/versions/ (tests/test_db.py
compares the migrated schema with these tables). Conventions (`watchparty.tables.columns`):
UUID primary keys, aware UTC datetimes (`UTCDateTime`), enumerations stored as short strings
(portable between SQLite and PostgreSQL, no native enum types to migrate), and secrets stored
only as SHA-256 hashes (`token_hash`) so a leaked database leaks no live token.
"""

from watchparty.tables.accounts import *  # noqa: F403
from watchparty.tables.activity import *  # noqa: F403
from watchparty.tables.billing import *  # noqa: F403
from watchparty.tables.chat import *  # noqa: F403
from watchparty.tables.columns import metadata as metadata
from watchparty.tables.events import *  # noqa: F403
from watchparty.tables.invitations import *  # noqa: F403
from watchparty.tables.messaging import *  # noqa: F403
from watchparty.tables.moderation import *  # noqa: F403
from watchparty.tables.notifications import *  # noqa: F403
from watchparty.tables.parties import *  # noqa: F403
from watchparty.tables.realtime import *  # noqa: F403
from watchparty.tables.store import *  # noqa: F403
from watchparty.tables.support import *  # noqa: F403
from watchparty.tables.videos import *  # noqa: F403
