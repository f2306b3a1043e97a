"""The validating proxy (`airudder-mock proxy`): an app's traffic to AIRudder, forwarded unchanged, held against the
spec on the way (the drift report) and, if asked, recorded as redacted cassettes that `serve --replay` answers.

One folder per stage: `routes` (which operation a request is), `forward` (the ASGI app), `observer` (validate,
report, record, off the traffic), `redact` and `cassettes` (recording), `upstream` (where it may forward to).
"""

from __future__ import annotations

from .cassettes import Cassette, Exchange, Recorder, read_cassettes
from .forward import ValidatingProxy
from .observer import Observer
from .redact import RedactionRules, Redactor
from .running import running_proxy
from .upstream import UnsafeUpstream, check_upstream

__all__ = [
    "Cassette",
    "Exchange",
    "Observer",
    "Recorder",
    "RedactionRules",
    "Redactor",
    "UnsafeUpstream",
    "ValidatingProxy",
    "check_upstream",
    "read_cassettes",
    "running_proxy",
]
