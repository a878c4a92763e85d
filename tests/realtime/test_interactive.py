"""`/ws/interactive/{id}/polls|screen-share|voice/`: stored polls and the signaling relay."""

from __future__ import annotations

import asyncio
import uuid

import httpx

from tests.realtime.conftest import Connect, Room
from watchparty.db import Database
from watchparty.realtime.interactive import POLL_SWEEP_SECS
from watchparty.services.polls import close_due_polls, create_poll
from watchparty.tables import Poll


def _path(room: Room, widget: str) -> str:
    return f"/ws/interactive/{room.party_id}/{widget}/"


async def test_polls_create_vote_once_close_and_party_detail(
    ws_connect: Connect, room: Room, http: httpx.AsyncClient
) -> None:
    host = await ws_connect(_path(room, "polls"), room.host.token)
    assert (await host.expect("poll.list"))["payload"] == {"polls": [], "my_votes": []}
    guest = await ws_connect(_path(room, "polls"), room.guest.token)
    await guest.send("poll.create", {"question": "Sequel?", "options": ["Yes", "No"]})
    assert (await guest.expect("error"))["payload"]["code"] == "permission_denied"

    await host.send("poll.create", {"question": "Sequel?", "options": ["Yes", "No"]})
    poll = (await guest.expect("poll.created"))["payload"]
    assert poll["status"] == "open" and poll["total_votes"] == 0
    yes, no = (option["id"] for option in poll["options"])
    await guest.send("poll.vote", {"poll_id": poll["id"], "option_ids": [yes, no]})
    assert (await guest.expect("error"))["payload"]["fields"] == {
        "option_ids": ["This poll takes one option."]
    }
    await guest.send("poll.vote", {"poll_id": poll["id"], "option_ids": [yes]})
    results = (await host.expect("poll.results"))["payload"]
    assert [o["votes"] for o in results["options"]] == [1, 0] and results["total_votes"] == 1
    await guest.send("poll.vote", {"poll_id": poll["id"], "option_ids": [no]}, id_="v2")
    assert (await guest.expect("error"))["payload"]["code"] == "already_voted"
    await guest.send("poll.vote", {"poll_id": str(uuid.uuid4()), "option_ids": [yes]})
    assert (await guest.expect("error"))["payload"]["code"] == "not_found"

    await host.send("poll.close", {"poll_id": poll["id"]})
    closed = (await guest.expect("poll.closed"))["payload"]
    assert closed["status"] == "closed"
    await host.send("poll.vote", {"poll_id": poll["id"], "option_ids": [no]})
    assert (await host.expect("error"))["payload"]["code"] == "poll_closed"

    rejoined = await ws_connect(_path(room, "polls"), room.guest.token)
    listing = (await rejoined.expect("poll.list"))["payload"]
    assert listing["my_votes"] == [{"poll_id": poll["id"], "option_ids": [yes]}]
    detail = await http.get(f"/api/parties/{room.party_id}/", headers=room.guest.session.headers)
    assert detail.status_code == 200, detail.text
    assert [p["id"] for p in detail.json()["polls"]] == [poll["id"]]
    assert detail.json()["polls"][0]["options"][0]["votes"] == 1


