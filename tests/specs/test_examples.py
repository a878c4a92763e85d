"""Every example in both specs validates against its schema (mocks and MSW use them)."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft7Validator, Draft202012Validator

from watchparty.codegen.schemas import to_json_schema


def _errors(validator_cls: Any, schema: dict[str, Any], instance: Any) -> list[str]:
    validator = validator_cls(schema, format_checker=validator_cls.FORMAT_CHECKER)
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(instance)
    ]


def test_openapi_examples_validate(openapi: dict[str, Any]) -> None:
    defs = {
        name: to_json_schema(s, "#/$defs/") for name, s in openapi["components"]["schemas"].items()
    }
    checked, problems = 0, []
    media_types = [
        (f"{m.upper()} {p} {status}", content)
        for p, item in openapi["paths"].items()
        for m, op in item.items()
        if isinstance(op, dict) and "responses" in op
        for status, response in op["responses"].items()
        if "content" in response
        for content in response["content"].values()
    ] + [
        (f"response {name}", c)
        for name, r in openapi["components"]["responses"].items()
        for c in r["content"].values()
    ]
    for where, content in media_types:
        schema = {**to_json_schema(content["schema"], "#/$defs/"), "$defs": defs}
        for name, example in content.get("examples", {}).items():
            checked += 1
            problems += [
                f"{where} example {name}: {e}"
                for e in _errors(Draft202012Validator, schema, example["value"])
            ]
    for name, schema in defs.items():
        for example in schema.get("examples", []):
            checked += 1
            problems += [
                f"schema {name}: {e}"
                for e in _errors(Draft202012Validator, {**schema, "$defs": defs}, example)
            ]
    assert not problems, "\n".join(problems)
    assert checked > len(openapi["paths"])


def test_every_json_response_has_an_example(openapi: dict[str, Any]) -> None:
    missing = [
        f"{m.upper()} {p} {status}"
        for p, item in openapi["paths"].items()
        for m, op in item.items()
        if isinstance(op, dict) and "responses" in op
        for status, response in op["responses"].items()
        if "content" in response and not response["content"]["application/json"].get("examples")
    ]
    assert not missing


def test_asyncapi_message_examples_validate(asyncapi: dict[str, Any]) -> None:
    schemas = asyncapi["components"]["schemas"]
    problems, checked = [], 0
    for name, message in asyncapi["components"]["messages"].items():
        target = message["payload"]["$ref"].rsplit("/", 1)[1]
        assert message.get("examples"), f"{name} has no example"
        for example in message["examples"]:
            checked += 1
            schema = {"$ref": f"#/components/schemas/{target}", "components": {"schemas": schemas}}
            problems += [
                f"{name}: {e}" for e in _errors(Draft7Validator, schema, example["payload"])
            ]
            assert example["payload"]["type"] == message["name"]
    assert not problems, "\n".join(problems)
    assert checked == len(asyncapi["components"]["messages"])
