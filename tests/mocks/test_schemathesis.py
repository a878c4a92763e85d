"""schemathesis against the mock, in process (DESIGN §5): examples, dynamic, stateful.

Every built-in check runs, and each mode prints and asserts which ran and how often each
had something to judge (tests/contract/ledger.py). Two are tuned, none is off
(`max_response_time` has a 30 s limit: a hang detector, see the ledger):
`positive_data_acceptance` also accepts 400 from the paginated lists, for a schema-valid but
forged `cursor` (any string fits the spec's `type: string`) is the server's documented 400
`{"cursor": ["Invalid cursor."]}`, which the mock reproduces on purpose (docs/mock.md);
and 415 from `uploadVideoBlob` for no bytes (`BYTES_NOT_A_VIDEO`).
Generated strings hold no NUL, which the shared validators refuse (see `_config`).
`object_level_authorization` runs but judges nothing (one token, one identity), and
multipart text that is valid as sent is excused (`ledger.form_text_is_a_string`).
The stateless modes fuzz one operation at a time (examples, coverage and fuzzing phases);
the stateful mode follows the spec's links over a mock that stores what POSTs create, so
`use_after_free` and `ensure_resource_availability` judge its answers too.
Budgets are small so the suite takes seconds; `WATCHPARTY_FUZZ_EXAMPLES=N` (what
`nox -s fuzz` sets) runs N cases per operation in the dynamic and stateful modes.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.auths import AuthContext
from schemathesis.config import SchemathesisConfig

from generated.operations import OPERATIONS
from mocks.app import create_mock_app
from tests.contract.ledger import (
    MAX_RESPONSE_SECONDS,
    STATEFUL_CHECKS,
    CheckLedger,
    builtin_checks,
)
from tests.mocks.helpers import TOKEN

# schemathesis' default expectation for `positive_data_acceptance`, and the forged cursor.
POSITIVE_STATUSES = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]
PAGINATED = sorted(op_id for op_id, op in OPERATIONS.items() if op.paginate)
JUDGED = ("negative_data_rejection", "positive_data_acceptance", "ignored_auth")
# `format: binary` is any bytes, none included; the server (and so the mock) refuses an
# empty upload as no video container, a rule no JSON Schema states.
BYTES_NOT_A_VIDEO = {"uploadVideoBlob": ["415"]}


def _config(max_examples: int) -> SchemathesisConfig:
    # No NUL in generated strings: the real validators the mock shares with the server
    # refuse it in any string, for PostgreSQL cannot store it (tests/app/test_errors.py).
    toml = (
        f"[generation]\nmax-examples = {max_examples}\nallow-x00 = false\n"
        f"[checks]\nmax_response_time = {MAX_RESPONSE_SECONDS}\n"
    )
    refusals = {op_id: ["400"] for op_id in PAGINATED} | BYTES_NOT_A_VIDEO
    for op_id, statuses in refusals.items():
        toml += (
            f'[[operations]]\ninclude-operation-id = "{op_id}"\n'
            "[operations.checks.positive_data_acceptance]\n"
            f"expected-statuses = {[*POSITIVE_STATUSES, *statuses]}\n"
        )
    return SchemathesisConfig.from_str(toml)


class MockToken:
    """The mock checks a token's shape and origin, not whose it is: one admin token serves all.

    Given as schemathesis auth (not as headers of each call), so schemathesis knows it: a
    negative case without `Authorization` goes out without it, and `ignored_auth` probes
    without it and with a forged one.
    """

    def get(self, case: schemathesis.Case, ctx: AuthContext) -> str:
        return TOKEN

    def set(self, case: schemathesis.Case, data: str, ctx: AuthContext) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


def _is_secured(ctx: Any) -> bool:
    return bool(ctx.operation.definition.raw.get("x-auth") != "public")


def _schema(mode: str, max_examples: int, **options: Any) -> tuple[Any, Any, CheckLedger]:
    app = create_mock_app(seed=0, **options)
    config = _config(max_examples)
    # Each `[[operations]]` entry is an include filter; OR-ed, they keep every operation.
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app, config=config)
    schema.auth().apply_to(_is_secured)(MockToken)
    ledger = CheckLedger(f"mock {mode}", stateful=mode == "stateful")
    ledger.attach(schema)
    return schema, app, ledger


FUZZ_EXAMPLES = int(os.environ.get("WATCHPARTY_FUZZ_EXAMPLES", "2"))
EXAMPLES, EXAMPLES_APP, EXAMPLES_LEDGER = _schema("examples", 1)
DYNAMIC, DYNAMIC_APP, DYNAMIC_LEDGER = _schema("dynamic", FUZZ_EXAMPLES, dynamic=True)
STATEFUL, STATEFUL_APP, STATEFUL_LEDGER = _schema(
    "stateful", FUZZ_EXAMPLES, stateful=True, dynamic=True
)
FAST = settings(deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


@EXAMPLES.parametrize()
@FAST
def test_examples_mode(case: schemathesis.Case) -> None:
    case.call_and_validate()


@DYNAMIC.parametrize()
@FAST
def test_dynamic_mode(case: schemathesis.Case) -> None:
    case.call_and_validate()


@pytest.mark.parametrize(
    ("app", "ledger"),
    [(EXAMPLES_APP, EXAMPLES_LEDGER), (DYNAMIC_APP, DYNAMIC_LEDGER)],
    ids=["examples", "dynamic"],
)
def test_every_operation_was_served(
    app: Any, ledger: CheckLedger, capsys: pytest.CaptureFixture[str]
) -> None:
    # Runs after the parametrized tests of its mode (pytest keeps file order).
    engine = app.state.engine
    served = sum(1 for op in engine.ops if engine.served[op])
    with capsys.disabled():
        print(f"\nmock operations served {served}/{len(engine.ops)}\n{ledger.report()}")
    assert served == len(engine.ops)
    ledger.assert_ran(builtin_checks(), JUDGED)


class _ScenarioOnAnEmptyStore:
    """State machine steps: each scenario on an empty store, and counted by the ledger."""

    recorder: Any

    def setup(self) -> None:
        # What the mock answers then depends on the scenario's own steps only: hypothesis
        # requires that when it replays one.
        STATEFUL_APP.state.engine.store.reset()

    def validate_response(self, response: Any, case: schemathesis.Case, **kwargs: Any) -> None:
        STATEFUL_LEDGER.note_step(self.recorder, case, response)
        super().validate_response(response, case, **kwargs)  # type: ignore[misc]


class MockStateMachine(_ScenarioOnAnEmptyStore, STATEFUL.as_state_machine()):  # type: ignore[misc]
    pass


TestStateful = MockStateMachine.TestCase
TestStateful.settings = settings(FAST, max_examples=max(8, FUZZ_EXAMPLES), stateful_step_count=6)

# `use_after_free` judges a read of what a DELETE of the same scenario removed. Over all of
# the lifecycle operations a short budget seldom draws a create, its delete and then a read of that
# object (how seldom even depends on what ran before in the process: CI once met none);
# over one resource's create, read, update and delete most scenarios do (about 20 reads
# after a delete per resource in 15 scenarios of ten steps, measured).
RESOURCE_LIFECYCLES = {
    "party": ("createParty", "getParty", "updateParty", "deleteParty"),
    "event": ("createEvent", "getEvent", "updateEvent", "deleteEvent"),
    "video": ("createVideoUploadUrl", "getVideo", "updateVideo", "deleteVideo"),
}


@pytest.mark.parametrize("resource", sorted(RESOURCE_LIFECYCLES))
def test_stateful_lifecycle(resource: str) -> None:
    kept = RESOURCE_LIFECYCLES[resource]
    # Clones share the schema's hooks: the same ledger counts their steps.
    schema = STATEFUL.exclude(operation_id=[op_id for op_id in OPERATIONS if op_id not in kept])

    class Lifecycle(_ScenarioOnAnEmptyStore, schema.as_state_machine()):  # type: ignore[misc]
        pass

    before = STATEFUL_LEDGER.judged["use_after_free"]
    Lifecycle.run(
        settings=settings(FAST, max_examples=max(15, FUZZ_EXAMPLES), stateful_step_count=10)
    )
    assert STATEFUL_LEDGER.judged["use_after_free"] > before, f"no {resource} read after delete"


def test_stateful_checks_ran(capsys: pytest.CaptureFixture[str]) -> None:
    # After `TestStateful` and `test_stateful_lifecycle` (pytest keeps file order).
    if not STATEFUL_LEDGER.cases:
        pytest.skip("TestStateful did not run in this session")
    with capsys.disabled():
        print(f"\n{STATEFUL_LEDGER.report()}")
    STATEFUL_LEDGER.assert_ran(builtin_checks(), (*JUDGED, *STATEFUL_CHECKS))
