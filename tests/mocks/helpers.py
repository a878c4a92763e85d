"""Requests that satisfy each operation's contract, built from the spec's own examples."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from mocks.operations import MockOperation
from mocks.security import mint_access
from mocks.spec import load_openapi, resolve

__all__ = ["SPEC", "COMPONENTS", "AUTH", "TOKEN", "CallSpec", "valid_call"]

SPEC = load_openapi()
COMPONENTS = SPEC["components"]
TOKEN = mint_access(sub="6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f", role="admin")
AUTH = {"Authorization": f"Bearer {TOKEN}"}
# Path ids every call uses: any UUID is "an object" to a stateless mock.
PATH_ID = "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"


@dataclass
class CallSpec:
    method: str
    url: str
    params: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes | None = None
    files: dict[str, tuple[str, bytes, str]] | None = None
    data: dict[str, str] | None = None

    def kwargs(self) -> dict[str, Any]:
        out: dict[str, Any] = {"params": self.params, "headers": self.headers}
        for name in ("content", "files", "data"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        return out


def valid_call(op: MockOperation) -> CallSpec:
    """A request the contract accepts: path ids, required query/header params, example body."""
    raw = SPEC["paths"][op.path][op.method.lower()]
    url = op.path
    for name in op.path_params:
        url = url.replace(f"{{{name}}}", PATH_ID)
    call = CallSpec(op.method, url, headers={} if raw.get("security") == [] else dict(AUTH))
    for param in (resolve(p, COMPONENTS) for p in raw.get("parameters", [])):
        if not param.get("required") or param["in"] == "path":
            continue
        schema = param.get("schema", {})
        value = str(param.get("example", schema.get("example", "")))
        if not value:
            value = "1" if schema.get("type") == "integer" else "mock-key-1"
        (call.params if param["in"] == "query" else call.headers)[param["name"]] = value
    content = (raw.get("requestBody") or {}).get("content", {})
    if "application/json" in content:
        schema = resolve(content["application/json"]["schema"], COMPONENTS)
        call.content = json.dumps(schema["example"]).encode()
        call.headers["Content-Type"] = "application/json"
    elif "multipart/form-data" in content:
        schema = resolve(content["multipart/form-data"]["schema"], COMPONENTS)
        call.files, call.data = {}, {}
        for name, prop in schema.get("properties", {}).items():
            if prop.get("format") == "binary":
                call.files[name] = ("clip.mp4", b"\x00\x00\x00\x18ftypmp42", "video/mp4")
            elif name in schema.get("example", {}):
                call.data[name] = str(schema["example"][name])
    elif "application/octet-stream" in content:
        call.content = b"\x00\x00\x00\x18ftypmp42"
        call.headers["Content-Type"] = "application/octet-stream"
    return call
