"""`GET /media/<key>?expires=&signature=`: signed downloads from local storage.

Thumbnails, posters and streams are static media (specs/schemas/videos.yaml `Video`), not
API operations: the URLs `LocalStorage.download_url` hands out carry their own expiring
signature, so players and `<img>` tags load them without a bearer token. Range requests
are served (seeking in the player). Expired or tampered: 403; unknown: 404.
"""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import FileResponse, Response

from watchparty.runtime import runtime
from watchparty.storage import current_storage
from watchparty.storage.local import MEDIA_PREFIX, LocalStorage
from watchparty.storage.signing import verify

__all__ = ["MEDIA_ROUTE_PATH", "media_endpoint"]

MEDIA_ROUTE_PATH = MEDIA_PREFIX + "{key:path}"
_MEDIA_TYPES = {".jpg": "image/jpeg", ".mp4": "video/mp4"}


def _error(status: int, detail: str, code: str) -> Response:
    body = json.dumps({"detail": detail, "code": code})
    return Response(body, status_code=status, media_type="application/json")


async def media_endpoint(request: Request) -> Response:
    store = current_storage()
    key: str = request.path_params["key"]
    expires = request.query_params.get("expires", "")
    signature = request.query_params.get("signature", "")
    secret = runtime().settings.secret_key.get_secret_value()
    if not expires.isdigit() or not verify(secret, f"get:{key}", int(expires), signature):
        return _error(403, "The media URL is expired or invalid.", "invalid_signature")
    if not isinstance(store, LocalStorage):
        return _error(404, "Not found.", "not_found")
    try:
        path = store.path(key)
    except ValueError:
        return _error(404, "Not found.", "not_found")
    if not path.is_file():
        return _error(404, "Not found.", "not_found")
    media_type = _MEDIA_TYPES.get(path.suffix, "application/octet-stream")
    return FileResponse(
        path, media_type=media_type, headers={"Cache-Control": "private, max-age=3600"}
    )
