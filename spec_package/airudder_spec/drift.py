"""The drift report: what real traffic showed of AIRudder against the spec, per operation and webhook kind.

Fed by the validating proxy (`airudder-mock proxy`: requests and answers) and the webhook receiver
(`WebhookReceiver(drift_report=...)`: what AIRudder posts). For each spec element the traffic touched: how often
it was confirmed and contradicted, first and last seen, its grade (an `x-assumed` element contradicted keeps a
redacted example); and what the spec does not name: fields, HTTP statuses, `code` values, enum values, webhook
kinds. Requests the spec would refuse and upstream failures are counted too.

The report lives in a directory as `drift.json` (the data, read back by `scripts/propose-spec`) and `drift.md`
(the same for a person). `flush()` merges what was seen since the last flush into the file under a lock, so the
report survives restarts and several processes (a proxy and a receiver, say) can share one directory. `merge`
adds reports of other runs.

    report = DriftReport("reports/drift")
    report.answer("list_workflow_tasks", 200, body_bytes, "application/json")
    report.flush()
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .document import load, locate
from .envelope import Problem
from .evidence import PLANS, Element, Evidence, Plan, examine, grade_of, plan_for, shape
from .operations import JSON, Parameter, operations, response_key
from .schemas import pointer
from .strict_json import JSONProblem, decode
from .webhooks import webhook_schemas

VERSION = 1
JSON_FILE, MARKDOWN_FILE, LOCK_FILE = "drift.json", "drift.md", ".drift.lock"
MAX_KEYS = 500
"""Per operation and table: distinct keys kept (an app sending a new field name in every request does not grow
the report without bound); what is over is counted in `dropped`."""


def timestamp(at: float | None = None) -> str:
    """UTC, to the second, in a form that sorts as it reads."""
    return _second(int(time.time() if at is None else at))


@functools.lru_cache(maxsize=64)
def _second(second: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(second))


@dataclass
class Seen:
    """How often something was seen, first and last; `example` is redacted (see `evidence.shape`)."""

    count: int = 0
    first: str = ""
    last: str = ""
    example: Any = None

    def add(self, at: str, example: Any = None, count: int = 1) -> None:
        self.count += count
        self.first = min(self.first, at) if self.first else at
        self.last = max(self.last, at)
        if self.example is None and example is not None:
            self.example = example

    def merge(self, other: Seen) -> None:
        if other.count:
            self.add(other.first, other.example, other.count)
            self.last = max(self.last, other.last)

    def to_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {"count": self.count, "first": self.first, "last": self.last}
        if self.example is not None:
            found["example"] = self.example
        return found

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Seen:
        return cls(data["count"], data["first"], data["last"], data.get("example"))


@dataclass
class ElementDrift:
    """One spec element's evidence."""

    at: str
    grade: str
    why: str | None = None
    confirmed: Seen = field(default_factory=Seen)
    contradicted: Seen = field(default_factory=Seen)
    rules: dict[str, int] = field(default_factory=dict)
    """Each rule broken, with how often."""

    def merge(self, other: ElementDrift) -> None:
        self.confirmed.merge(other.confirmed)
        self.contradicted.merge(other.contradicted)
        for rule, count in other.rules.items():
            self.rules[rule] = self.rules.get(rule, 0) + count

    def to_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {"at": self.at, "grade": self.grade}
        if self.why is not None:
            found["x-assumed"] = self.why
        found |= {"confirmed": self.confirmed.to_json(), "contradicted": self.contradicted.to_json()}
        if self.rules:
            found["rules"] = dict(sorted(self.rules.items()))
        return found

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ElementDrift:
        return cls(
            data["at"],
            data["grade"],
            data.get("x-assumed"),
            Seen.from_json(data["confirmed"]),
            Seen.from_json(data["contradicted"]),
            dict(data.get("rules", {})),
        )


