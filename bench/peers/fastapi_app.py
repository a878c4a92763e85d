"""The FastAPI peer of bench/compare.py (issue 9): our three hot operations and the party
socket, written the way a FastAPI user would write them. Never imported by the product.

    PEER_DATABASE_URL=sqlite+aiosqlite:///var/watchparty.sqlite3 PEER_SECRET_KEY=... \\
        python -m uvicorn --app-dir bench/peers fastapi_app:app --loop uvloop --http httptools

Same tables (`watchparty.tables`, SQLModel), same database, same JWT: our access tokens are
decoded with the same secret and checked the way `watchparty.deps.current_user` checks them
(the user and their refresh family in one query, refused when revoked, banned, suspended or
deleted). Queries and JSON are this file's own (pydantic `response_model`s), built to answer
the same JSON as ours for the same rows; compare.py checks that before it loads anything.
Not implemented (not needed by the benchmark): cursors past the first page, media URLs of
ready videos, error bodies in our `{detail, code}` shape, presence beyond a head count.

Environment: PEER_DATABASE_URL (SQLAlchemy async URL), PEER_SECRET_KEY (the HS256 secret),
PEER_DATABASE_SCHEMA (PostgreSQL search_path, optional).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
import unicodedata
import uuid
from collections import Counter, defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Annotated, Any

import jwt
import sqlalchemy as sa
from fastapi import (
    Depends,
    FastAPI,
    HTTPException,
    Query,
    Response,
    WebSocket,
    WebSocketDisconnect,
    WebSocketException,
    status,
)
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.tables import (
    CalendarEvent,
    ChatMessage,
    Party,
    PartyActivity,
    PartyInvitation,
    PartyParticipant,
    PartyPlayback,
    Poll,
    PollBallot,
    RefreshTokenFamily,
    User,
    Video,
)

DATABASE_URL = os.environ["PEER_DATABASE_URL"]
SECRET_KEY = os.environ["PEER_SECRET_KEY"]
DATABASE_SCHEMA = os.environ.get("PEER_DATABASE_SCHEMA")
TAKING_PART = ("joined", "pending", "left")
CHAT_SUMMARY_SIZE = 20


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def now_ms() -> int:
    return time.time_ns() // 1_000_000


# -- database --------------------------------------------------------------------------------------


def _make_engine() -> Any:
    if DATABASE_URL.startswith("sqlite"):
        engine = create_async_engine(DATABASE_URL, connect_args={"timeout": 5})

        @sa.event.listens_for(engine.sync_engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            # The usual SQLite setup for a web app (and the one our server uses).
            cursor = dbapi_connection.cursor()
            for pragma in (
                "journal_mode=WAL",
                "foreign_keys=ON",
                "busy_timeout=5000",
                "synchronous=NORMAL",
            ):
                cursor.execute(f"PRAGMA {pragma}")
            cursor.close()

        return engine
    settings = {"search_path": DATABASE_SCHEMA} if DATABASE_SCHEMA else {}
    return create_async_engine(
        DATABASE_URL, pool_pre_ping=True, connect_args={"server_settings": settings}
    )


engine = _make_engine()
SessionLocal = async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


async def get_session() -> AsyncIterator[AsyncSession]:
    async with SessionLocal() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]


# -- auth ------------------------------------------------------------------------------------------

bearer = HTTPBearer()
_USER_AND_FAMILY = (
    select(User, RefreshTokenFamily.revoked_at)
    .join(RefreshTokenFamily, col(RefreshTokenFamily.user_id) == col(User.id))
    .where(
        col(User.id) == sa.bindparam("user_id"), col(RefreshTokenFamily.id) == sa.bindparam("fid")
    )
)


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail, {"WWW-Authenticate": "Bearer"})


async def user_of_token(token: str, session: AsyncSession) -> User:
    """The user of a valid access token, still allowed to act (as watchparty.deps does)."""
    try:
        claims = jwt.decode(
            token,
            SECRET_KEY,
            algorithms=["HS256"],
            leeway=5,
            options={"require": ["exp", "iat", "jti", "sub", "role", "fid", "typ"]},
        )
        if claims["typ"] != "access":
            raise jwt.InvalidTokenError("not an access token")
        params = {"user_id": uuid.UUID(claims["sub"]), "fid": uuid.UUID(claims["fid"])}
    except (jwt.InvalidTokenError, ValueError) as exc:
        raise _unauthorized("Invalid token.") from exc
    row = (await session.exec(_USER_AND_FAMILY, params=params)).first()
    if row is None:
        raise _unauthorized("User not found.")
    user, revoked_at = row
    if revoked_at is not None:
        raise _unauthorized("This session has ended; log in again.")
    suspended = user.status == "suspended" and (
        user.suspended_until is None or user.suspended_until > utcnow()
    )
    if user.status in ("deleted", "banned") or suspended:
        raise _unauthorized(f"This account is {user.status}.")
    return user


async def current_user(
    credentials: Annotated[HTTPAuthorizationCredentials, Depends(bearer)], session: SessionDep
) -> User:
    return await user_of_token(credentials.credentials, session)


CurrentUser = Annotated[User, Depends(current_user)]


# -- response models -------------------------------------------------------------------------------


class UserSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    username: str
    display_name: str
    avatar_url: str | None


class VideoSummary(BaseModel):
    id: uuid.UUID
    title: str
    duration_seconds: float | None
    thumbnail_url: str | None
    processing_state: str


class PartySummary(BaseModel):
    id: uuid.UUID
    title: str
    status: str
    visibility: str
    scheduled_for: dt.datetime
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    host: UserSummary
    video: VideoSummary | None
    participant_count: int
    max_participants: int
    my_role: str | None
    my_status: str | None
    created_at: dt.datetime


class PartySettings(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    visibility: str
    max_participants: int
    allow_guest_control: bool
    chat_enabled: bool
    reactions_enabled: bool
    require_approval: bool


class Participant(BaseModel):
    user: UserSummary
    role: str
    status: str
    muted: bool
    joined_at: dt.datetime | None
    left_at: dt.datetime | None


class ChatMessageOut(BaseModel):
    id: uuid.UUID
    party_id: uuid.UUID
    author: UserSummary | None
    content: str
    reply_to: uuid.UUID | None
    client_id: str | None
    created_at: dt.datetime
    deleted: bool


class ChatSummary(BaseModel):
    message_count: int
    last_messages: list[ChatMessageOut]


class PollOption(BaseModel):
    id: str
    text: str
    votes: int


class PollOut(BaseModel):
    id: uuid.UUID
    party_id: uuid.UUID
    question: str
    options: list[PollOption]
    multiple: bool
    status: str
    created_by: UserSummary
    created_at: dt.datetime
    closes_at: dt.datetime | None
    total_votes: int


class PlaybackState(BaseModel):
    status: str
    position: float
    rate: float
    ref_ts: int
    video_id: uuid.UUID | None


class PartyDetail(PartySummary):
    description: str
    my_invitation_id: uuid.UUID | None
    settings: PartySettings
    participants: list[Participant]
    chat_summary: ChatSummary
    polls: list[PollOut]
    playback: PlaybackState
    event_id: uuid.UUID | None
    updated_at: dt.datetime


class PartyPage(BaseModel):
    results: list[PartySummary]
    next: str | None
    previous: str | None
    next_cursor: str | None
    previous_cursor: str | None


class ChatMessageIn(BaseModel):
    content: str = Field(min_length=1, max_length=2000)
    reply_to: uuid.UUID | None = None
    client_id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_.:-]{1,64}$")


# -- serializers -----------------------------------------------------------------------------------


def user_summary(user: User) -> UserSummary:
    return UserSummary.model_validate(user)


def video_summary(video: Video | None) -> VideoSummary | None:
    if video is None:
        return None
    return VideoSummary(
        id=video.id,
        title=video.title,
        duration_seconds=video.duration_seconds,
        thumbnail_url=None,
        processing_state=video.processing_state,
    )


def party_summary(
    party: Party, host: User, mine: PartyParticipant | None, count: int, video: Video | None
) -> dict[str, Any]:
    return {
        "id": party.id,
        "title": party.title,
        "status": party.status,
        "visibility": party.visibility,
        "scheduled_for": party.scheduled_for,
        "started_at": party.started_at,
        "ended_at": party.ended_at,
        "host": user_summary(host),
        "video": video_summary(video),
        "participant_count": count,
        "max_participants": party.max_participants,
        "my_role": mine.role if mine else None,
        "my_status": mine.status if mine else None,
        "created_at": party.created_at,
    }


def chat_message_out(message: ChatMessage, author: User | None) -> ChatMessageOut:
    removed = message.deleted_at is not None
    return ChatMessageOut(
        id=message.id,
        party_id=message.party_id,
        author=user_summary(author) if author is not None and author.status != "deleted" else None,
        content="" if removed else message.content,
        reply_to=message.reply_to_id,
        client_id=message.client_id,
        created_at=message.created_at,
        deleted=removed,
    )


def playback_payload(row: PartyPlayback | None, party: Party) -> dict[str, Any]:
    if row is None:
        state = {"status": "paused", "position": 0.0, "rate": 1.0, "ref_ts": now_ms()}
    else:
        state = {
            "status": row.status,
            "position": round(row.position, 3),
            "rate": row.rate,
            "ref_ts": row.ref_ts,
        }
    return {**state, "video_id": party.video_id}


# -- access ----------------------------------------------------------------------------------------


class PartyView:
    def __init__(self, party: Party, host: User, mine: PartyParticipant | None, invitation: Any):
        self.party, self.host, self.mine, self.invitation_id = party, host, mine, invitation

    @property
    def takes_part(self) -> bool:
        return self.mine is not None and self.mine.status in TAKING_PART


async def load_party(session: AsyncSession, user: User, party_id: uuid.UUID) -> PartyView:
    """The party, its host, the caller's participation and live invitation; 404 if missing."""
    invitation = (
        sa.select(col(PartyInvitation.id))
        .where(
            col(PartyInvitation.party_id) == Party.id,
            col(PartyInvitation.invitee_id) == user.id,
            col(PartyInvitation.status) == "pending",
            col(PartyInvitation.expires_at) > utcnow(),
        )
        .order_by(col(PartyInvitation.created_at).desc())
        .limit(1)
        .correlate(Party)
        .scalar_subquery()
    )
    stmt = (
        sa.select(Party, User, PartyParticipant, invitation)
        .join(User, col(User.id) == col(Party.host_id))
        .outerjoin(
            PartyParticipant,
            sa.and_(
                col(PartyParticipant.party_id) == col(Party.id),
                col(PartyParticipant.user_id) == user.id,
            ),
        )
        .where(col(Party.id) == party_id)
    )
    row = (await session.exec(stmt)).first()  # type: ignore[call-overload]
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Not found.")
    return PartyView(*row)


