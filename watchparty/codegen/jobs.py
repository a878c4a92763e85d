"""Generate the job bus code (`generated/jobs/`) from `specs/jobs/` with asyncapi-python.

Design: /work/shared/DESIGN.md §5 (asyncapi-python) and docs/decisions.md "Job bus".
asyncapi-python's codegen makes one application per spec, so each process of the bus has
its own spec (`api.yaml`, `worker.yaml`, both referring to `common.yaml`) and its own
package: `generated/jobs/api/` and `generated/jobs/worker/`.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

from watchparty import SPECS_DIR

__all__ = ["JOB_SIDES", "JOBS_SPEC_DIR", "generate_jobs", "render_jobs"]

JOBS_SPEC_DIR = SPECS_DIR / "jobs"
# One generated package per process of the bus, named after its spec file.
JOB_SIDES = ("api", "worker")
CODEGEN_TIMEOUT_SECS = 300

_PACKAGE_DOC = '''"""Job bus code generated from specs/jobs/ by watchparty.codegen.jobs. Never edit.

`api` is the API server's side (publishes jobs, receives results) and `worker` the video
worker's side (receives jobs, publishes results). Use them through watchparty.bus.jobs.
"""
'''
# datamodel-code-generator stamps the wall-clock time into its header.
_TIMESTAMP_LINE = re.compile(r"^#\s+timestamp:.*\n", re.MULTILINE)


def _codegen_command() -> str:
    """The `asyncapi-python-codegen` script of the running interpreter's environment."""
    beside_python = Path(sys.executable).parent / "asyncapi-python-codegen"
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("asyncapi-python-codegen")
    if found is None:
        raise RuntimeError("asyncapi-python-codegen is not installed (asyncapi-python[codegen])")
    return found


def _normalize(text: str, *, scratch: Path, spec_dir: Path) -> str:
    """Drop what changes between runs: timestamps and absolute paths."""
    text = _TIMESTAMP_LINE.sub("", text)
    for absolute, relative in (
        (str(scratch), "."),
        (str(spec_dir), "specs/jobs"),
        (str(spec_dir.resolve()), "specs/jobs"),
    ):
        text = text.replace(absolute, relative)
    return text.rstrip("\n") + "\n"


def generate_jobs(out_root: Path, spec_dir: Path = JOBS_SPEC_DIR) -> None:
    """Regenerate `out_root/api/` and `out_root/worker/` from `specs/jobs/*.yaml`.

    Runs `asyncapi-python-codegen SPEC OUTDIR` once per side, in parallel, in a scratch
    directory (the codegen refuses an existing OUTDIR and leaves a `.mypy_cache` in its
    working directory), normalizes the output and then replaces the sides in `out_root`.
    Two runs give identical bytes.

    Args:
        out_root: the package directory to fill, normally `generated/jobs`.
        spec_dir: where `api.yaml`, `worker.yaml` and `common.yaml` are.

    Raises:
        RuntimeError: the codegen failed or timed out; `out_root` is left untouched.
    """
    command = _codegen_command()
    with tempfile.TemporaryDirectory(prefix="watchparty-jobs-") as scratch_name:
        scratch = Path(scratch_name)
        runs = {
            side: subprocess.Popen(
                [command, str(spec_dir / f"{side}.yaml"), str(scratch / side)],
                cwd=scratch,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for side in JOB_SIDES
        }
        failures: list[str] = []
        for side, run in runs.items():
            try:
                output, _ = run.communicate(timeout=CODEGEN_TIMEOUT_SECS)
            except subprocess.TimeoutExpired:
                run.kill()
                output, _ = run.communicate()
                failures.append(f"{side}: timed out after {CODEGEN_TIMEOUT_SECS}s\n{output}")
                continue
            if run.returncode != 0:
                failures.append(f"{side}: exit {run.returncode}\n{output}")
        if failures:
            raise RuntimeError("asyncapi-python-codegen failed:\n" + "\n".join(failures))

        for side in JOB_SIDES:
            for path in sorted((scratch / side).rglob("*.py")):
                path.write_text(
                    _normalize(path.read_text("utf-8"), scratch=scratch, spec_dir=spec_dir), "utf-8"
                )

        out_root.mkdir(parents=True, exist_ok=True)
        (out_root / "__init__.py").write_text(_PACKAGE_DOC, "utf-8")
        for side in JOB_SIDES:
            target = out_root / side
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(
                scratch / side, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )


def _tree(root: Path, prefix: str) -> dict[str, str]:
    return {
        f"{prefix}/{path.relative_to(root).as_posix()}": path.read_text("utf-8")
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def render_jobs(root: Path) -> dict[str, str]:
    """`generated/jobs/**` for the checkout at `root`, as {relative path: text}.

    The codegen is slow (it runs mypy), so it only runs when the job specs or the pinned
    asyncapi-python changed since the digest stamped in `generated/jobs/SPEC_DIGEST`;
    tests/bus/test_jobs_codegen.py regenerates from scratch to keep the stamp honest.
    """
    spec_dir = root / "specs" / "jobs"
    digest = hashlib.sha256(version("asyncapi-python").encode())
    for path in sorted(spec_dir.glob("*.yaml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    stamp = f"{digest.hexdigest()}\n"
    out_root = root / "generated" / "jobs"
    stamp_path = out_root / "SPEC_DIGEST"
    if stamp_path.exists() and stamp_path.read_text("utf-8") == stamp:
        rendered = _tree(out_root, "generated/jobs")
    else:
        with tempfile.TemporaryDirectory(prefix="watchparty-jobs-out-") as tmp:
            generate_jobs(Path(tmp), spec_dir)
            rendered = _tree(Path(tmp), "generated/jobs")
    rendered["generated/jobs/SPEC_DIGEST"] = stamp
    return rendered
