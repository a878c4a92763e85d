"""Expand the catalog into OpenAPI 3.0.3, adding the conventions of DESIGN §3 to every operation."""

from __future__ import annotations

import copy
from typing import Any

from watchparty.codegen.catalog import Catalog, Operation
from watchparty.codegen.schemas import REF_PREFIX, closure

__all__ = ["build_openapi", "ERROR_RESPONSES", "BEARER_INFO_FUNC"]

BEARER_INFO_FUNC = "watchparty.auth.bearer.bearer_info"

# status -> (component name, description, example detail, example code)
ERROR_RESPONSES: dict[int, tuple[str, str, str, str]] = {
    401: (
        "Unauthorized",
        "Missing, invalid or expired credentials.",
        "Authentication credentials were not provided.",
        "not_authenticated",
    ),
    402: (
        "PaymentRequired",
        "The payment could not be made.",
        "Your balance does not cover this purchase.",
        "payment_required",
    ),
    403: (
        "Forbidden",
        "Authenticated, but not allowed to do this.",
        "You do not have permission to perform this action.",
        "permission_denied",
    ),
    404: ("NotFound", "No such object, or not visible to the caller.", "Not found.", "not_found"),
    409: (
        "Conflict",
        "The request conflicts with the object's current state.",
        "This conflicts with the current state.",
        "conflict",
    ),
    410: (
        "Gone",
        "The object existed but is no longer available.",
        "This link has expired.",
        "gone",
    ),
    413: (
        "PayloadTooLarge",
        "The request body is larger than allowed.",
        "The file exceeds the 2 GiB upload limit.",
        "payload_too_large",
    ),
    415: (
        "UnsupportedMediaType",
        "The content type or file type is not accepted.",
        "Only video files can be uploaded.",
        "unsupported_media_type",
    ),
    422: (
        "Unprocessable",
        "Well-formed, but cannot be processed.",
        "This cannot be processed.",
        "unprocessable",
    ),
    503: (
        "ServiceUnavailable",
        "A dependency is down; retry later.",
        "Not ready: database unreachable.",
        "service_unavailable",
    ),
    429: (
        "Throttled",
        "Too many requests; retry after `Retry-After` seconds.",
        "Request was throttled. Expected available in 12 seconds.",
        "throttled",
    ),
}

PRIMITIVES: dict[str, dict[str, Any]] = {
    "string": {"type": "string", "maxLength": 200},
    "integer": {"type": "integer"},
    "number": {"type": "number"},
    "boolean": {"type": "boolean"},
    "uuid": {"type": "string", "format": "uuid"},
    "date": {"type": "string", "format": "date"},
    "date-time": {"type": "string", "format": "date-time"},
    "email": {"type": "string", "format": "email", "maxLength": 254},
}

PAGINATION_PARAMS: dict[str, dict[str, Any]] = {
    "Page": {
        "name": "page",
        "in": "query",
        "required": False,
        "description": "1-based page number, used when no cursor is given.",
        "schema": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 1},
    },
    "PageSize": {
        "name": "page_size",
        "in": "query",
        "required": False,
        "description": "Items per page.",
        "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
    },
    "Cursor": {
        "name": "cursor",
        "in": "query",
        "required": False,
        "description": "Opaque signed cursor from `next_cursor`/`previous_cursor`.",
        "schema": {"type": "string", "minLength": 1, "maxLength": 500},
    },
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": REF_PREFIX + name}


def _type_schema(type_name: str) -> dict[str, Any]:
    return copy.deepcopy(PRIMITIVES[type_name]) if type_name in PRIMITIVES else _ref(type_name)


