"""`watchparty gen`: the catalog and schema files -> specs and generated code (DESIGN §1).

Everything is rendered in memory first, so `--check` can compare without writing and a
failure leaves no half-written tree.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

from watchparty.codegen.asyncapi import build_asyncapi, frames_json_schema
from watchparty.codegen.catalog import Catalog, load_catalog
from watchparty.codegen.client import render_client, stale_client_files
from watchparty.codegen.jobs import render_jobs
from watchparty.codegen.models import datamodel_codegen
from watchparty.codegen.msw import OUT_DIR as MSW_DIR
from watchparty.codegen.msw import render_msw, stale_files
from watchparty.codegen.openapi import build_openapi
from watchparty.codegen.realtime_docs import render_realtime_docs
from watchparty.codegen.schemas import example_errors, lint_errors
from watchparty.codegen.tables import channels_module, operations_module

__all__ = ["render", "write", "drift", "CatalogError"]


class CatalogError(Exception):
    """The catalog or a schema file is inconsistent; the message lists every problem."""


class _Dumper(yaml.SafeDumper):
    """Multi-line strings as literal blocks; shared examples written out, never as `&id` aliases."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_yaml(document: object) -> str:
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def _validate(catalog: Catalog) -> None:
    problems = catalog.check() + lint_errors(catalog.schemas) + example_errors(catalog.schemas)
    if problems:
        raise CatalogError("\n".join(problems))


def render(root: Path) -> dict[str, str]:
    """Every generated file, relative path -> text."""
    specs = root / "specs"
    catalog = load_catalog(specs)
    _validate(catalog)
    openapi = dump_yaml(build_openapi(catalog))
    asyncapi = dump_yaml(build_asyncapi(catalog))
    frames = json.dumps(frames_json_schema(catalog), indent=2)
    # The two datamodel-codegen subprocesses take most of the time: run them side by side
    # (the node-made files are reused from disk unless their inputs changed).
    with ThreadPoolExecutor(max_workers=5) as pool:
        models = pool.submit(
            datamodel_codegen, openapi, "openapi", "REST models from specs/openapi.yaml."
        )
        events = pool.submit(
            datamodel_codegen, frames, "jsonschema", "WebSocket frames from specs/asyncapi.yaml."
        )
        msw = pool.submit(render_msw, root, openapi=openapi, asyncapi=asyncapi)
        client = pool.submit(render_client, root, openapi=openapi, asyncapi=asyncapi)
        realtime_docs = pool.submit(render_realtime_docs, root, asyncapi)
        return (
            {
                "specs/openapi.yaml": openapi,
                "specs/asyncapi.yaml": asyncapi,
                "generated/models.py": models.result(),
                "generated/events.py": events.result(),
                "generated/operations.py": operations_module(catalog),
                "generated/channels.py": channels_module(catalog),
            }
            | render_jobs(root)
            | msw.result()
            | client.result()
            | realtime_docs.result()
        )


def drift(root: Path, rendered: dict[str, str]) -> list[str]:
    """Relative paths whose file on disk differs from `rendered`, is missing, or is left over."""
    changed = []
    for rel, text in rendered.items():
        path = root / rel
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            changed.append(rel)
    leftover = stale_files(root / MSW_DIR, {rel: "" for rel in rendered if rel.startswith(MSW_DIR)})
    leftover += stale_client_files(root, rendered)
    return changed + [path.relative_to(root).as_posix() for path in leftover]


def write(root: Path, rendered: dict[str, str]) -> list[str]:
    """Write the files that changed and remove left-over ones; returns their relative paths."""
    changed = drift(root, rendered)
    for rel in changed:
        path = root / rel
        if rel not in rendered:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rendered[rel], encoding="utf-8")
    return changed
