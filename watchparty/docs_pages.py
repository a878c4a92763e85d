"""The AsyncAPI HTML reference at `/api/docs/realtime/` (issue 12), next to Swagger UI.

The page is generated at build time into docs/realtime/ (`watchparty gen`, see
watchparty/codegen/realtime_docs.py) and committed; here it is only served as files, so
nothing is downloaded or rendered at run time.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from watchparty import PROJECT_ROOT, errors

__all__ = ["REALTIME_DOCS_DIR", "REALTIME_DOCS_PATH", "StaticPages", "realtime_docs_routes"]

REALTIME_DOCS_PATH = "/api/docs/realtime"
REALTIME_DOCS_DIR = PROJECT_ROOT / "docs" / "realtime"


class StaticPages(StaticFiles):
    """Static files whose misses answer in our error shape (DESIGN §3), not plain text.

    Also serves the demo page (`watchparty.demo`).
    """

    async def get_response(self, path: str, scope: Scope) -> Response:
        try:
            return await super().get_response(path, scope)
        except HTTPException as exc:
            error = errors.MethodNotAllowed() if exc.status_code == 405 else errors.NotFound()
            return JSONResponse(error.body(), status_code=error.status_code, headers=exc.headers)


async def _to_slash(request: Request) -> Response:
    # The page's links to css/ and js/ are relative: they need the trailing slash.
    return RedirectResponse(f"{REALTIME_DOCS_PATH}/", status_code=308)


def realtime_docs_routes() -> list[BaseRoute]:
    return [
        Route(REALTIME_DOCS_PATH, _to_slash, methods=["GET", "HEAD"]),
        # check_dir=False: a checkout without the generated page still starts (its URLs 404).
        Mount(
            REALTIME_DOCS_PATH,
            app=StaticPages(directory=REALTIME_DOCS_DIR, html=True, check_dir=False),
        ),
    ]
