"""WebSockets across parties (issue 10.2), on a real server with real clients.

Two rooms: A (host alice, guest bob) and B (host carol, guest dave). Bob, who takes part in
A only, tries every way into B: its sockets, B's ids named in A's frames (messages, polls,
ready checks, peers), and a forged sender in his own frames. Nothing of B reaches him,
nothing of his reaches B, and what he sends carries his own identity. An account that may no
longer act (suspended, banned, deleted) loses its open sockets at once (4401), and so do the
sockets of a session that ends (logout) while the user's other sessions keep theirs.
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

import httpx
import orjson
import pytest

from tests.realtime.conftest import Client, Connect, MakeMember, Member
from tests.utils.factories import DEFAULT_PASSWORD, Session, login, make_party
from watchparty.db import Database

WIDGETS = ("polls", "screen-share", "voice")


@dataclasses.dataclass
class Room:
    party_id: uuid.UUID
    host: Member
    guest: Member

    def path(self, channel: str) -> str:
        if channel in WIDGETS:
            return f"/ws/interactive/{self.party_id}/{channel}/"
        return f"/ws/{channel}/{self.party_id}/"


async def _room(db: Database, http: httpx.AsyncClient, member: MakeMember) -> Room:
    host, guest = await member(), await member()
    party_id = await make_party(db, host.user, visibility="public")
    joined = await http.post(f"/api/parties/{party_id}/join/", headers=guest.session.headers)
    assert joined.status_code == 200, joined.text
    return Room(party_id=party_id, host=host, guest=guest)


@pytest.fixture
async def a(db: Database, http: httpx.AsyncClient, member: MakeMember) -> Room:
    return await _room(db, http, member)


@pytest.fixture
async def b(db: Database, http: httpx.AsyncClient, member: MakeMember) -> Room:
    return await _room(db, http, member)


CHANNELS = ("party", "chat", *WIDGETS)


@pytest.mark.parametrize("channel", CHANNELS)
async def test_sockets_of_another_party_are_refused(
    ws_connect: Connect, db: Database, a: Room, b: Room, channel: str
) -> None:
    bob = a.guest
    assert await (await ws_connect(b.path(channel), bob.token, welcome=False)).closed() == 4403
    hidden = await make_party(db, b.host.user, visibility="private")
    private = dataclasses.replace(b, party_id=hidden)
    assert (
        await (await ws_connect(private.path(channel), bob.token, welcome=False)).closed() == 4404
    )


async def raw(client: Client, frame: dict[str, Any]) -> None:
    await client.ws.send(orjson.dumps(frame).decode())


async def test_chat_sender_is_the_authenticated_user(
    ws_connect: Connect, http: httpx.AsyncClient, a: Room, b: Room
) -> None:
    alice = await ws_connect(a.path("chat"), a.host.token)
    bob = await ws_connect(a.path("chat"), a.guest.token)
    carol = await ws_connect(b.path("chat"), b.host.token)
    forged = {"id": str(b.host.user.id), "username": b.host.user.username}
    await raw(
        bob,
        {
            "type": "message.send",
            "id": "m1",
            "user": forged,
            "party_id": str(b.party_id),
            "payload": {
                "content": "it's carol here",
                "author": forged,
                "author_id": str(b.host.user.id),
                "party_id": str(b.party_id),
            },
        },
    )
    for client in (alice, bob):
        created = (await client.expect("message.created"))["payload"]
        assert created["author"]["id"] == str(a.guest.user.id), created
    await carol.silent("message.created")
    listed = await http.get(f"/api/chat/{a.party_id}/messages/", headers=a.host.session.headers)
    assert [m["author"]["id"] for m in listed.json()["results"]] == [str(a.guest.user.id)]
    in_b = await http.get(f"/api/chat/{b.party_id}/messages/", headers=b.host.session.headers)
    assert in_b.json()["results"] == []


async def test_reactions_carry_the_authenticated_user(
    ws_connect: Connect, a: Room, b: Room
) -> None:
    alice = await ws_connect(a.path("party"), a.host.token)
    bob = await ws_connect(a.path("party"), a.guest.token)
    carol = await ws_connect(b.path("party"), b.host.token)
    forged = {"id": str(b.host.user.id), "username": "carol"}
    await raw(bob, {"type": "reaction", "user": forged, "payload": {"emoji": "🔥", "user": forged}})
    reaction = (await alice.expect("reaction"))["payload"]
    assert reaction["user"]["id"] == str(a.guest.user.id)
    await carol.silent("reaction")


async def test_chat_ids_of_another_party_are_refused(
    ws_connect: Connect, http: httpx.AsyncClient, a: Room, b: Room
) -> None:
    secret = await http.post(
        f"/api/chat/{b.party_id}/messages/send/",
        json={"content": "B only"},
        headers=b.host.session.headers,
    )
    assert secret.status_code == 201, secret.text
    b_message = secret.json()["id"]
    bob = await ws_connect(a.path("chat"), a.guest.token)
    alice = await ws_connect(a.path("chat"), a.host.token)
    await bob.send("message.send", {"content": "re", "reply_to": b_message}, id_="r1")
    error = (await bob.expect("error"))["payload"]
    assert error["ref"] == "r1" and "reply_to" in error.get("fields", {}), error
    await alice.silent("message.created")
    await bob.send("resume", {"since": b_message}, id_="r2")
    error = (await bob.expect("error"))["payload"]
    assert error["code"] == "not_found" and error["ref"] == "r2", error
    assert "B only" not in orjson.dumps(bob.seen).decode()


async def test_polls_and_ready_checks_of_another_party_are_refused(
    ws_connect: Connect, a: Room, b: Room
) -> None:
    carol = await ws_connect(b.path("polls"), b.host.token)
    await carol.send("poll.create", {"question": "B?", "options": ["Yes", "No"]})
    poll = (await carol.expect("poll.created"))["payload"]
    alice = await ws_connect(a.path("polls"), a.host.token)
    bob = await ws_connect(a.path("polls"), a.guest.token)
    await bob.send("poll.vote", {"poll_id": poll["id"], "option_ids": [poll["options"][0]["id"]]})
    assert (await bob.expect("error"))["payload"]["code"] == "not_found"
    await alice.send("poll.close", {"poll_id": poll["id"]})  # A's host, not B's
    assert (await alice.expect("error"))["payload"]["code"] == "not_found"
    await carol.silent("poll.results")
    await carol.silent("poll.closed")

    carol_party = await ws_connect(b.path("party"), b.host.token)
    await carol_party.send("ready_check.start", {"timeout_seconds": 30})
    check = (await carol_party.expect("ready_check.state"))["payload"]
    bob_party = await ws_connect(a.path("party"), a.guest.token)
    await bob_party.send("ready_check.answer", {"check_id": check["check_id"], "ready": True})
    await bob_party.expect("error")
    await carol_party.silent("ready_check.state")


@pytest.mark.parametrize("widget", ["screen-share", "voice"])
async def test_signaling_never_crosses_parties(
    ws_connect: Connect, a: Room, b: Room, widget: str
) -> None:
    carol = await ws_connect(b.path(widget), b.host.token, welcome=False)
    carol_peer = (await carol.expect("session.welcome"))["payload"]["connection_id"]
    dave = await ws_connect(b.path(widget), b.guest.token, welcome=False)
    dave_peer = (await dave.expect("session.welcome"))["payload"]["connection_id"]
    alice = await ws_connect(a.path(widget), a.host.token)
    bob = await ws_connect(a.path(widget), a.guest.token)
    if widget == "screen-share":
        await dave.send("share.start", {"surface": "browser"})
        await carol.expect("share.state", where=lambda p: any(x["sharing"] for x in p["peers"]))
    candidate = {"candidate": "candidate:1 1 udp 1 1.2.3.4 5 typ host", "sdpMid": "0"}
    frames = [
        ("rtc.offer", {"to": dave_peer, "sdp": "v=0 offer"}),
        ("rtc.answer", {"to": dave_peer, "sdp": "v=0 answer"}),
        ("rtc.ice", {"to": carol_peer, "candidate": candidate}),
        ("rtc.leave", {"to": carol_peer}),
    ]
    for n, (type_, payload) in enumerate(frames):
        await bob.send(type_, {**payload, "from": carol_peer}, id_=f"s{n}")
        error = (await bob.expect("error"))["payload"]
        assert (error["code"], error["ref"]) == ("peer_not_found", f"s{n}"), error
    if widget == "screen-share":
        await alice.send("share.force_stop", {"peer_id": dave_peer}, id_="fs")
        assert (await alice.expect("error"))["payload"]["code"] == "peer_not_found"
        await dave.silent("share.stopped")
    for type_ in ("rtc.offer", "rtc.answer", "rtc.ice", "rtc.leave"):
        await carol.silent(type_, 0.1)
        await dave.silent(type_, 0.1)
    # Inside A the relay still works, and names the real sender whatever `from` says.
    alice_peer = next(
        f["payload"]["connection_id"] for f in alice.seen if f["type"] == "session.welcome"
    )
    await bob.send("rtc.offer", {"to": alice_peer, "sdp": "v=0", "from": carol_peer})
    offer = (await alice.expect("rtc.offer"))["payload"]
    assert offer["from"] != carol_peer and offer["user"]["id"] == str(a.guest.user.id)


async def test_notification_read_of_another_user_changes_nothing(
    ws_connect: Connect, http: httpx.AsyncClient, db: Database, a: Room
) -> None:
    from watchparty.tables import Notification

    theirs = Notification(user_id=a.host.user.id, type="account_warning", title="Yours")
    async with db.session() as session:
        session.add(theirs)
        await session.commit()
    bob = await ws_connect("/ws/notifications/", a.guest.token)
    await bob.send("notification.read", {"ids": [str(theirs.id)]}, id_="n1")
    assert (await bob.expect("error"))["payload"]["code"] == "not_found"  # not "forbidden"
    count = await http.get("/api/notifications/unread-count/", headers=a.host.session.headers)
    assert count.json()["unread"] == 1, count.text
    async with db.session() as session:
        assert (await session.get(Notification, theirs.id)).read_at is None  # type: ignore[union-attr]


async def _admin_sets(
    http: httpx.AsyncClient, member: MakeMember, who: Member, status: str
) -> None:
    admin = await member(role="admin")
    changed = await http.patch(
        f"/api/admin/users/{who.user.id}/", json={"status": status}, headers=admin.session.headers
    )
    assert changed.status_code == 200, changed.text


async def _deletes_self(http: httpx.AsyncClient, member: MakeMember, who: Member, _: str) -> None:
    gone = await http.post(
        "/api/auth/me/delete/", json={"password": DEFAULT_PASSWORD}, headers=who.session.headers
    )
    assert gone.status_code == 204, gone.text


@pytest.mark.parametrize(
    ("act", "status"),
    [(_admin_sets, "suspended"), (_admin_sets, "banned"), (_deletes_self, "deleted")],
    ids=["suspended", "banned", "deleted"],
)
async def test_open_sockets_close_4401_when_the_account_may_no_longer_act(
    ws_connect: Connect,
    http: httpx.AsyncClient,
    member: MakeMember,
    a: Room,
    act: Any,
    status: str,
) -> None:
    """Refused on the next request (DESIGN §3): an open socket is not a way around it."""
    bob = a.guest
    sockets = [await ws_connect(a.path(channel), bob.token) for channel in CHANNELS]
    sockets.append(await ws_connect("/ws/notifications/", bob.token))
    alice = await ws_connect(a.path("chat"), a.host.token)
    await act(http, member, bob, status)
    for socket in sockets:
        assert await socket.closed() == 4401
    await alice.silent("message.created")
    listed = await http.get(f"/api/chat/{a.party_id}/messages/", headers=a.host.session.headers)
    assert listed.json()["results"] == []


async def _logs_out(http: httpx.AsyncClient, ended: Session, _kept: Session) -> None:
    out = await http.post(
        "/api/auth/logout/", json={"refresh": ended.refresh}, headers=ended.headers
    )
    assert out.status_code == 204, out.text


async def _changes_password(http: httpx.AsyncClient, _ended: Session, kept: Session) -> None:
    changed = await http.post(
        "/api/auth/password/change/",
        json={"current_password": DEFAULT_PASSWORD, "new_password": "a-new-long-passphrase"},
        headers=kept.headers,
    )
    assert changed.status_code == 204, changed.text


@pytest.mark.parametrize("act", [_logs_out, _changes_password], ids=["logout", "password"])
async def test_ending_one_session_closes_its_sockets_only(
    ws_connect: Connect, http: httpx.AsyncClient, a: Room, act: Any
) -> None:
    """Bob is logged in twice (two tabs or devices); one session ends, the other goes on."""
    bob = a.guest
    ended, kept = bob.session, await login(http, bob.user)
    paths = [a.path(channel) for channel in CHANNELS] + ["/ws/notifications/"]
    closing = [await ws_connect(path, ended.access) for path in paths]
    staying = [await ws_connect(path, kept.access) for path in paths]
    await act(http, ended, kept)
    for socket in closing:
        assert await socket.closed() == 4401
    party = staying[0]
    await party.send("sync.ping", {"client_ts": 1}, id_="p")
    await party.expect("sync.pong")
    # Still a member of the room: the other session's sockets closing did not remove him.
    alice = await ws_connect(a.path("party"), a.host.token)
    presence = (await alice.expect("presence"))["payload"]
    assert str(bob.user.id) in {m["user"]["id"] for m in presence["members"]}
    for socket in staying[1:]:
        await socket.silent("error", secs=0.1)
        assert socket.ws.close_code is None
