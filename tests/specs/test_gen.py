"""`watchparty gen`: deterministic, committed, and one edit flows through every output."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from watchparty import PROJECT_ROOT
from watchparty.cli import app
from watchparty.codegen import drift, render, write


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    return render(PROJECT_ROOT)


def test_committed_outputs_match_the_catalog(rendered: dict[str, str]) -> None:
    assert drift(PROJECT_ROOT, rendered) == [], "run `watchparty gen` and commit"


def test_render_is_deterministic(rendered: dict[str, str]) -> None:
    assert render(PROJECT_ROOT) == rendered


def test_check_names_every_stale_file(project_copy: Path) -> None:
    (project_copy / "generated" / "operations.py").write_text("# stale\n")
    (project_copy / "specs" / "openapi.yaml").write_text("stale: true\n")
    result = CliRunner().invoke(app, ["gen", "--check", "--root", str(project_copy)])
    assert result.exit_code == 1
    assert "would change: specs/openapi.yaml" in result.output
    assert "would change: generated/operations.py" in result.output
    assert "would change: generated/models.py" not in result.output


def test_one_schema_edit_updates_every_derived_file(project_copy: Path) -> None:
    schema_file = project_copy / "specs" / "schemas" / "common.yaml"
    text = schema_file.read_text()
    # UserSummary is used by REST resources and by realtime payloads alike.
    edited = text.replace(
        "    display_name: {type: string}\n",
        "    display_name: {type: string}\n    pronouns: {type: string}\n",
        1,
    )
    assert edited != text
    schema_file.write_text(edited)
    changed = write(project_copy, render(project_copy))
    assert {
        "specs/openapi.yaml",
        "specs/asyncapi.yaml",
        "generated/models.py",
        "generated/events.py",
        "clients/ts/src/types.ts",
        "clients/ts/src/frames.ts",
        "docs/realtime/js/app.js",
    } <= set(changed)
    assert "pronouns" in (project_copy / "generated" / "models.py").read_text()
    assert "pronouns" in (project_copy / "generated" / "events.py").read_text()
    assert "pronouns" in (project_copy / "clients" / "ts" / "dist" / "frames.d.ts").read_text()


def test_broken_catalog_is_refused_with_every_problem(project_copy: Path) -> None:
    bad = project_copy / "specs" / "schemas" / "zz_bad.yaml"
    bad.write_text(
        "Broken:\n  type: object\n  properties:\n"
        "    n: {type: integer, maxiumum: 3}\n  example: {n: two}\n"
    )
    result = CliRunner().invoke(app, ["gen", "--root", str(project_copy)])
    assert result.exit_code == 2
    assert "unknown keyword 'maxiumum'" in result.output
    assert "Broken: example at n" in result.output


def test_links_must_name_a_path_parameter_or_body_field(project_copy: Path) -> None:
    catalog = project_copy / "specs" / "backend-endpoints.json"
    text = catalog.read_text(encoding="utf-8")
    linked = '"links": {"refresh": ["refreshToken", "logout"]}}'
    assert linked in text
    broken = '"links": {"token": ["refreshToken"], "refresh": ["getMe", "refreshToken"]}}'
    catalog.write_text(text.replace(linked, broken, 1), encoding="utf-8")
    result = CliRunner().invoke(app, ["gen", "--root", str(project_copy)])
    assert result.exit_code == 2
    assert "link 'token' is neither a path parameter nor a JSON body field of refreshToken" in (
        result.output
    )
    assert "link 'refresh' is neither a path parameter nor a JSON body field of getMe" in (
        result.output
    )
    assert "operation register: two links to refreshToken" in result.output
