"""Local filesystem storage under `<data_dir>/media/` (the default backend).

Objects are written to a temporary file next to their final path and renamed into place on
commit, so readers never see half an object and a repeated upload replaces the old one
atomically. File I/O runs in worker threads: the event loop never waits on the disk.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote, urlencode

from anyio import to_thread

from watchparty.settings import Settings
from watchparty.storage import PresignedPut
from watchparty.storage.signing import sign

__all__ = ["LocalStorage", "MEDIA_PREFIX"]

# Where signed downloads are served (watchparty.storage.media_route).
MEDIA_PREFIX = "/media/"
# Bytes gathered before one write in a worker thread: a thread hop per 64 KiB ASGI chunk
# would cost more than the write itself.
WRITE_BUFFER_BYTES = 1024 * 1024


class _LocalWriter:
    def __init__(self, path: Path) -> None:
        self._path = path
        self._tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.part")
        self._file: BinaryIO | None = None
        self._pending = bytearray()

    async def write(self, chunk: bytes) -> None:
        self._pending += chunk
        if len(self._pending) >= WRITE_BUFFER_BYTES:
            await self._flush()

    async def _flush(self) -> None:
        if self._file is None:
            self._file = await to_thread.run_sync(self._open)
        data, self._pending = bytes(self._pending), bytearray()
        await to_thread.run_sync(self._file.write, data)

    def _open(self) -> BinaryIO:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        return self._tmp.open("wb")

    async def commit(self) -> None:
        await self._flush()
        file = self._file
        assert file is not None
        await to_thread.run_sync(file.close)
        await to_thread.run_sync(os.replace, self._tmp, self._path)

    async def abort(self) -> None:
        self._pending = bytearray()
        file, self._file = self._file, None
        if file is not None:
            await to_thread.run_sync(file.close)
            await to_thread.run_sync(lambda: self._tmp.unlink(missing_ok=True))


class LocalStorage:
    name = "local"

    def __init__(self, root: Path, *, secret: str) -> None:
        self.root = root
        self._secret = secret

    @classmethod
    def from_settings(cls, settings: Settings) -> LocalStorage:
        return cls(settings.data_dir / "media", secret=settings.secret_key.get_secret_value())

    def path(self, key: str) -> Path:
        """The file of `key`; keys are ours (`videos/<uuid>/...`), checked anyway."""
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root.resolve()) or key.startswith("/"):
            raise ValueError(f"storage key escapes the media root: {key!r}")
        return path

    def open_writer(self, key: str, *, content_type: str) -> _LocalWriter:
        return _LocalWriter(self.path(key))

    async def size(self, key: str) -> int | None:
        def stat() -> int | None:
            try:
                return self.path(key).stat().st_size
            except FileNotFoundError:
                return None

        return await to_thread.run_sync(stat)

    async def read_head(self, key: str, n: int) -> bytes:
        def read() -> bytes:
            with self.path(key).open("rb") as file:
                return file.read(n)

        return await to_thread.run_sync(read)

    async def put_file(self, key: str, path: Path, *, content_type: str) -> None:
        target = self.path(key)

        def copy() -> None:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.part")
            shutil.copyfile(path, tmp)
            os.replace(tmp, target)

        await to_thread.run_sync(copy)

    async def delete_prefix(self, prefix: str) -> None:
        base = self.path(prefix.rstrip("/"))

        def remove() -> None:
            if base.is_dir():
                shutil.rmtree(base, ignore_errors=True)
            else:
                base.unlink(missing_ok=True)

        await to_thread.run_sync(remove)

    @asynccontextmanager
    async def local_copy(self, key: str) -> AsyncIterator[Path]:
        yield self.path(key)

    def download_url(self, key: str, *, expires_in: int) -> str:
        expires = int(time.time()) + expires_in
        query = urlencode(
            {"expires": expires, "signature": sign(self._secret, f"get:{key}", expires)}
        )
        return f"{MEDIA_PREFIX}{quote(key)}?{query}"

    def presigned_put(
        self, key: str, *, video_id: str, content_type: str, expires_at: int
    ) -> PresignedPut:
        signature = sign(self._secret, f"put:{video_id}", expires_at)
        query = urlencode({"expires": expires_at, "signature": signature})
        return PresignedPut(
            url=f"/api/videos/{video_id}/blob/?{query}",
            headers={"Content-Type": "application/octet-stream"},
        )
