"""The documentation routes: Swagger UI, the OpenAPI spec as JSON, the AsyncAPI document."""

from __future__ import annotations

import httpx
import yaml

from watchparty import SPECS_DIR


async def test_swagger_ui_answers(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/docs/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "swagger-ui" in response.text
    # The UI loads the spec from our path, not connexion's default.
    assert "/api/openapi.json" in response.text


async def test_swagger_ui_without_slash_redirects(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/docs")
    assert response.status_code in (301, 307)
    assert response.headers["location"].endswith("/api/docs/")


async def test_swagger_ui_static_files(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/docs/swagger-ui-bundle.js")
    assert response.status_code == 200


async def test_openapi_json_is_the_spec(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    served = response.json()
    source = yaml.safe_load((SPECS_DIR / "openapi.yaml").read_text(encoding="utf-8"))
    assert served == source
    # Served from one serialization, not rebuilt per request (connexion's ~1 s each).
    again = await client.get("/api/openapi.json")
    assert again.content == response.content


async def test_asyncapi_document(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/asyncapi.yaml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/yaml")
    assert response.text == (SPECS_DIR / "asyncapi.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(response.text)["asyncapi"].startswith("3.")


async def test_docs_routes_refuse_other_methods_in_our_shape(client: httpx.AsyncClient) -> None:
    # The API mount behind the docs routes matches every path, so starlette reports the
    # lookup that failed last: not found.
    response = await client.post("/api/asyncapi.yaml")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}
