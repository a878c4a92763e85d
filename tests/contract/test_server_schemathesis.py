"""schemathesis against the real server, in process, on SQLite and PostgreSQL (DESIGN §5).

Every operation that has a handler is fuzzed: `watchparty.resolver.implemented_operations()`
picks them, so the operations of later issues join as their handlers land. The others answer
501 `not_implemented`; `test_unimplemented_operations_are_listed` names them and they are
left out here, where every case would only meet that 501. Secured operations carry the token
of a user that `LoggedInUser` logs in through the API.

- `test_operation`: the examples, coverage and fuzzing phases, per operation
  (`test_checks_ran_per_operation` then prints and asserts its ledger).
- `test_stateful`: scenarios that follow the spec's links (a session's `refresh` into
  `refreshToken` and `logout`, a created object's id into its get / update / delete, a
  list's first item into the same ...).
- `test_stateful_lifecycles`: the same over `LIFECYCLES` only (create, read, update,
  delete of parties, chat messages, events, videos, tickets).

Every built-in check runs, and each test prints and asserts which ran and how often each
had something to judge (tests/contract/ledger.py): `negative_data_rejection`,
`positive_data_acceptance` and `ignored_auth` everywhere, `ensure_resource_availability`
(it needs a scenario's history) in both stateful tests, `use_after_free` in the lifecycles.
Three are tuned, none is off:
- `positive_data_acceptance` also accepts 400 from the operations in
  `RULES_BEYOND_THE_SCHEMA`, each for its rule that no JSON Schema can state (a taken
  username, a wrong current password ...): DRF-style field errors on schema-valid input.
  Generated strings hold no NUL, which every operation refuses (see `_config`).
- `max_response_time` has a 30 s limit: it catches a hung request, not a slow one; timings
  on a shared 2-core CI box are no contract (bench/rest.py measures speed).
- `object_level_authorization` runs but judges nothing: it needs several identities
  (schemathesis' escalating auth), and one fuzzing user has only its own objects. The
  role x operation matrix of tests/security covers other users' objects.
One kind of `negative_data_rejection` failure is excused and counted: multipart text that
is valid as sent (a number in a string field; `ledger.form_text_is_a_string`).

Budgets are small so the default run takes seconds and is the same every time
(derandomized). `WATCHPARTY_FUZZ_EXAMPLES=100` (`nox -s fuzz`) runs a longer one (cases per
operation and phase, and stateful scenarios of 10 steps).
"""

from __future__ import annotations

import itertools
import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.auths import AuthContext, reauth_and_replay
from schemathesis.config import SchemathesisConfig

from generated.operations import OPERATIONS
from tests.conftest import run_async, truncate_tables
from tests.contract.ledger import (
    LIFECYCLES,
    MAX_RESPONSE_SECONDS,
    STATEFUL_CHECKS,
    CheckLedger,
    builtin_checks,
)
from tests.utils.factories import DEFAULT_PASSWORD
from watchparty.app import OPENAPI_PATH, create_app
from watchparty.resolver import implemented_operations
from watchparty.settings import Settings

IMPLEMENTED = implemented_operations()
NOT_IMPLEMENTED = [op_id for op_id in OPERATIONS if op_id not in IMPLEMENTED]
MAX_EXAMPLES = int(os.environ.get("WATCHPARTY_FUZZ_EXAMPLES", "10"))
STATEFUL_STEPS = 10
RULES_BEYOND_THE_SCHEMA = {
    "register": "email or username taken; password too common, numeric or like the name",
    "updateMe": "username taken",
    "deleteMe": "wrong password",
    "changePassword": "wrong current password; weak new password",
    "confirmPasswordReset": "unknown, used or expired token; weak new password",
    "enableTwoFactor": "no setup started; wrong code",
    "disableTwoFactor": "2FA not on; wrong password or code",
    "createParty": "scheduled_for in the past; blank title; max_participants above the plan cap; "
    "a video that is not the caller's own ready one",
    "updateParty": "as createParty; max_participants below the joined count",
    "transferHost": "user_id not another joined participant",
    "createConversation": "unknown users, or nobody but the caller",
    "blockUser": "unknown user, or the caller",
    "sendChatMessage": "reply_to not a message of this party",
    "listChatMessages": "before/since not a message of this party",
    "listConversationMessages": "before/since not a message of this conversation",
    "createReport": "target unknown or unseen by the caller; the caller or their own content",
    "claimInvitation": "unknown token",
    "createEvent": "blank title; ends_at before starts_at",
    "updateEvent": "blank title; ends_at before starts_at",
    "listEvents": "to before from",
}
# Every paginated list refuses a `cursor` it did not hand out (signed; DESIGN §3), and a
# generated string is never one of ours.
for _op_id in IMPLEMENTED:
    if OPERATIONS[_op_id].paginate:
        RULES_BEYOND_THE_SCHEMA[_op_id] = "; ".join(
            filter(None, [RULES_BEYOND_THE_SCHEMA.get(_op_id), "a cursor we did not hand out"])
        )
