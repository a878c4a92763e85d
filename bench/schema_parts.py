"""What validating one `getMe` response costs: jsonschema (what connexion runs) vs jsonschema_rs.

    python bench/schema_parts.py [--calls 5000]

Both validate the spec's `User` example against the `User` schema, with formats checked.
The OpenAPI 3.0 schema is turned into plain JSON Schema first (`$ref` inlined, `nullable`
as a `null` type), so both libraries see the same document.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema_rs
import yaml
from jsonschema import Draft4Validator, FormatChecker

SPEC = Path(__file__).resolve().parent.parent / "specs" / "openapi.yaml"


def plain(schema: Any, components: dict[str, Any]) -> Any:
    if isinstance(schema, list):
        return [plain(item, components) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        return plain(components[schema["$ref"].rsplit("/", 1)[1]], components)
    out = {k: plain(v, components) for k, v in schema.items() if k not in ("example", "nullable")}
    if schema.get("nullable"):
        if "type" in out:
            out["type"] = [out["type"], "null"]
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
    return out


def us_per_call(validate: Callable[[], None], calls: int) -> float:
    validate()
    start = time.process_time()
    for _ in range(calls):
        validate()
    return (time.process_time() - start) / calls * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=5000)
    args = parser.parse_args()
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    components = yaml.load(SPEC.read_bytes(), Loader=loader)["components"]["schemas"]
    schema, instance = plain(components["User"], components), components["User"]["example"]
    python = Draft4Validator(schema, format_checker=FormatChecker())
    rust = jsonschema_rs.Draft4Validator(schema, validate_formats=True)
    timings = {
        "jsonschema (Draft4Validator + FormatChecker)": lambda: python.validate(instance),
        "jsonschema_rs (Draft4Validator)": lambda: rust.validate(instance),
    }
    print("User response validation, CPU microseconds per call")
    for label, validate in timings.items():
        print(f"  {label:<46} {us_per_call(validate, args.calls):>7.1f}")


if __name__ == "__main__":
    main()
