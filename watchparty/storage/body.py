"""Streamed request bodies: uploads go from the socket to storage, never into memory.

connexion 3's body validators keep every message of the body to replay it (see
`connexion.validators.abstract`), and its parameter decorator then parses multipart forms
into spooled temporary files: a 2 GiB upload would be held twice. For the operations in
`STREAMED_OPERATIONS` the validators installed by `streamed_validator_map` instead *detach*
the body: the real `receive` channel is parked in the scope for the handler, and the rest
of connexion sees an empty `application/octet-stream` body it has no reason to read.
Security and parameter validation still run first, so an unauthenticated or malformed
request is refused before a byte of its body is read.

Handlers read the body with `streamed_body()`, and multipart forms with `read_multipart`,
which hands file parts to a sink chunk by chunk and keeps only the (small) text fields;
`read_upload_form` adds what every upload form needs: its text fields checked against the
form's schema like any body, and the file committed or, on any failure, aborted.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import yaml
from connexion.context import scope as current_scope
from connexion.datastructures import MediaTypeDict
from jsonschema import Draft4Validator
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.datastructures import Headers
from starlette.types import Message, Receive, Scope

from watchparty import SPECS_DIR
from watchparty.errors import ParseError, ValidationFailed
from watchparty.validation import MultiPartBodyValidator, cached_validator, collect_errors

__all__ = [
    "STREAMED_OPERATIONS",
    "FilePart",
    "FileSink",
    "StreamedBody",
    "UploadSink",
    "read_multipart",
    "read_upload_form",
    "streamed_body",
    "streamed_validator_map",
]

STREAMED_OPERATIONS = frozenset({"uploadVideo", "uploadVideoBlob", "uploadSupportAttachment"})
_SCOPE_KEY = "watchparty.streamed_body"
# Text fields of an upload form are titles and descriptions, not documents.
MAX_FIELD_BYTES = 64 * 1024
# Multipart framing and text fields around an upload form's file: boundaries, part headers,
# a title or a message.
FORM_SLACK_BYTES = 64 * 1024
MAX_FIELDS = 20


@dataclass(slots=True)
class StreamedBody:
    """The detached body of a streamed operation, as the client sent it."""

    headers: Headers
    receive: Receive
    consumed: bool = False

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    @property
    def content_length(self) -> int | None:
        value = self.headers.get("content-length", "")
        return int(value) if value.isdigit() else None

    def form_exceeds(self, file_limit: int) -> bool:
        """Whether the declared length is more than an upload form with a file of `file_limit`
        bytes can take (refused before a byte is read)."""
        length = self.content_length
        return length is not None and length > file_limit + FORM_SLACK_BYTES

    async def chunks(self) -> AsyncIterator[bytes]:
        """The body's non-empty chunks as they arrive; ParseError if the client leaves."""
        if self.consumed:
            raise RuntimeError("the streamed body was already read")
        self.consumed = True
        while True:
            message = await self.receive()
            if message["type"] == "http.disconnect":
                # Nobody reads the answer; a 400 rather than an error log for a lost client.
                raise ParseError("The client disconnected before the body was complete.")
            chunk = message.get("body", b"")
            if chunk:
                yield chunk
            if not message.get("more_body", False):
                return


def _operation_id(scope: Scope) -> str | None:
    routing: Mapping[str, Any] = scope.get("extensions", {}).get("connexion_routing", {})
    return routing.get("operation_id")


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


def _detach(receive: Receive, scope: Scope) -> tuple[Receive, Scope]:
    new_scope = dict(scope)
    new_scope[_SCOPE_KEY] = StreamedBody(headers=Headers(scope=scope), receive=receive)
    kept = [(k, v) for k, v in scope["headers"] if k not in (b"content-type", b"content-length")]
    new_scope["headers"] = [
        *kept,
        (b"content-type", b"application/octet-stream"),
        (b"content-length", b"0"),
    ]
    return _no_body, new_scope


class _StreamedMultiPartValidator(MultiPartBodyValidator):
    async def wrap_receive(self, receive: Receive, *, scope: Scope) -> tuple[Receive, Scope]:
        if _operation_id(scope) in STREAMED_OPERATIONS:
            return _detach(receive, scope)
        return await super().wrap_receive(receive, scope=scope)  # type: ignore[no-any-return]


class _StreamedBinaryValidator:
    """`application/octet-stream` has no validator in connexion; streamed operations detach."""

    def __init__(self, **_: Any) -> None:
        pass

    async def wrap_receive(self, receive: Receive, *, scope: Scope) -> tuple[Receive, Scope]:
        if _operation_id(scope) in STREAMED_OPERATIONS:
            return _detach(receive, scope)
        return receive, scope


def streamed_validator_map(base: Mapping[str, Any]) -> dict[str, Any]:
    """`base` (a connexion validator map) with the detaching body validators installed."""
    bodies = MediaTypeDict(dict(base["body"]))
    bodies["multipart/form-data"] = _StreamedMultiPartValidator
    bodies["application/octet-stream"] = _StreamedBinaryValidator
    return {**base, "body": bodies}


def streamed_body() -> StreamedBody:
    """The detached body of the current request (only in a streamed operation's handler)."""
    body = current_scope.get(_SCOPE_KEY)
    if not isinstance(body, StreamedBody):
        raise RuntimeError("no streamed body: is the operation in STREAMED_OPERATIONS?")
    return body


@dataclass(frozen=True, slots=True)
class FilePart:
    name: str
    filename: str
    content_type: str


class FileSink(Protocol):
    async def write(self, chunk: bytes) -> None: ...


class UploadSink(FileSink, Protocol):
    """A file on its way into storage: `finish` checks what arrived and commits it."""

    async def finish(self) -> None: ...

    async def abort(self) -> None: ...