TABLES = ("statuses", "codes", "unnamed_fields", "unnamed_values", "unnamed_statuses", "refused", "failures")
"""An operation's tables of things seen, each by a key a person reads (`answer 200: data.total_count`)."""


@dataclass
class OperationDrift:
    """What one operation (or webhook kind) showed."""

    label: str
    exchanges: Seen = field(default_factory=Seen)
    element_table: dict[str, ElementDrift] = field(default_factory=dict)
    tables: dict[str, dict[str, Seen]] = field(default_factory=lambda: {name: {} for name in TABLES})
    dropped: int = 0
    planned: dict[int, Seen] = field(default_factory=dict)
    """Values counted against a plan (`evidence.plan_for`), not yet added element by element (`settle`)."""

    @property
    def elements(self) -> dict[str, ElementDrift]:
        """Each spec element's evidence, by pointer (everything counted so far settled first)."""
        self.settle()
        return self.element_table

    def settle(self) -> None:
        planned, self.planned = self.planned, {}
        for number, seen in planned.items():
            evidence = PLANS[number].evidence
            for element in evidence.confirmed:
                self.element(element).confirmed.merge(seen)
            for at in evidence.unnamed_fields:
                self.note("unnamed_fields", at, seen.first, None, seen.count)
                self.tables["unnamed_fields"][at].last = max(self.tables["unnamed_fields"][at].last, seen.last)

    def note(self, table: str, key: str, at: str, example: Any = None, count: int = 1) -> None:
        found = self.tables[table]
        if key not in found and len(found) >= MAX_KEYS:
            self.dropped += count
            return
        found.setdefault(key, Seen()).add(at, example, count)

    def element(self, element: Element) -> ElementDrift:
        found = self.element_table.get(element.pointer)
        if found is None:
            found = self.element_table[element.pointer] = ElementDrift(element.at, element.grade, element.why)
        return found

    def merge(self, other: OperationDrift) -> None:
        other.settle()
        self.settle()
        self.exchanges.merge(other.exchanges)
        for key, element in other.elements.items():
            mine = self.element_table.get(key)
            if mine is None:
                self.element_table[key] = ElementDrift.from_json(element.to_json())
            else:
                mine.merge(element)
        for table, entries in other.tables.items():
            for key, seen in entries.items():
                if seen.count:
                    self.note(table, key, seen.first, seen.example, seen.count)
                    self.tables[table][key].last = max(self.tables[table][key].last, seen.last)
        self.dropped += other.dropped

    @property
    def contradictions(self) -> int:
        """Every sign the spec is wrong or silent here: contradicted elements and everything it does not name."""
        found = sum(e.contradicted.count for e in self.elements.values())
        unnamed = ("unnamed_fields", "unnamed_values", "unnamed_statuses", "refused")
        found += sum(s.count for table in unnamed for s in self.tables[table].values())
        return found + sum(s.count for key, s in self.tables["codes"].items() if key.endswith("(not named)"))

    def to_json(self) -> dict[str, Any]:
        self.settle()
        return {
            "label": self.label,
            "exchanges": self.exchanges.to_json(),
            "elements": {key: e.to_json() for key, e in sorted(self.elements.items())},
            **{name: {k: s.to_json() for k, s in sorted(self.tables[name].items())} for name in TABLES},
            "dropped": self.dropped,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> OperationDrift:
        found = cls(data["label"], Seen.from_json(data["exchanges"]), dropped=data.get("dropped", 0))
        found.element_table = {key: ElementDrift.from_json(e) for key, e in data.get("elements", {}).items()}
        for name in TABLES:
            found.tables[name] = {key: Seen.from_json(s) for key, s in data.get(name, {}).items()}
        return found


class DriftReport:
    """The evidence of one process, merged into `directory` (if given) by `flush()`. Thread-safe."""

    def __init__(self, directory: str | Path | None = None) -> None:
        self.directory = Path(directory) if directory is not None else None
        self.operations: dict[str, OperationDrift] = {}
        self._lock = threading.Lock()
        if self.directory is not None:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)

    # -- what traffic shows ---------------------------------------------------------------------------------------

    def _operation(self, key: str, label: str) -> OperationDrift:
        found = self.operations.get(key)
        if found is None:
            found = self.operations[key] = OperationDrift(label)
        return found

    def exchange(self, operation_id: str, at: float | None = None) -> None:
        """One exchange of `operation_id` went through (whatever came of it)."""
        with self._lock:
            self._operation(operation_id, _label(operation_id)).exchanges.add(timestamp(at))

    def request(
        self,
        operation_id: str,
        query: Mapping[str, list[str]],
        path: Mapping[str, str],
        body: bytes,
        content_type: str,
        at: float | None = None,
        accepted: bool = True,
    ) -> None:
        """A request as the app sent it: its parameters and JSON body held against the spec. `accepted`: AIRudder
        answered it with success; only then does a request element count as confirmed (what the app sends shows
        what the app does; AIRudder taking it shows the spec's reading works)."""
        operation = operations()[operation_id]
        grade = _default_grade(operation.definition)
        found: list[tuple[Evidence | Plan, Any]] = []
        named = set()
        for parameter in _parameters(operation_id):
            name = parameter.name
            if parameter.located_in == "query":
                values = query.get(name, [])
            elif parameter.located_in == "path":
                values = [path[name]] if name in path else []
            else:
                continue
            named.add(name)
            for raw in values:
                where = f"{parameter.located_in}.{name}"
                typed = _typed(raw, parameter.schema)
                found.append((_held(parameter.schema_pointer, typed, where, grade), typed))
        unnamed = [f"query.{name}" for name in query if name not in named]
        if "requestBody" in operation.definition and body.strip():
            request_body, where = locate(operation.definition["requestBody"], f"{operation.pointer}/requestBody")
            if JSON in request_body.get("content", {}) and content_type.split(";")[0].strip().lower() == JSON:
                try:
                    value = decode(body)
                except JSONProblem:
                    value = _NOT_JSON
                if value is not _NOT_JSON:
                    found.append((_held(where + pointer("content", JSON, "schema"), value, "body", grade), value))
        stamp = timestamp(at)
        with self._lock:
            drift = self._operation(operation_id, _label(operation_id))
            for held, value in found:
                self._add(drift, held, value, stamp, confirm=accepted)
            for name in unnamed:
                drift.note("unnamed_fields", name, stamp)

    def refused(self, operation_id: str | None, problems: list[Problem], at: float | None = None) -> None:
        """The spec would refuse this request (the mock's validator says why): the app sends what it does not know.
        `operation_id` None: the request is no operation of the spec at all."""
        stamp = timestamp(at)
        key = operation_id or UNKNOWN_OPERATION
        with self._lock:
            drift = self._operation(key, _label(key))
            for problem in problems:
                drift.note("refused", f"{problem['field']}: {problem['message']}", stamp)

    def answer(self, operation_id: str, status: int, body: bytes, content_type: str, at: float | None = None) -> None:
        """An answer: its status, its `code`, and its JSON body held against the schema the spec gives."""
        operation = operations()[operation_id]
        stamp = timestamp(at)
        grade = _default_grade(operation.definition)
        responses = operation.definition.get("responses", {})
        key = response_key(responses, status)
        evidence: Evidence | Plan | None = None
        response_element: tuple[Element, str | None] | None = None
        code: Any = None
        value: Any = _NOT_JSON
        if body.strip():
            try:
                value = decode(body)
            except JSONProblem:
                value = _NOT_JSON
        if isinstance(value, dict):
            code = value.get("code")
        if key is not None:
            response, where = locate(responses[key], f"{operation.pointer}/responses/{key}")
            response_grade, why = grade_of(response, grade)
            media = response.get("content", {}).get(JSON)
            problem = None
            if media is not None and value is _NOT_JSON:
                media_type = content_type.split(";")[0].strip().lower() or "no Content-Type"
                problem = f"is not JSON (HTTP {status}, {media_type}, {len(body)} bytes)"
            response_element = (Element(where, f"answer {key}", response_grade, why), problem)
            if media is not None and "schema" in media and value is not _NOT_JSON:
                schema_at = where + pointer("content", JSON, "schema")
                evidence = _held(schema_at, value, f"answer {status}", grade)
        with self._lock:
            drift = self._operation(operation_id, _label(operation_id))
            drift.note("statuses", str(status), stamp)
            if key is None:
                drift.note("unnamed_statuses", str(status), stamp)
            if response_element is not None:
                element, problem = response_element
                tally = drift.element(element)
                if problem is None:
                    tally.confirmed.add(stamp)
                else:
                    rule = problem.split(" (")[0]
                    tally.contradicted.add(
                        stamp, {"at": element.at, "rule": problem, "value": shape(body[:40].decode(errors="replace"))}
                    )
                    tally.rules[rule] = tally.rules.get(rule, 0) + 1
            if evidence is not None:
                self._add(drift, evidence, value, stamp)
            if isinstance(code, int) and not isinstance(code, bool):
                named = _named_codes(responses, key, status)
                suffix = "" if code in named else " (not named)"
                drift.note("codes", f"HTTP {status}: code {code}{suffix}", stamp)

    def failure(self, operation_id: str | None, what: str, at: float | None = None) -> None:
        """The upstream failed to answer (`what`: the kind of failure, never a URL with credentials)."""
        key = operation_id or UNKNOWN_OPERATION
        with self._lock:
            self._operation(key, _label(key)).note("failures", what, timestamp(at))

    def webhook(self, kind: str | None, payload: Any, at: float | None = None) -> None:
        """A webhook body AIRudder posted, as decoded JSON; `kind` as the URL named it or it was detected (None or
        a kind the spec does not have: an unknown kind)."""
        stamp = timestamp(at)
        evidence: Evidence | Plan | None = None
        if kind in webhook_schemas():
            location, grade = _webhook_schema(kind)
            evidence = _held(location, payload, "payload", grade)
        key = f"webhook {kind}" if evidence is not None else "webhook (kind not in the spec)"
        with self._lock:
            drift = self._operation(key, key)
            drift.exchanges.add(stamp)
            if evidence is None:
                drift.note("unnamed_fields", f"kind {kind!r}" if kind else "kind (none named, none detected)", stamp)
                if isinstance(payload, dict):
                    for name in payload:
                        drift.note("unnamed_fields", f"payload.{name}", stamp)
            else:
                self._add(drift, evidence, payload, stamp)

    def _add(self, drift: OperationDrift, held: Evidence | Plan, value: Any, stamp: str, confirm: bool = True) -> None:
        """A value's evidence into `drift`: a plan is only counted (settled later), whole evidence added now;
        `confirm=False` adds all but the confirmations (a request AIRudder did not take)."""
        if isinstance(held, Plan):
            if confirm:
                seen = drift.planned.get(held.number)
                if seen is None:
                    seen = drift.planned[held.number] = Seen()
                seen.add(stamp)
            else:
                for at in held.evidence.unnamed_fields:
                    drift.note("unnamed_fields", at, stamp)
            for at, shaped in held.undescribed(value):
                key = f"{at} = {json.dumps(shaped)} (not among the values its description names)"
                drift.note("unnamed_values", key, stamp)
            return
        evidence = held
        for element in evidence.confirmed if confirm else ():
            drift.element(element).confirmed.add(stamp)
        for element, rule, example in evidence.contradicted:
            tally = drift.element(element)
            tally.contradicted.add(stamp, {"at": element.at, "rule": rule, "value": example})
            tally.rules[rule] = tally.rules.get(rule, 0) + 1
        for at in evidence.unnamed_fields:
            drift.note("unnamed_fields", at, stamp)
        for at, value in evidence.unnamed_values:
            drift.note("unnamed_values", f"{at} = {json.dumps(value)}", stamp)
        for at, value in evidence.undescribed_values:
            drift.note(
                "unnamed_values", f"{at} = {json.dumps(value)} (not among the values its description names)", stamp
            )

    # -- merging and files ----------------------------------------------------------------------------------------

    def merge(self, other: DriftReport) -> None:
        """Add `other`'s evidence to this report's."""
        with self._lock:
            for key, drift in other.operations.items():
                self._operation(key, drift.label).merge(drift)

    def to_json(self) -> dict[str, Any]:
        with self._lock:
            operations_ = {key: drift.to_json() for key, drift in sorted(self.operations.items())}
        info = load().get("info", {})
        spec = {"title": info.get("title"), "version": info.get("version")}
        return {"version": VERSION, "spec": spec, "operations": operations_}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DriftReport:
        if data.get("version") != VERSION:
            raise ValueError(f"not a drift report of version {VERSION}: {data.get('version')!r}")
        report = cls()
        report.operations = {key: OperationDrift.from_json(d) for key, d in data.get("operations", {}).items()}
        return report

    @classmethod
    def read(cls, directory: str | Path) -> DriftReport:
        """The report kept in `directory` (empty when there is none yet)."""
        path = Path(directory) / JSON_FILE
        if not path.exists():
            return cls()
        return cls.from_json(json.loads(path.read_text()))

    def flush(self) -> DriftReport | None:
        """Merge what was seen since the last flush into the directory's report (JSON and Markdown), under a file
        lock; returns the merged report (None without a directory)."""
        if self.directory is None:
            return None
        with self._lock:
            pending, self.operations = self.operations, {}
        delta = DriftReport()
        delta.operations = pending
        with _locked(self.directory / LOCK_FILE):
            merged = DriftReport.read(self.directory)
            merged.merge(delta)
            _write(self.directory / JSON_FILE, json.dumps(merged.to_json(), indent=1, ensure_ascii=False) + "\n")
            _write(self.directory / MARKDOWN_FILE, markdown(merged))
        return merged


