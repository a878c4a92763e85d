"""Hostile uploads (issue 10.2): file names that try to leave storage or fool a reader, files
that are something else in disguise, and parts too large.

Video uploads and support attachments both store under keys the server makes from ids
(`videos/<id>/original`, `support/<ticket>/<random>`), so the name the client sends is only
ever shown, sanitized. Bodies are written by hand (`multipart`) so names reach the server
byte for byte, NUL and backslashes included.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import Path

import httpx
import pytest

from tests.security.conftest import Actors, ok
from tests.utils.factories import Session
from watchparty.settings import Settings

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
HOSTILE_NAMES = [
    "../../../../etc/passwd.mp4",
    "/etc/passwd.mp4",
    "..\\..\\windows\\system32\\evil.mp4",
    "C:\\evil.mp4",
    "a\x00b.mp4",
    "..",
    "....//....//x.mp4",
    "%2e%2e%2fescape.mp4",
    "\u202egnp.exe.mp4",  # right-to-left override: shows as "mp4.exe.png"
    "..\uff0f..\uff0fwide.mp4",  # fullwidth solidus: "/" after NFKC normalization
    "\u2025/dots.mp4",  # two-dot leader
    "ok\r\nname.mp4",
    "x" * 400 + ".mp4",
]
BOUNDARY = "sec-boundary-7d1"


def multipart(
    fields: dict[str, str], *, filename: str, data: bytes, content_type: str, field: str = "file"
) -> tuple[bytes, dict[str, str]]:
    """A multipart body with `filename` sent as raw UTF-8 (quotes escaped, nothing else)."""
    out = b""
    for name, value in fields.items():
        out += f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        out += value.encode() + b"\r\n"
    raw = filename.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A").encode()
    out += f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; filename="'.encode()
    out += raw + f'"\r\nContent-Type: {content_type}\r\n\r\n'.encode() + data + b"\r\n"
    out += f"--{BOUNDARY}--\r\n".encode()
    return out, {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}


def assert_sanitized(shown: str | None, *, raw: str) -> None:
    if shown is None:  # videos show no name rather than an empty or dots-only one
        assert not raw.strip(". "), raw
        return
    assert "/" not in shown and "\\" not in shown, shown
    assert not any(unicodedata.category(ch)[0] == "C" for ch in shown), repr(shown)
    assert unicodedata.normalize("NFKC", shown) == shown, repr(shown)
    assert shown.strip(".") and len(shown) <= 255, shown


def files_under(root: Path) -> set[Path]:
    """Files under `root`, but the database's own (SQLite journals come and go)."""
    return {p for p in root.rglob("*") if p.is_file() and "sqlite3" not in p.name}


def data_root(settings: Settings) -> Path:
    """The test's directory holding the data dir: an escaping write would land in it."""
    return settings.data_dir.resolve().parent


async def upload_video(
    client: httpx.AsyncClient,
    me: Session,
    *,
    filename: str,
    data: bytes = MP4,
    ctype: str = "video/mp4",
) -> httpx.Response:
    body, headers = multipart({"title": "Clip"}, filename=filename, data=data, content_type=ctype)
    return await client.post("/api/videos/upload/", content=body, headers={**me.headers, **headers})


async def attach(
    client: httpx.AsyncClient, me: Session, ticket: str, *, filename: str, data: bytes, ctype: str
) -> httpx.Response:
    body, headers = multipart(
        {"body": "see file"}, filename=filename, data=data, content_type=ctype
    )
    url = f"/api/support/tickets/{ticket}/attachments/"
    return await client.post(url, content=body, headers={**me.headers, **headers})


async def new_ticket(client: httpx.AsyncClient, me: Session) -> str:
    body = {"subject": "Files", "category": "other", "body": "Attached."}
    return str(ok(await client.post("/api/support/tickets/", json=body, headers=me.headers))["id"])