# -- REST ------------------------------------------------------------------------------------------

app = FastAPI(title="watchparty FastAPI peer", docs_url=None, redoc_url=None, openapi_url=None)


@app.get("/api/parties/", response_model=PartyPage)
async def list_parties(
    me: CurrentUser,
    session: SessionDep,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
    party_status: Annotated[str | None, Query(alias="status")] = None,
) -> dict[str, Any]:
    count = (
        sa.select(sa.func.count())
        .where(
            col(PartyParticipant.party_id) == col(Party.id),
            col(PartyParticipant.status) == "joined",
        )
        .correlate(Party)
        .scalar_subquery()
    )
    stmt = (
        sa.select(Party, PartyParticipant, User, count, Video)
        .join(
            PartyParticipant,
            sa.and_(
                col(PartyParticipant.party_id) == col(Party.id),
                col(PartyParticipant.user_id) == me.id,
            ),
        )
        .join(User, col(User.id) == col(Party.host_id))
        .outerjoin(Video, col(Video.id) == col(Party.video_id))
        .where(col(PartyParticipant.status).in_(TAKING_PART))
        .order_by(col(Party.scheduled_for).desc(), col(Party.id).desc())
        .limit(page_size + 1)
    )
    if party_status is not None:
        stmt = stmt.where(col(Party.status) == party_status)
    rows = (await session.exec(stmt)).all()  # type: ignore[call-overload]
    results = [
        party_summary(p, host, mine, n, video) for p, mine, host, n, video in rows[:page_size]
    ]
    # Cursors past the first page are not part of this peer (bench/compare.py reads page 1).
    more = "more" if len(rows) > page_size else None
    return {
        "results": results,
        "next": more,
        "previous": None,
        "next_cursor": more,
        "previous_cursor": None,
    }


