"""Recognise video containers by their magic numbers (the first bytes of the file).

The declared type of an upload is the client's word; these bytes are the file's. Only video
containers pass (DESIGN §7: reject non-video uploads early); ffprobe checks the streams later.
"""

from __future__ import annotations

__all__ = ["HEAD_BYTES", "ACCEPTED_TYPES", "sniff_video_type"]

# Enough for every check below (MPEG-TS needs its second sync byte at 188).
HEAD_BYTES = 512
# specs/schemas/videos.yaml VideoContentType, plus what browsers send when they do not know.
ACCEPTED_TYPES = frozenset(
    {
        "video/mp4",
        "video/webm",
        "video/quicktime",
        "video/x-matroska",
        "video/x-msvideo",
        "video/mpeg",
        "video/ogg",
        "video/mp2t",
        "video/3gpp",
        "application/octet-stream",
    }
)
_QUICKTIME_ATOMS = (b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot")
_TS_PACKET = 188


def sniff_video_type(head: bytes) -> str | None:
    """The video content type the bytes start with, or None when they are no video container."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand == b"qt  ":
            return "video/quicktime"
        if brand.startswith(b"3g"):
            return "video/3gpp"
        return "video/mp4"
    if len(head) >= 8 and head[4:8] in _QUICKTIME_ATOMS:
        return "video/quicktime"
    if head.startswith(b"\x1a\x45\xdf\xa3"):  # EBML: Matroska, or WebM by its DocType
        return "video/webm" if b"webm" in head[:64] else "video/x-matroska"
    if head.startswith(b"RIFF") and head[8:12] == b"AVI ":
        return "video/x-msvideo"
    if head.startswith((b"\x00\x00\x01\xba", b"\x00\x00\x01\xb3")):
        return "video/mpeg"
    if head.startswith(b"OggS"):
        return "video/ogg"
    if len(head) > _TS_PACKET and head[0] == 0x47 and head[_TS_PACKET] == 0x47:
        return "video/mp2t"
    return None
