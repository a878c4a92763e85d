"""Deterministic, seeded data from a schema: the mock's and the MSW fixtures' dynamic mode.

A direct walker over the spec's own schemas rather than polyfactory over generated/models.py
(docs/decisions.md, "Mock data"): the spec is the contract, and only it carries property
examples, `nullable`, formats and patterns exactly as the frontend sees them. Both dialects
are read: OpenAPI 3.0 (`nullable`, `example`) and JSON Schema (type lists, `examples`).

Everything random comes from one `random.Random` seeded with a string, so one seed gives
the same value, and `orjson.dumps` of it the same bytes, on every machine and run.
"""

from __future__ import annotations

import math
import random
import re
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from mocks.regex import generate_match
from mocks.spec import SchemaChecker, flatten, resolve

__all__ = ["generate", "Generator"]

_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
_SPAN_SECS = 365 * 24 * 3600
# Below this depth optional properties are left out and arrays kept minimal, so recursive
# schemas (a message replying to a message...) end.
_MAX_DEPTH = 8
_NULL_CHANCE = 0.15
_OPTIONAL_CHANCE = 0.6
_FIRST = ["ana", "ben", "chloe", "dmitri", "esra", "felix", "gita", "hugo", "ines", "jun"]
_LAST = ["lima", "okafor", "silva", "novak", "tanaka", "meyer", "haddad", "costa", "berg", "ito"]
_WORDS = [
    "night",
    "horror",
    "friday",
    "movie",
    "club",
    "classic",
    "retro",
    "anime",
    "party",
    "premiere",
    "marathon",
    "sunday",
    "cinema",
    "popcorn",
    "finale",
    "season",
    "trailer",
    "director",
    "cut",
    "weekend",
    "chill",
    "documentary",
    "jazz",
    "space",
    "western",
    "noir",
    "comedy",
    "drama",
    "mystery",
    "thriller",
    "story",
    "sequel",
]
_SENTENCES = [
    "This scene is amazing!",
    "Who picked this movie?",
    "Starting in five minutes.",
    "Great soundtrack.",
    "Can we rewind a bit?",
    "See you all next Friday.",
]


def generate(schema: Mapping[str, Any], *, components: Mapping[str, Any], seed: int | str) -> Any:
    """
    A value that validates against `schema`, the same for the same seed.

    Args:
        schema: an OpenAPI 3.0 or JSON Schema node; `$ref`s point into `components`.
        components: the spec's `components` object (`{"schemas": {...}}`).
        seed: any int or str; callers mix in what must vary (operation, page, index).
    """
    return Generator(components).generate(schema, seed=seed)


class Generator:
    """
    A reusable generator over one spec's components (keeps the oneOf validators warm).

    Args:
        components: the spec's `components` object.
    """

    def __init__(self, components: Mapping[str, Any]) -> None:
        self.components = components
        self.checker = SchemaChecker(components)

    def generate(self, schema: Mapping[str, Any], *, seed: int | str) -> Any:
        return _Walk(self, random.Random(f"watchparty-mock:{seed}")).value(schema, "", 0)


