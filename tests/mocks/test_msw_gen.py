"""`watchparty gen msw`: MSW 2 and 3 variants, and the command's write/check cycle.

(That the committed mocks/msw matches the specs is tests/specs/test_gen.py's drift check.)

render_msw runs openapi-typescript with node (tools/msw): skipped without node and npm on a
developer box, a failure in CI (`tests.utils.services.require_tool`). The generated code itself
is exercised by test_msw.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tests.utils.services import require_tool
from watchparty import PROJECT_ROOT
from watchparty.cli import app
from watchparty.codegen.msw import OUT_DIR, render_msw

pytestmark = pytest.mark.service("node")


@pytest.fixture(autouse=True)
def _node_and_npm() -> None:
    require_tool("node")
    require_tool("npm")


def test_msw2_output_differs_only_in_imports() -> None:
    three, two = render_msw(PROJECT_ROOT), render_msw(PROJECT_ROOT, msw_major=2)
    assert three.keys() == two.keys()
    assert [rel for rel in three if three[rel] != two[rel]] == [
        f"{OUT_DIR}/handlers.ts",
        f"{OUT_DIR}/ws.ts",
    ]
    assert "from 'msw/http'" in three[f"{OUT_DIR}/handlers.ts"]
    assert "from 'msw/http'" not in two[f"{OUT_DIR}/handlers.ts"]


def test_msw_command_writes_and_checks(tmp_path: Path) -> None:
    out = tmp_path / "msw"

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(app, ["gen", "msw", "--out", str(out), "--msw", "2", *args])

    first = invoke()
    assert first.exit_code == 0, first.output
    assert "from 'msw'" in (out / "handlers.ts").read_text(encoding="utf-8")
    (out / "fixtures" / "removedOperation.json").write_text("{}", encoding="utf-8")
    (out / "ws.ts").write_text("// edited\n", encoding="utf-8")
    check = invoke("--check")
    assert check.exit_code == 1
    assert f"would change: {out / 'ws.ts'}" in check.output
    assert f"would remove: {out / 'fixtures' / 'removedOperation.json'}" in check.output
    assert invoke().exit_code == 0
    assert not (out / "fixtures" / "removedOperation.json").exists()
    assert invoke("--check").exit_code == 0
