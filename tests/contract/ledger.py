"""Which of schemathesis' checks ran, and how often each had something to judge.

A check with nothing to judge returns quietly, exactly as one that passes (`run_checks`
reports both as a success), so "every check ran" proves little on its own. The ledger also
counts, per check, the responses it could have failed on:

- `negative_data_rejection`: answers to negative (schema-invalid) cases;
- `positive_data_acceptance`: answers to positive cases;
- `ignored_auth`: 2xx answers of secured operations; the check then replays each without
  a token and with a forged one (once per operation and run, then it trusts it);
- `ensure_resource_availability`: stateful steps linked from a successful POST (a 404
  there fails it unless the resource was deleted);
- `use_after_free`: stateful reads of a resource a DELETE of the scenario removed (a 2xx
  there fails it).

The last two need the scenario's recorder, so only the stateful tests count them
(`CheckLedger.note_step` from the state machine's `validate_response`).

One kind of failure is excused, and counted as such (`form_text_is_a_string`).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from jsonschema import Draft4Validator
from schemathesis.checks import CHECKS, is_check_class, load_all_checks
from schemathesis.core.failures import AcceptedNegativeData
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import _sent_form_fields

STATEFUL_CHECKS = ("ensure_resource_availability", "use_after_free")
# `max_response_time` runs only with a limit: this one catches a hung request, not a slow
# one (timings on a shared 2-core CI box are no contract; bench/rest.py measures speed).
MAX_RESPONSE_SECONDS = 30
# What a user creates and may read, change and delete again. Among every operation of the
# spec a small budget seldom draws a create, its delete and then a read of the same object,
# which is what `use_after_free` judges; scenarios over these operations only often do.
LIFECYCLES = [
    *("createParty", "getParty", "updateParty", "deleteParty", "listParticipants"),
    *("startParty", "endParty", "sendChatMessage", "listChatMessages", "deleteChatMessage"),
    *("createEvent", "getEvent", "updateEvent", "deleteEvent", "listEvents"),
    *("createVideoUploadUrl", "getVideo", "updateVideo", "deleteVideo", "getVideoProcessing"),
    *("listVideos", "createSupportTicket", "getSupportTicket", "postSupportMessage"),
    "closeSupportTicket",
]
READS = frozenset({"GET", "HEAD", "PATCH"})


def form_text_is_a_string(case: Any, response: Any, failure: Any) -> bool:
    """Whether `failure` is `negative_data_rejection` on multipart text that is valid as sent.

    A multipart form carries text: a number the fuzzer puts in a `type: string` field
    arrives as a string, which may well be a valid one (a title `-21408078401`), and a
    "pattern-violating" string may reach the wire matching it after all. schemathesis
    re-validates the fields as sent and excuses that itself, unless a file part is sent
    too, whose bytes its re-validation cannot read (4.32.5, `_form_body_is_valid_as_sent`).
    Excused only when every mutation is of a top-level text field and the text sent
    satisfies that field's schema (jsonschema Draft 4, as the server validates it).
    """
    meta = case.meta
    if not isinstance(failure, AcceptedNegativeData) or meta is None:
        return False
    if not (case.media_type or "").startswith("multipart/form-data"):
        return False
    if any(
        component.mode.is_negative
        for location, component in meta.components.items()
        if location != ParameterLocation.BODY
    ):
        return False
    body = case.operation.get_body_for_media_type(case.media_type)
    properties = body.optimized_schema.get("properties", {}) if body is not None else {}
    mutations = getattr(meta.phase.data, "mutations", None)
    sent = _sent_form_fields(response, case.media_type) or {}
    if not mutations:
        return False
    for mutation in mutations:
        field = properties.get(mutation.parameter or "", {})
        texts = sent.get(mutation.parameter or "", [])
        if (
            mutation.parameter_location != ParameterLocation.BODY
            or len(mutation.path) != 1
            or field.get("type") != "string"
            or "format" in field
            or not texts
            or None in texts
        ):
            return False
        validator = Draft4Validator(field)
        if not all(validator.is_valid(text) for text in texts):
            return False
    return True


def builtin_checks() -> set[str]:
    """Names of the function checks schemathesis runs when the config leaves them on."""
    load_all_checks()
    return {check.__name__ for check in CHECKS.get_all() if not is_check_class(check)}


class CheckLedger:
    """Counts filled by a schema's `after_validate` hook (`attach`).

    A ledger takes either the stateful phase's cases or the other phases' (examples,
    coverage, fuzzing), so two can share a schema.
    """

    def __init__(self, label: str, *, stateful: bool = False) -> None:
        self.label = label
        self.stateful = stateful
        self.phases: Counter[str] = Counter()
        self.ran: Counter[str] = Counter()
        self.failed: Counter[str] = Counter()
        self.judged: Counter[str] = Counter()
        self.operations: set[str] = set()
        self.cases = 0
        self.excused: Counter[str] = Counter()
        # One bound method each, so `detach` finds the very hooks `attach` registered.
        self._hook = self.after_validate
        self._filter = self.filter_failure

    def attach(self, schema: Any) -> None:
        schema.hooks.register_hook_with_name(self._hook, "after_validate")
        schema.hooks.register_hook_with_name(self._filter, "filter_failure")

    def detach(self, schema: Any) -> None:
        schema.hooks.unregister(self._hook)
        schema.hooks.unregister(self._filter)

    def filter_failure(self, context: Any, failure: Any, case: Any, response: Any) -> bool:
        """Keep every failure but the excused kind (`form_text_is_a_string`), and count those."""
        if form_text_is_a_string(case, response, failure):
            self.excused["negative_data_rejection"] += 1
            return False
        return True

    def after_validate(self, context: Any, case: Any, response: Any, results: list[Any]) -> None:
        phase = str(case.meta.phase.name) if case.meta is not None else "explicit"
        if (phase == "stateful") != self.stateful:
            return
        self.phases[phase] += 1
        self.cases += 1
        self.operations.add(case.operation.label)
        for result in results:
            self.ran[result.name] += 1
            if result.failure is not None:
                self.failed[result.name] += 1
        if case.meta is not None:
            mode = "negative" if case.meta.generation.mode.is_negative else "positive"
            self.judged[f"{mode}_data_{'rejection' if mode == 'negative' else 'acceptance'}"] += 1
        if case.operation.definition.raw.get("security") and 200 <= response.status_code < 300:
            self.judged["ignored_auth"] += 1

    def note_step(self, recorder: Any, case: Any, response: Any) -> None:
        """Count what the two stateful checks can judge at this step of a scenario."""
        parent = recorder.find_parent(case_id=case.id)
        if parent is not None and parent.method.upper() == "POST":
            parent_response = recorder.find_response(case_id=parent.id)
            if parent_response is not None and 200 <= parent_response.status_code < 300:
                self.judged["ensure_resource_availability"] += 1
        if case.method.upper() not in READS:
            return
        for related in recorder.find_related(case_id=case.id):
            deleted = recorder.find_response(case_id=related.id)
            if (
                related.method.upper() == "DELETE"
                and deleted is not None
                and 200 <= deleted.status_code < 300
                and case.formatted_path.startswith(related.formatted_path)
            ):
                self.judged["use_after_free"] += 1
                return

    def report(self) -> str:
        lines = [
            f"{self.label}: {len(self.operations)} operations, {self.cases} responses checked "
            f"({', '.join(f'{name} {n}' for name, n in sorted(self.phases.items()))})",
            f"  {'check':<32}{'ran':>8}{'judged':>8}{'failed':>8}{'excused':>8}",
        ]
        for name in sorted(self.ran):
            judged = str(self.judged[name]) if name in self.judged else "-"
            lines.append(
                f"  {name:<32}{self.ran[name]:>8}{judged:>8}{self.failed[name]:>8}"
                f"{self.excused[name]:>8}"
            )
        return "\n".join(lines)

    def assert_ran(self, expected: set[str], judged: tuple[str, ...]) -> None:
        """Every `expected` check ran, and each of `judged` met something to judge."""
        assert self.cases, f"{self.label}: no response was checked"
        assert not expected - set(self.ran), f"{self.label}: never ran {expected - set(self.ran)}"
        idle = [name for name in judged if not self.judged[name]]
        assert not idle, f"{self.label}: nothing to judge for {idle}\n{self.report()}"
