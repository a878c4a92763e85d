"""The operations of specs/openapi.yaml as the mock needs them: statuses, examples, schemas."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mocks.spec import resolve

__all__ = ["MockOperation", "index_operations", "JSON"]

JSON = "application/json"
_METHODS = ("get", "put", "post", "patch", "delete")
_PARAM = re.compile(r"{([^}]+)}")


@dataclass(frozen=True, slots=True)
class MockOperation:
    id: str
    method: str
    path: str
    path_params: tuple[str, ...]
    # status -> response object, `$ref`s resolved
    responses: dict[str, dict[str, Any]]
    paginate: bool
    request_schema: dict[str, Any] | None
    links: dict[str, dict[str, Any]] = field(default_factory=dict)
    # A required body of raw bytes (`application/octet-stream`): uploads of a file's bytes.
    raw_body_required: bool = False

    @property
    def success(self) -> str:
        """
        The documented status answered by default: 201 when a POST documents it (its 200 is
        then the idempotent replay), else the lowest 2xx.
        """
        found = sorted(s for s in self.responses if s.startswith("2"))
        if self.method == "POST" and "201" in found:
            return "201"
        return found[0] if found else sorted(self.responses)[0]

    def schema(self, status: str) -> dict[str, Any] | None:
        media = (self.responses[status].get("content") or {}).get(JSON)
        return None if media is None else media.get("schema")

    def examples(self, status: str) -> dict[str, Any]:
        """Example name -> value of the JSON body of `status` (empty when none)."""
        media = (self.responses[status].get("content") or {}).get(JSON) or {}
        named = {name: ex["value"] for name, ex in (media.get("examples") or {}).items()}
        if not named and "example" in media:
            named["default"] = media["example"]
        return named

    @property
    def item_param(self) -> str | None:
        """The path parameter naming the object this path ends on (`/parties/{partyId}/`)."""
        last = self.path.rstrip("/").rsplit("/", 1)[-1]
        match = _PARAM.fullmatch(last)
        return match.group(1) if match else None


def index_operations(spec: Mapping[str, Any]) -> dict[str, MockOperation]:
    """operationId -> `MockOperation`, in spec order."""
    components = spec.get("components", {})
    out: dict[str, MockOperation] = {}
    for path, item in spec["paths"].items():
        for method in _METHODS:
            op = item.get(method)
            if op is None:
                continue
            responses = {str(s): resolve(r, components) for s, r in op["responses"].items()}
            params = [
                resolve(p, components)
                for p in [*item.get("parameters", []), *op.get("parameters", [])]
            ]
            request_body = op.get("requestBody") or {}
            body = request_body.get("content", {}).get(JSON)
            links: dict[str, Any] = {}
            for status in sorted(s for s in responses if s.startswith("2")):
                links = {**responses[status].get("links", {}), **links}
            out[op["operationId"]] = MockOperation(
                id=op["operationId"],
                method=method.upper(),
                path=path,
                path_params=tuple(_PARAM.findall(path)),
                responses=responses,
                paginate=any(p.get("in") == "query" and p.get("name") == "cursor" for p in params),
                request_schema=None if body is None else body.get("schema"),
                links={name: resolve(link, components) for name, link in links.items()},
                raw_body_required=bool(request_body.get("required"))
                and "application/octet-stream" in request_body.get("content", {}),
            )
    return out