Sink = TypeVar("Sink", bound=UploadSink)


@dataclass(slots=True)
class _Part:
    name: str = ""
    filename: str | None = None
    content_type: str = ""
    text: bytearray = field(default_factory=bytearray)
    sink: FileSink | None = None


async def read_multipart(
    body: StreamedBody,
    *,
    file_field: str,
    open_file: Callable[[FilePart], Awaitable[FileSink]],
) -> tuple[dict[str, str], FilePart | None]:
    """Parse a multipart/form-data body as it streams in.

    The one file part named `file_field` goes to the sink `open_file` returns; text fields
    are returned (the last value of each name wins, as in a form). Exceptions raised by the
    sink (size or type refusals) propagate as they are.

    Raises:
        ParseError: not multipart, or malformed.
        ValidationFailed: a second file, a file in another field, too many or too long fields.
    """
    kind, options = parse_options_header(body.content_type)
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise ParseError("Expected a multipart/form-data body with a boundary.")
    # Callbacks run inside `parser.write`; they only record events, handled (async) after it.
    events: list[tuple[str, Any]] = []
    header: dict[str, bytearray] = {"field": bytearray(), "value": bytearray()}
    headers: dict[bytes, bytes] = {}

    def on_part_begin() -> None:
        headers.clear()

    def on_header_end() -> None:
        headers[bytes(header["field"]).lower()] = bytes(header["value"])
        header["field"].clear()
        header["value"].clear()

    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": on_part_begin,
            "on_part_data": lambda data, start, end: events.append(("data", data[start:end])),
            "on_part_end": lambda: events.append(("end", None)),
            "on_header_field": lambda data, start, end: header["field"].extend(data[start:end]),
            "on_header_value": lambda data, start, end: header["value"].extend(data[start:end]),
            "on_header_end": on_header_end,
            "on_headers_finished": lambda: events.append(("headers", dict(headers))),
        },
    )
    fields: dict[str, str] = {}
    found: FilePart | None = None
    part = _Part()
    async for chunk in body.chunks():
        try:
            parser.write(chunk)
        except FormParserError as exc:
            raise ParseError(f"Multipart form parse error - {exc}") from None
        for event, data in events:
            if event == "headers":
                part = _Part()
                found = await _start_part(part, data, found, file_field, open_file)
                if part.sink is None and len(fields) >= MAX_FIELDS:
                    raise ValidationFailed.non_field(f"At most {MAX_FIELDS} fields.")
            elif event == "data" and part.sink is not None:
                await part.sink.write(data)
            elif event == "data":
                part.text += data
                if len(part.text) > MAX_FIELD_BYTES:
                    raise ValidationFailed.field(part.name, "This field is too long.")
            elif event == "end" and part.sink is None:
                fields[part.name] = _decode(part)
        events.clear()
    try:
        parser.finalize()
    except FormParserError as exc:
        raise ParseError(f"Multipart form parse error - {exc}") from None
    return fields, found


async def _start_part(
    part: _Part,
    headers: Mapping[bytes, bytes],
    found: FilePart | None,
    file_field: str,
    open_file: Callable[[FilePart], Awaitable[FileSink]],
) -> FilePart | None:
    _, disposition = parse_options_header(headers.get(b"content-disposition", b""))
    part.name = disposition.get(b"name", b"").decode(errors="replace")
    filename = disposition.get(b"filename")
    if filename is None:
        return found
    if part.name != file_field:
        raise ValidationFailed.field(part.name or "non_field_errors", "Unexpected file.")
    if found is not None:
        raise ValidationFailed.field(file_field, "Send exactly one file.")
    new = FilePart(
        name=part.name,
        filename=filename.decode(errors="replace"),
        content_type=headers.get(b"content-type", b"").decode(errors="replace").strip(),
    )
    part.sink = await open_file(new)
    return new


def _decode(part: _Part) -> str:
    try:
        return part.text.decode()
    except UnicodeDecodeError:
        raise ValidationFailed.field(part.name, "Not valid UTF-8 text.") from None


async def read_upload_form(
    body: StreamedBody,
    *,
    schema: tuple[str, str],
    open_file: Callable[[FilePart], Awaitable[Sink]],
) -> tuple[dict[str, str], FilePart, Sink]:
    """Read a multipart upload form of one required `file` as it streams (`read_multipart`).

    The text fields are checked against `schema` (a file under specs/schemas and a
    component name in it), with the errors any body gets; the sink is finished once
    everything passed, and aborted when anything failed, so a refused upload leaves nothing
    in storage.

    Raises:
        ValidationFailed: a field breaks the schema, or no file was sent.
    """
    sinks: list[Sink] = []

    async def opened(part: FilePart) -> Sink:
        sinks.append(await open_file(part))
        return sinks[0]

    try:
        fields, part = await read_multipart(body, file_field="file", open_file=opened)
        # The file stands as an empty string, as form validators see files (`required`); a
        # text part named `file` is no file.
        instance = {name: value for name, value in fields.items() if name != "file"}
        if part is not None:
            instance["file"] = ""
        errors = collect_errors(cached_validator(_form_schema(*schema), Draft4Validator), instance)
        if errors:
            raise ValidationFailed(errors)
        assert part is not None  # `file` is required
        await sinks[0].finish()
    except BaseException:
        if sinks:
            await sinks[0].abort()
        raise
    return fields, part, sinks[0]


@functools.cache
def _form_schema(file: str, name: str) -> dict[str, Any]:
    schemas = yaml.safe_load((SPECS_DIR / "schemas" / file).read_text(encoding="utf-8"))
    schema: dict[str, Any] = schemas[name]
    return schema
