"""Who is in a party room, and who controls playback while the host is away.

Presence is one entry per socket in the shared room store (`watchparty.realtime.rooms`), so
every process serving the party counts the same members; `members` folds them per user. A
socket that dropped stays in the room, `held`, for `ws_reconnect_grace_secs`: a reconnect of
its user within it takes its place unannounced; otherwise the user is announced as left. The
controller is the party's host while connected; when the host leaves the room, control
passes to the longest-present moderator, else the longest-present participant, and back to
the host when they return (`host.changed`).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import Row, Select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.errors import NotFound, PermissionDenied
from watchparty.realtime.connection import CLOSE_FORBIDDEN, Connection
from watchparty.realtime.publish import party_topic
from watchparty.tables import Party, PartyParticipant

__all__ = [
    "add_socket",
    "check_control",
    "check_host",
    "find_member",
    "fresh_party",
    "fresh_party_row",
    "party_query",
    "controller_id",
    "drop_held",
    "hold_socket",
    "members",
    "presence_json",
    "publish_room",
    "remove_socket",
    "update_controller",
]

_ROLE_ORDER = {"host": 0, "moderator": 1, "participant": 2}


def _presence_key(conn: Connection) -> str:
    return f"presence:{conn.party_id}"


def _control_key(conn: Connection) -> str:
    return f"control:{conn.party_id}"


def publish_room(conn: Connection, type_: str, payload: dict[str, Any]) -> None:
    """A frame for every socket of the party room, in every process."""
    conn.hub.publish(party_topic(conn.party_id), {"type": type_, "payload": payload})


async def add_socket(conn: Connection) -> bool:
    """Enter the room; whether this takes the place of a socket of the same user that dropped
    within the grace period (then nobody hears of a rejoin)."""
    assert conn.role is not None
    key = _presence_key(conn)
    await conn.hub.rooms.put(
        key,
        conn.id,
        {
            "user": conn.user_json,
            "role": conn.role,
            "joined_at": conn.joined_at.isoformat().replace("+00:00", "Z"),
            "hub": conn.hub.id,
        },
    )
    resumed = False
    for socket_id, entry in (await conn.hub.rooms.all(key)).items():
        if entry.get("held") and entry["user"]["id"] == conn.user_json["id"]:
            # One winner against the grace timer (`drop_held`) on whatever process runs it.
            resumed = await conn.hub.rooms.remove(key, socket_id) or resumed
    return resumed


async def remove_socket(conn: Connection) -> list[dict[str, Any]]:
    """Leave the room; the members after it."""
    await conn.hub.rooms.remove(_presence_key(conn), conn.id)
    return await members(conn)


async def hold_socket(conn: Connection) -> None:
    """Keep a dropped socket in the room for the grace period (its user stays present)."""
    key = _presence_key(conn)
    entry = await conn.hub.rooms.get(key, conn.id)
    if entry is not None:
        await conn.hub.rooms.put(key, conn.id, {**entry, "held": True})


async def drop_held(conn: Connection) -> list[dict[str, Any]] | None:
    """The grace period is over: take the held socket out of the room; the members after it,
    or None when a reconnect of the user already took its place."""
    if not await conn.hub.rooms.remove(_presence_key(conn), conn.id):
        return None
    return await members(conn)


def find_member(room: list[dict[str, Any]], user_id: str) -> dict[str, Any] | None:
    return next((m for m in room if m["user"]["id"] == user_id), None)


async def members(conn: Connection) -> list[dict[str, Any]]:
    """`PresenceMember`s of the room (one per user, first joined first)."""
    rooms = conn.hub.rooms
    sockets = await rooms.live(await rooms.all(_presence_key(conn)))
    by_user: dict[str, dict[str, Any]] = {}
    for entry in sorted(sockets.values(), key=lambda e: str(e["joined_at"])):
        member = by_user.get(entry["user"]["id"])
        if member is None:
            by_user[entry["user"]["id"]] = {
                "user": entry["user"],
                "role": entry["role"],
                "connections": 1,
                "joined_at": entry["joined_at"],
            }
        else:
            member["connections"] += 1
    return list(by_user.values())


def presence_json(room: list[dict[str, Any]]) -> dict[str, Any]:
    return {"members": room, "count": len(room)}


def _control_field(host_id: str) -> str:
    # Who holds control is kept per host: after a REST transfer-host the new host's field is
    # empty, so control is theirs at once, whatever was handed on under the old host.
    return f"for:{host_id}"


async def controller_id(conn: Connection, host_id: str) -> str:
    """The user id who controls playback now (the host unless handed on)."""
    current = await conn.hub.rooms.get(_control_key(conn), _control_field(host_id))
    return str(current["id"]) if current is not None else host_id


async def update_controller(conn: Connection, *, host_id: str) -> None:
    """Pick the controller for the room's members now; announce a change (`host.changed`).

    The room is read here, not passed in: a snapshot taken earlier in a join can predate the
    host's own join in another process, and handing control away on it made control flap
    (host_returned, then host_left while the host was in the room).
    """
    room = await members(conn)
    current = await conn.hub.rooms.get(_control_key(conn), _control_field(host_id))
    present = {m["user"]["id"]: m for m in room}
    if host_id in present:
        chosen: dict[str, Any] | None = present[host_id]["user"]
    elif current is not None and current["id"] in present:
        chosen = current
    else:
        ranked = sorted(room, key=lambda m: (_ROLE_ORDER.get(m["role"], 3), m["joined_at"]))
        chosen = ranked[0]["user"] if ranked else None
    if chosen is None:
        # Empty room: the host controls again whenever anyone comes back.
        await conn.hub.rooms.clear(_control_key(conn))
        return
    if current is not None and current["id"] == chosen["id"]:
        return
    await conn.hub.rooms.put(_control_key(conn), _control_field(host_id), chosen)
    if current is None and chosen["id"] == host_id:
        return  # the host simply arrived first: nothing changed hands
    reason = "host_returned" if chosen["id"] == host_id else "host_left"
    publish_room(conn, "host.changed", {"host": chosen, "previous_host": current, "reason": reason})


async def check_control(conn: Connection, party: Party) -> None:
    """The caller may steer playback: they hold control, or the party allows guest control.

    Raises:
        PermissionDenied: anyone else.
    """
    if party.allow_guest_control or await _may_steer(conn, party):
        return
    raise PermissionDenied("Only the host can control playback in this party.")


async def check_host(conn: Connection, party: Party) -> None:
    """Host-only actions (ready checks, polls, stopping a share): the controller only.

    Raises:
        PermissionDenied: anyone else.
    """
    if not await _may_steer(conn, party):
        raise PermissionDenied("Only the host may do this.")


async def _may_steer(conn: Connection, party: Party) -> bool:
    """The host always may (even before their join has taken control back from a stand-in);
    anyone else only while holding control in the host's absence."""
    me = conn.user_json["id"]
    return me == str(party.host_id) or bool(await controller_id(conn, str(party.host_id)) == me)


