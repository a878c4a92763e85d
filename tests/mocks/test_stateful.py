"""`--stateful`: what POSTs create, later GET/list/PATCH/DELETE see; reset forgets."""

from __future__ import annotations

import uuid

from mocks.operations import index_operations
from mocks.state import find_collections
from tests.mocks.conftest import MockClient
from tests.mocks.helpers import AUTH, SPEC

PARTY = {"title": "Movie night", "scheduled_for": "2026-12-01T20:00:00Z"}


def test_collections_come_from_links_and_paths() -> None:
    found = {
        op: (c.path, c.param, c.id_field)
        for op, c in find_collections(index_operations(SPEC)).items()
    }
    assert found["createParty"] == ("/api/parties/", "partyId", "id")
    assert found["sendChatMessage"] == ("/api/chat/{partyId}/messages/", "messageId", "id")
    assert (
        found["sendDirectMessage"][0] == "/api/messaging/conversations/{conversationId}/messages/"
    )
    assert found["blockUser"] == ("/api/messaging/blocks/", "userId", "id")


async def test_crud_round_trip(mock_client: MockClient) -> None:
    async with mock_client(seed=5, stateful=True) as client:
        assert (await client.get("/api/parties/", headers=AUTH)).json()["results"] == []
        created = await client.post("/api/parties/", json=PARTY, headers=AUTH)
        assert created.status_code == 201
        party = created.json()
        assert party["title"] == "Movie night" and uuid.UUID(party["id"]).version == 4
        url = f"/api/parties/{party['id']}/"
        assert (await client.get(url, headers=AUTH)).json() == party
        listed = (await client.get("/api/parties/", headers=AUTH)).json()["results"]
        assert [p["id"] for p in listed] == [party["id"]] and listed[0]["title"] == "Movie night"
        patched = await client.patch(url, json={"title": "Horror night"}, headers=AUTH)
        assert patched.status_code == 200 and patched.json()["title"] == "Horror night"
        assert (await client.get(url, headers=AUTH)).json()["title"] == "Horror night"
        started = await client.post(f"{url}start/", headers=AUTH)
        assert started.status_code == 200 and started.json()["id"] == party["id"]
        assert (await client.delete(url, headers=AUTH)).status_code == 204
        gone = await client.get(url, headers=AUTH)
        assert gone.status_code == 404 and gone.json() == {
            "detail": "Not found.",
            "code": "not_found",
        }
        assert (await client.delete(url, headers=AUTH)).status_code == 404
        assert (await client.post(f"{url}join/", headers=AUTH)).status_code == 404


async def test_unknown_ids_404_and_lists_paginate(mock_client: MockClient) -> None:
    async with mock_client(seed=5, stateful=True) as client:
        unknown = f"/api/parties/{uuid.uuid4()}/"
        assert (await client.get(unknown, headers=AUTH)).status_code == 404
        assert (await client.patch(unknown, json={"title": "x"}, headers=AUTH)).status_code == 404
        ids = [
            (await client.post("/api/parties/", json=PARTY, headers=AUTH)).json()["id"]
            for _ in range(5)
        ]
        first = (await client.get("/api/parties/", headers=AUTH, params={"page_size": 2})).json()
        assert [p["id"] for p in first["results"]] == ids[::-1][:2]
        walked = [p["id"] for p in first["results"]]
        url = first["next"]
        while url:
            page = (await client.get(url, headers=AUTH)).json()
            walked += [p["id"] for p in page["results"]]
            url = page["next"]
        assert walked == ids[::-1]


async def test_sub_collections_are_per_parent(mock_client: MockClient) -> None:
    async with mock_client(seed=5, stateful=True) as client:
        party_a, party_b = str(uuid.uuid4()), str(uuid.uuid4())
        sent = await client.post(
            f"/api/chat/{party_a}/messages/send/", json={"content": "hi"}, headers=AUTH
        )
        assert sent.status_code == 201 and sent.json()["content"] == "hi"
        message_id = sent.json()["id"]
        assert [
            m["id"]
            for m in (await client.get(f"/api/chat/{party_a}/messages/", headers=AUTH)).json()[
                "results"
            ]
        ] == [message_id]
        assert (await client.get(f"/api/chat/{party_b}/messages/", headers=AUTH)).json()[
            "results"
        ] == []
        assert (
            await client.delete(f"/api/chat/{party_b}/messages/{message_id}/", headers=AUTH)
        ).status_code == 404
        assert (
            await client.delete(f"/api/chat/{party_a}/messages/{message_id}/", headers=AUTH)
        ).status_code == 204


async def test_reset_forgets_everything_and_ids_repeat(mock_client: MockClient) -> None:
    async with mock_client(seed=9, stateful=True) as client:
        first = (await client.post("/api/parties/", json=PARTY, headers=AUTH)).json()["id"]
        assert (await client.post("/__mock/reset")).status_code == 204
        assert (await client.get(f"/api/parties/{first}/", headers=AUTH)).status_code == 404
        assert (await client.post("/api/parties/", json=PARTY, headers=AUTH)).json()["id"] == first


async def test_prefer_still_wins_in_stateful_mode(mock_client: MockClient) -> None:
    async with mock_client(seed=5, stateful=True) as client:
        response = await client.get(
            f"/api/parties/{uuid.uuid4()}/", headers={**AUTH, "Prefer": "code=200"}
        )
        assert response.status_code == 200
