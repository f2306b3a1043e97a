"""Redaction of recorded traffic: phone numbers, names, case ids, URLs, tokens, APPKey/APPSecret, Authorization.

Each real value is replaced by a fake of its kind (`+15550000001`, `Person 1`, `case-1`, `https://redacted.invalid/1`,
`token-1`), the same fake for the same value within one `Redactor` (one recording), so that the links between
exchanges still line up: the case id of a webhook is the case id of the upload that made it. The mapping is kept
in memory only: writing it down would write down what it hides.

Rules pick values by field name (a JSON key, a query parameter, a header) and by their look (an E.164 number, a
URL or an e-mail address anywhere in a string, `Token ...` in a text). They are configurable:
`RedactionRules.load(path)` reads a JSON file that adds to the defaults (or replaces them):

    {"fields": {"national_id": "id", "(?i)nik": "id"}, "keep": ["agent_group"],
     "values": {"\\bNIK\\d{16}\\b": "id"}, "headers": {"x-tenant": "secret"}, "replace_defaults": false}
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

KINDS = ("phone", "name", "id", "url", "token", "secret", "email", "text")

DEFAULT_FIELDS: dict[str, str] = {
    r"app_?key|app_?secret|secret|password|passwd|api_?key|client_secret|signature": "secret",
    r"token|access_token|refresh_token|.*_token": "token",
    r"callee|caller|callee_number|caller_number|phone|phone_number|mobile|msisdn|.*_phone|.*_mobile|.*_msisdn": "phone",
    r"case_?id|.*_case_id|customer_id|contact_id|national_id|id_number": "id",
    r"name|callee_name|customer_name|contact_name|first_name|last_name|full_name|nickname|agent_name": "name",
    r"email|.*_email": "email",
    r"address|.*_address": "text",
    r"url|.*_url|.*_link|link|recording|recording_.*": "url",
}
DEFAULT_KEEP = [r"workflow_name|template_name|workflow_template_name|node_name|nodetask_name|platform_name"]
DEFAULT_VALUES: dict[str, str] = {
    r"https?://[^\s\"'<>]+": "url",
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+": "email",
    r"(?<![0-9A-Za-z+])\+?[0-9]{8,15}(?![0-9A-Za-z])": "phone",
    r"(?<=Token )\S+|(?<=Bearer )\S+": "token",
}
DEFAULT_HEADERS: dict[str, str] = {
    "authorization": "authorization",
    "proxy-authorization": "authorization",
    "cookie": "secret",
    "set-cookie": "secret",
    "x-api-key": "secret",
}


@dataclass
class RedactionRules:
    fields: list[tuple[re.Pattern[str], str]] = field(default_factory=list)
    """A JSON key or query parameter that fully matches (case-insensitive): its value, whole, is of the kind."""
    keep: list[re.Pattern[str]] = field(default_factory=list)
    """Field names never redacted by name (their values still go through `values`)."""
    values: list[tuple[re.Pattern[str], str]] = field(default_factory=list)
    """Patterns found inside any string: each match is replaced by a fake of the kind."""
    headers: dict[str, str] = field(default_factory=dict)
    """Header (lower case) -> kind; `authorization` keeps the scheme (`Token token-1`)."""

    @classmethod
    def default(cls) -> RedactionRules:
        return cls().extended(
            {"fields": DEFAULT_FIELDS, "keep": DEFAULT_KEEP, "values": DEFAULT_VALUES, "headers": DEFAULT_HEADERS}
        )

    @classmethod
    def load(cls, path: str | Path) -> RedactionRules:
        """The rules of a JSON file (see the module's docstring), added to the defaults unless it says
        `"replace_defaults": true`."""
        data = json.loads(Path(path).read_text())
        if not isinstance(data, dict):
            raise ValueError(f"{path}: a JSON object of fields, keep, values and headers")
        base = cls() if data.get("replace_defaults") else cls.default()
        return base.extended(data)

    def extended(self, data: dict[str, Any]) -> RedactionRules:
        """These rules plus those of `data` (same keys as the rules file)."""
        unknown = set(data) - {"fields", "keep", "values", "headers", "replace_defaults"}
        if unknown:
            raise ValueError(f"unknown keys in the redaction rules: {', '.join(sorted(unknown))}")
        for table in ("fields", "values", "headers"):
            for pattern, kind in data.get(table, {}).items():
                if kind not in KINDS and not (table == "headers" and kind == "authorization"):
                    raise ValueError(f"{table}: {pattern!r}: unknown kind {kind!r} (one of {', '.join(KINDS)})")
        try:
            fields = [(re.compile(p, re.IGNORECASE), k) for p, k in data.get("fields", {}).items()]
            values = [(re.compile(p), k) for p, k in data.get("values", {}).items()]
            keep = [re.compile(p, re.IGNORECASE) for p in data.get("keep", [])]
        except re.error as exc:
            raise ValueError(f"a redaction pattern is not a regular expression: {exc}") from None
        headers = {name.lower(): kind for name, kind in data.get("headers", {}).items()}
        return RedactionRules(
            [*fields, *self.fields], [*keep, *self.keep], [*values, *self.values], {**self.headers, **headers}
        )

    def kind_of(self, name: str) -> str | None:
        """The kind a field of this name holds (None: not redacted by its name)."""
        if any(pattern.fullmatch(name) for pattern in self.keep):
            return None
        return next((kind for pattern, kind in self.fields if pattern.fullmatch(name)), None)


class Redactor:
    """Replaces real values with fakes, the same fake for the same value (per kind) for as long as it lives."""

    def __init__(self, rules: RedactionRules | None = None) -> None:
        self.rules = rules or RedactionRules.default()
        self._fakes: dict[tuple[str, str], str] = {}
        self._counts: dict[str, int] = {}

    def fake(self, kind: str, real: str) -> str:
        found = self._fakes.get((kind, real))
        if found is None:
            number = self._counts[kind] = self._counts.get(kind, 0) + 1
            found = self._fakes[(kind, real)] = _FAKES.get(kind, "redacted-{n}").format(n=number)
        return found

    def value(self, value: Any, kind: str | None = None) -> Any:
        """A JSON value with what the rules name replaced; `kind`: the value is all of that kind (its field said)."""
        if isinstance(value, dict):
            return {key: self.value(item, self.rules.kind_of(key)) for key, item in value.items()}
        if isinstance(value, list):
            return [self.value(item, kind) for item in value]
        if kind is not None and value is not None and not isinstance(value, bool):
            if isinstance(value, int) and kind == "phone":
                return int(self.fake(kind, str(value)).lstrip("+"))
            if isinstance(value, int | float):
                return int(self.fake(kind, str(value)).rsplit("-", 1)[-1]) if kind == "id" else value
            return self.fake(kind, str(value)) if not isinstance(value, str) or value else value
        return self.text(value) if isinstance(value, str) else value

    def text(self, text: str) -> str:
        """Every match of the value rules inside `text` replaced."""
        for pattern, kind in self.rules.values:
            text = pattern.sub(lambda found, kind=kind: self.fake(kind, found.group(0)), text)  # type: ignore[misc]
        return text

    def header(self, name: str, value: str) -> str:
        kind = self.rules.headers.get(name.lower())
        if kind == "authorization":
            scheme, _, credentials = value.partition(" ")
            return f"{scheme} {self.fake('token', credentials)}" if credentials else self.fake("secret", value)
        return self.fake(kind, value) if kind is not None else self.text(value)

    def query(self, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
        return [(name, self._named(name, value)) for name, value in pairs]

    def _named(self, name: str, value: str) -> str:
        kind = self.rules.kind_of(name)
        return self.fake(kind, value) if kind is not None and value else self.text(value)

    def body(self, raw: bytes, content_type: str) -> str | None:
        """A body as redacted text: JSON re-encoded with its values redacted, other text through the value rules;
        None for a body that is not UTF-8 text (it is not kept)."""
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return None
        if "json" in content_type.lower() or text.lstrip()[:1] in ("{", "["):
            try:
                value = json.loads(text)
            except ValueError:
                return self.text(text)
            return json.dumps(self.value(value), ensure_ascii=False, separators=(",", ":"))
        if "x-www-form-urlencoded" in content_type.lower():
            from urllib.parse import parse_qsl, urlencode

            return urlencode(self.query(parse_qsl(text, keep_blank_values=True)))
        return self.text(text)


_FAKES = {
    "phone": "+1555{n:07d}",
    "name": "Person {n}",
    "id": "case-{n}",
    "url": "https://redacted.invalid/{n}",
    "token": "token-{n}",
    "secret": "secret-{n}",
    "email": "person{n}@redacted.invalid",
    "text": "redacted-{n}",
}