@pytest.mark.parametrize("filename", HOSTILE_NAMES)
async def test_video_file_names_never_escape_or_show_raw(
    client: httpx.AsyncClient, actors: Actors, settings: Settings, filename: str
) -> None:
    me = actors.sessions["owner"]
    before = files_under(data_root(settings))
    answer = await upload_video(client, me, filename=filename)
    assert answer.status_code == 201, answer.text
    video = answer.json()
    assert_sanitized(video["original_filename"], raw=filename)
    shown = ok(await client.get(f"/api/videos/{video['id']}/", headers=me.headers))
    assert shown["original_filename"] == video["original_filename"]
    new = files_under(data_root(settings)) - before
    stored = settings.data_dir.resolve() / "media" / "videos" / video["id"] / "original"
    assert new == {stored} and stored.read_bytes() == MP4


@pytest.mark.parametrize("filename", ["\u202egnp.mp4", "a\uff0fb.mp4", "..", "a\u200bb.mp4"])
async def test_presigned_file_names_are_sanitized(
    client: httpx.AsyncClient, actors: Actors, filename: str
) -> None:
    me = actors.sessions["owner"]
    body = {"title": "T", "filename": filename, "content_type": "video/mp4", "size_bytes": 10}
    created = ok(await client.post("/api/videos/upload-url/", json=body, headers=me.headers), 201)
    shown = ok(await client.get(f"/api/videos/{created['id']}/", headers=me.headers))
    assert_sanitized(shown["original_filename"], raw=filename)


@pytest.mark.parametrize("filename", ["../x.mp4", "a\\b.mp4", "a\x00.mp4", "/abs.mp4"])
async def test_presigned_path_names_are_400(
    client: httpx.AsyncClient, actors: Actors, filename: str
) -> None:
    me = actors.sessions["owner"]
    body = {"title": "T", "filename": filename, "content_type": "video/mp4", "size_bytes": 10}
    answer = await client.post("/api/videos/upload-url/", json=body, headers=me.headers)
    assert answer.status_code == 400 and "filename" in answer.json(), answer.text


@pytest.mark.parametrize("filename", [name.replace(".mp4", ".png") for name in HOSTILE_NAMES])
async def test_attachment_names_never_escape_or_show_raw(
    client: httpx.AsyncClient, actors: Actors, settings: Settings, filename: str
) -> None:
    me = actors.sessions["owner"]
    ticket = await new_ticket(client, me)
    before = files_under(data_root(settings))
    answer = await attach(client, me, ticket, filename=filename, data=PNG, ctype="image/png")
    assert answer.status_code == 201, answer.text
    (attachment,) = answer.json()["attachments"]
    assert attachment["filename"] is not None
    assert_sanitized(attachment["filename"], raw=filename)
    new = files_under(data_root(settings)) - before
    folder = settings.data_dir.resolve() / "media" / "support" / ticket
    assert len(new) == 1 and next(iter(new)).parent == folder, new
    assert next(iter(new)).read_bytes() == PNG


