"""Storage backends and media sniffing without a server (issue 7).

The S3 backend is checked as far as it goes without a network: boto3 signs presigned URLs
locally, so their shape (bucket, key, expiry, signed content type) is tested for real.
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import make_settings
from tests.utils.media import MediaFiles, make_media
from watchparty.media.sniff import sniff_video_type
from watchparty.storage import open_storage
from watchparty.storage.local import LocalStorage
from watchparty.storage.s3 import S3Storage
from watchparty.storage.signing import sign, verify

SECRET = "s" * 64


def test_signatures_expire_and_bind_to_their_grant() -> None:
    expires = int(time.time()) + 60
    good = sign(SECRET, "put:abc", expires)
    assert verify(SECRET, "put:abc", expires, good)
    assert not verify(SECRET, "put:abd", expires, good)  # another object
    assert not verify(SECRET, "put:abc", expires + 1, good)  # extended
    tampered = good[:-1] + ("1" if good.endswith("0") else "0")  # (a 0 already: 1 in 16)
    assert not verify(SECRET, "put:abc", expires, tampered)
    assert not verify("t" * 64, "put:abc", expires, good)  # another server
    assert not verify(SECRET, "put:abc", expires, good, now=expires + 1)  # expired
    assert not verify(SECRET, "put:abc", expires, "é" + good[1:])  # not even hex


async def test_local_storage_writes_atomically_and_stays_in_its_root(tmp_path: Path) -> None:
    store = LocalStorage(tmp_path / "media", secret=SECRET)
    writer = store.open_writer("videos/v/original", content_type="video/mp4")
    await writer.write(b"abc")
    assert await store.size("videos/v/original") is None  # invisible until commit
    await writer.commit()
    assert await store.size("videos/v/original") == 3
    aborted = store.open_writer("videos/v/original", content_type="video/mp4")
    await aborted.write(b"zzzz")
    await aborted.abort()
    assert await store.read_head("videos/v/original", 10) == b"abc"
    assert [p.name for p in (tmp_path / "media" / "videos" / "v").iterdir()] == ["original"]
    with pytest.raises(ValueError):
        store.path("../secret_key")
    await store.delete_prefix("videos/v/")
    assert await store.size("videos/v/original") is None


def test_s3_presigned_urls_are_signed_for_the_object(tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path,
        storage_backend="s3",
        s3_bucket="videos-bucket",
        s3_endpoint_url="http://127.0.0.1:9000",
        s3_region="us-east-1",
        s3_access_key_id="AKIDEXAMPLE",
        s3_secret_access_key="secret",
    )
    store = open_storage(settings)
    assert isinstance(store, S3Storage) and store.name == "s3"
    put = store.presigned_put(
        "videos/1/original",
        video_id="1",
        content_type="video/webm",
        expires_at=int(time.time()) + 600,
    )
    url = urlsplit(put.url)
    query = parse_qs(url.query)
    assert url.path == "/videos-bucket/videos/1/original"
    assert query["X-Amz-Expires"][0] in ("599", "600")
    assert "content-type" in query["X-Amz-SignedHeaders"][0]
    assert put.headers == {"Content-Type": "video/webm"}
    get = urlsplit(store.download_url("videos/1/thumb.jpg", expires_in=60))
    assert get.path == "/videos-bucket/videos/1/thumb.jpg" and "X-Amz-Signature=" in get.query


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> MediaFiles:
    return make_media(tmp_path_factory.mktemp("media"))


def test_sniffing_knows_containers_not_pictures(media: MediaFiles) -> None:
    assert sniff_video_type(media.mp4.read_bytes()[:512]) == "video/mp4"
    assert sniff_video_type(media.avi.read_bytes()[:512]) == "video/x-msvideo"
    assert sniff_video_type(b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm") == "video/webm"
    assert sniff_video_type(b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00") == "video/quicktime"
    assert sniff_video_type(media.png.read_bytes()[:512]) is None
    assert sniff_video_type(b"%PDF-1.7") is None
    assert sniff_video_type(b"") is None
