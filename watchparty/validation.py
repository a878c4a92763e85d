"""Request validators that report every invalid field at once (DESIGN §3, §5).

connexion stops at the first error and words it like jsonschema
(`'x' is not of type 'integer'`). These validators, installed through connexion's
`validator_map`, walk all errors and raise one `ValidationFailed` whose map names each field
(dotted for nested body fields, by name for query/path/header parameters) with DRF-style
messages. Strings no database stores (NUL, lone surrogates) are field errors too, as in
DRF. Unreadable bodies (bad JSON, invalid UTF-8, unknown charset) are a 400 `parse_error`,
never a 500.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import AsyncGenerator, Iterable
from typing import Any

from connexion.datastructures import MediaTypeDict
from connexion.json_schema import Draft4RequestValidator
from connexion.validators import VALIDATOR_MAP as CONNEXION_VALIDATORS
from connexion.validators import (
    FormDataValidator,
    JSONRequestBodyValidator,
    ParameterValidator,
)
from jsonschema import Draft4Validator, FormatChecker, ValidationError
from starlette.datastructures import FormData, Headers, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.types import Message, Receive, Scope

from watchparty.errors import ParseError, ValidationFailed

__all__ = [
    "FORMAT_CHECKER",
    "VALIDATOR_MAP",
    "ErrorMap",
    "JSONBodyValidator",
    "FormBodyValidator",
    "MultiPartBodyValidator",
    "CollectingParameterValidator",
    "cached_validator",
    "collect_errors",
    "message_for",
]

ErrorMap = dict[str, list[str]]
NON_FIELD = "non_field_errors"
REQUIRED = "This field is required."
BLANK = "This field may not be blank."

# Draft 4 checks date-time and email but not the uuid of our every path id.
FORMAT_CHECKER = FormatChecker()
for _name, _check in Draft4Validator.FORMAT_CHECKER.checkers.items():
    FORMAT_CHECKER.checkers[_name] = _check


@FORMAT_CHECKER.checks("uuid", raises=ValueError)
def _is_uuid(value: object) -> bool:
    # uuid.UUID also takes braces, urns and missing hyphens; URLs carry the canonical form.
    return not isinstance(value, str) or str(uuid.UUID(value)) == value.lower()


_TYPE_MESSAGES = {
    "string": "Not a valid string.",
    "integer": "A valid integer is required.",
    "number": "A valid number is required.",
    "boolean": "Must be a valid boolean.",
}
_FORMAT_MESSAGES = {
    "email": "Enter a valid email address.",
    "uuid": "Must be a valid UUID.",
    "date-time": "Datetime has wrong format. Use RFC 3339, e.g. 2026-01-15T18:30:00Z.",
    "date": "Date has wrong format. Use YYYY-MM-DD.",
    "uri": "Enter a valid URL.",
}
_SURROGATE = re.compile("[\ud800-\udfff]")
# What `JSONBodyValidator._parse` answers for an empty body; `None` is a JSON `null`.
_NO_BODY = object()
_JSON_TYPES = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}


def _json_type(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return _JSON_TYPES[type(value)]
    if isinstance(value, int | float):
        return "number"
    return _JSON_TYPES.get(type(value), type(value).__name__)


# Keyword -> message, `{limit}` being the keyword's value in the schema.
_LIMIT_MESSAGES = {
    "maxLength": "Ensure this field has no more than {limit} characters.",
    "minLength": "Ensure this field has at least {limit} characters.",
    "multipleOf": "Ensure this value is a multiple of {limit}.",
    "pattern": "This value does not have the expected format.",
    "maxItems": "Ensure this field has no more than {limit} elements.",
    "minItems": "Ensure this field has at least {limit} elements.",
    "uniqueItems": "Items must be unique.",
    "maxProperties": "Ensure this field has no more than {limit} keys.",
    "minProperties": "Ensure this field has at least {limit} keys.",
    "readOnly": "This field is read-only.",
    "anyOf": "Does not match any of the allowed shapes.",
    "oneOf": "Does not match exactly one of the allowed shapes.",
}
# What a minimum says when the value is empty altogether.
_EMPTY_MESSAGES = {
    "minLength": BLANK,
    "minItems": "This list may not be empty.",
    "minProperties": "This field may not be empty.",
}


def message_for(error: ValidationError) -> str:
    """A DRF-style sentence for one jsonschema error (the field name goes in the map key)."""
    kind, limit, value = error.validator, error.validator_value, error.instance
    if value is None and kind in ("type", "enum"):
        return "This field may not be null."
    if kind == "type":
        expected = limit[0] if isinstance(limit, list) and limit else limit
        if expected == "array":
            return f'Expected a list of items but got type "{_json_type(value)}".'
        if expected == "object":
            return f"Invalid data. Expected a dictionary, but got {_json_type(value)}."
        return _TYPE_MESSAGES.get(str(expected), f"Expected a value of type {expected}.")
    if kind == "format":
        return _FORMAT_MESSAGES.get(str(limit), f"Enter a valid {limit}.")
    if kind in ("maximum", "minimum"):
        exclusive = error.schema.get(f"exclusive{kind.title()}") is True
        relation = "less than" if kind == "maximum" else "greater than"
        return f"Ensure this value is {relation} {'' if exclusive else 'or equal to '}{limit}."
    if kind == "enum":
        return f'"{value}" is not a valid choice.'
    if kind in _EMPTY_MESSAGES and not value:
        return _EMPTY_MESSAGES[kind]
    if kind in _LIMIT_MESSAGES:
        return _LIMIT_MESSAGES[kind].format(limit=limit)
    return "Invalid value."


def _dotted(prefix: str, path: Iterable[Any]) -> str:
    parts = [prefix] if prefix else []
    parts.extend(str(part) for part in path)
    return ".".join(parts)


def _add(errors: ErrorMap, field: str, message: str) -> None:
    messages = errors.setdefault(field or NON_FIELD, [])
    if message not in messages:
        messages.append(message)


def collect_errors(validator: Draft4Validator, instance: object, *, prefix: str = "") -> ErrorMap:
    """
    Every error of `instance`, keyed by dotted field name.

    Args:
        prefix: name to put before each path (a parameter's name); errors at the root of a
            body without prefix go under `non_field_errors`.
    """
    errors: ErrorMap = {}
    for error in validator.iter_errors(instance):
        _collect(errors, error, prefix)
    _collect_unstorable(errors, instance, prefix)
    for field, messages in errors.items():
        # A blank value also fails its pattern; DRF names only the blank.
        if BLANK in messages:
            errors[field] = [BLANK]
    return errors


def _collect_unstorable(errors: ErrorMap, instance: object, prefix: str) -> None:
    """Strings no database stores: NUL (PostgreSQL refuses it) and lone surrogates (no UTF-8).

    JSON can carry both (`"\\u0000"`, `"\\ud800"`); DRF's CharField refuses them in these words.
    A key holding one is reported on the object that has it.
    """
    stack: list[tuple[tuple[Any, ...], object]] = [((), instance)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack.extend(((*path, key), child) for key, child in value.items())
            texts = list(value)
        elif isinstance(value, list):
            stack.extend(((*path, index), child) for index, child in enumerate(value))
            continue
        else:
            texts = [value]
        for text in texts:
            message = _unstorable(text) if isinstance(text, str) else None
            if message:
                _add(errors, _dotted(prefix, path), message)


def _unstorable(text: str) -> str | None:
    if "\x00" in text:
        return "Null characters are not allowed."
    surrogate = _SURROGATE.search(text)
    if surrogate:
        return f"Surrogate characters are not allowed: U+{ord(surrogate.group()):X}."
    return None


def _collect(errors: ErrorMap, error: ValidationError, prefix: str) -> None:
    where = _dotted(prefix, error.absolute_path)
    if error.validator == "required" and isinstance(error.instance, dict):
        # jsonschema raises one error per missing name, each naming it only in its message.
        for name in error.validator_value:
            if name not in error.instance and f"{name!r} is a required property" == error.message:
                _add(errors, _dotted(where, [name]), REQUIRED)
        return
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = set(error.schema.get("properties", {}))
        for name in error.instance:
            if name not in known:
                _add(errors, _dotted(where, [name]), "Unknown field.")
        return
    if error.validator == "oneOf" and error.context:
        # The alternatives' errors say more than "matches none"; use the closest alternative.
        from jsonschema.exceptions import best_match

        closest = best_match(error.context)
        if closest is not None:
            _collect(errors, closest, prefix)
            return
    _add(errors, where, message_for(error))


# Validators by spec schema: connexion builds our validator classes for every request, and
# building a jsonschema validator costs 20-25 µs per schema (docs/benchmarks.md). Keyed by the
# schema's identity (the spec's dicts live as long as the process), holding the schema so an
# id is never reused; bounded in case a caller passes schemas built per request.
_VALIDATORS: dict[tuple[int, type[Draft4Validator]], tuple[object, Draft4Validator]] = {}
_MAX_CACHED_VALIDATORS = 4096


def cached_validator(schema: dict[str, Any], cls: type[Draft4Validator]) -> Draft4Validator:
    """A `cls` validator of `schema` with our format checker, built once per schema."""
    key = (id(schema), cls)
    found = _VALIDATORS.get(key)
    if found is None or found[0] is not schema:
        if len(_VALIDATORS) >= _MAX_CACHED_VALIDATORS:
            _VALIDATORS.clear()
        found = (schema, cls(schema, format_checker=FORMAT_CHECKER))
        _VALIDATORS[key] = found
    return found[1]


def _check_body(schema: dict[str, Any], body: Any) -> None:
    errors = collect_errors(cached_validator(schema, Draft4RequestValidator), body)
    if errors:
        raise ValidationFailed(errors)


class JSONBodyValidator(JSONRequestBodyValidator):
    """JSON bodies: parse strictly, then report every invalid field."""

    async def wrap_receive(self, receive: Receive, *, scope: Scope) -> tuple[Receive, Scope]:
        # connexion decides "no body" from Content-Length alone, which a chunked upload
        # lacks; read the stream and decide from what arrived.
        messages: list[Message] = []
        more_body = True
        while more_body:
            message = await receive()
            if message["type"] != "http.request":
                break
            messages.append(message)
            more_body = message.get("more_body", False)
        raw = b"".join(message.get("body", b"") for message in messages)

        async def replay() -> AsyncGenerator[bytes, None]:
            yield raw

        body = await self._parse(replay(), scope=scope)
        # connexion validates a body that comes without Content-Type as JSON, but then hands
        # the handler its raw bytes; say what it was read as.
        scope = _with_json_content_type(scope)
        if body is not _NO_BODY:
            if body is not None or not self._nullable:
                self._validate(body)
            return self._insert_messages(receive, messages=messages), scope
        substitute = self._schema.get("default")
        if substitute is None and self._required:
            # An empty body is every required field missing, as DRF words it.
            substitute = {} if self._schema.get("type") == "object" else None
            if substitute is None:
                raise ValidationFailed({NON_FIELD: ["No data provided."]})
        if substitute is None:
            return self._insert_messages(receive, messages=messages), scope
        self._validate(substitute)
        new_receive, new_scope = self._insert_body(receive, body=substitute, scope=scope)
        return new_receive, new_scope

    async def _parse(self, stream: AsyncGenerator[bytes, None], scope: Scope) -> Any:
        raw = b"".join([chunk async for chunk in stream])
        try:
            text = raw.decode(self._encoding)
        except LookupError:
            raise ParseError(f"Unknown charset {self._encoding!r} in Content-Type.") from None
        except UnicodeDecodeError as exc:
            raise ParseError(
                f"JSON parse error - the body is not valid {self._encoding} (byte {exc.start})."
            ) from None
        if not text.strip():
            return _NO_BODY
        try:
            return json.loads(text, parse_constant=_reject_constant)
        except ValueError as exc:  # JSONDecodeError, and NaN/Infinity
            raise ParseError(f"JSON parse error - {exc}") from None

    def _validate(self, body: Any) -> None:
        _check_body(self._schema, body)


def _with_json_content_type(scope: Scope) -> Scope:
    """`scope`, or a copy saying `Content-Type: application/json` when it names no type."""
    if "content-type" in Headers(scope=scope):
        return scope
    new_scope = dict(scope)
    new_scope["headers"] = [*scope["headers"], (b"content-type", b"application/json")]
    return new_scope


def _is_file(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "string" and schema.get("format") in ("binary", "base64")


def _reject_constant(name: str) -> None:
    # NaN and Infinity are Python's extension, not JSON; a body holding them is unreadable.
    raise ValueError(f"{name} is not valid JSON")


class FormBodyValidator(FormDataValidator):
    """URL-encoded forms: the same error map over the parsed fields."""

    async def _parse(self, stream: AsyncGenerator[bytes, None], scope: Scope) -> Any:
        # connexion's version leaves the parsed upload files open (a ResourceWarning per
        # upload); this one validates a copy and closes them. The handler parses again.
        parser = self._form_parser_cls(Headers(scope=scope), stream)
        try:
            form = await parser.parse()
        except MultiPartException as exc:
            raise ParseError(f"Multipart form parse error - {exc.message}") from None
        except UnicodeDecodeError:
            raise ParseError("Form parse error - the body is not valid UTF-8.") from None
        try:
            return self._fields(form)
        finally:
            await form.close()

    def _fields(self, form: FormData) -> dict[str, Any]:
        """The form as the schema sees it: files become placeholders, text is typed."""
        properties = self._schema.get("properties", {})
        text: dict[str, list[Any]] = {}
        files: dict[str, Any] = {}
        for key in form:
            values = form.getlist(key)
            schema = properties.get(key, {})
            if _is_file(schema) and len(values) == 1:
                files[key] = ""
            elif _is_file(schema) or _is_file(schema.get("items", {})):
                files[key] = [""] * len(values)
            elif isinstance(values[0], UploadFile):
                files[key] = [""] * len(values)  # a file where text belongs: validation says so
            else:
                text[key] = list(values)
        fields: dict[str, Any] = (
            self._uri_parser.resolve_form(text) if self._uri_parser is not None else text
        )
        fields.update(files)
        return fields

    def _validate(self, body: Any) -> None:
        if self._strict_validation:
            self._validate_params_strictly(body)
        _check_body(self._schema, body)


class MultiPartBodyValidator(FormBodyValidator):
    """multipart/form-data (uploads): as forms, parsed by starlette's multipart parser."""

    @property
    def _form_parser_cls(self) -> type[MultiPartParser]:
        return MultiPartParser


class CollectingParameterValidator(ParameterValidator):
    """Query, path, header and cookie parameters: every invalid one, by name."""

    def validate_request(self, request: Any) -> None:
        errors: ErrorMap = {}
        if self.strict_validation:
            for name in sorted(
                self.validate_query_parameter_list(
                    request, security_params=self.security_query_params
                )
            ):
                _add(errors, name, "Unknown query parameter.")
        sources = {
            "query": lambda p: request.query_params.get(p["name"]),
            "path": lambda p: request.path_params.get(p["name"].replace("-", "_")),
            "header": lambda p: request.headers.get(p["name"]),
            "cookie": lambda p: request.cookies.get(p["name"]),
        }
        for where, read in sources.items():
            for param in self.parameters.get(where, []):
                for field, messages in self._check(param, read(param)).items():
                    for message in messages:
                        _add(errors, field, message)
        if errors:
            raise ValidationFailed(errors)

    @staticmethod
    def _check(param: dict[str, Any], value: Any) -> ErrorMap:
        name = param["name"]
        schema = param.get("schema", param)
        if value is None:
            return {name: [REQUIRED]} if param.get("required") else {}
        if schema.get("nullable") and value in ("null", "None"):
            return {}
        return collect_errors(cached_validator(schema, Draft4Validator), value, prefix=name)


VALIDATOR_MAP: dict[str, Any] = {
    "parameter": CollectingParameterValidator,
    "body": MediaTypeDict(
        {
            "*/*json": JSONBodyValidator,
            "application/x-www-form-urlencoded": FormBodyValidator,
            "multipart/form-data": MultiPartBodyValidator,
        }
    ),
    "response": CONNEXION_VALIDATORS["response"],
}
