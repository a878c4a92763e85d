"""How many catalog operations have a handler (the rest answer 501 not_implemented)."""

from __future__ import annotations

import importlib
import importlib.util
import inspect

import pytest

from generated.operations import OPERATIONS


def has_handler(dotted: str) -> bool:
    module_name, _, function = dotted.rpartition(".")
    if importlib.util.find_spec(module_name) is None:
        return False
    return callable(getattr(importlib.import_module(module_name), function, None))


def test_report_handler_coverage(capsys: pytest.CaptureFixture[str]) -> None:
    implemented = sorted(op_id for op_id, info in OPERATIONS.items() if has_handler(info.handler))
    missing = sorted(set(OPERATIONS) - set(implemented))
    with capsys.disabled():
        print(
            f"\nhandlers: {len(implemented)}/{len(OPERATIONS)} operations implemented; "
            f"{len(missing)} answer 501: {', '.join(missing)}"
        )


def test_no_handler_module_defines_an_operation_the_catalog_lacks() -> None:
    """A public function in handlers/<tag>.py that no operationId names is dead or misnamed."""
    bound: dict[str, set[str]] = {}
    for info in OPERATIONS.values():
        module_name, _, function = info.handler.rpartition(".")
        bound.setdefault(module_name, set()).add(function)
    for module_name, functions in bound.items():
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        defined = {
            name
            for name, value in vars(module).items()
            if inspect.isfunction(value)
            and value.__module__ == module_name
            and not name.startswith("_")
        }
        assert defined <= functions, (
            f"{module_name}: {sorted(defined - functions)} bound to no operation"
        )
