"""`/ws/chat/{id}/`: stored-then-broadcast messages, resume after reconnect, typing, deletions."""

from __future__ import annotations

import httpx

from tests.realtime.conftest import Connect, Room


def _path(room: Room) -> str:
    return f"/ws/chat/{room.party_id}/"


async def test_send_is_stored_then_broadcast_with_client_id(
    ws_connect: Connect, room: Room, http: httpx.AsyncClient
) -> None:
    host = await ws_connect(_path(room), room.host.token)
    guest = await ws_connect(_path(room), room.guest.token)
    await guest.send("message.send", {"content": "  hello  ", "client_id": "c-1"}, id_="m1")
    for client in (guest, host):
        created = (await client.expect("message.created"))["payload"]
        assert (created["content"], created["client_id"]) == ("hello", "c-1")
        assert created["author"]["id"] == str(room.guest.user.id)
    listed = await http.get(
        f"/api/chat/{room.party_id}/messages/", headers=room.host.session.headers
    )
    assert [m["id"] for m in listed.json()["results"]] == [created["id"]]
    # A retry of the same client_id answers the stored message to the sender only.
    await guest.send("message.send", {"content": "hello", "client_id": "c-1"}, id_="m2")
    again = await guest.expect("message.created")
    assert again["payload"]["id"] == created["id"] and again["id"] == "m2"
    await host.silent("message.created")
    await guest.send("message.send", {"content": "   "}, id_="m3")
    assert (await guest.expect("error"))["payload"]["code"] == "validation_error"


async def test_resume_replays_every_missed_message(ws_connect: Connect, room: Room) -> None:
    host = await ws_connect(_path(room), room.host.token)
    guest = await ws_connect(_path(room), room.guest.token)
    await host.send("message.send", {"content": "seen"})
    last_seen = (await guest.expect("message.created"))["payload"]["id"]
    await host.expect("message.created")
    await guest.close()
    sent = []
    for n in range(12):
        await host.send("message.send", {"content": f"missed {n}", "client_id": f"x{n}"})
        sent.append((await host.expect("message.created"))["payload"]["id"])
    back = await ws_connect(_path(room), room.guest.token)
    await back.send("resume", {"since": last_seen}, id_="r")
    replayed = [(await back.expect("message.created"))["payload"]["id"] for _ in sent]
    done = (await back.expect("resume.complete"))["payload"]
    assert replayed == sent
    assert done == {"since": last_seen, "replayed": 12, "last_id": sent[-1], "truncated": False}
    await back.send("resume", {"since": "00000000-0000-4000-8000-000000000000"})
    assert (await back.expect("error"))["payload"]["code"] == "not_found"


async def test_typing_reaches_others_only_and_stops(ws_connect: Connect, room: Room) -> None:
    host = await ws_connect(_path(room), room.host.token)
    guest = await ws_connect(_path(room), room.guest.token)
    await guest.send("typing", {"state": "start"})
    typing = (await host.expect("typing"))["payload"]
    assert typing["state"] == "start" and typing["user"]["id"] == str(room.guest.user.id)
    await guest.send("typing", {"state": "stop"})
    assert (await host.expect("typing"))["payload"]["state"] == "stop"
    await guest.silent("typing")


async def test_deletions_and_disabled_chat(
    ws_connect: Connect, room: Room, http: httpx.AsyncClient
) -> None:
    host = await ws_connect(_path(room), room.host.token)
    guest = await ws_connect(_path(room), room.guest.token)
    await guest.send("message.send", {"content": "oops"})
    message_id = (await host.expect("message.created"))["payload"]["id"]
    removed = await http.delete(
        f"/api/chat/{room.party_id}/messages/{message_id}/", headers=room.host.session.headers
    )
    assert removed.status_code == 204, removed.text
    for client in (host, guest):
        deleted = (await client.expect("message.deleted"))["payload"]
        assert deleted["message_id"] == message_id
        assert deleted["deleted_by"]["id"] == str(room.host.user.id)
    off = await http.patch(
        f"/api/parties/{room.party_id}/",
        json={"settings": {"chat_enabled": False}},
        headers=room.host.session.headers,
    )
    assert off.status_code == 200, off.text
    await guest.send("message.send", {"content": "anyone?"}, id_="z")
    error = (await guest.expect("error"))["payload"]
    assert error["code"] == "chat_disabled" and error["ref"] == "z"


async def test_pipelined_sends_each_get_their_own_answer_in_order(
    ws_connect: Connect, room: Room, http: httpx.AsyncClient
) -> None:
    """Sends queued into shared group commits: stored and broadcast in the order sent, and an
    error or a retry answers only the frame it belongs to."""
    host = await ws_connect(_path(room), room.host.token)
    guest = await ws_connect(_path(room), room.guest.token)
    frames = [{"content": f"m{n}", "client_id": f"p{n}"} for n in range(8)]
    frames.insert(3, {"content": " \t "})  # blank: an error for this frame alone
    frames.insert(6, {"content": "again", "client_id": "p1"})  # a retry of m1
    for n, payload in enumerate(frames):  # all sent before any answer is read
        await guest.send("message.send", payload, id_=f"f{n}")
    created = [(await host.expect("message.created"))["payload"] for _ in range(8)]
    assert [m["content"] for m in created] == [f"m{n}" for n in range(8)]
    await host.silent("message.created")
    answers = [await guest.next() for _ in range(10)]  # 8 broadcasts, an error, a retry
    broadcast = [
        f["payload"]["id"] for f in answers if f["type"] == "message.created" and "id" not in f
    ]
    assert broadcast == [m["id"] for m in created]
    (error,) = [f["payload"] for f in answers if f["type"] == "error"]
    assert (error["code"], error["ref"], list(error["fields"])) == (
        "validation_error",
        "f3",
        ["content"],
    )
    (retry,) = [f for f in answers if f["type"] == "message.created" and "id" in f]
    assert retry["id"] == "f6" and retry["payload"]["id"] == created[1]["id"]
    listed = await http.get(
        f"/api/chat/{room.party_id}/messages/", headers=room.host.session.headers
    )
    assert [m["id"] for m in reversed(listed.json()["results"])] == [m["id"] for m in created]


async def test_muted_and_kicked_senders_are_refused_per_frame(
    ws_connect: Connect, room: Room, http: httpx.AsyncClient
) -> None:
    host = await ws_connect(_path(room), room.host.token)
    guest = await ws_connect(_path(room), room.guest.token)
    participant = f"/api/parties/{room.party_id}/participants/{room.guest.user.id}/"
    muted = await http.patch(participant, json={"muted": True}, headers=room.host.session.headers)
    assert muted.status_code == 200, muted.text
    await guest.send("message.send", {"content": "shh"}, id_="s1")
    await host.send("message.send", {"content": "host speaks"})
    error = (await guest.expect("error"))["payload"]
    assert (error["code"], error["ref"]) == ("muted", "s1")
    assert (await host.expect("message.created"))["payload"]["content"] == "host speaks"
    await host.silent("message.created")
