"""The audit log: the one place staff actions are recorded (`record_audit`).

Every admin change to an account and every report resolution calls `record_audit` inside
the transaction that makes the change, so the trail and the change commit (or vanish)
together. Rows are only ever inserted.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.tables import AuditEntry, User

__all__ = ["record_audit"]


def record_audit(
    session: AsyncSession,
    *,
    actor: User | None,
    action: str,
    target_type: str,
    target_id: uuid.UUID | None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an audit entry to `session`; the caller commits with the change it records.

    Args:
        actor: the staff member acting (None for the system).
        action: a dotted verb, e.g. `report.resolve` or `user.update`.
        target_type: what was acted on (`user`, `report`, `message`, `party`, `video`...).
        target_id: its id.
        data: JSON-able details (old and new values, reason, note).
    """
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        data=dict(data or {}),
    )
    session.add(entry)
    return entry