UNKNOWN_OPERATION = "(no operation of the spec)"


@functools.cache
def _parameters(operation_id: str) -> tuple[Parameter, ...]:
    return tuple(operations()[operation_id].parameters())


@functools.cache
def _webhook_schema(kind: str) -> tuple[str, str]:
    """(where the payload schema of the webhook `kind` sits, the webhook's default grade)."""
    definition = load()["webhooks"][kind]["post"]
    return pointer("components", "schemas", webhook_schemas()[kind]), _default_grade(definition)


def _held(location: str, value: Any, at: str, grade: str) -> Evidence | Plan:
    """The plan of a valid value (counted, cheap), else the whole evidence of an invalid one."""
    plan = plan_for(location, value, at, grade)
    return plan if plan is not None else examine(location, value, at, grade)


def side(element: ElementDrift) -> str:
    """`request` (what the app sent), `answer` (what AIRudder answered) or `webhook` (what AIRudder posted)."""
    if element.at.startswith("answer"):
        return "answer"
    return "webhook" if element.at.startswith("payload") else "request"


_NOT_JSON: Any = object()


def _label(key: str) -> str:
    operation = operations().get(key)
    return f"{operation.method.upper()} {operation.path}" if operation is not None else key


def _default_grade(definition: Mapping[str, Any]) -> str:
    return "observed" if definition.get("x-doc-coverage") == "observed" else "documented"