@app.get("/api/parties/{party_id}/", response_model=PartyDetail)
async def get_party(party_id: uuid.UUID, me: CurrentUser, session: SessionDep) -> dict[str, Any]:
    view = await load_party(session, me, party_id)
    party = view.party
    if party.visibility == "private" and not view.takes_part and view.invitation_id is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Not found.")
    rows = (
        await session.exec(
            sa.select(PartyParticipant, User)  # type: ignore[call-overload]
            .join(User, col(User.id) == col(PartyParticipant.user_id))
            .where(
                col(PartyParticipant.party_id) == party.id,
                col(PartyParticipant.status).in_(("pending", "joined")),
            )
            .order_by(
                col(PartyParticipant.rank),
                col(PartyParticipant.created_at),
                col(PartyParticipant.id),
            )
        )
    ).all()
    event_id = (
        await session.exec(select(CalendarEvent.id).where(col(CalendarEvent.party_id) == party.id))
    ).first()
    video = await session.get(Video, party.video_id) if party.video_id else None
    chat = ChatSummary(message_count=0, last_messages=[])
    if view.takes_part:
        chat.message_count = (
            await session.exec(
                sa.select(sa.func.count()).where(  # type: ignore[call-overload]
                    col(ChatMessage.party_id) == party.id, col(ChatMessage.deleted_at).is_(None)
                )
            )
        ).one()[0]
        latest = (
            await session.exec(
                sa.select(ChatMessage, User)  # type: ignore[call-overload]
                .outerjoin(User, col(User.id) == col(ChatMessage.author_id))
                .where(col(ChatMessage.party_id) == party.id)
                .order_by(col(ChatMessage.created_at).desc(), col(ChatMessage.id).desc())
                .limit(CHAT_SUMMARY_SIZE)
            )
        ).all()
        chat.last_messages = [chat_message_out(m, a) for m, a in reversed(latest)]
    playback = await session.get(PartyPlayback, party.id)
    joined = sum(1 for p, _ in rows if p.status == "joined")
    return {
        **party_summary(party, view.host, view.mine, joined, video),
        "description": party.description,
        "my_invitation_id": view.invitation_id,
        "settings": PartySettings.model_validate(party),
        "participants": [
            Participant(
                user=user_summary(u),
                role=p.role,
                status=p.status,
                muted=p.muted,
                joined_at=p.joined_at,
                left_at=p.left_at,
            )
            for p, u in rows
        ],
        "chat_summary": chat,
        "polls": await party_polls(session, party.id),
        "playback": playback_payload(playback, party),
        "event_id": event_id,
        "updated_at": party.updated_at,
    }


