from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.utils.services import require_path
from watchparty import PROJECT_ROOT, SPECS_DIR


@pytest.fixture(scope="session")
def openapi() -> dict[str, Any]:
    return yaml.safe_load((SPECS_DIR / "openapi.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def asyncapi() -> dict[str, Any]:
    return yaml.safe_load((SPECS_DIR / "asyncapi.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def guide() -> str:
    """The frontend integration guide: the customer's contract (shared/ beside the checkout)."""
    path = PROJECT_ROOT.parent / "shared" / "seed" / "000_f946c3ed1ba97f52.txt"
    return require_path(path, "the frontend integration guide").read_text(encoding="utf-8")


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A scratch copy of what `watchparty gen` reads and writes."""
    import shutil

    for folder in ("specs", "generated", "clients/ts", "docs/realtime"):
        shutil.copytree(
            PROJECT_ROOT / folder,
            tmp_path / folder,
            ignore=shutil.ignore_patterns("__pycache__", "node_modules"),
        )
    return tmp_path
