"""The REST mock: every operation, Prefer forms, dynamic lists, and the real server's errors."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from mocks.app import create_mock_app
from mocks.operations import index_operations
from mocks.spec import SchemaChecker
from tests.mocks.conftest import MockClient
from tests.mocks.helpers import AUTH, COMPONENTS, SPEC, valid_call

OPS = index_operations(SPEC)
CHECKER = SchemaChecker(COMPONENTS)


def _conforms(op_id: str, response: httpx.Response) -> list[str]:
    op = OPS[op_id]
    status = str(response.status_code)
    assert status in op.responses, f"{op_id} answered undocumented {status}: {response.text[:200]}"
    schema = op.schema(status)
    if schema is None:
        return [] if not response.content else [f"{op_id} {status} has a body"]
    return [f"{op_id} {status} {e}" for e in CHECKER.errors(response.json(), schema)]


@pytest.mark.parametrize("dynamic", [False, True], ids=["examples", "dynamic"])
async def test_every_operation_answers_its_documented_success(
    mock_client: MockClient, dynamic: bool
) -> None:
    problems: list[str] = []
    async with mock_client(seed=3, dynamic=dynamic) as client:
        for op in OPS.values():
            call = valid_call(op)
            response = await client.request(call.method, call.url, **call.kwargs())
            assert response.status_code == int(op.success), (
                f"{op.id}: {response.status_code} {response.text[:300]}"
            )
            problems += _conforms(op.id, response)
    assert not problems, "\n".join(problems)
    print(f"mock served {len(OPS)}/{len(OPS)} operations ({'dynamic' if dynamic else 'examples'})")


async def test_same_seed_same_bytes(mock_client: MockClient) -> None:
    bodies = []
    for seed in (7, 7, 8):
        async with mock_client(seed=seed, dynamic=True) as client:
            bodies.append(
                (
                    await client.get(
                        "/api/parties/9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/", headers=AUTH
                    )
                ).content
            )
    assert bodies[0] == bodies[1] != bodies[2]


async def test_dynamic_item_carries_the_addressed_id(mock_http: httpx.AsyncClient) -> None:
    party_id = "0f0e0d0c-0b0a-4909-8807-060504030201"
    body = (
        await mock_http.get(f"/api/parties/{party_id}/", headers={**AUTH, "Prefer": "dynamic=true"})
    ).json()
    assert body["id"] == party_id


@pytest.mark.parametrize(
    ("prefer", "query", "status", "code"),
    [
        ("code=404", {}, 404, "not_found"),
        ("", {"__code": "404"}, 404, "not_found"),
        ("code=401", {}, 401, "not_authenticated"),
        ("code=418", {}, 422, "mock_prefer_invalid"),
        ("example=nope", {}, 422, "mock_prefer_invalid"),
        ("", {"__example": "nope"}, 422, "mock_prefer_invalid"),
    ],
)
async def test_prefer_code_and_example(
    mock_http: httpx.AsyncClient, prefer: str, query: dict[str, str], status: int, code: str
) -> None:
    response = await mock_http.get(
        "/api/parties/9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/",
        headers={**AUTH, "Prefer": prefer},
        params=query,
    )
    assert response.status_code == status
    assert response.json()["code"] == code


async def test_prefer_example_by_name(mock_http: httpx.AsyncClient) -> None:
    response = await mock_http.get(
        "/api/parties/", headers={**AUTH, "Prefer": "example=default, dynamic=true"}
    )
    assert response.json() == OPS["listParties"].examples("200")["default"]


async def test_prefer_429_has_a_real_retry_after(mock_http: httpx.AsyncClient) -> None:
    response = await mock_http.post(
        "/api/auth/login/",
        json={"email": "ana@example.com", "password": "x"},
        headers={"Prefer": "code=429"},
    )
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    wait = int(response.headers["Retry-After"])
    assert wait > 0 and str(wait) in response.json()["detail"]


async def test_dynamic_query_form_and_delay(mock_client: MockClient) -> None:
    async with mock_client(seed=1, delay_ms=0) as client:
        plain = (await client.get("/api/auth/me/", headers=AUTH)).json()
        dynamic = (
            await client.get(
                "/api/auth/me/", headers=AUTH, params={"__dynamic": "true", "__delay": "50"}
            )
        ).json()
        assert plain == OPS["getMe"].examples("200")["default"]
        assert dynamic != plain and not _conforms("getMe", httpx.Response(200, json=dynamic))


async def test_dynamic_list_walks_every_page_through_next(mock_http: httpx.AsyncClient) -> None:
    headers = {**AUTH, "Prefer": "dynamic=true"}
    url: str | None = "/api/parties/?page_size=7"
    seen: list[str] = []
    pages = 0
    while url:
        page = (await mock_http.get(url, headers=headers)).json()
        assert len(page["results"]) <= 7
        seen += [item["id"] for item in page["results"]]
        url = page["next"]
        pages += 1
    assert pages >= 4 and len(seen) == len(set(seen)) >= 25
    again = (
        await mock_http.get("/api/parties/", headers=headers, params={"page_size": 7, "page": 2})
    ).json()
    assert [i["id"] for i in again["results"]] == seen[7:14]
    assert again["previous"] is not None


async def test_next_links_keep_query_forms(mock_http: httpx.AsyncClient) -> None:
    page = (
        await mock_http.get(
            "/api/parties/", headers=AUTH, params={"__dynamic": "true", "page_size": 5}
        )
    ).json()
    assert "__dynamic=true" in page["next"]
    following = await mock_http.get(page["next"], headers=AUTH)
    assert following.status_code == 200 and len(following.json()["results"]) == 5


async def test_tampered_cursor_is_the_real_400(mock_http: httpx.AsyncClient) -> None:
    headers = {**AUTH, "Prefer": "dynamic=true"}
    cursor = (await mock_http.get("/api/parties/", headers=headers)).json()["next_cursor"]
    response = await mock_http.get(
        "/api/parties/", headers=headers, params={"cursor": cursor[:-2] + "xx"}
    )
    assert response.status_code == 400
    assert response.json() == {"cursor": ["Invalid cursor."]}


async def test_an_empty_blob_upload_is_the_servers_415(mock_http: httpx.AsyncClient) -> None:
    # schemathesis' coverage phase: the spec's required raw body, missing (the mock answered
    # 204 to anything); the server refuses no bytes as no video container.
    url = f"/api/videos/{uuid.uuid4()}/blob/?expires=0&signature={'0' * 64}"
    empty = await mock_http.put(url)
    assert empty.status_code == 415
    assert empty.json() == {
        "detail": "The file is not a video container.",
        "code": "unsupported_media_type",
    }
    sent = await mock_http.put(url, content=b"\x00\x00\x00\x18ftypmp42")
    assert sent.status_code == 204


async def test_token_shape_is_checked(mock_http: httpx.AsyncClient) -> None:
    assert (await mock_http.get("/api/auth/me/")).json()["code"] == "not_authenticated"
    bad = await mock_http.get("/api/auth/me/", headers={"Authorization": "Bearer not-a-jwt"})
    assert bad.status_code == 401 and bad.json()["code"] == "authentication_failed"


async def test_the_login_example_flow_issues_working_tokens(mock_client: MockClient) -> None:
    for dynamic in ("false", "true"):
        async with mock_client(seed=2) as client:
            prefer = {"Prefer": f"dynamic={dynamic}"}
            login = await client.post(
                "/api/auth/login/",
                json={"email": "ana@example.com", "password": "pw"},
                headers=prefer,
            )
            assert login.status_code == 200
            session = await client.post(
                "/api/auth/verify-2fa/",
                json={"challenge": "0b7c8e1f2a3d4c5b6a7980f1e2d3c4b5", "code": "123456"},
                headers=prefer,
            )
            access = session.json()["access"]
            me = await client.get("/api/auth/me/", headers={"Authorization": f"Bearer {access}"})
            assert me.status_code == 200, me.text


# -- the same 400/401/404 as the real server ------------------------------------------------

BAD_REQUESTS: list[tuple[str, str, dict[str, Any]]] = [
    ("POST", "/api/auth/register/", {"json": {}}),
    ("POST", "/api/auth/register/", {"json": {"email": "nope", "username": 3, "password": ""}}),
    (
        "POST",
        "/api/auth/login/",
        {"content": b"{not json", "headers": {"Content-Type": "application/json"}},
    ),
    (
        "POST",
        "/api/auth/login/",
        {"content": b"\xff\xfe", "headers": {"Content-Type": "application/json"}},
    ),
    (
        "PUT",
        "/api/videos/not-a-uuid/blob/",
        {"content": b"x", "headers": {"Content-Type": "application/octet-stream"}},
    ),
    ("GET", "/api/parties/", {}),
    ("GET", "/api/nowhere/", {}),
    ("DELETE", "/api/auth/login/", {}),
]


@pytest.mark.parametrize(
    ("method", "url", "kwargs"), BAD_REQUESTS, ids=[f"{m} {u}" for m, u, _ in BAD_REQUESTS]
)
async def test_bad_requests_get_the_real_servers_bytes(
    tmp_path: Any, method: str, url: str, kwargs: dict[str, Any]
) -> None:
    from watchparty.app import create_app
    from watchparty.settings import Settings

    real = create_app(
        Settings(env="test", data_dir=tmp_path / "var", secret_key="test-secret-" + "x" * 60)
    )
    mock = create_mock_app(seed=0)
    answers = []
    for app in (real, mock):
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        ) as http:
            answers.append(await http.request(method, url, **kwargs))
    assert answers[1].status_code == answers[0].status_code
    assert answers[1].content == answers[0].content
    assert answers[0].status_code in (400, 401, 404, 405)


def test_every_response_example_passes_the_servers_response_validation() -> None:
    problems = [
        f"{op.id} {status} {name}: {error}"
        for op in OPS.values()
        for status in op.responses
        if op.schema(status) is not None
        for name, example in op.examples(status).items()
        for error in CHECKER.errors(example, op.schema(status) or {})
    ]
    assert not problems, "\n".join(problems)


async def test_any_origin_may_call_the_mock(mock_http: httpx.AsyncClient) -> None:
    preflight = await mock_http.options(
        "/api/parties/",
        headers={
            "Origin": "http://localhost:3000",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Authorization, Content-Type, Prefer",
        },
    )
    assert preflight.status_code == 200  # no token needed for a preflight
    assert preflight.headers["access-control-allow-origin"] == "http://localhost:3000"
    assert preflight.headers["access-control-allow-credentials"] == "true"
    answer = await mock_http.get(
        "/api/parties/", headers={**AUTH, "Origin": "http://127.0.0.1:6006", "Prefer": "code=429"}
    )
    assert answer.headers["access-control-allow-origin"] == "http://127.0.0.1:6006"
    assert "Retry-After" in answer.headers["access-control-expose-headers"]


# The mock validates multipart forms before answering (`MultiPartBodyValidator`), with the
# errors the real server gives once it has read the streamed form (tests/api/test_support.py).
ATTACHMENT_URL = "/api/support/tickets/2a4b6c8d-1e3f-4a5b-9c7d-0e1f2a3b4c5d/attachments/"


async def test_multipart_form_errors_are_a_map(mock_http: httpx.AsyncClient) -> None:
    response = await mock_http.post(
        ATTACHMENT_URL, files={"unrelated": ("a.txt", b"x")}, headers=AUTH
    )
    assert (response.status_code, response.json()) == (400, {"file": ["This field is required."]})
    response = await mock_http.post(
        ATTACHMENT_URL, data={"body": "x" * 5001}, files={"file": ("a.png", b"x")}, headers=AUTH
    )
    assert response.json() == {"body": ["Ensure this field has no more than 5000 characters."]}
    response = await mock_http.post(
        ATTACHMENT_URL, content=b"xx", headers={**AUTH, "content-type": "multipart/form-data"}
    )
    assert (response.status_code, response.json()["code"]) == (400, "parse_error")
