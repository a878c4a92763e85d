"""S3-compatible storage through boto3 (optional: `pip install watchparty[s3]`).

Clients upload large files straight to the bucket with a presigned PUT and download with
presigned GETs; the server streams multipart uploads to the bucket as an S3 multipart
upload of `PART_BYTES` parts, so it holds at most one part in memory per upload. boto3 is
synchronous: every call runs in a worker thread.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from anyio import to_thread

from watchparty.settings import ConfigError, Settings
from watchparty.storage import PresignedPut

__all__ = ["S3Storage", "PART_BYTES"]

# S3 parts must be at least 5 MiB (except the last).
PART_BYTES = 8 * 1024 * 1024


class _S3Writer:
    def __init__(self, client: Any, bucket: str, key: str, content_type: str) -> None:
        self._client, self._bucket, self._key = client, bucket, key
        self._content_type = content_type
        self._buffer = bytearray()
        self._upload_id: str | None = None
        self._parts: list[dict[str, Any]] = []

    async def write(self, chunk: bytes) -> None:
        self._buffer += chunk
        if len(self._buffer) >= PART_BYTES:
            await self._flush()

    async def _flush(self) -> None:
        if self._upload_id is None:
            created = await to_thread.run_sync(
                lambda: self._client.create_multipart_upload(
                    Bucket=self._bucket, Key=self._key, ContentType=self._content_type
                )
            )
            self._upload_id = created["UploadId"]
        body, self._buffer = bytes(self._buffer), bytearray()
        number = len(self._parts) + 1
        answer = await to_thread.run_sync(
            lambda: self._client.upload_part(
                Bucket=self._bucket,
                Key=self._key,
                UploadId=self._upload_id,
                PartNumber=number,
                Body=body,
            )
        )
        self._parts.append({"PartNumber": number, "ETag": answer["ETag"]})

    async def commit(self) -> None:
        if self._upload_id is None:  # small object: one plain PUT
            body = bytes(self._buffer)
            await to_thread.run_sync(
                lambda: self._client.put_object(
                    Bucket=self._bucket, Key=self._key, Body=body, ContentType=self._content_type
                )
            )
            return
        if self._buffer:
            await self._flush()
        await to_thread.run_sync(
            lambda: self._client.complete_multipart_upload(
                Bucket=self._bucket,
                Key=self._key,
                UploadId=self._upload_id,
                MultipartUpload={"Parts": self._parts},
            )
        )

    async def abort(self) -> None:
        self._buffer = bytearray()
        if self._upload_id is not None:
            await to_thread.run_sync(
                lambda: self._client.abort_multipart_upload(
                    Bucket=self._bucket, Key=self._key, UploadId=self._upload_id
                )
            )


class S3Storage:
    name = "s3"

    def __init__(self, client: Any, bucket: str) -> None:
        self._client = client
        self._bucket = bucket

    @classmethod
    def from_settings(cls, settings: Settings) -> S3Storage:
        try:
            import boto3
            from botocore.config import Config
        except ImportError:
            raise ConfigError(
                "WATCHPARTY_STORAGE_BACKEND=s3 needs boto3: pip install 'watchparty[s3]'."
            ) from None
        if not settings.s3_bucket:
            raise ConfigError("WATCHPARTY_STORAGE_BACKEND=s3 needs WATCHPARTY_S3_BUCKET.")
        secret = settings.s3_secret_access_key
        client = boto3.client(
            "s3",
            endpoint_url=settings.s3_endpoint_url,
            region_name=settings.s3_region,
            aws_access_key_id=settings.s3_access_key_id,
            aws_secret_access_key=secret.get_secret_value() if secret else None,
            # SigV4: what AWS requires in every region and S3-compatible services expect.
            config=Config(signature_version="s3v4"),
        )
        return cls(client, settings.s3_bucket)

    def open_writer(self, key: str, *, content_type: str) -> _S3Writer:
        return _S3Writer(self._client, self._bucket, key, content_type)

    async def size(self, key: str) -> int | None:
        from botocore.exceptions import ClientError

        try:
            head = await to_thread.run_sync(
                lambda: self._client.head_object(Bucket=self._bucket, Key=key)
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return int(head["ContentLength"])

    async def read_head(self, key: str, n: int) -> bytes:
        answer = await to_thread.run_sync(
            lambda: self._client.get_object(Bucket=self._bucket, Key=key, Range=f"bytes=0-{n - 1}")
        )
        data: bytes = await to_thread.run_sync(answer["Body"].read)
        return data

    async def put_file(self, key: str, path: Path, *, content_type: str) -> None:
        await to_thread.run_sync(
            lambda: self._client.upload_file(
                str(path), self._bucket, key, ExtraArgs={"ContentType": content_type}
            )
        )

    async def delete_prefix(self, prefix: str) -> None:
        def remove() -> None:
            pages = self._client.get_paginator("list_objects_v2").paginate(
                Bucket=self._bucket, Prefix=prefix
            )
            for page in pages:
                keys = [{"Key": item["Key"]} for item in page.get("Contents", [])]
                if keys:
                    self._client.delete_objects(Bucket=self._bucket, Delete={"Objects": keys})

        await to_thread.run_sync(remove)

    @asynccontextmanager
    async def local_copy(self, key: str) -> AsyncIterator[Path]:
        with tempfile.TemporaryDirectory(prefix="watchparty-s3-") as tmp:
            path = Path(tmp) / "object"
            await to_thread.run_sync(
                lambda: self._client.download_file(self._bucket, key, str(path))
            )
            yield path

    def download_url(self, key: str, *, expires_in: int) -> str:
        url: str = self._client.generate_presigned_url(
            "get_object", Params={"Bucket": self._bucket, "Key": key}, ExpiresIn=expires_in
        )
        return url

    def presigned_put(
        self, key: str, *, video_id: str, content_type: str, expires_at: int
    ) -> PresignedPut:

        url: str = self._client.generate_presigned_url(
            "put_object",
            Params={"Bucket": self._bucket, "Key": key, "ContentType": content_type},
            ExpiresIn=max(1, expires_at - int(time.time())),
        )
        return PresignedPut(url=url, headers={"Content-Type": content_type})