async def party_polls(session: AsyncSession, party_id: uuid.UUID) -> list[PollOut]:
    rows = (
        await session.exec(
            sa.select(Poll, User)  # type: ignore[call-overload]
            .join(User, col(User.id) == col(Poll.created_by))
            .where(col(Poll.party_id) == party_id)
            .order_by(col(Poll.created_at).desc(), col(Poll.id).desc())
        )
    ).all()
    if not rows:
        return []
    ballots: dict[uuid.UUID, list[PollBallot]] = defaultdict(list)
    stmt = sa.select(PollBallot).where(col(PollBallot.poll_id).in_([p.id for p, _ in rows]))
    for ballot in (await session.exec(stmt)).scalars():  # type: ignore[call-overload]
        ballots[ballot.poll_id].append(ballot)
    now = utcnow()
    polls = []
    for poll, creator in rows:
        votes = Counter(o for b in ballots[poll.id] for o in b.option_ids)
        closes_at = poll.closed_at or poll.closes_at
        closed = poll.closed_at is not None or (
            poll.closes_at is not None and poll.closes_at <= now
        )
        polls.append(
            PollOut(
                id=poll.id,
                party_id=poll.party_id,
                question=poll.question,
                options=[
                    PollOption(id=o["id"], text=o["text"], votes=votes[o["id"]])
                    for o in poll.options
                ],
                multiple=poll.multiple,
                status="closed" if closed else "open",
                created_by=user_summary(creator),
                created_at=poll.created_at,
                closes_at=closes_at,
                total_votes=len(ballots[poll.id]),
            )
        )
    return polls


