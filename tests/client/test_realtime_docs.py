"""The AsyncAPI HTML page (issue 12): generated into docs/realtime/, served by the real server
at `/api/docs/realtime/` with its local assets, and kept in step with specs/asyncapi.yaml by
the stamp that `watchparty gen --check` compares."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import httpx
import yaml

from tests.test_serve import server  # noqa: F401  (the real-server fixture)
from watchparty import PROJECT_ROOT, SPECS_DIR
from watchparty.codegen.realtime_docs import DOCS_DIR, DOCS_FILES, committed_docs

ASYNCAPI_TEXT = (SPECS_DIR / "asyncapi.yaml").read_text(encoding="utf-8")
ASYNCAPI = yaml.safe_load(ASYNCAPI_TEXT)
# Every script and stylesheet the page loads.
_ASSET = re.compile(r'<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"')


def test_page_is_served_with_every_channel_and_local_assets(server: str) -> None:  # noqa: F811
    with httpx.Client(base_url=server) as client:
        page = client.get("/api/docs/realtime/")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert ASYNCAPI["info"]["title"] in page.text
        for name, channel in ASYNCAPI["channels"].items():
            # Both directions of every channel have their rendered section.
            for action in ("send", "receive"):
                anchor = f'id="operation-{action}-{channel["address"]}-message"'
                assert anchor in page.text, (name, action)
        for message in ASYNCAPI["components"]["messages"].values():
            assert message["name"] in page.text, message["name"]

        assets = [url for url in _ASSET.findall(page.text) if not url.startswith("data:")]
        assert sorted(assets) == sorted(
            rel for rel in DOCS_FILES if rel.startswith(("css/", "js/"))
        ), "every asset is a relative local file: no CDN"
        for rel in assets:
            asset = client.get(f"/api/docs/realtime/{rel}")
            assert asset.status_code == 200, rel
            assert asset.content.startswith(b"/* Generated from specs/asyncapi.yaml"), rel

        bare = client.get("/api/docs/realtime", follow_redirects=False)
        assert bare.status_code == 308
        assert bare.headers["location"] == "/api/docs/realtime/"
        missing = client.get("/api/docs/realtime/nothing.js")
        assert missing.status_code == 404
        assert missing.json() == {"detail": "Not found.", "code": "not_found"}


def test_committed_page_matches_the_spec_stamp() -> None:
    """What `gen --check` relies on without node: the committed files carry the stamp of the
    current spec, and any change to the spec invalidates it."""
    assert committed_docs(PROJECT_ROOT, ASYNCAPI_TEXT) is not None, (
        "docs/realtime is stale: run `watchparty gen` and commit"
    )
    assert committed_docs(PROJECT_ROOT, ASYNCAPI_TEXT + "\n# changed\n") is None


def test_a_missing_or_edited_file_is_not_reused(tmp_path: Path) -> None:
    shutil.copytree(PROJECT_ROOT / DOCS_DIR, tmp_path / DOCS_DIR)
    assert committed_docs(tmp_path, ASYNCAPI_TEXT) is not None
    css = tmp_path / DOCS_DIR / "css" / "global.min.css"
    css.write_text("body{}", encoding="utf-8")
    assert committed_docs(tmp_path, ASYNCAPI_TEXT) is None
    css.unlink()
    assert committed_docs(tmp_path, ASYNCAPI_TEXT) is None
