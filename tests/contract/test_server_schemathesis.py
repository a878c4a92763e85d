"""schemathesis against the real server, in process, on SQLite and PostgreSQL (DESIGN §5).

Every operation that has a handler is fuzzed: `watchparty.resolver.implemented_operations()`
picks them, so the operations of later issues join as their handlers land. The others answer
501 `not_implemented`; `test_unimplemented_operations_are_listed` names them and they are
left out here, where every case would only meet that 501. Secured operations carry the token
of a user that `LoggedInUser` logs in through the API.

- `test_operation`: the examples, coverage and fuzzing phases, per operation.
- `test_stateful`: scenarios that follow the spec's links (a session's `refresh` into
  `refreshToken` and `logout`, a login's `challenge` into `verifyTwoFactor`, ...).

Every built-in check runs. Two are tuned, none is off:
- `positive_data_acceptance` also accepts 400 from the operations in
  `RULES_BEYOND_THE_SCHEMA`, each for its rule that no JSON Schema can state (a taken
  username, a wrong current password ...): DRF-style field errors on schema-valid input.
  Generated strings hold no NUL, which every operation refuses (see `_config`).
- `max_response_time` runs only with a limit, and none is set: timings on a shared 2-core CI
  box are no contract (bench/rest.py measures speed).

Budgets are small so the default run takes seconds and is the same every time
(derandomized). `WATCHPARTY_FUZZ_EXAMPLES=500` runs a longer one (cases per operation and
phase, and stateful scenarios).
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
FAST = settings(
    deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None
)


def _config() -> SchemathesisConfig:
    # No NUL in generated strings: the server refuses it in any string, as DRF does, for
    # PostgreSQL cannot store it; JSON Schema has no word for that (tests/app/test_errors.py).
    toml = f"[generation]\nmax-examples = {MAX_EXAMPLES}\nallow-x00 = false\n"
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
def server_schema(contract_settings: Settings) -> Any:
    """The spec as the server serves it, bound to a server on this module's database."""
    app = create_app(contract_settings)
    schema = _implemented(schemathesis.openapi.from_asgi(OPENAPI_PATH, app, config=_config()))
    schema.auth().apply_to(_is_secured)(LoggedInUser)
    return schema


# The fixture's schema is cloned with this object's filters, so they go here too.
SERVER = _implemented(schemathesis.pytest.from_fixture("server_schema"))


@SERVER.parametrize()
@FAST
def test_operation(case: schemathesis.Case) -> None:
    case.call_and_validate()


def test_stateful(server_schema: Any, contract_settings: Settings) -> None:
    class ServerStateMachine(server_schema.as_state_machine()):  # type: ignore[misc]
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

    ServerStateMachine.run(
        settings=settings(
            FAST,
            max_examples=MAX_EXAMPLES,
            stateful_step_count=STATEFUL_STEPS,
            # As schemathesis itself runs scenarios: a failing one is reported, not shrunk.
            phases=[Phase.generate],
        )
    )


def test_unimplemented_operations_are_listed(capsys: pytest.CaptureFixture[str]) -> None:
    assert IMPLEMENTED, "no operation has a handler: nothing to fuzz"
    assert not set(RULES_BEYOND_THE_SCHEMA) - set(IMPLEMENTED)
    with capsys.disabled():
        print(
            f"\ncontract: fuzzing {len(IMPLEMENTED)} implemented operations; "
            f"{len(NOT_IMPLEMENTED)} answer 501 and are not fuzzed: {', '.join(NOT_IMPLEMENTED)}"
        )
