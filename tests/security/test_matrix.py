"""The security matrix (issue 10.2): every operation on a party, conversation, ticket, video,
notification, report (and what hangs off them: invitations, chat, events, blocks) called by
each actor of tests/security/conftest.py, answered exactly as the catalog documents.

The expected status is derived from the catalog, never listed per operation:
- no token -> 401; a suspended account's well-signed token -> 401 `account_suspended`
  (refused on its next request, `watchparty.deps.current_user`);
- `auth: moderator|admin` -> 403 for the roles below it (`watchparty.permissions.AUTH_ROLES`);
- the `access` rule (`PASSES` below, one line per rule of the catalog's `access` table): who
  passes gets the operation's documented 2xx; who sees but may not act gets 403 (only rules
  with `forbidden: true`); anyone else 404, never revealing that the object exists;
- no `access` rule: every authenticated caller passes (lists and creates of their own).
`EXCEPTIONS` lists, with a reason each, the few answers that follow from the fixture's state
rather than from access (e.g. the host may not leave their own party: 409).

Operations are chosen by tag and path parameter (`in_matrix`), so a new operation of these
areas is called automatically; one that needs a request body or a path parameter the
matrix cannot make fails `test_every_operation_has_an_expectation` until it gets one.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from generated.operations import OPERATIONS, OperationInfo
from tests.security.conftest import (
    ACTORS,
    Actors,
    World,
    build_world,
    send_upload_bytes,
)
from watchparty.db import Database
from watchparty.permissions import AUTH_ROLES

CATALOG = json.loads((Path(__file__).parents[2] / "specs" / "backend-endpoints.json").read_text())
SPEC = {op["id"]: op for op in CATALOG["operations"]}
MATRIX_TAGS = {"parties", "chat", "messaging", "support", "videos", "notifications", "moderation"}
MATRIX_TAGS |= {"analytics", "events"}
RESOURCE_PARAMS = {"partyId", "conversationId", "ticketId", "videoId", "notificationId", "reportId"}

# Access rule -> (actors who pass, actors who see the object but get 403). Everyone else: 404.
# The fixture's objects are the owner's; the participant takes part in the party (and is the
# other member of the conversation; the party uses the video). The event is a personal one.
PASSES: dict[str, tuple[set[str], set[str]]] = {
    "participant": ({"owner", "participant"}, set()),
    "party-visible": ({"owner", "participant"}, set()),
    "host": ({"owner"}, {"participant"}),
    "host-or-admin": ({"owner", "admin"}, {"participant"}),
    "owner": ({"owner"}, set()),
    "owner-or-staff": ({"owner", "moderator", "admin"}, set()),
    "member": ({"owner", "participant"}, set()),
    "invitee": ({"owner"}, set()),
    "event-visible": ({"owner"}, set()),
    "video-viewer": ({"owner", "participant"}, set()),
    "uploader": ({"owner", "participant", "outsider", "moderator", "admin"}, set()),
    "author-or-moderator": ({"owner", "moderator", "admin"}, {"participant"}),
}
ROLE_OF = {"moderator": "moderator", "admin": "admin"}  # other actors are plain users

# (operationId, actor) -> (status, why): answers set by the fixture's state, not by access.
EXCEPTIONS: dict[tuple[str, str], tuple[int, str]] = {
    ("leaveParty", "owner"): (409, "the host cannot leave; transfer the host role first"),
    ("approveParticipant", "owner"): (409, "the fixture's participant is joined, not pending"),
    ("endParty", "owner"): (409, "the fixture's party is scheduled, not live"),
}


def in_matrix(op: OperationInfo) -> bool:
    params = set(re.findall(r"{(\w+)}", op.path))
    return op.tag in MATRIX_TAGS or bool(params & RESOURCE_PARAMS)


MATRIX = sorted(op_id for op_id, op in OPERATIONS.items() if in_matrix(op))


@dataclasses.dataclass
class Call:
    json: Any = None
    files: dict[str, Any] | None = None
    data: dict[str, Any] | None = None
    content: bytes | None = None
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    params: dict[str, str] = dataclasses.field(default_factory=dict)  # path overrides
    query: str = ""


# Path parameters every operation takes from the world (per-operation overrides in BODIES).
def path_params(world: World, cast: Actors) -> dict[str, str]:
    return {
        "partyId": world.party,
        "messageId": world.message,
        "invitationId": world.my_invitation,
        "conversationId": world.conversation,
        "ticketId": world.ticket,
        "videoId": world.video,
        "notificationId": world.notification,
        "reportId": world.report,
        "eventId": world.event,
        "userId": cast.id("participant"),
    }


Recipe = Callable[[World, Actors], Call]
PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
# Valid requests for operations that need more than the world's path parameters.
BODIES: dict[str, Recipe] = {
    "createParty": lambda w, c: Call(
        json={"title": "Another night", "scheduled_for": "2099-01-01T20:00:00Z"}
    ),
    "updateParty": lambda w, c: Call(json={"title": "Renamed"}),
    "updateParticipant": lambda w, c: Call(json={"muted": True}),
    "transferHost": lambda w, c: Call(json={"user_id": c.id("participant")}),
    "inviteToParty": lambda w, c: Call(json={"emails": ["someone-new@example.com"]}),
    "revokeInvitation": lambda w, c: Call(params={"invitationId": w.email_invitation}),
    "claimInvitation": lambda w, c: Call(json={"token": w.claim_token}),
    "createEvent": lambda w, c: Call(json={"title": "Gym", "starts_at": "2099-01-01T08:00:00Z"}),
    "updateEvent": lambda w, c: Call(json={"title": "Dentist, moved"}),
    "sendChatMessage": lambda w, c: Call(json={"content": "hello there"}),
    "createConversation": lambda w, c: Call(json={"participant_ids": [c.id("bystander")]}),
    "sendDirectMessage": lambda w, c: Call(json={"content": "hello there"}),
    "blockUser": lambda w, c: Call(json={"user_id": c.id("bystander")}),
    "unblockUser": lambda w, c: Call(params={"userId": c.id("bystander")}),
    "createReport": lambda w, c: Call(
        json={"target_type": "user", "target_id": c.id("bystander"), "reason": "spam"}
    ),
    "resolveReport": lambda w, c: Call(json={"action": "dismiss"}),
    "uploadVideo": lambda w, c: Call(
        data={"title": "Clip"}, files={"file": ("clip.mp4", _mp4(), "video/mp4")}
    ),
    "createVideoUploadUrl": lambda w, c: Call(
        json={"title": "T", "filename": "t.mp4", "content_type": "video/mp4", "size_bytes": 100}
    ),
    "uploadVideoBlob": lambda w, c: Call(
        content=b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 16,
        headers=w.upload["headers"],
        params={"videoId": w.upload["id"]},
        query=w.upload["upload_url"].partition("?")[2],
    ),
    "completeVideoUpload": lambda w, c: Call(params={"videoId": w.upload["id"]}),
    "updateVideo": lambda w, c: Call(json={"title": "New title"}),
    "createSupportTicket": lambda w, c: Call(
        json={"subject": "Help", "category": "other", "body": "Please."}
    ),
    "postSupportMessage": lambda w, c: Call(json={"body": "More details."}),
    "uploadSupportAttachment": lambda w, c: Call(files={"file": ("dot.png", PNG_1PX, "image/png")}),
    "setSupportTicketStatus": lambda w, c: Call(json={"status": "pending"}),
}


async def _block_bystander(client: httpx.AsyncClient, w: World, c: Actors, actor: str) -> None:
    if actor in c.sessions:  # unblocking someone not blocked is a 404 of its own
        body = {"user_id": c.id("bystander")}
        blocked = await client.post("/api/messaging/blocks/", json=body, headers=c.headers(actor))
        assert blocked.status_code in (200, 201, 401), blocked.text


async def _send_bytes(client: httpx.AsyncClient, w: World, c: Actors, actor: str) -> None:
    await send_upload_bytes(client, w)


# Operations whose world needs one more step before each actor's call.
PREPARE: dict[str, Callable[[httpx.AsyncClient, World, Actors, str], Any]] = {
    "completeVideoUpload": _send_bytes,
    "unblockUser": _block_bystander,
}
# Public operations: the signed URL is the credential, so every actor gets the same answer.
PUBLIC_ANSWERS = {"uploadVideoBlob": 204}


def _mp4() -> bytes:
    """The smallest bytes that pass the upload's magic check (processing may fail later)."""
    return b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


