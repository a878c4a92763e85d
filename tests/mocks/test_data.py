"""Seeded data generation: valid for every schema of both specs, and deterministic."""

from __future__ import annotations

import random
import re
import uuid
from typing import Any

import orjson
import pytest

from mocks.data import Generator, generate
from mocks.regex import generate_match
from mocks.spec import load_asyncapi, load_openapi

OPENAPI = load_openapi()
ASYNCAPI = load_asyncapi()
SEEDS = range(8)


@pytest.mark.parametrize("spec", [OPENAPI, ASYNCAPI], ids=["openapi", "asyncapi"])
def test_every_component_schema_generates_valid_data(spec: dict[str, Any]) -> None:
    gen = Generator(spec["components"])
    problems = []
    for name in spec["components"]["schemas"]:
        ref = {"$ref": f"#/components/schemas/{name}"}
        for seed in SEEDS:
            problems += [
                f"{name} (seed {seed}): {e}"
                for e in gen.checker.errors(gen.generate(ref, seed=seed), ref)
            ]
    assert not problems, "\n".join(problems[:20])


def test_same_seed_same_bytes_other_seed_other_bytes() -> None:
    ref = {"$ref": "#/components/schemas/PartyDetail"}
    comps = OPENAPI["components"]
    first = orjson.dumps(generate(ref, components=comps, seed=42))
    assert orjson.dumps(generate(ref, components=comps, seed=42)) == first
    assert orjson.dumps(generate(ref, components=comps, seed=43)) != first


def test_formats_enums_and_property_examples_are_honoured() -> None:
    comps = OPENAPI["components"]
    users = [
        generate({"$ref": "#/components/schemas/User"}, components=comps, seed=s) for s in SEEDS
    ]
    for user in users:
        assert str(uuid.UUID(user["id"])) == user["id"] and uuid.UUID(user["id"]).version == 4
        assert re.fullmatch(r"[^@\s]+@example\.com", user["email"])
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", user["date_joined"])
        assert user["role"] in comps["schemas"]["Role"]["enum"]
        assert user["plan"] == "free"  # the property's own example
    assert len({u["id"] for u in users}) == len(users)


def test_bounds_lengths_and_nullable() -> None:
    schema = {
        "type": "object",
        "required": ["n", "s", "items", "maybe"],
        "properties": {
            "n": {"type": "integer", "minimum": 5, "maximum": 7},
            "x": {"type": "number", "minimum": 0.25, "maximum": 0.5},
            "s": {"type": "string", "minLength": 3, "maxLength": 4},
            "items": {
                "type": "array",
                "minItems": 2,
                "maxItems": 2,
                "uniqueItems": True,
                "items": {"type": "boolean"},
            },
            "maybe": {"type": "string", "nullable": True},
        },
    }
    values = [generate(schema, components={}, seed=s) for s in range(60)]
    assert all(
        5 <= v["n"] <= 7 and 3 <= len(v["s"]) <= 4 and sorted(v["items"]) == [False, True]
        for v in values
    )
    assert all(0.25 <= v["x"] <= 0.5 for v in values if "x" in v)
    assert {v["maybe"] is None for v in values} == {True, False}


def test_one_of_picks_exactly_one_branch() -> None:
    comps = OPENAPI["components"]
    gen = Generator(comps)
    branches = comps["schemas"]["LoginResponse"]["oneOf"]
    kinds = set()
    for seed in range(20):
        value = gen.generate({"$ref": "#/components/schemas/LoginResponse"}, seed=seed)
        assert sum(gen.checker.is_valid(value, b) for b in branches) == 1
        kinds.add("challenge" in value)
    assert kinds == {True, False}


@pytest.mark.parametrize(
    "pattern",
    [
        r"^[A-Za-z0-9_.:-]{1,64}$",
        r"[^\s\x00-\x1F\x7F-\x9F]",
        r"^[0-9]{6}$",
        r"^(ab|cd)+x?\d\w$",
        r"^[^/\\\x00-\x1F\x7F]+$",
    ],
)
def test_regex_strings_match(pattern: str) -> None:
    rng = random.Random(1)
    for _ in range(50):
        assert re.search(pattern, generate_match(pattern, rng))