async def test_screen_share_relay_between_two_peers(ws_connect: Connect, room: Room) -> None:
    host = await ws_connect(_path(room, "screen-share"), room.host.token, welcome=False)
    host_id = (await host.expect("session.welcome"))["payload"]["connection_id"]
    guest = await ws_connect(_path(room, "screen-share"), room.guest.token, welcome=False)
    guest_id = (await guest.expect("session.welcome"))["payload"]["connection_id"]
    state = (await guest.expect("share.state"))["payload"]
    assert [p["peer_id"] for p in state["peers"]] == [host_id, guest_id]

    await guest.send("share.start", {"surface": "browser", "with_audio": True})
    sharing = await host.expect(
        "share.state", where=lambda p: any(x["sharing"] for x in p["peers"])
    )
    assert [p["peer_id"] for p in sharing["payload"]["peers"] if p["sharing"]] == [guest_id]
    await host.send("share.start", {})
    assert (await host.expect("error"))["payload"]["code"] == "conflict"

    await guest.send("rtc.offer", {"to": host_id, "sdp": "v=0 offer"})
    offer = (await host.expect("rtc.offer"))["payload"]
    assert offer["from"] == guest_id and offer["sdp"] == "v=0 offer"
    assert offer["user"]["id"] == str(room.guest.user.id)
    await host.send("rtc.answer", {"to": guest_id, "sdp": "v=0 answer"})
    assert (await guest.expect("rtc.answer"))["payload"]["from"] == host_id
    candidate = {"candidate": "candidate:1 1 udp 1 1.2.3.4 5 typ host", "sdpMid": "0"}
    await guest.send("rtc.ice", {"to": host_id, "candidate": candidate})
    ice = (await host.expect("rtc.ice"))["payload"]
    assert ice["candidate"]["candidate"] == candidate["candidate"]
    await guest.send("rtc.offer", {"to": str(uuid.uuid4()), "sdp": "v=0"}, id_="o")
    assert (await guest.expect("error"))["payload"]["code"] == "peer_not_found"
    await guest.silent("rtc.offer")  # relayed to the addressee only

    await guest.send("share.force_stop", {"peer_id": host_id})
    assert (await guest.expect("error"))["payload"]["code"] == "permission_denied"
    await host.send("share.force_stop", {"peer_id": guest_id})
    stopped = (await guest.expect("share.stopped"))["payload"]
    assert stopped["reason"] == "host_stopped" and stopped["by"]["id"] == str(room.host.user.id)
    await guest.close()
    assert (await host.expect("rtc.leave"))["payload"] == {"from": guest_id}


async def test_voice_state_and_leave(ws_connect: Connect, room: Room) -> None:
    host = await ws_connect(_path(room, "voice"), room.host.token)
    guest = await ws_connect(_path(room, "voice"), room.guest.token, welcome=False)
    guest_id = (await guest.expect("session.welcome"))["payload"]["connection_id"]
    assert len((await guest.expect("voice.state"))["payload"]["peers"]) == 2
    await guest.send("voice.status", {"muted": True, "speaking": False})
    state = await host.expect(
        "voice.state", where=lambda p: any(peer["muted"] for peer in p["peers"])
    )
    assert [p["peer_id"] for p in state["payload"]["peers"] if p["muted"]] == [guest_id]
    await guest.close()
    assert (await host.expect("rtc.leave"))["payload"] == {"from": guest_id}
    after = await host.expect("voice.state", where=lambda p: len(p["peers"]) == 1)
    assert after["payload"]["peers"][0]["user"]["id"] == str(room.host.user.id)


async def test_a_timed_poll_is_closed_and_announced_without_its_creator(
    ws_connect: Connect, room: Room, db: Database
) -> None:
    # Created with no server involved (no timer anywhere): the sweep of the process serving
    # the polls socket closes it at its deadline and announces it.
    async with db.session() as session:
        poll = await create_poll(
            session=session,
            party_id=room.party_id,
            user=room.host.user,
            question="Snacks?",
            options=["Yes", "No"],
            multiple=False,
            duration_seconds=1,
        )
    guest = await ws_connect(_path(room, "polls"), room.guest.token)
    listed = (await guest.expect("poll.list"))["payload"]["polls"]
    assert [(p["id"], p["status"]) for p in listed] == [(poll["id"], "open")]
    closed = (await guest.expect("poll.closed", 1 + 3 * POLL_SWEEP_SECS + 2))["payload"]
    assert closed["id"] == poll["id"] and closed["status"] == "closed"
    assert closed["closes_at"] == poll["closes_at"]  # closed at its deadline, not at the sweep
    await guest.silent("poll.closed", 2 * POLL_SWEEP_SECS)  # once
    async with db.session() as session:
        stored = await session.get(Poll, uuid.UUID(poll["id"]))
        assert stored is not None and stored.closed_at is not None


async def test_racing_sweeps_close_a_due_poll_once(room: Room, db: Database) -> None:
    async with db.session() as session:
        await create_poll(
            session=session,
            party_id=room.party_id,
            user=room.host.user,
            question="Now?",
            options=["Yes", "No"],
            multiple=False,
            duration_seconds=1,
        )
    assert await close_due_polls(db) == 0  # not due yet
    await asyncio.sleep(1.1)
    assert sorted(await asyncio.gather(close_due_polls(db), close_due_polls(db))) == [0, 1]
    assert await close_due_polls(db) == 0