def clean_content(raw: str) -> str:
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) != "Cc").strip()
    if not text:
        raise HTTPException(
            status.HTTP_400_BAD_REQUEST, {"content": ["This field may not be blank."]}
        )
    return text


@app.post(
    "/api/chat/{party_id}/messages/send/",
    response_model=ChatMessageOut,
    status_code=status.HTTP_201_CREATED,
)
async def send_chat_message(
    party_id: uuid.UUID,
    body: ChatMessageIn,
    me: CurrentUser,
    session: SessionDep,
    response: Response,
) -> ChatMessageOut:
    view = await load_party(session, me, party_id)
    if not view.takes_part:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Not found.")
    assert view.mine is not None
    if view.mine.status != "joined":
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Join the party to chat.")
    if not view.party.chat_enabled:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Chat is turned off in this party.")
    if view.mine.muted:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "The host has muted you in this chat.")
    content = clean_content(body.content)
    if body.client_id is not None:  # a retry answers the stored message
        stored = (
            await session.exec(
                select(ChatMessage).where(
                    col(ChatMessage.party_id) == party_id,
                    col(ChatMessage.author_id) == me.id,
                    col(ChatMessage.client_id) == body.client_id,
                )
            )
        ).first()
        if stored is not None:
            response.status_code = status.HTTP_200_OK
            return chat_message_out(stored, me)
    if body.reply_to is not None:
        parent = await session.get(ChatMessage, body.reply_to)
        if parent is None or parent.party_id != party_id:
            raise HTTPException(
                status.HTTP_400_BAD_REQUEST, {"reply_to": ["Not a message of this party."]}
            )
    message = ChatMessage(
        party_id=party_id,
        author_id=me.id,
        content=content,
        reply_to_id=body.reply_to,
        client_id=body.client_id,
    )
    session.add(message)
    session.add(PartyActivity(party_id=party_id, user_id=me.id, kind="chat_message"))
    await session.commit()
    out = chat_message_out(message, me)
    await chat_rooms.broadcast(
        party_id, {"type": "message.created", "payload": out.model_dump(mode="json")}
    )
    return out


# -- WebSocket -------------------------------------------------------------------------------------


