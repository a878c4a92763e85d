"""Every error leaves as `{detail, code}` or a serializer map (DESIGN §3), never problem+json.

Test handlers are bound through `create_app(..., overrides=...)`, so these tests do not depend
on which real handlers exist.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

import httpx
import pytest
from connexion.exceptions import Forbidden

from watchparty import errors
from watchparty.resolver import Handler

PLANS = [
    {
        "slug": "plus",
        "name": "Plus",
        "description": "Bigger parties.",
        "price_cents": 499,
        "currency": "usd",
        "interval": "month",
        "limits": {
            "max_participants": 25,
            "uploads_allowed": True,
            "upload_quota_bytes": 1,
            "max_upload_bytes": 1,
        },
        "features": [],
    }
]
JSON = {"content-type": "application/json"}
AuthHeaders = Callable[..., dict[str, str]]


async def echo_login(body: dict[str, Any]) -> tuple[dict[str, Any], int]:
    # A valid LoginResponse that shows what the handler received.
    return {"two_factor_required": True, "challenge": body["email"]}, 200


async def raise_runtime_error() -> Any:
    raise RuntimeError("boom: secret internals")


async def off_spec_plans() -> tuple[Any, int]:
    return {"not": "a list"}, 200


async def raise_throttled() -> Any:
    raise errors.Throttled(42)


async def raise_forbidden() -> Any:
    raise Forbidden()


async def raise_field_error(body: dict[str, Any]) -> Any:
    raise errors.ValidationFailed({"email": ["Already taken."], "non_field_errors": ["Nope."]})


@pytest.fixture
def overrides() -> Mapping[str, Handler]:
    return {
        "login": echo_login,
        "listPlans": raise_runtime_error,
        "getSubscription": off_spec_plans,
        "cancelSubscription": raise_throttled,
        "listInvoices": raise_forbidden,
        "register": raise_field_error,
    }


def assert_error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    assert set(body) == {"detail", "code"}
    assert body["code"] == code
    assert isinstance(body["detail"], str) and body["detail"]
    return body


# -- 400: serializer maps ----------------------------------------------------------------


async def test_body_map_lists_every_invalid_field_with_dotted_names(
    client: httpx.AsyncClient, auth_headers: AuthHeaders
) -> None:
    response = await client.post(
        "/api/parties/",
        headers=auth_headers(),
        json={
            "title": "",
            "scheduled_for": "next friday",
            "video": "not-a-uuid",
            "description": "x" * 2001,
            "settings": {"max_participants": 1, "visibility": "secret", "chat_enabled": "yes"},
        },
    )
    assert response.status_code == 400
    assert response.json() == {
        "title": ["This field may not be blank."],
        "scheduled_for": ["Datetime has wrong format. Use RFC 3339, e.g. 2026-01-15T18:30:00Z."],
        "video": ["Must be a valid UUID."],
        "description": ["Ensure this field has no more than 2000 characters."],
        "settings.max_participants": ["Ensure this value is greater than or equal to 2."],
        "settings.visibility": ['"secret" is not a valid choice.'],
        "settings.chat_enabled": ["Must be a valid boolean."],
    }


async def test_body_map_names_missing_required_fields_and_list_items(
    client: httpx.AsyncClient, auth_headers: AuthHeaders
) -> None:
    party = uuid.uuid4()
    response = await client.post(
        f"/api/parties/{party}/invite/",
        headers=auth_headers(),
        json={"emails": ["ben@example.com", "nope"], "message": None},
    )
    assert response.status_code == 400
    assert response.json() == {
        "emails.1": ["Enter a valid email address."],
        "message": ["This field may not be null."],
    }
    response = await client.post("/api/auth/login/", json={"email": "ana@example.com"})
    assert response.json() == {"password": ["This field is required."]}


async def test_empty_body_reports_each_required_field(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/auth/login/")
    assert response.status_code == 400
    assert response.json() == {
        "email": ["This field is required."],
        "password": ["This field is required."],
    }


async def test_body_that_is_not_an_object_is_a_non_field_error(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/auth/login/", json=["ana@example.com"])
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Invalid data. Expected a dictionary, but got array."]
    }


async def test_query_and_path_parameters_in_one_map(client: httpx.AsyncClient) -> None:
    response = await client.put(
        "/api/videos/not-a-uuid/blob/",
        params={"expires": "soon"},
        content=b"\x00",
        headers={"content-type": "application/octet-stream"},
    )
    assert response.status_code == 400
    assert response.json() == {
        "expires": ["A valid integer is required."],
        "signature": ["This field is required."],
        "videoId": ["Must be a valid UUID."],
    }


async def test_authenticated_query_parameters_all_reported(
    client: httpx.AsyncClient, auth_headers: AuthHeaders
) -> None:
    response = await client.get(
        "/api/parties/1234/participants/",
        params={"page_size": "0", "page": "first", "status": "dancing"},
        headers=auth_headers(),
    )
    assert response.status_code == 400
    body = response.json()
    assert body["partyId"] == ["Must be a valid UUID."]
    assert body["page_size"] == ["Ensure this value is greater than or equal to 1."]
    assert body["page"] == ["A valid integer is required."]
    assert body["status"] == ['"dancing" is not a valid choice.']


async def test_handler_validation_failed_renders_as_map(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/auth/register/",
        json={"username": "ana", "email": "ana@example.com", "password": "correct-horse"},
    )
    assert response.status_code == 400
    assert response.json() == {"email": ["Already taken."], "non_field_errors": ["Nope."]}


async def test_unstorable_text_is_a_field_error_wherever_it_is(
    client: httpx.AsyncClient, auth_headers: AuthHeaders
) -> None:
    body = {"emails": ["ben@example.com", "\ud83d"], "message": "hi\x00", "x\x00": 1}
    response = await client.post(
        f"/api/parties/{uuid.UUID(int=1)}/invite/",
        headers={**auth_headers(), **JSON},
        content=json.dumps(body),  # httpx would not encode the lone surrogate
    )
    assert response.status_code == 400
    body = response.json()
    assert body["emails.1"][-1] == "Surrogate characters are not allowed: U+D83D."
    assert body["message"] == ["Null characters are not allowed."]
    assert "Null characters are not allowed." in body["non_field_errors"]
    response = await client.get(
        "/api/parties/", params={"status": "live\x00"}, headers=auth_headers()
    )
    assert response.json()["status"][-1] == "Null characters are not allowed."


# -- 400: unreadable bodies ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        pytest.param(b'{"email": "ana@example.com",', "application/json", id="truncated"),
        pytest.param(b"{'email': 'single quotes'}", "application/json", id="not-json"),
        pytest.param(b'{"email": NaN, "password": "x"}', "application/json", id="nan"),
        pytest.param(b'{"email": "\xff\xfe", "password": "x"}', "application/json", id="bad-utf8"),
        pytest.param(b'{"email": "a@b.c"}', "application/json;charset=klingon", id="bad-charset"),
    ],
)
async def test_unreadable_body_is_parse_error(
    client: httpx.AsyncClient, content: bytes, content_type: str
) -> None:
    response = await client.post(
        "/api/auth/login/", content=content, headers={"content-type": content_type}
    )
    assert_error(response, 400, "parse_error")


async def test_valid_body_reaches_the_handler(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/auth/login/", json={"email": "ana@example.com", "password": "pw"}
    )
    assert response.status_code == 200
    assert response.json()["challenge"] == "ana@example.com"


async def test_json_body_without_content_type_reaches_the_handler_parsed(
    client: httpx.AsyncClient,
) -> None:
    # connexion validates it as the operation's JSON, then handed the handler raw bytes (500).
    response = await client.post(
        "/api/auth/login/", content=b'{"email": "ana@example.com", "password": "pw"}'
    )
    assert response.status_code == 200, response.text
    assert response.json()["challenge"] == "ana@example.com"


async def test_null_body_is_not_a_missing_body(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/auth/login/", content=b"null", headers=JSON)
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["This field may not be null."]}


async def test_chunked_body_without_content_length_is_read(client: httpx.AsyncClient) -> None:
    # connexion alone would call this body missing: it only looks at Content-Length.
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"email": "ana@example.com",'
        yield b' "password": "pw"}'

    response = await client.post("/api/auth/login/", content=chunks(), headers=JSON)
    assert response.status_code == 200, response.text
    assert response.json()["challenge"] == "ana@example.com"


# -- 401, 403, 404, 405, 415, 429, 501 ------------------------------------------------------


async def test_missing_token_is_not_authenticated(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/auth/me/")
    assert_error(response, 401, "not_authenticated")
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "authorization",
    ["Bearer garbage", "Bearer", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0."],
    ids=["garbage", "empty", "alg-none"],
)
async def test_bad_token_is_authentication_failed(
    client: httpx.AsyncClient, authorization: str
) -> None:
    response = await client.get("/api/auth/me/", headers={"Authorization": authorization})
    assert_error(response, 401, "authentication_failed")
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_connexion_forbidden_is_permission_denied(
    client: httpx.AsyncClient, auth_headers: AuthHeaders
) -> None:
    response = await client.get("/api/billing/invoices/", headers=auth_headers())
    assert_error(response, 403, "permission_denied")


async def test_unknown_route_is_not_found(client: httpx.AsyncClient) -> None:
    assert_error(await client.get("/api/no-such-thing/"), 404, "not_found")
    assert_error(await client.get("/elsewhere"), 404, "not_found")
    # A newline in a segment escapes the API mount; the outer router answers in our shape.
    assert_error(await client.get("/api/notifications/%0Ax/read/"), 404, "not_found")


async def test_wrong_method_is_method_not_allowed(client: httpx.AsyncClient) -> None:
    response = await client.delete("/api/auth/login/")
    assert_error(response, 405, "method_not_allowed")
    assert response.headers["allow"] == "POST"


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("OPTIONS", "/api/auth/me/", "GET, HEAD, PATCH"),
        ("PUT", f"/api/parties/{uuid.UUID(int=1)}/", "GET, HEAD, PATCH, DELETE"),
        # The literal path names its own resource, though `/api/videos/{videoId}/` matches it.
        ("PUT", "/api/videos/upload/", "POST"),
        # Routing takes these for the template's own methods (GET and DELETE of an id).
        ("GET", "/api/videos/upload/", "POST"),
        ("DELETE", f"/api/chat/{uuid.UUID(int=1)}/messages/send/", "POST"),
        ("GET", "/api/invitations/claim/", "POST"),
    ],
)
async def test_method_not_allowed_lists_every_method_of_the_resource(
    client: httpx.AsyncClient, method: str, path: str, allow: str
) -> None:
    # Routing has a route per operation: its own Allow named the first one's methods only.
    response = await client.request(method, path)
    assert_error(response, 405, "method_not_allowed")
    assert response.headers["allow"] == allow


async def test_wrong_content_type_is_unsupported_media_type(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/auth/login/", content=b"email=a", headers={"content-type": "text/plain"}
    )
    body = assert_error(response, 415, "unsupported_media_type")
    assert body["detail"] == 'Unsupported media type "text/plain" in request.'


async def test_api_error_headers_are_sent(
    client: httpx.AsyncClient, auth_headers: AuthHeaders
) -> None:
    response = await client.post("/api/billing/cancel/", headers=auth_headers())
    assert_error(response, 429, "throttled")
    assert response.headers["retry-after"] == "42"


# -- 500 -------------------------------------------------------------------------------------


async def test_unhandled_exception_is_server_error_and_logged(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="watchparty.errors"):
        response = await client.get("/api/billing/plans/")
    body = assert_error(response, 500, "server_error")
    assert body["detail"] == "A server error occurred."
    assert "boom" not in response.text
    [record] = [r for r in caplog.records if r.name == "watchparty.errors"]
    assert record.exc_info is not None and "boom" in str(record.exc_info[1])
    assert "/api/billing/plans/" in record.getMessage()


async def test_off_spec_response_is_loud(
    client: httpx.AsyncClient, auth_headers: AuthHeaders, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="watchparty.errors"):
        response = await client.get("/api/billing/subscription/", headers=auth_headers())
    assert_error(response, 500, "server_error")
    assert any("NonConformingResponse" in r.getMessage() for r in caplog.records)


async def test_no_error_is_problem_json(client: httpx.AsyncClient) -> None:
    for response in (
        await client.get("/api/auth/me/"),
        await client.post("/api/auth/login/", content=b"{", headers=JSON),
        await client.get("/nope"),
    ):
        assert "problem" not in response.headers["content-type"]