# Uploads, and the documented statuses that refuse schema-valid input: what a file's bytes
# must be (`format: binary` is any bytes) and the size limit and plan quota (settings and
# per-user state, not numbers a schema can hold) are rules no JSON Schema states.
UPLOAD_RULES_BEYOND_THE_SCHEMA = {
    "uploadVideo": (["413", "415"], "a video container; size limit and plan quota"),
    "createVideoUploadUrl": (["413"], "size_bytes within the size limit and the plan quota"),
}
RULES_BEYOND_THE_SCHEMA["purchaseStoreItem"] = "an item not for sale"
# Other statuses the catalog gives schema-valid requests, by the state they meet.
OTHER_REFUSALS: dict[str, dict[str, str]] = {
    "purchaseStoreItem": {
        "402": "balance too low",
        "422": "Idempotency-Key reused with another body",
    },
    "upgradeSubscription": {
        "402": "payment declined",
        "422": "Idempotency-Key reused with another body",
    },
}
# schemathesis' default expectation for `positive_data_acceptance`.
POSITIVE_STATUSES = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]
# Run on every response; the ones that need something to judge must have met it.
JUDGED = ("negative_data_rejection", "positive_data_acceptance", "ignored_auth")
FAST = settings(
    deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None
)


def _config() -> SchemathesisConfig:
    # No NUL in generated strings: the server refuses it in any string, as DRF does, for
    # PostgreSQL cannot store it; JSON Schema has no word for that (tests/app/test_errors.py).
    toml = (
        f"[generation]\nmax-examples = {MAX_EXAMPLES}\nallow-x00 = false\n"
        f"[checks]\nmax_response_time = {MAX_RESPONSE_SECONDS}\n"
    )
    for op_id in sorted({*RULES_BEYOND_THE_SCHEMA, *OTHER_REFUSALS}):
        statuses = [
            *POSITIVE_STATUSES,
            *(["400"] if op_id in RULES_BEYOND_THE_SCHEMA else []),
            *OTHER_REFUSALS.get(op_id, {}),
        ]
        toml += (
            f'[[operations]]\ninclude-operation-id = "{op_id}"\n'
            "[operations.checks.positive_data_acceptance]\n"
            f"expected-statuses = {statuses}\n"
        )
    for op_id, (statuses, _) in UPLOAD_RULES_BEYOND_THE_SCHEMA.items():
        toml += (
            f'[[operations]]\ninclude-operation-id = "{op_id}"\n'
            "[operations.checks.positive_data_acceptance]\n"
            f"expected-statuses = {[*POSITIVE_STATUSES, *statuses]}\n"
        )
    return SchemathesisConfig.from_str(toml)


def _implemented(schema: Any) -> Any:
    # `exclude`, never `include`: each `[[operations]]` entry of the config is an include
    # filter that matches every operation, and include filters are OR-ed.
    return schema.exclude(operation_id=NOT_IMPLEMENTED) if NOT_IMPLEMENTED else schema


def _is_secured(ctx: Any) -> bool:
    return bool(ctx.operation.definition.raw.get("x-auth") != "public")


class LoggedInUser:
    """The bearer token of a user who logged in through the API.

    schemathesis keeps the token until a request answers 401, then asks again: the fuzzer
    logs out, deletes the account and changes the password (the spec's examples use
    `DEFAULT_PASSWORD`, so those succeed). Logging in again gives a fresh session; when the
    user can no longer log in, a new one registers.
    """

    def __init__(self) -> None:
        self.numbers = itertools.count(1)
        self.credentials: dict[str, str] | None = None

    def get(self, case: schemathesis.Case, ctx: AuthContext) -> str:
        schema = ctx.operation.schema
        if self.credentials is not None:
            response = _post(schema, "/api/auth/login/", self.credentials)
            if response.status_code == 200 and "access" in response.json():
                return str(response.json()["access"])
        name = f"fuzzer{next(self.numbers)}"
        self.credentials = {"email": f"{name}@example.com", "password": DEFAULT_PASSWORD}
        response = _post(schema, "/api/auth/register/", {"username": name, **self.credentials})
        assert response.status_code == 201, response.text
        return str(response.json()["access"])

    def set(self, case: schemathesis.Case, data: str, ctx: AuthContext) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


def _post(schema: Any, path: str, body: dict[str, str]) -> Any:
    return schema[path]["POST"].Case(body=body, media_type="application/json").call()


