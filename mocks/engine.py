"""What the mock answers to one operation call (docs/mock.md has the user's view).

Order of decisions, after connexion has checked auth and the request exactly like the real
server: the status (`Prefer: code`, else the lowest documented 2xx), then in stateful mode
the store (only for the default status), else the body: a named example, the first
example, or (dynamic mode) seeded data generated from the schema. Error statuses always
send their documented example, which is what the real server sends. Every response then
goes through connexion's response validation.
"""

from __future__ import annotations

import copy
import dataclasses
import logging
import random
import re
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from connexion.context import scope as current_scope
from starlette.datastructures import URL, UploadFile

from mocks.data import Generator
from mocks.operations import MockOperation, index_operations
from mocks.paging import paginate_sequence
from mocks.prefer import ORIGINAL_QUERY_KEY, Prefer, prefer_of
from mocks.security import mint_access, token_claims
from mocks.spec import flatten
from mocks.state import Collection, Store, find_collections, overlay, project, snake
from watchparty.errors import APIError, NotFound, UnsupportedMediaType

__all__ = ["MockEngine", "MockPreferInvalid"]

logger = logging.getLogger("mocks.engine")

Handler = Callable[..., Awaitable[Any]]
Answer = tuple[Any, int] | tuple[Any, int, dict[str, str]]
_DIGITS = re.compile(r"\d+")
_LIST_MIN, _LIST_MAX = 25, 60  # dynamic lists hold this many items: more than one page


# (event "created" | "deleted", concrete collection path, id, record, caller's token claims)
ChangeListener = Callable[[str, str, str, dict[str, Any], Mapping[str, Any]], None]


class MockPreferInvalid(APIError):
    """A `Prefer` the spec cannot satisfy (undocumented status, unknown example)."""

    status_code = 422
    default_detail = "The mock cannot satisfy this Prefer header."
    default_code = "mock_prefer_invalid"


@dataclass(frozen=True, slots=True)
class _Call:
    op: MockOperation
    status: str
    dynamic: bool
    prefer: Prefer
    path_params: dict[str, str]
    kwargs: dict[str, Any]
    url: URL
    nonce: str = ""  # tells apart bodies of one operation that must differ (creates)

    @property
    def key(self) -> str:
        """What seeds a dynamic body: one request always gets the same bytes."""
        params = ",".join(f"{k}={v}" for k, v in sorted(self.path_params.items()))
        return f"{self.op.id}|{self.status}|{params}|{self.nonce}"


