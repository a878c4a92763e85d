"""The job bus contract (specs/jobs/) and its generated code (generated/jobs/).

Regenerating is the slow part (two codegen subprocesses, each running mypy: ~5-15 s).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from generated.jobs.api.messages import json as api_models
from generated.jobs.worker.messages import json as worker_models
from watchparty import GENERATED_DIR
from watchparty.codegen.jobs import JOBS_SPEC_DIR, generate_jobs


def _files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_generate_jobs_reproduces_the_committed_code(tmp_path: Path) -> None:
    generate_jobs(tmp_path)

    fresh, committed = _files(tmp_path), _files(GENERATED_DIR / "jobs")
    committed.pop("SPEC_DIGEST")  # render_jobs' cache stamp, not codegen output
    assert sorted(fresh) == sorted(committed)
    changed = [name for name in fresh if fresh[name] != committed[name]]
    assert changed == [], "generated/jobs is stale: run watchparty.codegen.jobs.generate_jobs"


def _messages() -> dict[str, Any]:
    common = yaml.safe_load((JOBS_SPEC_DIR / "common.yaml").read_text(encoding="utf-8"))
    messages: dict[str, Any] = common["components"]["messages"]
    return messages


@pytest.mark.parametrize("name", sorted(_messages()))
@pytest.mark.parametrize("models", [api_models, worker_models], ids=["api", "worker"])
def test_every_message_has_examples_that_validate(name: str, models: Any) -> None:
    examples = _messages()[name].get("examples")
    model: type[BaseModel] = getattr(models, name)

    assert examples, f"message {name} has no example"
    for example in examples:
        parsed = model.model_validate(example["payload"])
        assert parsed.model_dump(mode="json", exclude_unset=True) == example["payload"]