@pytest.fixture(scope="module")
def ledgers(contract_settings: Settings) -> dict[str, CheckLedger]:
    backend = "postgres" if "postgres" in (contract_settings.database_url or "") else "sqlite"
    return {
        "operations": CheckLedger(f"server[{backend}] per operation"),
        "stateful": CheckLedger(f"server[{backend}] stateful", stateful=True),
        "lifecycles": CheckLedger(f"server[{backend}] stateful lifecycles", stateful=True),
    }


@pytest.fixture(scope="module")
def server_schema(contract_settings: Settings, ledgers: dict[str, CheckLedger]) -> Any:
    """The spec as the server serves it, bound to a server on this module's database."""
    app = create_app(contract_settings)
    schema = _implemented(schemathesis.openapi.from_asgi(OPENAPI_PATH, app, config=_config()))
    schema.auth().apply_to(_is_secured)(LoggedInUser)
    ledgers["operations"].attach(schema)
    return schema


# The fixture's schema is cloned with this object's filters, so they go here too.
SERVER = _implemented(schemathesis.pytest.from_fixture("server_schema"))


@SERVER.parametrize()
@FAST
def test_operation(case: schemathesis.Case) -> None:
    case.call_and_validate()


def test_checks_ran_per_operation(
    ledgers: dict[str, CheckLedger], capsys: pytest.CaptureFixture[str]
) -> None:
    # After `test_operation` of the same backend (pytest keeps file order).
    ledger = ledgers["operations"]
    if not ledger.cases:
        pytest.skip("test_operation did not run in this session")
    with capsys.disabled():
        print(f"\n{ledger.report()}")
    ledger.assert_ran(builtin_checks(), JUDGED)
    assert len(ledger.operations) == len(IMPLEMENTED)


def _run_scenarios(
    schema: Any, contract_settings: Settings, ledger: CheckLedger, judged: tuple[str, ...]
) -> None:
    """Stateful scenarios over `schema`'s links, then the ledger's report and assertions."""

    class ServerStateMachine(schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            # Each scenario starts on an empty database, so what the server answers depends
            # on the scenario's own steps only: hypothesis requires that when it replays one.
            run_async(lambda: truncate_tables(contract_settings))

        def call(self, case: schemathesis.Case, **kwargs: Any) -> Any:
            # After a logout every secured step would meet a 401: log in again and retry,
            # as `call_and_validate` does in the other phases.
            response = case.call(**kwargs)
            return reauth_and_replay(
                case, response, case.operation.schema.reauth_state, lambda: case.call(**kwargs)
            )

        def validate_response(self, response: Any, case: schemathesis.Case, **kwargs: Any) -> None:
            ledger.note_step(self.recorder, case, response)
            super().validate_response(response, case, **kwargs)

    # Hooks are shared with every clone of the schema: count this test's steps only.
    ledger.attach(schema)
    try:
        ServerStateMachine.run(
            settings=settings(
                FAST,
                max_examples=MAX_EXAMPLES,
                stateful_step_count=STATEFUL_STEPS,
                # As schemathesis itself runs scenarios: a failing one is reported, not shrunk.
                phases=[Phase.generate],
            )
        )
    finally:
        ledger.detach(schema)
    print(f"\n{ledger.report()}")
    ledger.assert_ran(builtin_checks(), judged)


def test_stateful(
    server_schema: Any,
    contract_settings: Settings,
    ledgers: dict[str, CheckLedger],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Scenarios over every link of the spec."""
    with capsys.disabled():
        _run_scenarios(
            server_schema,
            contract_settings,
            ledgers["stateful"],
            (*JUDGED, "ensure_resource_availability"),
        )


def test_stateful_lifecycles(
    server_schema: Any,
    contract_settings: Settings,
    ledgers: dict[str, CheckLedger],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Scenarios over the create -> read / update / delete links of `LIFECYCLES` only.

    Among every operation of the spec a small budget seldom draws a create, its delete and
    then a read of the same object, which is what `use_after_free` judges; here most steps do.
    """
    lifecycles = server_schema.exclude(
        operation_id=[op_id for op_id in IMPLEMENTED if op_id not in LIFECYCLES]
    )
    with capsys.disabled():
        _run_scenarios(
            lifecycles, contract_settings, ledgers["lifecycles"], (*JUDGED, *STATEFUL_CHECKS)
        )


def test_unimplemented_operations_are_listed(capsys: pytest.CaptureFixture[str]) -> None:
    assert IMPLEMENTED, "no operation has a handler: nothing to fuzz"
    assert not set(RULES_BEYOND_THE_SCHEMA) - set(IMPLEMENTED)
    with capsys.disabled():
        print(
            f"\ncontract: fuzzing {len(IMPLEMENTED)} implemented operations; "
            f"{len(NOT_IMPLEMENTED)} answer 501 and are not fuzzed: {', '.join(NOT_IMPLEMENTED)}"
        )