def _nullable_refs(node: Any) -> Any:
    """Rewrite `{allOf: [$ref], nullable: true}` as `anyOf: [$ref, null]`.

    The schema files use the readable OpenAPI 3.0 idiom, but connexion's validator only
    honours `nullable` beside `type`/`enum`, so it would refuse a null there.
    """
    if isinstance(node, list):
        return [_nullable_refs(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _nullable_refs(value) for key, value in node.items()}
    all_of = out.get("allOf")
    if out.get("nullable") and isinstance(all_of, list) and len(all_of) == 1 and "type" not in out:
        out.pop("nullable")
        out["anyOf"] = [out.pop("allOf")[0], {"nullable": True, "enum": [None]}]
    return out


def _page_schema(item: str, item_example: Any, path: str) -> dict[str, Any]:
    nullable_str = {"type": "string", "nullable": True}
    return {
        "type": "object",
        "description": f"One page of {item} (cursor pagination, DESIGN §3).",
        "required": ["results", "next", "previous", "next_cursor", "previous_cursor"],
        "properties": {
            "results": {"type": "array", "items": _ref(item)},
            "next": {**nullable_str, "description": "URL of the next page."},
            "previous": {**nullable_str, "description": "URL of the previous page."},
            "next_cursor": nullable_str,
            "previous_cursor": nullable_str,
        },
        "example": {
            "results": [item_example],
            "next": f"{path}?cursor=cD0yMDI2LTExLTI1.c2lnbmF0dXJl",
            "previous": None,
            "next_cursor": "cD0yMDI2LTExLTI1.c2lnbmF0dXJl",
            "previous_cursor": None,
        },
    }


class _Builder:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.extra_schemas: dict[str, Any] = {}
        self.used_errors: set[int] = set()
        self.used_params: set[str] = set()
        self.roots: set[str] = {"Error", "ValidationError"}

    def body_schema(self, spec: str, op: Operation) -> tuple[dict[str, Any], Any]:
        """Schema and example of a response body named `spec` (`Name` or `Name[]`)."""
        schemas = self.catalog.schemas
        item = spec.removesuffix("[]")
        self.roots.add(item)
        item_example = schemas[item]["example"]
        if not spec.endswith("[]"):
            return _ref(item), item_example
        if op.paginate:
            page = f"{item}Page"
            self.extra_schemas[page] = _page_schema(item, item_example, op.path)
            return _ref(page), self.extra_schemas[page]["example"]
        return {"type": "array", "items": _ref(item)}, [item_example]

    def error_statuses(self, op: Operation) -> list[int]:
        statuses = set(op.errors)
        if op.auth != "public":
            statuses.add(401)
        if op.auth in ("moderator", "admin") or (
            op.access and self.catalog.access[op.access]["forbidden"]
        ):
            statuses.add(403)
        if op.path_params:
            statuses.add(404)
        if op.throttle:
            statuses.add(429)
        return sorted(statuses)

    def parameters(self, op: Operation) -> list[dict[str, Any]]:
        params: list[dict[str, Any]] = []
        for name in op.path_params:
            params.append(
                {
                    "name": name,
                    "in": "path",
                    "required": True,
                    "schema": _type_schema(op.params.get(name, "uuid")),
                }
            )
        for name, type_name in op.query.items():
            required = type_name.endswith("!")
            params.append(
                {
                    "name": name,
                    "in": "query",
                    "required": required,
                    "schema": _type_schema(type_name.rstrip("!")),
                }
            )
            if type_name.rstrip("!") not in PRIMITIVES:
                self.roots.add(type_name.rstrip("!"))
        if op.paginate:
            for component in PAGINATION_PARAMS:
                self.used_params.add(component)
                params.append({"$ref": f"#/components/parameters/{component}"})
        if op.idempotent:
            component = (
                "IdempotencyKeyRequired" if op.idempotent == "required" else "IdempotencyKey"
            )
            self.used_params.add(component)
            params.append({"$ref": f"#/components/parameters/{component}"})
        return params

    def request_body(self, spec: str) -> dict[str, Any]:
        if spec == "binary":
            return {
                "required": True,
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        media, _, name = spec.rpartition(":")
        self.roots.add(name)
        content_type = "multipart/form-data" if media == "multipart" else "application/json"
        # A body that may be `{}` may be left out: the server reads no body as `{}` (a
        # PATCH that changes nothing), so it is only required when it must carry a field.
        schema = self.catalog.schemas[name]
        required = schema.get("type") != "object" or bool(schema.get("required"))
        return {"required": required, "content": {content_type: {"schema": _ref(name)}}}

    def operation(self, op: Operation) -> dict[str, Any]:
        out: dict[str, Any] = {"operationId": op.id, "summary": op.summary}
        if op.description:
            out["description"] = op.description
        out["tags"] = [op.tag]
        out["security"] = [] if op.auth == "public" else [{"bearerAuth": []}]
        params = self.parameters(op)
        if params:
            out["parameters"] = params
        if op.request:
            out["requestBody"] = self.request_body(op.request)
        responses: dict[str, Any] = {}
        for status, spec in op.responses.items():
            responses[status] = self.success_response(op, status, spec)
        if params or op.request:
            responses["400"] = {"$ref": "#/components/responses/BadRequest"}
        for status_code in self.error_statuses(op):
            self.used_errors.add(status_code)
            responses[str(status_code)] = {
                "$ref": f"#/components/responses/{ERROR_RESPONSES[status_code][0]}"
            }
        out["responses"] = dict(sorted(responses.items()))
        out["x-auth"] = op.auth
        if op.access:
            out["x-access"] = op.access
        if op.throttle:
            out["x-throttle"] = {"scope": op.throttle, "rate": self.catalog.throttles[op.throttle]}
        return out

    def success_response(self, op: Operation, status: str, spec: str | None) -> dict[str, Any]:
        descriptions = {"200": "OK", "201": "Created", "202": "Accepted", "204": "No content"}
        response: dict[str, Any] = {"description": descriptions.get(status, "Success")}
        if spec is not None:
            schema, example = self.body_schema(spec, op)
            response["content"] = {
                "application/json": {"schema": schema, "examples": {"default": {"value": example}}}
            }
        if op.links:
            response["links"] = {
                target: self.link(op, param, target)
                for param, targets in op.links.items()
                for target in targets
            }
        return response

    def link(self, op: Operation, param: str, target_id: str) -> dict[str, Any]:
        """Link to `target_id`.

        A path parameter of the target takes the new object's `id`, or a list's first item's
        (other path parameters come from this request); any other name is a field of the
        target's request body, taken from the field of that name in this response
        (`refresh` -> `refreshToken`).
        """
        target = next(o for o in self.catalog.operations if o.id == target_id)
        if param not in target.path_params:
            return {"operationId": target_id, "requestBody": {param: f"$response.body#/{param}"}}
        parameters = {
            name: f"$request.path.{name}" for name in target.path_params if name in op.path_params
        }
        spec = next((s for s in op.responses.values() if s), "")
        first = ("/results/0" if op.paginate else "/0") if spec.endswith("[]") else ""
        parameters[param] = f"$response.body#{first}/id"
        return {"operationId": target_id, "parameters": parameters}

    def components(self) -> dict[str, Any]:
        schemas = self.catalog.schemas
        names = sorted(closure(schemas, self.roots))
        all_schemas = {name: _nullable_refs(schemas[name]) for name in names} | dict(
            sorted(self.extra_schemas.items())
        )
        responses: dict[str, Any] = {
            "BadRequest": {
                "description": "Invalid input: a serializer error map (every invalid field), "
                "or `{detail, code}` for unreadable bodies.",
                "content": {
                    "application/json": {
                        "schema": {"anyOf": [_ref("ValidationError"), _ref("Error")]},
                        "examples": {"default": {"value": schemas["ValidationError"]["example"]}},
                    }
                },
            }
        }
        for status_code in sorted(self.used_errors):
            name, description, detail, code = ERROR_RESPONSES[status_code]
            response: dict[str, Any] = {
                "description": description,
                "content": {
                    "application/json": {
                        "schema": _ref("Error"),
                        "examples": {"default": {"value": {"detail": detail, "code": code}}},
                    }
                },
            }
            if status_code == 429:
                response["headers"] = {
                    "Retry-After": {
                        "description": "Seconds to wait before retrying.",
                        "schema": {"type": "integer", "minimum": 0},
                    }
                }
            responses[name] = response
        parameters = {
            name: PAGINATION_PARAMS[name] for name in PAGINATION_PARAMS if name in self.used_params
        }
        for component, required in (("IdempotencyKey", False), ("IdempotencyKeyRequired", True)):
            if component in self.used_params:
                parameters[component] = {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "required": required,
                    "description": "Client-chosen key; a replay with the same key returns "
                    "the first result instead of acting twice.",
                    "schema": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 255,
                        "pattern": "^[\\x21-\\x7e]+$",
                    },
                }
        return {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT",
                    "x-bearerInfoFunc": BEARER_INFO_FUNC,
                }
            },
            "parameters": parameters,
            "responses": responses,
            "schemas": all_schemas,
        }


def build_openapi(catalog: Catalog) -> dict[str, Any]:
    builder = _Builder(catalog)
    paths: dict[str, dict[str, Any]] = {}
    for op in catalog.operations:
        paths.setdefault(op.path, {})[op.method.lower()] = builder.operation(op)
    tags: list[str] = []
    for op in catalog.operations:
        if op.tag not in tags:
            tags.append(op.tag)
    return {
        "openapi": "3.0.3",
        "info": {
            "title": catalog.info["title"],
            "version": catalog.info["version"],
            "description": catalog.info.get("description", ""),
        },
        "tags": [{"name": tag} for tag in tags],
        "paths": paths,
        "components": builder.components(),
    }
