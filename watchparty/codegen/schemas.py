"""Load the schema files of `specs/schemas/` and convert their OpenAPI 3.0 dialect.

The files are written once, in the dialect connexion accepts (OpenAPI 3.0.3 schema
objects); `to_json_schema` turns them into plain JSON Schema for AsyncAPI, for
datamodel-code-generator's WS models and for validating examples.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

__all__ = ["REF_PREFIX", "load_schemas", "refs_in", "to_json_schema", "closure"]

REF_PREFIX = "#/components/schemas/"


def load_schemas(folder: Path) -> dict[str, Any]:
    """Every named schema of every `*.yaml` file in `folder`, in one namespace."""
    schemas: dict[str, Any] = {}
    for path in sorted(folder.glob("*.yaml")):
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, schema in loaded.items():
            if name in schemas:
                raise ValueError(f"schema {name!r} is defined twice (second time in {path.name})")
            schemas[name] = schema
    return schemas


def refs_in(node: Any) -> set[str]:
    """Names of the schemas that `node` refers to directly."""
    found: set[str] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(REF_PREFIX):
            found.add(ref[len(REF_PREFIX) :])
        for key, value in node.items():
            if key not in ("example", "examples"):
                found |= refs_in(value)
    elif isinstance(node, list):
        for item in node:
            found |= refs_in(item)
    return found


def closure(schemas: dict[str, Any], roots: set[str]) -> set[str]:
    """`roots` and every schema they reach through `$ref`."""
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        if name not in schemas:
            raise KeyError(f"unknown schema {name!r}")
        seen.add(name)
        todo.extend(refs_in(schemas[name]) - seen)
    return seen


def to_json_schema(node: Any, ref_prefix: str = REF_PREFIX) -> Any:
    """Convert an OpenAPI 3.0 schema object into JSON Schema (draft 7 / 2020-12 safe).

    `nullable: true` becomes a `null` alternative; `example` becomes `examples`;
    `$ref`s are re-pointed at `ref_prefix`.
    """
    if isinstance(node, list):
        return [to_json_schema(item, ref_prefix) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "example":
            out["examples"] = [copy.deepcopy(value)]
        elif key == "$ref" and isinstance(value, str) and value.startswith(REF_PREFIX):
            out["$ref"] = ref_prefix + value[len(REF_PREFIX) :]
        elif key in ("nullable", "discriminator", "readOnly", "writeOnly", "xml", "externalDocs"):
            continue
        elif key in ("properties", "patternProperties"):
            out[key] = {name: to_json_schema(sub, ref_prefix) for name, sub in value.items()}
        else:
            out[key] = to_json_schema(value, ref_prefix)
    if node.get("nullable"):
        if "type" in out and "enum" not in out:
            out["type"] = [out["type"], "null"]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


def example_errors(schemas: dict[str, Any]) -> list[str]:
    """Every schema-level example that does not validate against its own schema."""
    from jsonschema import Draft202012Validator

    defs = {name: to_json_schema(schema, "#/$defs/") for name, schema in schemas.items()}
    problems: list[str] = []
    for name, schema in defs.items():
        for example in schema.get("examples", []):
            validator = Draft202012Validator(
                {**schema, "$defs": defs}, format_checker=Draft202012Validator.FORMAT_CHECKER
            )
            for error in validator.iter_errors(example):
                where = "/".join(str(p) for p in error.absolute_path) or "(root)"
                problems.append(f"{name}: example at {where}: {error.message}")
    return problems


# Schema-object keywords of OpenAPI 3.0.3; anything else is a typo (or a YAML flow-map comma).
KEYWORDS = {
    "title",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "required",
    "enum",
    "type",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "items",
    "properties",
    "additionalProperties",
    "description",
    "format",
    "default",
    "nullable",
    "discriminator",
    "readOnly",
    "writeOnly",
    "example",
    "deprecated",
    "$ref",
}


def lint_errors(schemas: dict[str, Any]) -> list[str]:
    """Unknown keywords and malformed sub-schemas, with their location."""
    problems: list[str] = []

    def walk(node: Any, where: str) -> None:
        if not isinstance(node, dict):
            problems.append(f"{where}: not a schema object")
            return
        for key in node:
            if key not in KEYWORDS and not str(key).startswith("x-"):
                problems.append(f"{where}: unknown keyword {key!r}")
        for name, sub in (node.get("properties") or {}).items():
            walk(sub, f"{where}.{name}")
        for key in ("items", "not"):
            if key in node:
                walk(node[key], f"{where}[{key}]")
        if isinstance(node.get("additionalProperties"), dict):
            walk(node["additionalProperties"], f"{where}[additionalProperties]")
        for key in ("allOf", "oneOf", "anyOf"):
            for index, sub in enumerate(node.get(key, [])):
                walk(sub, f"{where}[{key}][{index}]")

    for name, schema in schemas.items():
        walk(schema, name)
    return problems
