"""File storage: where uploaded videos, images and attachments live (DESIGN §6, §7).

Objects are addressed by key (`videos/<id>/original`), never by path, so rows survive a
change of backend. Two backends implement `Storage`:

- `LocalStorage` (default): files under `<data_dir>/media/`. Browsers reach them through
  HMAC-signed, expiring URLs: `PUT /api/videos/{id}/blob/` for pre-signed uploads and
  `GET /media/<key>` for downloads (`watchparty.storage.signing`).
- `S3Storage` (`WATCHPARTY_STORAGE_BACKEND=s3`): any S3-compatible service through boto3
  (optional extra `watchparty[s3]`), with presigned PUT and GET URLs.

Writes are streamed: `open_writer(key)` takes chunks and makes the object appear only on
`commit()`, so a failed or aborted upload never leaves a half-written object behind.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from watchparty.settings import Settings

__all__ = ["PresignedPut", "Storage", "StorageWriter", "current_storage", "open_storage"]


@dataclass(frozen=True, slots=True)
class PresignedPut:
    """Where and how a client sends an object's bytes directly."""

    url: str
    headers: dict[str, str]


class StorageWriter(Protocol):
    """An object being written: chunks in order, then `commit()` or `abort()`."""

    async def write(self, chunk: bytes) -> None: ...

    async def commit(self) -> None: ...

    async def abort(self) -> None: ...


class Storage(Protocol):
    name: str  # "local" or "s3", as the API's StorageBackend enum says

    def open_writer(self, key: str, *, content_type: str) -> StorageWriter:
        """A writer whose object replaces `key` on commit."""

    async def size(self, key: str) -> int | None:
        """The object's size in bytes, None when it does not exist."""

    async def read_head(self, key: str, n: int) -> bytes:
        """The object's first `n` bytes (magic-number checks)."""

    async def put_file(self, key: str, path: Path, *, content_type: str) -> None:
        """Store a local file (worker output: thumbnails, transcoded copies)."""

    async def delete_prefix(self, prefix: str) -> None:
        """Delete every object whose key starts with `prefix`."""

    def local_copy(self, key: str) -> AbstractAsyncContextManager[Path]:
        """A local file holding the object, for tools that need a path (ffprobe, ffmpeg)."""

    def download_url(self, key: str, *, expires_in: int) -> str:
        """A URL a browser can GET the object from until it expires."""

    def presigned_put(
        self, key: str, *, video_id: str, content_type: str, expires_at: int
    ) -> PresignedPut:
        """A URL and headers for a client to PUT the object's bytes until `expires_at`."""


def open_storage(settings: Settings) -> Storage:
    """The storage backend `settings` select."""
    if settings.storage_backend == "s3":
        from watchparty.storage.s3 import S3Storage

        return S3Storage.from_settings(settings)
    from watchparty.storage.local import LocalStorage

    return LocalStorage.from_settings(settings)


def current_storage() -> Storage:
    """The serving runtime's storage backend, opened on first use."""
    from watchparty.runtime import runtime

    rt = runtime()
    if rt.storage is None:
        rt.storage = open_storage(rt.settings)
    return rt.storage
