"""Store first, then publish: realtime frames queued on a database session leave after commit.

Services never send to sockets themselves. They write their rows and queue the frames that
announce them with `publish_after_commit(session, topic, frame)`; once that session's
transaction commits, the frames go to the runtime's hub (`Runtime.hub`), which delivers them
to the subscribers of `topic` in this and (with Redis) every other process. A rolled-back
transaction publishes nothing, so no client ever hears of a row that does not exist.

Topics: `party:<id>` (party sync room), `chat:<id>` (party chat),
`interactive:<id>:<widget>` (polls, screen share, voice) and `user:<id>` (notifications and a
user's own tabs). `access.revoked` frames are internal: the sockets of the user they name
close 4403 (4401 when the account's sessions, or those it names, ended), and no client ever
receives one.
"""

from __future__ import annotations

from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.runtime import current_runtime

__all__ = [
    "ACCESS_REVOKED",
    "SESSION_ENDED",
    "INTERACTIVE_WIDGETS",
    "Publisher",
    "chat_topic",
    "interactive_topic",
    "party_topic",
    "publish_after_commit",
    "revoke_party_access_after_commit",
    "revoke_user_access_after_commit",
    "user_topic",
]

_PENDING = "watchparty.publish"


class Publisher(Protocol):
    def publish(self, topic: str, frame: dict[str, Any]) -> None:
        """Hand `frame` to every subscriber of `topic`; must not block (schedule the I/O)."""


def party_topic(party_id: object) -> str:
    return f"party:{party_id}"


def chat_topic(party_id: object) -> str:
    return f"chat:{party_id}"


def user_topic(user_id: object) -> str:
    return f"user:{user_id}"


ACCESS_REVOKED = "access.revoked"
# The `reason` of an `access.revoked` whose user may no longer act at all (suspended, banned,
# deleted, every session ended): their sockets close 4401, not 4403.
SESSION_ENDED = "session_ended"
INTERACTIVE_WIDGETS = ("polls", "screen-share", "voice")


def interactive_topic(party_id: object, widget: str) -> str:
    return f"interactive:{party_id}:{widget}"


def _revoked(user_id: object, reason: str, families: list[str] | None) -> dict[str, Any]:
    payload: dict[str, Any] = {"user_id": str(user_id), "reason": reason}
    if families is not None:
        payload["families"] = families
    return {"type": ACCESS_REVOKED, "payload": payload}


def revoke_party_access_after_commit(
    session: AsyncSession,
    *,
    party_id: object,
    user_id: object,
    reason: str,
    families: list[str] | None = None,
) -> None:
    """Once `session` commits, close every socket `user_id` has on the party's channels (of
    the sessions `families`, refresh family ids, when given)."""
    frame = _revoked(user_id, reason, families)
    topics = [party_topic(party_id), chat_topic(party_id)]
    topics += [interactive_topic(party_id, widget) for widget in INTERACTIVE_WIDGETS]
    for topic in topics:
        publish_after_commit(session, topic, frame)


def revoke_user_access_after_commit(
    session: AsyncSession,
    *,
    user_id: object,
    party_ids: list[object],
    families: list[str] | None = None,
) -> None:
    """Once `session` commits, close every socket of `user_id` (4401), or those of the
    sessions `families` when given: the party channels of `party_ids` and the user's own
    (`user:<id>`, notifications)."""
    for party_id in party_ids:
        revoke_party_access_after_commit(
            session, party_id=party_id, user_id=user_id, reason=SESSION_ENDED, families=families
        )
    frame = _revoked(user_id, SESSION_ENDED, families)
    publish_after_commit(session, user_topic(user_id), frame)


def publish_after_commit(session: AsyncSession, topic: str, frame: dict[str, Any]) -> None:
    """Queue `frame` for `topic` until `session` commits (dropped if it rolls back)."""
    session.info.setdefault(_PENDING, []).append((topic, frame))


@sa.event.listens_for(Session, "after_commit")
def _publish_pending(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    rt = current_runtime()
    hub = rt.hub if rt is not None else None
    if hub is None:  # no realtime in this process (CLI commands, service tests)
        return
    hub.publish_all(pending)


@sa.event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)