class MockEngine:
    """
    Answers for every operation of one OpenAPI document.

    Args:
        spec: the OpenAPI document (a dict).
        seed: seeds dynamic data, stateful ids and cursor signatures.
        stateful: keep what POSTs create (`mocks.state`).
        dynamic: generate bodies by default (else only with `Prefer: dynamic=true`).
    """

    def __init__(
        self, spec: Mapping[str, Any], *, seed: int, stateful: bool, dynamic: bool
    ) -> None:
        self.components = spec.get("components", {})
        self.ops = index_operations(spec)
        self.gen = Generator(self.components)
        self.seed = seed
        self.dynamic = dynamic
        self.creators = find_collections(self.ops)
        self.store = Store(seed=seed) if stateful else None
        self._collection_schema = {
            c.path: (self.ops[op_id].schema(self.ops[op_id].success) or {}).get("$ref")
            for op_id, c in self.creators.items()
        }
        self._collections = {c.path: c for c in self.creators.values()}
        # Stateful mode: told of every create/delete (collection path, id, record, caller's
        # claims); mocks.chat_link uses it to announce REST chat on the WebSocket.
        self.on_change: ChangeListener | None = None
        self._examples_checked: dict[tuple[str, str, str], bool] = {}
        # operationId -> calls that passed auth and validation (spec coverage of a test run)
        self.served: Counter[str] = Counter()

    def handler(self, op_id: str) -> Handler:
        async def mock_operation(**kwargs: Any) -> Any:
            self.served[op_id] += 1
            try:
                return self.respond(op_id, kwargs, current_scope)
            finally:
                # Uploaded files spool to temporary files; the mock never reads them.
                for value in kwargs.values():
                    for item in value if isinstance(value, list) else [value]:
                        if isinstance(item, UploadFile):
                            await item.close()

        mock_operation.__name__ = f"mock_{op_id}"
        return mock_operation

    # -- the decision ----------------------------------------------------------------------

    def respond(self, op_id: str, kwargs: dict[str, Any], scope: Any) -> Answer:
        op = self.ops[op_id]
        if op.raw_body_required and not kwargs.get("body"):
            # As the server answers an empty `uploadVideoBlob`: no bytes are no video.
            raise UnsupportedMediaType(
                "The file is not a video container.", code="unsupported_media_type"
            )
        prefer = prefer_of(scope)
        status = self._status(op, prefer)
        path_params = {
            name: str(kwargs.get(name, (scope.get("path_params") or {}).get(name, "")))
            for name in op.path_params
        }
        original = scope.get(ORIGINAL_QUERY_KEY, scope.get("query_string", b""))
        call = _Call(
            op=op,
            status=status,
            dynamic=self.dynamic if prefer.dynamic is None else prefer.dynamic,
            prefer=prefer,
            path_params=path_params,
            kwargs=kwargs,
            url=URL(scope={**scope, "query_string": original}),
        )
        if self.store is not None and prefer.code is None and prefer.example is None:
            answered = self._stateful(call)
            if answered is not None:
                return answered
        return self._finish(call, self._body(call))

    def _status(self, op: MockOperation, prefer: Prefer) -> str:
        if prefer.code is None:
            return op.success
        if prefer.code not in op.responses:
            raise MockPreferInvalid(
                f"{op.id} documents no {prefer.code} response; it documents "
                f"{', '.join(sorted(op.responses))}."
            )
        return prefer.code

    def _finish(self, call: _Call, body: Any) -> Answer:
        status = int(call.status)
        if status == 429:
            digits = (
                _DIGITS.findall(str((body or {}).get("detail", "")))
                if isinstance(body, dict)
                else []
            )
            return body, status, {"Retry-After": digits[0] if digits else "60"}
        if status == 401:
            return body, status, {"WWW-Authenticate": 'Bearer realm="api"'}
        return body, status

    def _body(self, call: _Call) -> Any:
        op, status = call.op, call.status
        schema = op.schema(status)
        if schema is None:
            return None
        examples = op.examples(status)
        name = call.prefer.example
        if name is not None and name not in examples:
            raise MockPreferInvalid(
                f"{op.id} has no example {name!r} for {status}; it has "
                f"{', '.join(sorted(examples)) or 'none'}."
            )
        if examples and (name is not None or not call.dynamic or status >= "400"):
            name = name or next(iter(examples))
            if self._example_ok(op, status, name, schema):
                return copy.deepcopy(examples[name])
        if op.paginate and status == "200":
            item_schema = flatten(schema, self.components)["properties"]["results"]["items"]
            total = random.Random(f"{self.seed}|{call.key}|total").randint(_LIST_MIN, _LIST_MAX)
            return paginate_sequence(
                total=total,
                item=lambda i: self.gen.generate(item_schema, seed=f"{self.seed}|{call.key}|{i}"),
                params=call.kwargs,
                url=call.url,
                secret=self._secret,
            )
        body = self.gen.generate(schema, seed=f"{self.seed}|{call.key}")
        return self._dress(call, schema, body)

    def _example_ok(
        self, op: MockOperation, status: str, name: str, schema: Mapping[str, Any]
    ) -> bool:
        """
        Whether an example passes the server's response validation (checked once each).

        One that does not is a spec bug; the mock logs it and sends generated data instead
        of a 500, so the frontend keeps working while the spec is fixed.
        """
        key = (op.id, status, name)
        verdict = self._examples_checked.get(key)
        if verdict is None:
            problems = self.gen.checker.errors(op.examples(status)[name], schema)
            verdict = self._examples_checked[key] = not problems
            if problems:
                logger.warning(
                    "example %r of %s %s breaks its schema, sending generated data: %s",
                    name,
                    op.id,
                    status,
                    "; ".join(problems[:3]),
                )
        return verdict

    @property
    def _secret(self) -> str:
        return f"watchparty-mock-cursor:{self.seed}"

    def _dress(self, call: _Call, schema: Mapping[str, Any], body: Any) -> Any:
        """Make generated data agree with the request: the addressed id, usable tokens."""
        if not isinstance(body, dict):
            return body
        props = flatten(schema, self.components).get("properties", {})
        param = call.op.item_param
        if (
            param
            and "id" in props
            and self.gen.checker.is_valid(call.path_params[param], props["id"])
        ):
            body["id"] = call.path_params[param]
        if isinstance(body.get("access"), str) and token_claims(body["access"]) is None:
            found = body.get("user")
            user: dict[str, Any] = found if isinstance(found, dict) else {}
            body["access"] = mint_access(
                sub=str(user.get("id") or "mock-user"), role=str(user.get("role") or "user")
            )
        return body

    # -- stateful mode ---------------------------------------------------------------------

    def _concrete(self, template: str, path_params: Mapping[str, str]) -> str:
        for name, value in path_params.items():
            template = template.replace(f"{{{name}}}", value)
        return template

    def _stateful(self, call: _Call) -> Answer | None:
        assert self.store is not None
        op, pp = call.op, call.path_params
        # Every stored object on the way must exist: /api/parties/{unknown}/join/ is a 404.
        # The deepest one is what this operation is about.
        owner: Collection | None = None
        record: dict[str, Any] | None = None
        for coll in self._collections.values():
            item_path = coll.item_path
            if coll.param is None or item_path is None or not op.path.startswith(item_path):
                continue
            found = self.store.get(self._concrete(coll.path, pp), pp[coll.param])
            if found is None:
                raise NotFound()
            if owner is None or len(item_path) > len(owner.path):
                owner, record = coll, found
        creator = self.creators.get(op.id)
        if creator is not None:
            return self._create(call, creator)
        listed = self._collections.get(op.path)
        if listed is not None and op.method == "GET" and op.paginate:
            return self._list(call, listed)
        if owner is None or owner.param is None or record is None:
            return None
        rid = pp[owner.param]
        where = self._concrete(owner.path, pp)
        if op.path != owner.item_path:
            # An action on a stored object: answer with the object when it returns its type.
            schema = op.schema(call.status)
            if schema is not None and schema.get("$ref") == self._collection_schema[owner.path]:
                return self._finish(
                    call, project(record, schema, rid, gen=self.gen, seed=self.seed)
                )
            return None
        if op.method == "DELETE":
            self.store.delete(where, rid)
            self._changed("deleted", where, rid, record, call)
            return self._finish(call, None)
        schema = op.schema(call.status)
        if op.method in ("PATCH", "PUT") and schema is not None:
            overlay(record, call.kwargs.get("body"), schema, gen=self.gen)
        return self._finish(
            call,
            None if schema is None else project(record, schema, rid, gen=self.gen, seed=self.seed),
        )

    def _create(self, call: _Call, coll: Collection) -> Answer:
        assert self.store is not None
        schema = call.op.schema(call.status)
        body = call.kwargs.get("body")
        wanted = body.get(snake(coll.param)) if coll.param and isinstance(body, dict) else None
        rid = wanted if isinstance(wanted, str) else self.store.new_id()
        base = self._body(dataclasses.replace(call, nonce=rid))
        record: dict[str, Any] = base if isinstance(base, dict) else {}
        if schema is not None:
            record[coll.id_field] = rid
            overlay(record, body, schema, gen=self.gen)
            if not self.gen.checker.is_valid(record, schema):
                record[coll.id_field] = rid = self.store.new_id()
        where = self._concrete(coll.path, call.path_params)
        self.store.put(where, rid, record)
        self._changed("created", where, rid, record, call)
        return self._finish(call, record if schema is not None else None)

    def _changed(
        self, event: str, where: str, rid: str, record: dict[str, Any], call: _Call
    ) -> None:
        if self.on_change is not None:
            self.on_change(event, where, rid, record, call.kwargs.get("token_info") or {})

    def _list(self, call: _Call, coll: Collection) -> Answer:
        assert self.store is not None
        rows = self.store.items(self._concrete(coll.path, call.path_params))
        schema = call.op.schema(call.status) or {}
        item_schema = flatten(schema, self.components)["properties"]["results"]["items"]
        page = paginate_sequence(
            total=len(rows),
            item=lambda i: project(
                rows[i][1], item_schema, rows[i][0], gen=self.gen, seed=self.seed
            ),
            params=call.kwargs,
            url=call.url,
            secret=self._secret,
        )
        return self._finish(call, page)
