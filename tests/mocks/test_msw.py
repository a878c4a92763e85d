"""The generated MSW mocks (mocks/msw): committed, type-correct, and answering like the spec.

`tools/msw/check-handlers.mjs` loads the handlers into `msw/node`'s `setupServer`, calls every
operation with fetch (its documented status, then every other documented status, example and
the dynamic data through `Prefer`), opens two sockets on every channel, and validates every
answer against the spec's schemas with ajv. It runs for MSW 3 under Node 22 (the npm registry's
`node@22` package, through npx) on the committed output, and for MSW 2 under the machine's Node
20 on output rendered here. `tsc --noEmit` type-checks both. Needs node and npm: skipped on a
developer box without them, a failure in CI (`tests.utils.services.require_tool`).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.utils.services import require_node_tool, require_tool
from watchparty import PROJECT_ROOT, SPECS_DIR
from watchparty.codegen.msw import (
    OUT_DIR,
    TOOL_DIR,
    render_msw,
)
from watchparty.codegen.msw.templates import resolve
from watchparty.codegen.schemas import to_json_schema

BASE_URL = "http://localhost:8000"
WS_BASE_URL = "ws://localhost:8000"
PATH_ID = "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
OPENAPI_ID = "urn:watchparty:openapi"
ASYNCAPI_ID = "urn:watchparty:asyncapi"
NODE_TIMEOUT_SECS = 600  # a cold `npx -p node@22` downloads Node first
# What each channel documents a joining socket receives (specs/backend-endpoints.json).
JOIN_FRAMES = {
    "party": ["session.welcome", "playback.state", "presence"],
    "chat": ["session.welcome"],
    "notifications": ["session.welcome"],
    "polls": ["session.welcome", "poll.list"],
    "screen_share": ["session.welcome", "share.state"],
    "voice": ["session.welcome", "voice.state"],
}

pytestmark = pytest.mark.service("node")


def _load(path: Path) -> Any:
    return yaml.load(
        path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    )


def _rebase(node: Any, prefix: str, new_prefix: str) -> Any:
    """Re-point `$ref`s that start with `prefix` (JSON Schema documents, no conversion)."""
    if isinstance(node, list):
        return [_rebase(item, prefix, new_prefix) for item in node]
    if not isinstance(node, dict):
        return node
    out = {
        key: _rebase(value, prefix, new_prefix)
        for key, value in node.items()
        if key != "discriminator"
    }
    if isinstance(out.get("$ref"), str) and out["$ref"].startswith(prefix):
        out["$ref"] = new_prefix + out["$ref"][len(prefix) :]
    return out


# --------------------------------------------------------------------------- the plan


def _request(op: dict[str, Any], openapi: dict[str, Any]) -> dict[str, Any]:
    headers = {"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig"}
    for param in op.get("parameters", []):
        param = resolve(param, openapi)
        if param["in"] == "header":
            headers[param["name"]] = "key-1"
    body = op.get("requestBody", {}).get("content", {})
    if "application/json" in body:
        headers["Content-Type"] = "application/json"
        return {
            "headers": headers,
            "bodyKind": "json",
            "body": resolve(body["application/json"]["schema"], openapi)["example"],
        }
    if "multipart/form-data" in body:
        schema = resolve(body["multipart/form-data"]["schema"], openapi)
        fields = {
            name: None
            if prop.get("format") == "binary"
            else schema.get("example", {}).get(name, "x")
            for name, prop in schema["properties"].items()
        }
        return {"headers": headers, "bodyKind": "multipart", "body": fields}
    if "application/octet-stream" in body:
        headers["Content-Type"] = "application/octet-stream"
        return {"headers": headers, "bodyKind": "binary", "body": None}
    return {"headers": headers, "bodyKind": None, "body": None}


def _operation_calls(
    method: str, path: str, op: dict[str, Any], openapi: dict[str, Any]
) -> list[dict[str, Any]]:
    """The documented status, then each documented status, the dynamic data and a query form."""
    url = BASE_URL + re.sub(r"\{[^}]+\}", PATH_ID, path)
    request = _request(op, openapi)
    schemas: dict[str, Any] = {}
    headers: dict[str, list[str]] = {}
    for status, response in op["responses"].items():
        response = resolve(response, openapi)
        content = response.get("content", {}).get("application/json")
        if content is not None:
            content = to_json_schema(content["schema"], f"{OPENAPI_ID}#/$defs/")
        schemas[status] = content
        headers[status] = sorted(response.get("headers", {}))
    success = sorted(int(s) for s in op["responses"] if s.startswith("2"))

    def call(name: str, prefer: str | None, statuses: list[int], query: str = "") -> dict[str, Any]:
        return {
            "name": f"{op['operationId']} {name}".strip(),
            "method": method.upper(),
            "url": url + query,
            **request,
            "headers": {**request["headers"], **({"Prefer": prefer} if prefer else {})},
            "expect": {"statuses": statuses, "schemas": schemas, "headers": headers},
        }

    calls = [call("", None, success)]
    calls += [call(f"code={s}", f"code={s}", [int(s)]) for s in op["responses"]]
    if any(schemas[str(s)] is not None for s in success):
        calls.append(call("dynamic", "dynamic=true", success))
    if "404" in op["responses"]:
        calls.append(call("?__code=404", None, [404], "?__code=404"))
    return calls


def _auth_calls(openapi: dict[str, Any]) -> list[dict[str, Any]]:
    """With `requireAuth`: no token is a 401 where the spec wants a user, and fine elsewhere."""
    me = _operation_calls("get", "/api/auth/me/", openapi["paths"]["/api/auth/me/"]["get"], openapi)
    plans = _operation_calls(
        "get", "/api/billing/plans/", openapi["paths"]["/api/billing/plans/"]["get"], openapi
    )
    anonymous = [{**c, "headers": {}} for c in (me[0], plans[0])]
    return [
        {
            **anonymous[0],
            "name": "getMe requireAuth",
            "expect": {**me[0]["expect"], "statuses": [401]},
        },
        {**anonymous[1], "name": "listPlans requireAuth"},
        {**me[0], "name": "getMe requireAuth with a token"},
    ]


def _calls(openapi: dict[str, Any]) -> list[dict[str, Any]]:
    calls = [
        call
        for path, item in openapi["paths"].items()
        for method, op in item.items()
        if isinstance(op, dict) and "operationId" in op
        for call in _operation_calls(method, path, op, openapi)
    ]
    # A status the spec does not document: the mock's own 422, as `watchparty mock` answers.
    error = {"$ref": f"{OPENAPI_ID}#/$defs/Error"}
    expect = {"statuses": [422], "schemas": {"422": error}, "headers": {}}
    getme = next(c for c in calls if c["name"] == "getMe")
    prefer = {**getme["headers"], "Prefer": "code=418"}
    return [*calls, {**getme, "name": "getMe code=418", "headers": prefer, "expect": expect}]


def _sockets(asyncapi: dict[str, Any]) -> list[dict[str, Any]]:
    sides: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for operation in asyncapi["operations"].values():
        channel = operation["channel"]["$ref"].rsplit("/", 1)[-1]
        side = "send" if operation["action"] == "receive" else "server"
        for ref in operation["messages"]:
            sides.setdefault(channel, {"send": [], "server": []})[side].append(
                resolve(ref, asyncapi)
            )
    sockets = []
    for name, channel in asyncapi["channels"].items():
        address = WS_BASE_URL + re.sub(r"\{[^}]+\}", PATH_ID, channel["address"])
        sent = [
            {**m["examples"][0]["payload"], "id": f"c-{i}"}
            for i, m in enumerate(sides[name]["send"])
        ]
        sockets.append(
            {
                "channel": name,
                "url": f"{address}?token=eyJhbGciOiJIUzI1NiJ9.e30.sig",
                "anonymousUrl": address,
                "server": {
                    m["name"]: m["payload"]["$ref"].replace(
                        "#/components/schemas/", f"{ASYNCAPI_ID}#/$defs/"
                    )
                    for m in sides[name]["server"]
                },
                "send": [*sent, "not json"],
            }
        )
    return sockets


@pytest.fixture(scope="module")
def plan() -> dict[str, Any]:
    openapi, asyncapi = _load(SPECS_DIR / "openapi.yaml"), _load(SPECS_DIR / "asyncapi.yaml")
    openapi_defs = {
        n: to_json_schema(s, f"{OPENAPI_ID}#/$defs/")
        for n, s in openapi["components"]["schemas"].items()
    }
    asyncapi_defs = _rebase(
        asyncapi["components"]["schemas"], "#/components/schemas/", f"{ASYNCAPI_ID}#/$defs/"
    )
    return {
        "schemas": {
            "openapi": {"$id": OPENAPI_ID, "$defs": openapi_defs},
            "asyncapi": {"$id": ASYNCAPI_ID, "$defs": asyncapi_defs},
        },
        "calls": _calls(openapi),
        "authCalls": _auth_calls(openapi),
        "sockets": _sockets(asyncapi),
    }


# --------------------------------------------------------------------------- node and work folders


@pytest.fixture(scope="module")
def node() -> str:
    """System node, with tools/msw's pinned packages installed (`npm ci`) when missing."""
    return require_node_tool(TOOL_DIR)