def _typed(raw: str, schema: Mapping[str, Any]) -> Any:
    """A query or path value as the type its schema gives (left a string when it is not one)."""
    kind = schema.get("type")
    try:
        if kind == "integer":
            return int(raw)
        if kind == "number":
            return float(raw)
    except ValueError:
        return raw
    return raw


def _named_codes(responses: Mapping[str, Any], key: str | None, status: int) -> set[int]:
    """The `code` values the spec names for an answer: its schema's enum, else 200 for a success and the HTTP
    status for a failure (the error envelope assumes `code` repeats it)."""
    if key is not None:
        response = locate(responses[key])[0]
        schema = response.get("content", {}).get(JSON, {}).get("schema")
        if isinstance(schema, dict):
            code = locate(schema)[0].get("properties", {}).get("code", {})
            if isinstance(code, dict) and "enum" in locate(code)[0]:
                return set(locate(code)[0]["enum"])
    return {200} if 200 <= status < 300 else {status}


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on `path` between processes (where the platform has flock)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: one process per directory
        yield
        return
    descriptor = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def _write(path: Path, text: str) -> None:
    """Replace `path` atomically with a file only its owner can read."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        stream.write(text)
    os.replace(temporary, path)


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown(report: DriftReport) -> str:
    """The report for a person: per operation, what the spec does not say first, then every element touched."""
    lines = ["# Drift: what traffic showed against the spec", ""]
    lines += ["Contradictions and what the spec does not name come first; `x-assumed` elements confirmed by the"]
    lines += ["traffic can be re-graded observed (`scripts/propose-spec`).", ""]
    if not report.operations:
        lines.append("(no traffic recorded yet)")
    for key, drift in sorted(report.operations.items()):
        title = drift.label if drift.label == key else f"{key} ({drift.label})"
        lines += [f"## {title}", ""]
        seen = drift.exchanges
        lines += [f"{seen.count} exchange(s), first {seen.first or '-'}, last {seen.last or '-'}.", ""]
        for table, heading in (
            ("failures", "Upstream failures"),
            ("refused", "Requests the spec would refuse"),
            ("unnamed_statuses", "HTTP statuses the spec lists no answer for"),
            ("unnamed_fields", "Fields the spec does not name"),
            ("unnamed_values", "Values the spec does not list"),
            ("codes", "`code` values"),
            ("statuses", "HTTP statuses"),
        ):
            entries = drift.tables[table]
            if entries:
                lines += [f"**{heading}**", "", "| seen | count | first | last |", "|---|---|---|---|"]
                lines += [f"| {_cell(k)} | {s.count} | {s.first} | {s.last} |" for k, s in sorted(entries.items())]
                lines.append("")
        contradicted = {k: e for k, e in drift.elements.items() if e.contradicted.count}
        if contradicted:
            lines += ["**Elements contradicted**", "", "| element | where | grade | confirmed | contradicted | how |"]
            lines += ["|---|---|---|---|---|---|"]
            for pointer_, e in sorted(contradicted.items()):
                how = "; ".join(f"{rule} (x{count})" for rule, count in sorted(e.rules.items()))
                example = (
                    f"; e.g. `{json.dumps(e.contradicted.example, ensure_ascii=False)}`" if e.grade == "assumed" else ""
                )
                row = [f"`{pointer_}`", e.at, e.grade, e.confirmed.count, e.contradicted.count, how + example]
                lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
            lines.append("")
        confirmed = {k: e for k, e in drift.elements.items() if not e.contradicted.count}
        if confirmed:
            lines += ["**Elements confirmed**", "", "| element | where | grade | confirmed | first | last |"]
            lines += ["|---|---|---|---|---|---|"]
            for pointer_, e in sorted(confirmed.items()):
                row = [f"`{pointer_}`", e.at, e.grade, e.confirmed.count, e.confirmed.first, e.confirmed.last]
                lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
            lines.append("")
        if drift.dropped:
            lines += [f"({drift.dropped} sighting(s) of further distinct keys not kept: over {MAX_KEYS} per table)", ""]
    return "\n".join(lines) + "\n"
