"""schemathesis against the mock, in process (DESIGN §5): examples, dynamic, stateful.

Every check runs except `positive_data_acceptance`: a schema-valid but forged `cursor` (any
string fits the spec's `type: string`) is the server's documented 400
`{"cursor": ["Invalid cursor."]}`, which the mock reproduces on purpose (docs/mock.md).
Budgets are small so the suite takes seconds; `WATCHPARTY_FUZZ_EXAMPLES=N` (what
`nox -s fuzz` sets) runs N cases per operation in the dynamic and stateful modes.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from mocks.app import create_mock_app
from tests.mocks.helpers import AUTH

SERVER_SIDE_CHECKS = ("positive_data_acceptance",)


def _config(max_examples: int) -> SchemathesisConfig:
    disabled = "\n".join(f"[checks.{name}]\nenabled = false" for name in SERVER_SIDE_CHECKS)
    return SchemathesisConfig.from_str(
        f"[generation]\nmax-examples = {max_examples}\n"
        "[phases.coverage]\nenabled = false\n"
        f"{disabled}\n"
    )


def _schema(max_examples: int, **options: Any) -> tuple[Any, Any]:
    app = create_mock_app(seed=0, **options)
    return schemathesis.openapi.from_asgi(
        "/api/openapi.json", app, config=_config(max_examples)
    ), app


FUZZ_EXAMPLES = int(os.environ.get("WATCHPARTY_FUZZ_EXAMPLES", "2"))
EXAMPLES, EXAMPLES_APP = _schema(1)
DYNAMIC, DYNAMIC_APP = _schema(FUZZ_EXAMPLES, dynamic=True)
STATEFUL, STATEFUL_APP = _schema(FUZZ_EXAMPLES, stateful=True, dynamic=True)
FAST = settings(deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


def _coverage(app: Any) -> Callable[[], None]:
    def report() -> None:
        engine = app.state.engine
        served = sum(1 for op in engine.ops if engine.served[op])
        print(f"mock operations served {served}/{len(engine.ops)}")
        assert served == len(engine.ops)

    return report


@EXAMPLES.parametrize()
@FAST
def test_examples_mode(case: schemathesis.Case) -> None:
    case.call_and_validate(headers=AUTH)


@DYNAMIC.parametrize()
@FAST
def test_dynamic_mode(case: schemathesis.Case) -> None:
    case.call_and_validate(headers=AUTH)


@pytest.mark.parametrize("app", [EXAMPLES_APP, DYNAMIC_APP], ids=["examples", "dynamic"])
def test_every_operation_was_served(app: Any) -> None:
    # Runs after the parametrized tests of its mode (pytest keeps file order).
    _coverage(app)()


class MockStateMachine(STATEFUL.as_state_machine()):  # type: ignore[misc]
    # Headers go with each call, not in the config: schemathesis' `ignored_auth` check would
    # otherwise put the valid token back on the requests it sends without one.
    def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
        return {"headers": dict(AUTH)}


TestStateful = MockStateMachine.TestCase
TestStateful.settings = settings(FAST, max_examples=max(8, FUZZ_EXAMPLES), stateful_step_count=6)
