"""REST mocks: `fixtures/<operationId>.json` and `handlers.ts` (one MSW `http.*` handler each)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from mocks.data import Generator
from watchparty.codegen.msw.templates import dump_json, fill_template, msw_path, resolve

__all__ = ["Operation", "default_status", "operations", "fixture_json", "handlers_ts"]

Operation = tuple[str, str, Mapping[str, Any]]  # (method, path, operation object)
# A list example with fewer items than this is "thin": its fixture also gets a `dynamic` example.
THIN_LIST_ITEMS = 3
DYNAMIC_LIST_ITEMS = 5


def default_status(responses: Mapping[str, Any]) -> int:
    """The status answered by default: 201 when documented (a create), else the lowest 2xx."""
    success = sorted(int(code) for code in responses if code.startswith("2"))
    return 201 if 201 in success else success[0]


def _route_key(path: str) -> list[tuple[int, str]]:
    """Sort key: at the first differing segment a literal beats a `{parameter}`."""
    return [(1 if part.startswith("{") else 0, part) for part in path.strip("/").split("/")]


def operations(openapi: Mapping[str, Any]) -> list[Operation]:
    """Every operation, static paths before parameterised ones (MSW takes the first match)."""
    found = [
        (method, path, op)
        for path, item in openapi["paths"].items()
        for method, op in item.items()
        if isinstance(op, Mapping) and "operationId" in op
    ]
    return sorted(found, key=lambda entry: (_route_key(entry[1]), entry[0]))


def _header_value(header: Mapping[str, Any], body: Any, document: Mapping[str, Any]) -> str:
    schema = resolve(header.get("schema", {}), document)
    for value in (header.get("example"), schema.get("example"), schema.get("default")):
        if value is not None:
            return str(value)
    # Retry-After agrees with the wait that the throttled example's detail announces.
    detail = str(body.get("detail", "")) if isinstance(body, dict) else ""
    found = re.search(r"(\d+) seconds?", detail)
    return found[1] if found else str(schema.get("minimum", 1))


def _thin_list(example: Any) -> bool:
    paginated = isinstance(example, dict) and "next_cursor" in example
    items = example["results"] if paginated else example
    return isinstance(items, list) and len(items) < THIN_LIST_ITEMS


def _dynamic(schema: Any, example: Any, generator: Generator, seed: str) -> Any:
    """A fuller seeded list for a thin list example: one page of it when paginated."""
    document = {"components": generator.components}
    resolved = resolve(schema, document)
    if isinstance(example, dict):  # a pagination envelope: one page, no neighbours
        item = resolve(resolved["properties"]["results"], document)["items"]
        results = [generator.generate(item, seed=f"{seed}:{n}") for n in range(DYNAMIC_LIST_ITEMS)]
        return {**dict.fromkeys(example), "results": results}
    items = resolved["items"]
    return [generator.generate(items, seed=f"{seed}:{n}") for n in range(DYNAMIC_LIST_ITEMS)]


def _response(
    status: str,
    response: Mapping[str, Any],
    op_id: str,
    document: Mapping[str, Any],
    generator: Generator,
) -> dict[str, Any]:
    content = response.get("content", {}).get("application/json")
    named = (content or {}).get("examples", {})
    examples = {name: resolve(example, document)["value"] for name, example in named.items()}
    if content and "example" in content:
        examples.setdefault("default", content["example"])
    default = examples.get("default")
    entry: dict[str, Any] = {}
    if response.get("headers"):
        headers = response["headers"].items()
        entry["headers"] = {
            name: _header_value(header, default, document) for name, header in headers
        }
    if content is not None:
        if status.startswith("2") and _thin_list(default):
            seed = f"msw:{op_id}:{status}"
            examples["dynamic"] = _dynamic(content["schema"], default, generator, seed)
        entry["examples"] = examples
    return entry


def fixture_json(operation: Operation, document: Mapping[str, Any], generator: Generator) -> str:
    """`fixtures/<operationId>.json`: every documented response with its named examples."""
    method, path, op = operation
    responses = {
        status: _response(
            status,
            resolve(op["responses"][status], document),
            op["operationId"],
            document,
            generator,
        )
        for status in sorted(op["responses"], key=int)
    }
    fixture = {
        "operationId": op["operationId"],
        "method": method.upper(),
        "path": path,
        "status": default_status(op["responses"]),
        "auth": bool(op.get("security", document.get("security", []))),
        "responses": responses,
    }
    return dump_json(fixture) + "\n"


def handlers_ts(ordered: list[Operation], msw_major: int) -> str:
    """`handlers.ts`: the fixtures imported, and one handler per operation in `ordered` order."""
    ids = sorted(op["operationId"] for _, _, op in ordered)
    imports = [f"import {i}Fixture from './fixtures/{i}.json' with {{ type: 'json' }}" for i in ids]
    routes = [
        f"    http.{method}(`${{base}}{msw_path(path)}`, answer(fixtures.{op['operationId']})),"
        for method, path, op in ordered
    ]
    parts = {
        "FIXTURE_IMPORTS": "\n".join(imports),
        "FIXTURES": "\n".join(f"  {i}: {i}Fixture," for i in ids),
        "HANDLERS": "\n".join(routes),
    }
    return fill_template("handlers.ts", msw_major, parts)
