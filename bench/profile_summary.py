"""Summarize py-spy collapsed stacks (`--format raw`) into where the CPU time goes.

    python bench/profile_summary.py var/bench/profile-watchparty.txt

Three views of the same samples: by layer (each sample goes to the layer of the innermost frame
that belongs to one, so stdlib helpers count for their caller), self time per package and self
time per function (the leaf frame). Inclusive views mislead here: SQLAlchemy runs its sync core
inside greenlets and uvloop resumes coroutines from C, so py-spy shows many stacks without
their callers.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

__all__ = ["summarize"]

_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")
_SITE = re.compile(r".*/site-packages/(?P<rest>.+)$")
_STDLIB = re.compile(r".*/lib/python3\.\d+/(?P<rest>.+)$")


def _module(path: str) -> str:
    """A short module path: `connexion/middleware/security.py`, `stdlib:asyncio/events.py`."""
    if match := _SITE.match(path):
        return match["rest"]
    if match := _STDLIB.match(path):
        return "stdlib:" + match["rest"]
    for top in ("watchparty/", "handlers/", "generated/", "bench/"):
        if (index := path.find("/" + top)) >= 0:
            return path[index + 1 :]
    return path


def _package(module: str) -> str:
    if module.startswith("stdlib:"):
        return "stdlib:" + module[7:].split("/")[0].removesuffix(".py")
    return module.split("/")[0].removesuffix(".py")


_VALIDATION = "schema validation (connexion validators, jsonschema)"
_OURS = "our code (watchparty/, handlers/, bench/)"
_CONNEXION = "connexion (routing, context, middleware)"
_DATABASE = "SQLAlchemy + driver"
# Module prefix -> layer, first match wins (most specific first).
_LAYERS: tuple[tuple[str, str], ...] = (
    # connexion's validators serve requests and responses alike; for a GET without
    # parameters or body, this layer is the response validation.
    ("connexion/middleware/response_validation.py", _VALIDATION),
    ("connexion/middleware/request_validation.py", _VALIDATION),
    ("connexion/validators/", _VALIDATION),
    ("jsonschema/", _VALIDATION),
    ("referencing/", _VALIDATION),
    ("rfc3339_validator", _VALIDATION),
    ("jwt/", "JWT decode"),
    ("cryptography/", "JWT decode"),
    ("sqlalchemy/", _DATABASE),
    ("sqlmodel/", _DATABASE),
    ("aiosqlite/", _DATABASE),
    ("asyncpg/", _DATABASE),
    ("greenlet/", _DATABASE),
    ("connexion/middleware/security.py", "connexion security"),
    ("connexion/security.py", "connexion security"),
    ("connexion/", _CONNEXION),
    ("werkzeug/", _CONNEXION),
    ("starlette/", "starlette"),
    ("uvicorn/", "uvicorn + httptools"),
    ("httptools/", "uvicorn + httptools"),
    ("watchparty/", _OURS),
    ("handlers/", _OURS),
    ("bench/", _OURS),
    ("stdlib:asyncio/", "event loop"),
    ("stdlib:selectors.py", "event loop"),
    ("uvloop/", "event loop"),
)


def _layer(frames: list[tuple[str, str]]) -> str:
    for _, module in reversed(frames):
        for prefix, layer in _LAYERS:
            if module.startswith(prefix):
                return layer
    return "other"


def _parse(text: str) -> list[tuple[list[tuple[str, str]], int]]:
    samples = []
    for line in text.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = []
        for raw in stack.split(";"):
            match = _FRAME.match(raw)
            func, module = (match["func"], _module(match["file"])) if match else (raw, raw)
            frames.append((func, module))
        samples.append((frames, int(count)))
    return samples


def summarize(text: str, *, top: int = 15) -> str:
    samples = _parse(text)
    total = sum(count for _, count in samples) or 1
    by_layer: Counter[str] = Counter()
    self_pkg: Counter[str] = Counter()
    self_func: Counter[str] = Counter()
    for frames, count in samples:
        by_layer[_layer(frames)] += count
        self_pkg[_package(frames[-1][1])] += count
        func, module = frames[-1]
        self_func[f"{module}:{func}"] += count

    def block(title: str, counter: Counter[str]) -> list[str]:
        rows = [f"\n{title}"]
        rows += [f"  {100 * n / total:5.1f}%  {name}" for name, n in counter.most_common(top)]
        return rows

    lines = [f"{total} samples (threads holding the GIL)"]
    lines += block("by layer", by_layer)
    lines += block("self time by package", self_pkg)
    lines += block("self time by function", self_func)
    return "\n".join(lines)


if __name__ == "__main__":
    print(summarize(Path(sys.argv[1]).read_text(encoding="utf-8")))
