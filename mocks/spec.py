"""The specs as the mock reads them: loaded once, `$ref`s resolvable, schemas checkable.

Both specs share one ref style (`#/components/schemas/Name`) but not one dialect: OpenAPI 3.0
marks nulls with `nullable: true`, AsyncAPI 3.0 uses JSON Schema type lists. `SchemaChecker`
judges each in its own dialect, OpenAPI exactly as the server's response validation does.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import hashlib
import os
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jsonschema
import orjson
import yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4, DRAFT202012

from watchparty import SPECS_DIR

__all__ = [
    "OPENAPI_PATH",
    "ASYNCAPI_PATH",
    "load_openapi",
    "load_openapi_shared",
    "load_asyncapi",
    "resolve",
    "flatten",
    "detect_dialect",
    "SchemaChecker",
]

OPENAPI_PATH = SPECS_DIR / "openapi.yaml"
ASYNCAPI_PATH = SPECS_DIR / "asyncapi.yaml"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ROOT_URI = "urn:watchparty:components"


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "watchparty"


def _load(path: Path) -> dict[str, Any]:
    """
    The YAML document at `path`, through a JSON cache keyed by its content.

    Parsing the 8k-line OpenAPI YAML takes a few hundred milliseconds, reading the same as
    JSON a few: it is most of what `watchparty mock` needs to start in under a second. A
    cache that cannot be written is skipped, never an error.
    """
    raw = path.read_bytes()
    cached = _cache_dir() / f"{path.stem}-{hashlib.sha256(raw).hexdigest()[:24]}.json"
    with contextlib.suppress(OSError, orjson.JSONDecodeError):
        loaded: dict[str, Any] = orjson.loads(cached.read_bytes())
        return loaded
    loaded = yaml.load(raw, Loader=_LOADER)  # noqa: S506 - a safe loader
    with contextlib.suppress(OSError):
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(orjson.dumps(loaded))
        partial.replace(cached)
    return loaded


@functools.cache
def _cached(path: Path) -> dict[str, Any]:
    return _load(path)


def load_openapi() -> dict[str, Any]:
    """A private deep copy of specs/openapi.yaml (callers may change it)."""
    return copy.deepcopy(_cached(OPENAPI_PATH))


def load_openapi_shared() -> dict[str, Any]:
    """specs/openapi.yaml as loaded once per process: never change it (start-up path)."""
    return _cached(OPENAPI_PATH)


def load_asyncapi() -> dict[str, Any]:
    """A private deep copy of specs/asyncapi.yaml."""
    return copy.deepcopy(_cached(ASYNCAPI_PATH))


def resolve(node: Any, components: Mapping[str, Any]) -> Any:
    """Follow `$ref` (a local `#/components/...` pointer) until a node without one."""
    seen = 0
    while isinstance(node, Mapping) and "$ref" in node:
        ref = node["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#/components/"):
            raise ValueError(f"only local #/components/ refs are supported, not {ref!r}")
        target: Any = components
        for part in ref.removeprefix("#/components/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
        seen += 1
        if seen > 64:
            raise ValueError(f"$ref cycle at {ref}")
    return node


def flatten(node: Any, components: Mapping[str, Any]) -> dict[str, Any]:
    """A schema with its `$ref` followed and its `allOf` parts merged (properties, required)."""
    schema = resolve(node, components)
    if "allOf" not in schema:
        return dict(schema)
    merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    for part in schema["allOf"]:
        flat = flatten(part, components)
        for key, value in flat.items():
            if key == "properties":
                merged["properties"] = {**value, **merged.get("properties", {})}
            elif key == "required":
                merged["required"] = list(dict.fromkeys([*merged.get("required", []), *value]))
            elif key != "nullable":
                # Only a sibling of the allOf makes the whole nullable (OpenAPI 3.0 has no
                # other way to make a $ref nullable); a nullable part does not.
                merged.setdefault(key, value)
    return merged


def detect_dialect(components: Mapping[str, Any]) -> str:
    """ "openapi" (3.0: `nullable`) or "jsonschema" (type lists), from the schemas themselves."""
    stack: list[Any] = [components.get("schemas", {})]
    while stack:
        node = stack.pop()
        if isinstance(node, Mapping):
            if "nullable" in node:
                return "openapi"
            if isinstance(node.get("type"), list):
                return "jsonschema"
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return "openapi"


class SchemaChecker:
    """
    Validators for schemas that `$ref` into one spec's components, built once per schema.

    OpenAPI schemas are judged exactly as the server's response validation judges them:
    connexion's Draft 4 validator, where `nullable` only admits null next to `type` or
    `enum` (OpenAPI 3.0.3), not next to `allOf`. JSON Schema (AsyncAPI) by Draft 2020-12.

    Args:
        components: the spec's `components` object (`{"schemas": {...}, ...}`).
        dialect: "openapi" or "jsonschema"; detected from the schemas when omitted.
    """

    def __init__(self, components: Mapping[str, Any], dialect: str | None = None) -> None:
        self.dialect = dialect or detect_dialect(components)
        spec = DRAFT4 if self.dialect == "openapi" else DRAFT202012
        resource: Resource[Any] = spec.create_resource({"components": components})
        self._registry: Registry[Any] = Registry().with_resource(_ROOT_URI, resource)
        self._cache: dict[int, tuple[Any, Any]] = {}

    def _validator(self, schema: Mapping[str, Any]) -> Any:
        hit = self._cache.get(id(schema))
        if hit is not None and hit[0] is schema:
            return hit[1]
        if self.dialect == "openapi":
            with warnings.catch_warnings():
                # connexion imports starlette's deprecated TestClient; `watchparty gen`
                # (MSW fixtures) reaches here without having imported connexion before.
                warnings.simplefilter("ignore")
                from connexion.json_schema import Draft4ResponseValidator

                from watchparty.validation import FORMAT_CHECKER

            validator: Any = Draft4ResponseValidator(
                _rebase(schema), registry=self._registry, format_checker=FORMAT_CHECKER
            )
        else:
            validator = jsonschema.Draft202012Validator(
                _rebase(schema),
                registry=self._registry,
                format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
            )
        # Keep `schema` alive next to its id so a recycled id never hits a stale entry.
        self._cache[id(schema)] = (schema, validator)
        return validator

    def errors(self, instance: Any, schema: Mapping[str, Any]) -> list[str]:
        """Every violation of `schema` by `instance`, as `path: message` lines."""
        return [
            f"{'/'.join(map(str, err.absolute_path)) or '<root>'}: {err.message}"
            for err in self._validator(schema).iter_errors(instance)
        ]

    def is_valid(self, instance: Any, schema: Mapping[str, Any]) -> bool:
        return bool(self._validator(schema).is_valid(instance))


def _rebase(node: Any) -> Any:
    """Point local refs at the registry's components resource."""
    if isinstance(node, list):
        return [_rebase(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _rebase(value) for key, value in node.items()}
    ref = out.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        out["$ref"] = _ROOT_URI + ref
    return out