def party_query() -> Select[*tuple[Any, ...]]:
    """The socket's party and the caller's participation (`party_id` and `user_id` bound):
    what `fresh_party_row` reads, with more columns added by the caller."""
    return (
        sa.select(Party, col(PartyParticipant.status), col(PartyParticipant.muted))
        .outerjoin(
            PartyParticipant,
            sa.and_(
                col(PartyParticipant.party_id) == col(Party.id),
                col(PartyParticipant.user_id) == sa.bindparam("user_id"),
            ),
        )
        .where(col(Party.id) == sa.bindparam("party_id"))
        .execution_options(populate_existing=True)
    )


# Built once: every reaction, ready check and poll reads it, and building it was a third of
# a command's time before its broadcast.
_PARTY_AND_PARTICIPATION = party_query()


async def fresh_party(conn: Connection, session: AsyncSession) -> Party:
    """The socket's party as stored now (settings and host change while it is open).

    A caller who is no longer a joined participant (kicked, left) has the socket closed 4403.
    The socket's copies of the host and of the caller's `muted` flag are refreshed too.

    Raises:
        NotFound: the party was deleted.
        PermissionDenied: the caller no longer takes part.
    """
    party: Party = (await fresh_party_row(conn, session, _PARTY_AND_PARTICIPATION))[0]
    return party


async def fresh_party_row(
    conn: Connection, session: AsyncSession, query: Select[*tuple[Any, ...]]
) -> Row[*tuple[Any, ...]]:
    """`fresh_party` reading a `party_query`: its whole row, the party first."""
    params = {"party_id": conn.party_id, "user_id": conn.user.id}
    result = await session.exec(query, params=params)  # type: ignore[call-overload]
    row: Row[*tuple[Any, ...]] | None = result.first()
    if row is None:
        raise NotFound()
    party, status, muted = row[:3]
    if status != "joined":
        conn.close(CLOSE_FORBIDDEN, "You no longer take part in this party.")
        raise PermissionDenied("You no longer take part in this party.")
    conn.host_id = party.host_id
    conn.muted = bool(muted)
    return row