def zipped(name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(name, data)
    return out.getvalue()


GIF_HTML = b"GIF89a/*\x00\x00\x00\x00*/=1;<html><script>alert(document.domain)</script></html>"
PNG_HTML = PNG + b"<html><body><script>alert(1)</script></body></html>"
DISGUISED_VIDEOS = {
    "zip-as-mp4": (zipped("movie.mp4", MP4), "video/mp4"),
    "html-as-mp4": (b"<!doctype html><script>alert(1)</script>", "video/mp4"),
    "gif-html-as-mp4": (GIF_HTML, "video/mp4"),
    "png-as-mp4": (PNG, "video/mp4"),
}
DISGUISED_ATTACHMENTS = {
    "zip-as-png": (zipped("a.png", PNG), "image/png", "a.png"),
    "gif-html-polyglot": (GIF_HTML, "image/gif", "cat.gif"),
    "png-html-polyglot": (PNG_HTML, "image/png", "cat.png"),
    "elf-as-log": (b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64, "text/plain", "app.log"),
}


@pytest.mark.parametrize("case", sorted(DISGUISED_VIDEOS))
async def test_disguised_videos_are_415(
    client: httpx.AsyncClient, actors: Actors, settings: Settings, case: str
) -> None:
    me = actors.sessions["owner"]
    before = files_under(data_root(settings))
    data, ctype = DISGUISED_VIDEOS[case]
    answer = await upload_video(client, me, filename="movie.mp4", data=data, ctype=ctype)
    assert answer.status_code == 415, answer.text
    assert answer.json()["code"] == "unsupported_media_type"
    assert files_under(data_root(settings)) == before  # nothing left behind


@pytest.mark.parametrize("case", sorted(DISGUISED_ATTACHMENTS))
async def test_disguised_attachments_are_415(
    client: httpx.AsyncClient, actors: Actors, settings: Settings, case: str
) -> None:
    me = actors.sessions["owner"]
    ticket = await new_ticket(client, me)
    before = files_under(data_root(settings))
    data, ctype, name = DISGUISED_ATTACHMENTS[case]
    answer = await attach(client, me, ticket, filename=name, data=data, ctype=ctype)
    assert answer.status_code == 415, answer.text
    assert answer.json()["code"] == "unsupported_media_type"
    assert files_under(data_root(settings)) == before


async def test_oversized_parts_are_413(
    client: httpx.AsyncClient, actors: Actors, settings: Settings
) -> None:
    me = actors.sessions["owner"]
    ticket = await new_ticket(client, me)
    before = files_under(data_root(settings))
    settings.video_max_upload_bytes = len(MP4) - 1
    video = await upload_video(client, me, filename="big.mp4")
    assert video.status_code == 413 and video.json()["code"] == "file_too_large", video.text
    big = PNG + b"\x00" * settings.support_max_attachment_bytes
    attachment = await attach(client, me, ticket, filename="big.png", data=big, ctype="image/png")
    assert attachment.status_code == 413, attachment.text
    assert attachment.json()["code"] == "file_too_large"
    assert files_under(data_root(settings)) == before


@pytest.mark.parametrize("field", ["title", "description"])
async def test_oversized_text_fields_are_refused(
    client: httpx.AsyncClient, actors: Actors, field: str
) -> None:
    me = actors.sessions["owner"]
    fields = {"title": "Clip", field: "x" * (2 * 1024 * 1024)}
    body, headers = multipart(fields, filename="a.mp4", data=MP4, content_type="video/mp4")
    answer = await client.post(
        "/api/videos/upload/", content=body, headers={**me.headers, **headers}
    )
    assert answer.status_code in (400, 413), answer.text
    assert set(answer.json()) <= {"detail", "code", field, "non_field_errors"}


async def test_oversized_attachment_text_is_refused(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    me = actors.sessions["owner"]
    ticket = await new_ticket(client, me)
    body, headers = multipart(
        {"body": "x" * (2 * 1024 * 1024)}, filename="a.png", data=PNG, content_type="image/png"
    )
    url = f"/api/support/tickets/{ticket}/attachments/"
    answer = await client.post(url, content=body, headers={**me.headers, **headers})
    assert answer.status_code in (400, 413), answer.text


async def test_nul_in_a_text_field_is_400(client: httpx.AsyncClient, actors: Actors) -> None:
    me = actors.sessions["owner"]
    body, headers = multipart(
        {"title": "a\x00b"}, filename="a.mp4", data=MP4, content_type="video/mp4"
    )
    answer = await client.post(
        "/api/videos/upload/", content=body, headers={**me.headers, **headers}
    )
    assert answer.status_code == 400 and "title" in answer.json(), answer.text


async def test_an_upload_signature_is_bound_to_its_video(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    me = actors.sessions["owner"]
    body = {"title": "T", "filename": "t.mp4", "content_type": "video/mp4", "size_bytes": len(MP4)}
    mine = ok(await client.post("/api/videos/upload-url/", json=body, headers=me.headers), 201)
    other = actors.sessions["outsider"]
    theirs = ok(await client.post("/api/videos/upload-url/", json=body, headers=other.headers), 201)
    query = mine["upload_url"].partition("?")[2]
    url = f"/api/videos/{theirs['id']}/blob/?{query}"
    answer = await client.put(url, content=MP4, headers=mine["headers"])
    assert answer.status_code == 403 and answer.json()["code"] == "invalid_signature", answer.text