def expected(op_id: str, actor: str) -> int | set[int]:
    op = OPERATIONS[op_id]
    success = {int(code) for code in SPEC[op_id]["responses"] if code.startswith("2")}
    if op.auth == "public":
        return PUBLIC_ANSWERS[op_id]
    if (op_id, actor) in EXCEPTIONS:
        return EXCEPTIONS[op_id, actor][0]
    if actor in ("anonymous", "suspended"):
        return 401
    if ROLE_OF.get(actor, "user") not in AUTH_ROLES[op.auth]:
        return 403
    if op.access is None:
        return success
    passes, forbidden = PASSES[op.access]
    if actor in passes:
        return success
    return 403 if actor in forbidden else 404


# Operations whose success legitimately shows an outsider the world's objects.
SHOWS_OUTSIDERS = {"claimInvitation": "the mailed token is the credential: it shows its party"}
UUID_RE = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def private_ids(world: World) -> set[str]:
    """Ids of the world's objects an outsider must never see, in any answer (lists too)."""
    return {
        world.party,
        world.message,
        world.email_invitation,
        world.my_invitation,
        world.conversation,
        world.ticket,
        world.video,
        world.notification,
        world.report,
        world.event,
        world.upload["id"],
    }


def test_every_operation_has_an_expectation() -> None:
    """A new operation in the matrix's areas needs a recipe or an access rule line here."""
    assert {"getParty", "getConversation", "getSupportTicket", "getVideo"} <= set(MATRIX)
    assert {"markNotificationRead", "getReport"} <= set(MATRIX)
    assert set(PASSES) == set(CATALOG["access"]), "describe every access rule in PASSES"
    known = {"partyId", "messageId", "invitationId", "conversationId", "ticketId", "videoId"}
    known |= {"notificationId", "reportId", "eventId", "userId"}
    missing = []
    for op_id in MATRIX:
        spec = SPEC[op_id]
        unknown = set(re.findall(r"{(\w+)}", spec["path"])) - known
        if ("request" in spec and op_id not in BODIES) or unknown:
            missing.append(op_id)
        if spec["auth"] == "public" and op_id not in PUBLIC_ANSWERS:
            missing.append(op_id)
    assert not missing, f"operations without a request recipe or expectation: {missing}"
    assert {op for op, _ in EXCEPTIONS} <= set(MATRIX)
    assert set(BODIES) <= set(MATRIX)


