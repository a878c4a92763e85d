"""Validate the project's AsyncAPI documents with the official AsyncAPI parser.

`tools/asyncapi-validate/validate.mjs` runs `@asyncapi/parser` (pinned in that folder's
package.json / package-lock.json) on each file, so these tests need Node and npm: on a developer
box without them they skip, in CI they fail (see `tests.utils.services.require_tool`).

The documents are found at collection time: `specs/asyncapi.yaml` plus every YAML file under
`specs/` whose top level has an `asyncapi` key. Three self-checks on documents written to tmp_path
keep the suite meaningful (and prove the validator can fail) even before any document exists.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.utils.services import require_node_tool

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "specs"
TOOL_DIR = ROOT / "tools" / "asyncapi-validate"
VALIDATE = TOOL_DIR / "validate.mjs"

VALIDATE_TIMEOUT = 300  # seconds: one parser run takes ~1-2 s; large $ref graphs take longer

# A diagnostic line printed by validate.mjs: `FILE[:LINE:COL]: error [code] message`.
ERROR_LINE = re.compile(r"^\S.*?(:\d+:\d+)?: error \[[^\]]+\] .+$", re.MULTILINE)
_TOP_LEVEL_ASYNCAPI = re.compile(r"^asyncapi[ \t]*:", re.MULTILINE)


def _is_asyncapi_document(path: Path) -> bool:
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        # Not loadable YAML: still an AsyncAPI document (a broken one, which the parser will
        # report) when a top-level `asyncapi:` key is written in it.
        return _TOP_LEVEL_ASYNCAPI.search(text) is not None
    return isinstance(data, dict) and "asyncapi" in data


def _asyncapi_documents() -> list[Path]:
    if not SPECS.is_dir():
        return []
    found = {SPECS / "asyncapi.yaml"} if (SPECS / "asyncapi.yaml").is_file() else set()
    for pattern in ("*.yaml", "*.yml"):
        found.update(p for p in SPECS.rglob(pattern) if p.is_file() and _is_asyncapi_document(p))
    return sorted(found)


def _document_params() -> list[object]:
    documents = _asyncapi_documents()
    if not documents:
        return [
            pytest.param(
                None,
                id="no-documents",
                marks=pytest.mark.skip(reason="no AsyncAPI document under specs/ yet"),
            )
        ]
    return [pytest.param(p, id=p.relative_to(ROOT).as_posix()) for p in documents]


@pytest.fixture(scope="session")
def validator_node() -> str:
    """Path of `node`, with the validator's pinned dependencies installed (`npm ci`) if needed."""
    return require_node_tool(TOOL_DIR)


def _validate(node: str, *files: Path) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            [node, str(VALIDATE), *(str(f) for f in files)],
            cwd=TOOL_DIR,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=VALIDATE_TIMEOUT,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"validate.mjs took over {exc.timeout} s on {', '.join(map(str, files))}")


def _output(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\n--- stdout\n{result.stdout}--- stderr\n{result.stderr}"


@pytest.mark.service("node")
@pytest.mark.parametrize("document", _document_params())
def test_asyncapi_document_is_valid(validator_node: str, document: Path) -> None:
    result = _validate(validator_node, document)
    assert result.returncode == 0, (
        f"{document.relative_to(ROOT)} is not a valid AsyncAPI document:\n{_output(result)}"
    )


MINIMAL_VALID = """\
asyncapi: 3.0.0
info:
  title: Validator self-check
  version: 1.0.0
channels:
  chat:
    address: parties/{partyId}/chat
    parameters:
      partyId:
        description: Party id.
    messages:
      chatMessage:
        $ref: '#/components/messages/ChatMessage'
operations:
  sendChat:
    action: send
    channel:
      $ref: '#/channels/chat'
    messages:
      - $ref: '#/channels/chat/messages/chatMessage'
components:
  messages:
    ChatMessage:
      payload:
        $ref: './schemas/chat.yaml#/ChatPayload'
"""

# Resolved relative to the document's own directory, not the validator's working directory.
MINIMAL_VALID_SCHEMAS = """\
ChatPayload:
  type: object
  required: [text]
  properties:
    text: {type: string}
"""

BROKEN = """\
asyncapi: 3.0.0
info:
  title: Validator self-check (broken)
channels:
  chat:
    address: 42
operations:
  shout:
    action: shout
    channel:
      $ref: '#/channels/nowhere'
"""


@pytest.mark.service("node")
def test_validator_accepts_minimal_valid_document(validator_node: str, tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "chat.yaml").write_text(MINIMAL_VALID_SCHEMAS, encoding="utf-8")
    document = tmp_path / "asyncapi.yaml"
    document.write_text(MINIMAL_VALID, encoding="utf-8")

    result = _validate(validator_node, document)

    assert result.returncode == 0, _output(result)
    assert ERROR_LINE.search(result.stdout + result.stderr) is None, _output(result)
    assert f"{document}: ok" in result.stdout, _output(result)


@pytest.mark.service("node")
def test_validator_rejects_broken_document(validator_node: str, tmp_path: Path) -> None:
    document = tmp_path / "broken.yaml"
    document.write_text(BROKEN, encoding="utf-8")

    result = _validate(validator_node, document)

    assert result.returncode == 1, _output(result)
    errors = [m.group(0) for m in ERROR_LINE.finditer(result.stderr)]
    assert errors, _output(result)
    assert any('"version"' in line for line in errors), _output(result)  # info.version missing
    assert any("#/channels/nowhere" in line for line in errors), _output(result)  # dangling $ref


@pytest.mark.service("node")
def test_validator_rejects_unresolvable_relative_ref(validator_node: str, tmp_path: Path) -> None:
    document = tmp_path / "asyncapi.yaml"
    document.write_text(MINIMAL_VALID, encoding="utf-8")  # but no schemas/chat.yaml beside it

    result = _validate(validator_node, document)

    assert result.returncode == 1, _output(result)
    assert any("schemas/chat.yaml" in m.group(0) for m in ERROR_LINE.finditer(result.stderr)), (
        _output(result)
    )
