"""The demo watch page at `/demo/` (issue 12, docs/demo.md): static files, no build step.

The page (watchparty/demo/static) is plain HTML and one ES module; it imports the compiled
TypeScript client (clients/ts/dist, committed) from `/demo/client/`, so the page, the API and
the sockets share one origin and nothing is fetched from elsewhere.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from watchparty import PROJECT_ROOT
from watchparty.docs_pages import StaticPages

__all__ = ["DEMO_PATH", "demo_routes"]

DEMO_PATH = "/demo"
PAGE_DIR = Path(__file__).parent / "static"
# `watchparty gen client` output (watchparty.codegen.client.OUT_DIR; not imported: codegen
# pulls in typer and the node tooling, which the server does not need).
CLIENT_DIR = PROJECT_ROOT / "clients" / "ts" / "dist"


async def _to_slash(request: Request) -> Response:
    # The page's imports (demo.js, client/index.js) are relative: they need the trailing slash.
    return RedirectResponse(f"{DEMO_PATH}/", status_code=308)


def demo_routes() -> list[BaseRoute]:
    return [
        Route(DEMO_PATH, _to_slash, methods=["GET", "HEAD"]),
        # check_dir=False: an install without the client's dist/ still starts (its URLs 404).
        Mount(f"{DEMO_PATH}/client", app=StaticPages(directory=CLIENT_DIR, check_dir=False)),
        Mount(DEMO_PATH, app=StaticPages(directory=PAGE_DIR, html=True)),
    ]
