"""Support attachments: type sniffing on the bytes, size limit, and streaming into storage.

The declared content type and file name of an upload are the client's word; what is
stored and shown is decided from the bytes: a handful of magic numbers for images, PDF
and small videos, and "valid UTF-8 without NUL bytes" for plain text and logs.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from watchparty.errors import PayloadTooLarge, UnsupportedMediaType
from watchparty.settings import Settings
from watchparty.storage import StorageWriter, current_storage
from watchparty.storage.body import FilePart, StreamedBody, read_upload_form

__all__ = ["StoredFile", "sniff_binary", "safe_filename", "receive_attachment", "attachment_url"]

# How many leading bytes are kept to check: the magic numbers need 16; markup is looked for
# where browsers sniff for it (the 1445-byte "resource header" of the WHATWG MIME Sniffing
# standard).
SNIFF_BYTES = 1445
# Markup in an image makes it a polyglot (a GIF that is also an HTML page): refused, though
# its magic number is right, in case a browser or proxy ever renders it as a page.
_MARKUP = re.compile(rb"<\s*(?:!doctype|html|head|body|script|iframe|svg|object|embed)", re.I)
# Signed download links handed out with a ticket stay valid this long.
DOWNLOAD_URL_TTL_SECS = 3600
_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"GIF87a", 0, "image/gif"),
    (b"GIF89a", 0, "image/gif"),
    (b"%PDF-", 0, "application/pdf"),
    (b"\x1a\x45\xdf\xa3", 0, "video/webm"),
    (b"ftypqt", 4, "video/quicktime"),
    (b"ftyp", 4, "video/mp4"),
)


@dataclass(frozen=True, slots=True)
class StoredFile:
    key: str
    content_type: str
    size_bytes: int


def sniff_binary(head: bytes) -> str | None:
    """The content type the leading bytes announce (WebP needs its RIFF form), or None."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    for magic, offset, content_type in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            return content_type
    return None


def safe_filename(name: str | None, *, default: str = "attachment") -> str:
    """The name to show: the base name without path parts, at most 255 characters.

    NFKC first, so look-alikes are what they mean (a fullwidth "／" or "‥" is a path part
    too); control and format characters (NUL, CR/LF, bidi overrides, zero-width) go, so the
    name reads as it is. Nothing left, or only dots: `default`.
    """
    normal = unicodedata.normalize("NFKC", name or "")
    visible = "".join(ch for ch in normal if unicodedata.category(ch)[0] != "C")
    base = visible.replace("\\", "/").rsplit("/", 1)[-1].strip()[:255]
    return base if base.strip(".") else default


async def receive_attachment(
    body: StreamedBody, *, settings: Settings, key: str
) -> tuple[str, StoredFile, str]:
    """Stream a `SupportAttachmentUpload` form into storage under `key`, checking the file's
    size and type on the way: the message text, the stored file and its safe name.

    Nothing is left in storage when a check fails.

    Raises:
        PayloadTooLarge: `file_too_large`, past `support_max_attachment_bytes` (declared by
            the request's length, before a byte is read, or counted).
        UnsupportedMediaType: the bytes are no allowed type.
        ValidationFailed: the text is too long, or no file was sent.
    """
    limit = settings.support_max_attachment_bytes
    if body.form_exceeds(limit):
        raise _too_large(limit)

    async def open_file(_: FilePart) -> _AttachmentSink:
        writer = current_storage().open_writer(key, content_type="application/octet-stream")
        return _AttachmentSink(writer, limit=limit)

    fields, part, sink = await read_upload_form(
        body, schema=("support.yaml", "SupportAttachmentUpload"), open_file=open_file
    )
    assert sink.content_type is not None  # finished
    stored = StoredFile(key=key, content_type=sink.content_type, size_bytes=sink.size)
    return fields.get("body", ""), stored, safe_filename(part.filename)


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"Attachments are limited to {limit} bytes.", code="file_too_large")


class _AttachmentSink:
    """Counts, keeps the head of and forwards an attachment's bytes to a storage writer;
    `finish` decides the type from the bytes."""

    def __init__(self, writer: StorageWriter, *, limit: int) -> None:
        self.writer = writer
        self.size = 0
        self.content_type: str | None = None
        self._limit = limit
        self._head = b""
        self._text = codecs.getincrementaldecoder("utf-8")()
        self._is_text = True

    async def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self._limit:
            raise _too_large(self._limit)
        if len(self._head) < SNIFF_BYTES:
            self._head += chunk[: SNIFF_BYTES - len(self._head)]
        if self._is_text:
            self._is_text = _still_text(self._text, chunk, final=False)
        await self.writer.write(chunk)

    async def finish(self) -> None:
        head = self._head
        content_type = sniff_binary(head) or (
            "text/plain" if self._is_text and _still_text(self._text, b"", final=True) else None
        )
        if content_type and content_type.startswith("image/") and _MARKUP.search(head):
            content_type = None
        if content_type is None or self.size == 0:
            raise UnsupportedMediaType(
                "Attach images (PNG, JPEG, GIF, WebP), PDF, plain text or logs, "
                "or small videos (MP4, WebM, QuickTime)."
            )
        self.content_type = content_type
        await self.writer.commit()

    async def abort(self) -> None:
        await self.writer.abort()


def _still_text(decoder: codecs.IncrementalDecoder, chunk: bytes, *, final: bool) -> bool:
    if b"\x00" in chunk:
        return False
    try:
        decoder.decode(chunk, final=final)
    except UnicodeDecodeError:
        return False
    return True


def attachment_url(key: str) -> str:
    return current_storage().download_url(key, expires_in=DOWNLOAD_URL_TTL_SECS)