@pytest.fixture(scope="module")
def node22(node: str, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """`node` of the registry's node@22 package (MSW 3 needs >= 22.12), run through npx."""
    spec = json.loads((TOOL_DIR / "package.json").read_text(encoding="utf-8"))["config"]["node22"]
    npx = require_tool("npx")
    # Outside tools/msw: its .npmrc ignores install scripts, and the `node` package installs
    # its binary from one (without it npx silently runs the system node).
    command = [npx, "--yes", "--ignore-scripts=false", "-p", spec, "node"]
    result = _run([*command, "-p", "process.version"], cwd=tmp_path_factory.mktemp("npx"))
    version = tuple(int(n) for n in result.stdout.strip().lstrip("v").split("."))
    assert version >= (22, 12), (
        f"{spec} through npx runs node {result.stdout.strip()}: a cache entry installed with "
        "--ignore-scripts? remove it from the npx cache (`npm cache npx rm`) and rerun"
    )
    return command


def _run(command: list[str], cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    try:
        result = subprocess.run(
            command,
            cwd=cwd,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=NODE_TIMEOUT_SECS,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"{' '.join(command)} took over {exc.timeout} s")
    if check and result.returncode != 0:
        output = f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
        pytest.fail(f"{' '.join(command)} exited {result.returncode}:\n{output}")
    return result


def _work_dir(base: Path, msw_major: int, files: dict[str, str], plan: dict[str, Any]) -> Path:
    """A folder where `msw` is the major under test, with the generated files, plan and runner."""
    for rel, text in files.items():
        path = base / "msw" / rel.removeprefix(f"{OUT_DIR}/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    modules = TOOL_DIR / "node_modules"
    if msw_major == 3:
        (base / "node_modules").symlink_to(modules, target_is_directory=True)
    else:  # the same packages, but `msw` is the `msw-2` alias
        (base / "node_modules").mkdir()
        for entry in modules.iterdir():
            if entry.name not in ("msw", "msw-2", ".bin", ".cache", ".package-lock.json"):
                (base / "node_modules" / entry.name).symlink_to(entry)
        (base / "node_modules" / "msw").symlink_to(modules / "msw-2", target_is_directory=True)
    shutil.copy(TOOL_DIR / "check-handlers.mjs", base / "check-handlers.mjs")
    (base / "tsconfig.json").write_text(
        json.dumps({"extends": str(TOOL_DIR / "tsconfig.json"), "include": ["msw/*.ts"]}),
        encoding="utf-8",
    )
    (base / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    (base / "package.json").write_text('{"type": "module"}\n', encoding="utf-8")  # as a frontend's
    return base


@pytest.fixture(scope="module", params=[3, 2], ids=["msw3-node22", "msw2-node20"])
def variant(
    request: pytest.FixtureRequest,
    node: str,
    plan: dict[str, Any],
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Any]:
    """A work folder and the node command for one MSW major, and the runner's report on it."""
    major: int = request.param
    if major == 3:
        out = PROJECT_ROOT / OUT_DIR
        files = {
            f"{OUT_DIR}/{p.relative_to(out).as_posix()}": p.read_text(encoding="utf-8")
            for p in out.rglob("*")
            if p.is_file()
        }
        command = request.getfixturevalue("node22")
    else:
        files = render_msw(PROJECT_ROOT, msw_major=2)
        # Node 20 has WebSocket behind a flag (MSW intercepts the global one).
        command = [node, "--experimental-websocket", "--no-warnings"]
    work = _work_dir(tmp_path_factory.mktemp(f"msw{major}"), major, files, plan)
    result = _run([*command, "check-handlers.mjs", str(work)], cwd=work)
    report: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return {"major": major, "work": work, "report": report, "stderr": result.stderr}


# --------------------------------------------------------------------------- tests


def test_handlers_type_check(variant: dict[str, Any]) -> None:
    tsc = TOOL_DIR / "node_modules" / "typescript" / "bin" / "tsc"
    result = _run(
        [require_tool("node"), str(tsc), "--noEmit", "-p", str(variant["work"] / "tsconfig.json")],
        cwd=variant["work"],
        check=False,
    )
    assert result.returncode == 0, (
        f"tsc --noEmit (MSW {variant['major']}):\n{result.stdout}\n{result.stderr}"
    )


def test_every_operation_answers_per_the_spec(
    variant: dict[str, Any], plan: dict[str, Any]
) -> None:
    report = variant["report"]
    assert report["handlers"] == len({c["name"].split()[0] for c in plan["calls"]})
    assert len(report["calls"]) == len(plan["calls"]) + len(plan["authCalls"])
    failures = [f"{c['name']}: {'; '.join(c['errors'])}" for c in report["calls"] if c["errors"]]
    where = f"MSW {variant['major']} on node {report['node']}"
    assert failures == [], f"{where}:\n" + "\n".join(failures) + f"\n{variant['stderr'][-3000:]}"
    if variant["major"] == 3:  # MSW 3 needs node >= 22.12
        assert tuple(int(n) for n in report["node"].lstrip("v").split(".")) >= (22, 12), where


def _exchange(socket: dict[str, Any], sent_type: str) -> dict[str, Any]:
    return next(
        e
        for e in socket["exchanges"]
        if isinstance(e["sent"], dict) and e["sent"]["type"] == sent_type
    )


def test_every_channel_greets_and_replies(variant: dict[str, Any]) -> None:
    sockets = {s["channel"]: s for s in variant["report"]["sockets"]}
    assert sockets.keys() == JOIN_FRAMES.keys()
    for name, socket in sockets.items():
        assert socket["errors"] == [], f"{name}: {socket['errors']}"
        assert [f["type"] for f in socket["greeting"]] == JOIN_FRAMES[name]
        assert socket["anonymousClose"] == 4401, name
        for exchange in socket["exchanges"]:
            frames = exchange["sender"] + exchange["peer"]
            if exchange["sent"] == "not json":
                assert [(f["type"], f["payload"]["code"]) for f in frames] == [
                    ("error", "invalid_json")
                ]
            else:
                assert frames, f"{name}: nothing answers {exchange['sent']['type']}"
                assert all(f["type"] != "error" for f in frames), f"{name}: {frames}"

    ping = _exchange(sockets["party"], "sync.ping")
    assert [f["type"] for f in ping["sender"]] == ["sync.pong"] and ping["peer"] == []
    pong = ping["sender"][0]
    assert pong["id"] == ping["sent"]["id"]
    assert pong["payload"]["client_ts"] == ping["sent"]["payload"]["client_ts"]

    seek = _exchange(sockets["party"], "playback.seek")
    for state in seek["sender"] + seek["peer"]:
        assert (state["type"], state["payload"]["cause"]) == ("playback.state", "seek")
        assert state["payload"]["position"] == seek["sent"]["payload"]["position"]
    assert len(seek["peer"]) == 1, "playback.state goes to the whole room"

    send = _exchange(sockets["chat"], "message.send")
    for created in send["sender"] + send["peer"]:
        assert created["type"] == "message.created"
        assert created["payload"]["content"] == send["sent"]["payload"]["content"]
        assert created["payload"]["client_id"] == send["sent"]["payload"].get("client_id")
    assert len(send["sender"]) == len(send["peer"]) == 1, "message.created goes to the whole room"


def test_runner_catches_a_wrong_fixture_and_a_missing_handler(
    node: str, plan: dict[str, Any], tmp_path: Path
) -> None:
    files = render_msw(PROJECT_ROOT, msw_major=2)
    fixture_path = f"{OUT_DIR}/fixtures/getParty.json"
    fixture = json.loads(files[fixture_path])
    del fixture["responses"]["200"]["examples"]["default"]["title"]
    files[fixture_path] = json.dumps(fixture)
    handlers = files[f"{OUT_DIR}/handlers.ts"]
    files[f"{OUT_DIR}/handlers.ts"] = "\n".join(
        line for line in handlers.splitlines() if "fixtures.getMe)" not in line
    )
    small = {
        **plan,
        "sockets": [],
        "calls": [c for c in plan["calls"] if c["name"].split()[0] in ("getParty", "getMe")],
    }
    work = _work_dir(tmp_path, 2, files, small)

    result = _run(
        [node, "--experimental-websocket", "--no-warnings", "check-handlers.mjs", str(work)],
        cwd=work,
    )

    errors = {
        c["name"]: " ".join(c["errors"])
        for c in json.loads(result.stdout.splitlines()[-1])["calls"]
    }
    assert "must have required property 'title'" in errors["getParty"]
    assert "must have required property 'title'" in errors["getParty code=200"]
    assert errors["getParty code=404"] == ""
    assert "request failed" in errors["getMe"]