async def call(
    client: httpx.AsyncClient,
    op_id: str,
    actor: str,
    world: World,
    cast: Actors,
    *,
    recipe: Call | None = None,
) -> httpx.Response:
    op = OPERATIONS[op_id]
    recipe = recipe or BODIES.get(op_id, lambda w, c: Call())(world, cast)
    params = {**path_params(world, cast), **recipe.params}
    url = op.path.format(**params) + (f"?{recipe.query}" if recipe.query else "")
    headers = {**recipe.headers, **(cast.headers(actor) if op.auth != "public" else {})}
    return await client.request(
        op.method,
        url,
        json=recipe.json,
        data=recipe.data,
        files=recipe.files,
        content=recipe.content,
        headers=headers,
    )


@pytest.mark.parametrize("op_id", MATRIX)
async def test_matrix(client: httpx.AsyncClient, db: Database, actors: Actors, op_id: str) -> None:
    op = OPERATIONS[op_id]
    world = await build_world(client, db, actors)
    wrong: list[str] = []
    for actor in ACTORS:
        if op_id in PREPARE:
            await PREPARE[op_id](client, world, actors, actor)
        response = await call(client, op_id, actor, world, actors)
        want = expected(op_id, actor)
        if response.status_code not in (want if isinstance(want, set) else {want}):
            wrong.append(f"{actor}: {response.status_code} (want {want}) {response.text[:200]}")
        elif actor == "outsider" and response.is_success and op_id not in SHOWS_OUTSIDERS:
            leaked = private_ids(world) & set(re.findall(UUID_RE, response.text))
            assert not leaked, f"{op_id} shows the outsider {leaked}: {response.text[:300]}"
        elif response.status_code >= 400:
            body = response.json()
            assert set(body) == {"detail", "code"}, (actor, body)  # DESIGN §3 error shape
            if actor == "suspended":
                assert body["code"] == "account_suspended", body
        if response.is_success and op.method != "GET":
            world = await build_world(client, db, actors)  # the call may have changed it
    assert not wrong, f"{op_id}:\n" + "\n".join(wrong)