class _Walk:
    def __init__(self, gen: Generator, rng: random.Random) -> None:
        self.gen = gen
        self.rng = rng

    def value(self, node: Mapping[str, Any], name: str, depth: int) -> Any:
        schema = resolve(node, self.gen.components)
        if self.nullable(schema) and self.rng.random() < _NULL_CHANCE:
            return None
        if "allOf" in schema:
            schema = self.merge_all_of(schema)
        if "oneOf" in schema or "anyOf" in schema:
            return self.choice(schema, name, depth)
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            options = [v for v in schema["enum"] if v is not None] or [None]
            return self.rng.choice(options)
        kind = self.kind(schema)
        if kind == "object":
            return self.object(schema, depth)
        if kind == "array":
            return self.array(schema, name, depth)
        example = self.example(schema)
        if example is not None:
            return example
        if kind == "string":
            return self.string(schema, name)
        if kind == "integer":
            return self.integer(schema, name)
        if kind == "number":
            return self.number(schema)
        if kind == "boolean":
            return self.rng.random() < 0.5
        if kind == "null":
            return None
        return self.string({}, name)  # untyped leaf: any JSON is valid, keep it readable

    # -- shape helpers ---------------------------------------------------------------------

    def kind(self, schema: Mapping[str, Any]) -> str:
        declared = schema.get("type")
        if isinstance(declared, list):
            real = [k for k in declared if k != "null"]
            return real[0] if real else "null"
        if declared:
            return str(declared)
        if "properties" in schema or "additionalProperties" in schema:
            return "object"
        if "items" in schema:
            return "array"
        return "any"

    def nullable(self, schema: Mapping[str, Any]) -> bool:
        """Whether null is valid here, as the spec's validator sees it."""
        if self.gen.checker.dialect == "openapi":
            # OpenAPI 3.0.3 (and connexion): `nullable` admits null only next to `type` or
            # `enum`; next to `allOf`/`anyOf`/`oneOf` those still reject null.
            return (
                schema.get("nullable") is True
                and ("type" in schema or "enum" in schema)
                and not any(k in schema for k in ("allOf", "anyOf", "oneOf"))
            )
        declared = schema.get("type")
        if isinstance(declared, list) and "null" in declared:
            return True
        branches = schema.get("anyOf") or schema.get("oneOf") or []
        return any(resolve(b, self.gen.components).get("type") == "null" for b in branches)

    def example(self, schema: Mapping[str, Any]) -> Any:
        """A leaf's own example (OpenAPI `example` or the first JSON Schema `examples`)."""
        if "example" in schema:
            return schema["example"]
        examples = schema.get("examples")
        if isinstance(examples, list) and examples:
            return examples[0]
        return None

    def merge_all_of(self, schema: Mapping[str, Any]) -> dict[str, Any]:
        return flatten(schema, self.gen.components)

    def choice(self, schema: Mapping[str, Any], name: str, depth: int) -> Any:
        key = "oneOf" if "oneOf" in schema else "anyOf"
        branches = list(schema[key])
        base = {k: v for k, v in schema.items() if k not in ("oneOf", "anyOf")}
        start = self.rng.randrange(len(branches))
        order = branches[start:] + branches[:start]
        others_check = key == "oneOf"
        for branch in order:
            branch = resolve(branch, self.gen.components)
            if branch.get("type") == "null" and len(branches) > 1:
                continue  # null was already given its chance above
            merged = self.merge_all_of({**base, "allOf": [branch]}) if base else branch
            candidate = self.value(merged, name, depth)
            if others_check and sum(self.gen.checker.is_valid(candidate, b) for b in branches) != 1:
                continue
            return candidate
        if any(resolve(b, self.gen.components).get("type") == "null" for b in branches):
            return None
        raise ValueError(f"no {key} branch of {name or 'a schema'} could be generated")

    def object(self, schema: Mapping[str, Any], depth: int) -> dict[str, Any]:
        required = set(schema.get("required", []))
        out: dict[str, Any] = {}
        for prop, sub in (schema.get("properties") or {}).items():
            if prop not in required and (
                depth >= _MAX_DEPTH or self.rng.random() > _OPTIONAL_CHANCE
            ):
                continue
            out[prop] = self.value(sub, prop, depth + 1)
        extra = schema.get("additionalProperties")
        if extra and depth < _MAX_DEPTH:
            for _ in range(self.rng.randint(0, 2)):
                key = f"{self.rng.choice(_WORDS)}_{self.rng.randint(1, 99)}"
                out.setdefault(
                    key,
                    self.rng.choice(_WORDS) if extra is True else self.value(extra, key, depth + 1),
                )
        # `minProperties` (a partial update must change something): fill in optional ones.
        for prop, sub in (schema.get("properties") or {}).items():
            if len(out) >= int(schema.get("minProperties", 0)):
                break
            out.setdefault(prop, self.value(sub, prop, depth + 1))
        return out

    def array(self, schema: Mapping[str, Any], name: str, depth: int) -> list[Any]:
        low = int(schema.get("minItems", 0))
        high = int(schema.get("maxItems", max(low, 3)))
        count = low if depth >= _MAX_DEPTH else self.rng.randint(low, max(low, min(high, low + 3)))
        items = schema.get("items", {})
        out: list[Any] = []
        attempts = 0
        while len(out) < count and attempts < count * 10 + 10:
            attempts += 1
            item = self.value(items, name, depth + 1)
            if schema.get("uniqueItems") and item in out:
                continue
            out.append(item)
        if len(out) < low:
            raise ValueError(f"could not generate {low} unique items for {name or 'an array'}")
        return out

    # -- scalars ---------------------------------------------------------------------------

    def string(self, schema: Mapping[str, Any], name: str) -> str:
        low = int(schema.get("minLength", 0))
        high = int(schema.get("maxLength", max(low, 64)))
        pattern = schema.get("pattern")
        for _ in range(20):
            text = self.fit(self.raw_string(schema, name), low, high)
            if pattern:
                if not re.search(pattern, text):
                    text = self.fit(generate_match(pattern, self.rng), low, high)
                if not re.search(pattern, text):
                    continue
            return text
        raise ValueError(f"could not generate a string for {name or 'a schema'} ({schema})")

    def fit(self, text: str, low: int, high: int) -> str:
        while len(text) < low:
            text += self.rng.choice(_WORDS)
        return text[:high]

    def raw_string(self, schema: Mapping[str, Any], name: str) -> str:
        fmt = schema.get("format")
        rng = self.rng
        if fmt == "uuid":
            return str(uuid.UUID(int=rng.getrandbits(128), version=4))
        if fmt == "date-time":
            moment = _EPOCH + timedelta(seconds=rng.randrange(_SPAN_SECS))
            return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        if fmt == "date":
            return (_EPOCH + timedelta(days=rng.randrange(365))).strftime("%Y-%m-%d")
        if fmt == "email":
            return f"{rng.choice(_FIRST)}.{rng.choice(_LAST)}{rng.randint(1, 999)}@example.com"
        if fmt in ("uri", "url") or name.endswith("url"):
            return f"https://example.com/{rng.choice(_WORDS)}/{rng.randint(1, 9999)}"
        if fmt == "password":
            return "".join(rng.choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(14))
        if fmt in ("binary", "byte"):
            return "bW9jaw=="
        if fmt == "ipv4":
            return ".".join(str(rng.randint(1, 254)) for _ in range(4))
        if name in ("username", "handle") or name.endswith("username"):
            return f"{rng.choice(_FIRST)}{rng.randint(1, 999)}"
        if name in ("name", "display_name", "full_name") or name.endswith("_name"):
            return f"{rng.choice(_FIRST).title()} {rng.choice(_LAST).title()}"
        if name in ("title", "question", "subject", "label", "text"):
            return " ".join(rng.choice(_WORDS) for _ in range(3)).capitalize()
        if name in ("content", "body", "bio", "description", "message", "reason", "detail"):
            return rng.choice(_SENTENCES)
        return f"{rng.choice(_WORDS)}-{rng.randint(1, 9999)}"

    def limits(self, schema: Mapping[str, Any]) -> tuple[float | None, bool, float | None, bool]:
        """(low, low is exclusive, high, high is exclusive) in either dialect."""
        low, high = schema.get("minimum"), schema.get("maximum")
        ex_low = ex_high = False
        strict_low, strict_high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
        if isinstance(strict_low, bool):
            ex_low = strict_low
        elif strict_low is not None and (low is None or strict_low >= low):
            low, ex_low = strict_low, True
        if isinstance(strict_high, bool):
            ex_high = strict_high
        elif strict_high is not None and (high is None or strict_high <= high):
            high, ex_high = strict_high, True
        return low, ex_low, high, ex_high

    def integer(self, schema: Mapping[str, Any], name: str) -> int:
        if name == "ts" or name.endswith("_ts"):
            # Milliseconds since the epoch, inside the mock's year.
            return int(_EPOCH.timestamp() * 1000) + self.rng.randrange(_SPAN_SECS * 1000)
        lo, ex_lo, hi, ex_hi = self.limits(schema)
        low = None if lo is None else (math.floor(lo) + 1 if ex_lo else math.ceil(lo))
        high = None if hi is None else (math.ceil(hi) - 1 if ex_hi else math.floor(hi))
        if low is None:
            low = 0 if high is None or high >= 0 else high - 1000
        if high is None:
            high = low + 1000
        step = int(schema.get("multipleOf", 1))
        value = self.rng.randint(low, max(low, high))
        if step > 1:
            value = (value // step) * step
            value = value if value >= low else value + step
        return value

    def number(self, schema: Mapping[str, Any]) -> float:
        lo, ex_lo, hi, ex_hi = self.limits(schema)
        low = None if lo is None else lo + (0.01 if ex_lo else 0)
        high = None if hi is None else hi - (0.01 if ex_hi else 0)
        if low is None:
            low = 0.0 if high is None or high >= 0 else high - 1000.0
        if high is None:
            high = low + 1000.0
        if high < low:
            return (float(lo or 0) + float(hi or 0)) / 2
        return min(max(round(self.rng.uniform(low, high), 2), low), high)
