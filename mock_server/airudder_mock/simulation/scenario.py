"""Scripted outcomes: the magic callee numbers (a fixed table, as Stripe's test cards) and scenarios.

A contact whose callee is a magic number, or that a scenario's rule names, has a `Script`: the outcome of each
call attempt, how long an answered call lasts and whether it is recorded, what becomes of its WABA message, and
faults of the webhooks about it. A scripted contact's history is deterministic whatever the seed; every other
contact keeps the seeded random odds. A scenario (spec/mock-admin.yaml's `Scenario`: a file, `PUT
/_mock/scenario`, `MockConfig.scenario`, `serve --scenario`) holds rules, matched in order by callee, case_id
and workflow name, and API faults switched on and off at given mock times.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..repository.records import Contact, Workflow

CALL_STATUSES = ("answered", "no_answer", "busy", "failed")
WABA_ENDS = ("delivered", "read", "failed", "chatbot_session")
"""How a scripted WABA message ends: delivered and never read, read, failed, or read and a chatbot session
ended after it."""
ANSWERED_SECONDS = 60


@dataclass(frozen=True)
class WebhookFault:
    """What goes wrong with the webhooks of `kind` (`*`: every kind) about a scripted contact or workflow."""

    kind: str = "*"
    twice: bool = False
    """Delivered twice (the same body: a receiver that dedupes handles it once)."""
    late: float = 0.0
    """Sent this many mock seconds after it falls due."""
    out_of_order: bool = False
    """Held back and sent right after the next webhook of its workflow (after the run's end, for the last)."""
    fail_first: int = 0
    """The first this many attempts fail (no POST is made), so AIRudder's retry policy sends it a mock minute
    later each time; 5 or more: it fails for good."""
    never: bool = False
    """Never sent (nor logged as a delivery)."""

    def applies_to(self, kind: str) -> bool:
        return self.kind in ("*", kind)


@dataclass(frozen=True)
class Script:
    """One contact's outcomes, deterministic."""

    calls: tuple[str, ...] = ("answered",)
    """The status of each call attempt, in order; while the last is not `answered`, it repeats for the redials
    the mock's `max_redials` allows. A script longer than that is redialled to its end."""
    duration: int = ANSWERED_SECONDS
    """Seconds an answered call lasts."""
    redial_after: float | None = None
    """Mock seconds between attempts (default: the mock's `redial_interval`)."""
    recording: bool = True
    """Whether an answered call has a recording (`recording_url` null when not)."""
    waba: str = "read"
    """How its WABA message ends: one of `WABA_ENDS`."""
    webhooks: tuple[WebhookFault, ...] = ()

    def call_status(self, attempt: int) -> str:
        return self.calls[min(attempt, len(self.calls)) - 1]

    def redials(self, attempt: int, max_redials: int) -> bool:
        """Whether an unanswered `attempt` is dialled again."""
        return attempt < len(self.calls) or attempt <= max_redials


MAGIC_NUMBERS: dict[str, tuple[str, Script]] = {
    "+15550000001": ("answered on the first dial, recorded", Script()),
    "+15550000002": ("no answer on every dial, until the redials run out", Script(calls=("no_answer",))),
    "+15550000003": ("busy on every dial", Script(calls=("busy",))),
    "+15550000004": ("failed on every dial", Script(calls=("failed",))),
    "+15550000005": ("busy, busy, then answered on the second redial", Script(calls=("busy", "busy", "answered"))),
    "+15550000006": ("no answer, then answered on the first redial", Script(calls=("no_answer", "answered"))),
    "+15550000007": ("answered, with no recording (`recording_url` null)", Script(recording=False)),
    "+15550000011": ("WABA message delivered, never read", Script(waba="delivered")),
    "+15550000012": ("WABA message read", Script(waba="read")),
    "+15550000013": ("WABA message failed", Script(waba="failed")),
    "+15550000014": ("WABA message read, then a chatbot session ends", Script(waba="chatbot_session")),
}
"""Callee number -> (what happens, its script). Calls of a WABA number are answered; the WABA message of a call
number is read. Documented in docs/testing.md; `tests/mock_server/test_scenarios.py` holds each."""


@dataclass(frozen=True)
class Rule:
    """A script for the contacts that match every matcher given (none given: every contact)."""

    script: Script
    callee: str | None = None
    case_id: str | None = None
    workflow_name: str | None = None

    def matches(self, contact: Contact, workflow: Workflow) -> bool:
        return (
            self.callee in (None, contact.callee)
            and self.case_id in (None, contact.case_id)
            and (self.matches_workflow(workflow))
        )

    def matches_workflow(self, workflow: Workflow) -> bool:
        return self.workflow_name in (None, workflow.name)


@dataclass(frozen=True)
class TimedFault:
    """An API fault rule (the options of `PUT /_mock/faults`) in force from `at` to `until` mock seconds after
    the scenario is set (`until` None: to the end)."""

    operation_id: str
    options: dict[str, Any]
    at: float = 0.0
    until: float | None = None


@dataclass(frozen=True)
class Scenario:
    rules: tuple[Rule, ...] = ()
    api_faults: tuple[TimedFault, ...] = ()
    source: dict[str, Any] = field(default_factory=dict, compare=False)
    """The document it was read from, as given (`GET /_mock/scenario` answers it)."""

    @classmethod
    def parse(cls, document: Mapping[str, Any]) -> Scenario:
        """A scenario from its document (already valid against spec/mock-admin.yaml's `Scenario`)."""
        rules = []
        for item in document.get("contacts", []):
            faults = tuple(WebhookFault(**fault) for fault in item.get("webhooks", []))
            options = {k: item[k] for k in ("duration", "redial_after", "recording", "waba") if k in item}
            if "calls" in item:
                options["calls"] = tuple(item["calls"])
            match = {k: item.get(k) for k in ("callee", "case_id", "workflow_name")}
            rules.append(Rule(Script(**options, webhooks=faults), **match))
        api_faults = tuple(
            TimedFault(
                f["operation_id"],
                {k: v for k, v in f.items() if k not in ("operation_id", "at", "until")},
                f.get("at", 0.0),
                f.get("until"),
            )
            for f in document.get("api_faults", [])
        )
        return cls(tuple(rules), api_faults, dict(document))

    def script_for(self, contact: Contact, workflow: Workflow) -> Script | None:
        """The first rule's script that matches the contact; else its magic number's; else None (random odds)."""
        for rule in self.rules:
            if rule.matches(contact, workflow):
                return rule.script
        magic = MAGIC_NUMBERS.get(contact.callee)
        return magic[1] if magic else None

    def workflow_script(self, workflow: Workflow) -> Script | None:
        """The script of a workflow's own webhooks (status changes): the first rule that names no contact."""
        for rule in self.rules:
            if rule.callee is None and rule.case_id is None and rule.matches_workflow(workflow):
                return rule.script
        return None
