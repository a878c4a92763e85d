"""Support attachments: type sniffing on the bytes, size limit, and streaming into storage.

The declared content type and file name of an upload are the client's word; what is
stored and shown is decided from the bytes: a handful of magic numbers for images, PDF
and small videos, and "valid UTF-8 without NUL bytes" for plain text and logs.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import AsyncIterator
from dataclasses import dataclass

from watchparty.errors import PayloadTooLarge, UnsupportedMediaType
from watchparty.settings import Settings
from watchparty.storage import current_storage

__all__ = ["StoredFile", "sniff_binary", "safe_filename", "store_attachment", "attachment_url"]

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


async def store_attachment(
    chunks: AsyncIterator[bytes], *, settings: Settings, key: str
) -> StoredFile:
    """Stream `chunks` into storage under `key`, checking size and type on the way.

    Nothing is left in storage when a check fails.

    Raises:
        PayloadTooLarge: `file_too_large`, past `support_max_attachment_bytes`.
        UnsupportedMediaType: the bytes are no allowed type.
    """
    limit = settings.support_max_attachment_bytes
    writer = current_storage().open_writer(key, content_type="application/octet-stream")
    head, size = b"", 0
    text = codecs.getincrementaldecoder("utf-8")()
    is_text = True
    try:
        async for chunk in chunks:
            size += len(chunk)
            if size > limit:
                raise PayloadTooLarge(
                    f"Attachments are limited to {limit} bytes.", code="file_too_large"
                )
            if len(head) < SNIFF_BYTES:
                head += chunk[: SNIFF_BYTES - len(head)]
            if is_text:
                is_text = _still_text(text, chunk, final=False)
            await writer.write(chunk)
        content_type = sniff_binary(head) or (
            "text/plain" if is_text and _still_text(text, b"", final=True) else None
        )
        if content_type and content_type.startswith("image/") and _MARKUP.search(head):
            content_type = None
        if content_type is None or size == 0:
            raise UnsupportedMediaType(
                "Attach images (PNG, JPEG, GIF, WebP), PDF, plain text or logs, "
                "or small videos (MP4, WebM, QuickTime)."
            )
        await writer.commit()
    except BaseException:
        await writer.abort()
        raise
    return StoredFile(key=key, content_type=content_type, size_bytes=size)


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