class ConnectionManager:
    """The FastAPI docs' connection manager, one room per party."""

    def __init__(self) -> None:
        self.rooms: dict[uuid.UUID, list[WebSocket]] = defaultdict(list)

    def connect(self, party_id: uuid.UUID, websocket: WebSocket) -> None:
        self.rooms[party_id].append(websocket)

    def disconnect(self, party_id: uuid.UUID, websocket: WebSocket) -> None:
        self.rooms[party_id].remove(websocket)

    async def broadcast(self, party_id: uuid.UUID, frame: dict[str, Any]) -> None:
        message = json.dumps({"type": frame["type"], "ts": now_ms(), "payload": frame["payload"]})
        for connection in list(self.rooms.get(party_id, ())):
            with suppress(WebSocketDisconnect, RuntimeError):
                await connection.send_text(message)


party_rooms = ConnectionManager()
chat_rooms = ConnectionManager()


def frame(type_: str, payload: dict[str, Any]) -> str:
    return json.dumps({"type": type_, "ts": now_ms(), "payload": payload})


def playback_event(
    row: PartyPlayback | None, party: Party, cause: str, actor: User | None, video: Video | None
) -> dict[str, Any]:
    state = PlaybackState(**playback_payload(row, party)).model_dump(mode="json")
    return {
        **state,
        "seq": row.seq if row else 0,
        "cause": cause,
        "actor": user_summary(actor).model_dump(mode="json") if actor else None,
        "video": video_summary(video).model_dump(mode="json") if video else None,  # type: ignore[union-attr]
    }


async def seek(websocket: WebSocket, party_id: uuid.UUID, user: User, position: float) -> None:
    """Store the new position (seq + 1) and broadcast the state to the party."""
    async with SessionLocal() as session:
        party = await session.get(Party, party_id)
        assert party is not None
        if party.host_id != user.id and not party.allow_guest_control:
            await websocket.send_text(frame("error", {"code": "permission_denied"}))
            return
        row = await session.get(PartyPlayback, party_id)
        if row is None:
            row = PartyPlayback(party_id=party_id, ref_ts=now_ms())
            session.add(row)
        row.position, row.ref_ts, row.seq, row.updated_at = (
            position,
            now_ms(),
            row.seq + 1,
            utcnow(),
        )
        await session.commit()
        video = await session.get(Video, party.video_id) if party.video_id else None
        event = playback_event(row, party, "seek", user, video)
    await party_rooms.broadcast(party_id, {"type": "playback.state", "payload": event})


@app.websocket("/ws/party/{party_id}/")
async def party_socket(websocket: WebSocket, party_id: uuid.UUID, token: str = "") -> None:
    async with SessionLocal() as session:
        try:
            user = await user_of_token(token, session)
            view = await load_party(session, user, party_id)
        except HTTPException as exc:
            raise WebSocketException(status.WS_1008_POLICY_VIOLATION) from exc
        if not view.takes_part:
            raise WebSocketException(status.WS_1008_POLICY_VIOLATION)
        playback = await session.get(PartyPlayback, party_id)
        video = await session.get(Video, view.party.video_id) if view.party.video_id else None
        joined = playback_event(playback, view.party, "join", None, video)
    await websocket.accept()
    party_rooms.connect(party_id, websocket)
    try:
        await websocket.send_text(frame("playback.state", joined))
        await websocket.send_text(frame("presence", {"count": len(party_rooms.rooms[party_id])}))
        while True:
            data = json.loads(await websocket.receive_text())
            payload = data.get("payload") or {}
            if data.get("type") == "playback.seek":
                await seek(websocket, party_id, user, float(payload["position"]))
            elif data.get("type") == "sync.ping":
                pong = {"client_ts": payload.get("client_ts"), "server_ts": now_ms()}
                await websocket.send_text(frame("sync.pong", pong))
    except WebSocketDisconnect:
        pass
    finally:
        party_rooms.disconnect(party_id, websocket)


@asynccontextmanager
async def _lifespan(_: FastAPI) -> AsyncIterator[None]:
    yield
    await engine.dispose()


app.router.lifespan_context = _lifespan
