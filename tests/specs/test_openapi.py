"""The generated OpenAPI document: valid, complete, and every operation follows DESIGN §3."""

from __future__ import annotations

import re
from typing import Any

import pytest
from openapi_spec_validator import validate

from generated.operations import OPERATIONS

METHODS = ("get", "post", "put", "patch", "delete")


def operations_of(openapi: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (m, p, op) for p, item in openapi["paths"].items() for m, op in item.items() if m in METHODS
    ]


def test_is_valid_openapi_3_0_3(openapi: dict[str, Any]) -> None:
    assert openapi["openapi"] == "3.0.3"
    validate(openapi)


def test_every_operation_follows_the_conventions(openapi: dict[str, Any]) -> None:
    for method, path, op in operations_of(openapi):
        where = f"{method.upper()} {path}"
        assert path.startswith("/api/") and path.endswith("/"), where
        assert re.fullmatch(r"[a-z][A-Za-z0-9]*", op["operationId"]), where
        responses = op["responses"]
        public = op["security"] == []
        assert public == (op["x-auth"] == "public"), where
        if not public:
            assert "401" in responses, where
        if "{" in path:
            assert "404" in responses, where
        if op.get("x-throttle"):
            assert responses["429"] == {"$ref": "#/components/responses/Throttled"}, where
        if op.get("parameters") or op.get("requestBody"):
            assert "400" in responses, where
        assert any(code.startswith("2") for code in responses), where


def test_request_body_is_required_unless_it_may_be_empty(openapi: dict[str, Any]) -> None:
    schemas = openapi["components"]["schemas"]
    optional = set()
    for method, path, op in operations_of(openapi):
        body = op.get("requestBody")
        if body is None or "application/json" not in body["content"]:
            continue
        ref = body["content"]["application/json"]["schema"]["$ref"]
        schema = schemas[ref.rpartition("/")[2]]
        assert body["required"] == bool(schema.get("required")), f"{method.upper()} {path}"
        if not body["required"]:
            optional.add(op["operationId"])
    assert {"updateMe", "updateParty"} <= optional


def test_links_carry_ids_into_paths_and_fields_into_bodies(openapi: dict[str, Any]) -> None:
    created = openapi["paths"]["/api/parties/"]["post"]["responses"]["201"]["links"]
    assert created["getParty"] == {
        "operationId": "getParty",
        "parameters": {"partyId": "$response.body#/id"},
    }
    session = openapi["paths"]["/api/auth/login/"]["post"]["responses"]["200"]["links"]
    assert session["refreshToken"] == {
        "operationId": "refreshToken",
        "requestBody": {"refresh": "$response.body#/refresh"},
    }
    assert session["verifyTwoFactor"]["requestBody"] == {"challenge": "$response.body#/challenge"}
    # A list links its first item; other path parameters come from the list's own path.
    listed = openapi["paths"]["/api/parties/{partyId}/invitations/"]["get"]["responses"]["200"]
    assert listed["links"]["revokeInvitation"]["parameters"] == {
        "partyId": "$request.path.partyId",
        "invitationId": "$response.body#/results/0/id",
    }


def test_throttled_answers_carry_retry_after(openapi: dict[str, Any]) -> None:
    throttled = openapi["components"]["responses"]["Throttled"]
    assert throttled["headers"]["Retry-After"]["schema"]["type"] == "integer"


def test_lists_are_paginated_with_the_envelope(openapi: dict[str, Any]) -> None:
    listed = [
        (m, p, op) for m, p, op in operations_of(openapi) if OPERATIONS[op["operationId"]].paginate
    ]
    assert listed, "no paginated operation"
    for _method, path, op in listed:
        refs = {param.get("$ref") for param in op["parameters"]}
        assert {
            "#/components/parameters/Page",
            "#/components/parameters/PageSize",
            "#/components/parameters/Cursor",
        } <= refs, path
        ref = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        page = openapi["components"]["schemas"][ref.rsplit("/", 1)[1]]
        assert page["required"] == [
            "results",
            "next",
            "previous",
            "next_cursor",
            "previous_cursor",
        ], path


def test_operations_table_matches_the_spec(openapi: dict[str, Any]) -> None:
    in_spec = {op["operationId"]: (m.upper(), p) for m, p, op in operations_of(openapi)}
    assert in_spec == {op_id: (info.method, info.path) for op_id, info in OPERATIONS.items()}


@pytest.mark.parametrize("status", ["400", "401", "403", "404", "429"])
def test_error_responses_use_the_documented_shapes(openapi: dict[str, Any], status: str) -> None:
    names = {
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "404": "NotFound",
        "429": "Throttled",
    }
    response = openapi["components"]["responses"].get(names[status])
    if response is None:
        pytest.skip(f"no operation answers {status}")
    schema = response["content"]["application/json"]["schema"]
    expected = (
        {
            "anyOf": [
                {"$ref": "#/components/schemas/ValidationError"},
                {"$ref": "#/components/schemas/Error"},
            ]
        }
        if status == "400"
        else {"$ref": "#/components/schemas/Error"}
    )
    assert schema == expected
