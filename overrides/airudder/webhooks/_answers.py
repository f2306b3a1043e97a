"""What the receiver answers a stored event: the shape the spec gives for the kind's 200 answer.

AIRudder's docs give the answer they expect per kind: `{}` (`EmptyObject`) for `workflow_status_changed`, any
JSON object (assumed) for the others. Where the kind's answer schema allows it, the answer is the project's
envelope telling the event id and whether it was a duplicate; where it does not, the 200 and an empty object
are the answer. An unclassified event may be any kind's, so its answer must fit every kind's schema.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import airudder_spec

from ._parse import UNCLASSIFIED, kinds

EMPTY: dict[str, Any] = {}


@functools.cache
def tells(kind: str) -> bool:
    """Whether the answer to a `kind` event may be the envelope with its id; False: it is `{}`.

    Raises ValueError when the kind's answer schema takes neither (a spec this receiver cannot answer).
    """
    validators = [airudder_spec.webhook_answer_validator(k) for k in (kinds() if kind == UNCLASSIFIED else [kind])]

    def fits(answer: dict[str, Any]) -> bool:
        return all(v is None or v.is_valid(answer) for v in validators)

    if fits(envelope(kind, 1, duplicate=False)) and fits(envelope(kind, None, duplicate=True)):
        return True
    if fits(EMPTY):
        return False
    raise ValueError(f"the spec's 200 answer to the {kind} webhook takes neither the envelope nor {{}}")


def success(kind: str, event_id: int | None, duplicate: bool) -> bytes:
    """The JSON body of the 200 answer to a stored (or duplicate) `kind` event."""
    return json.dumps(envelope(kind, event_id, duplicate) if tells(kind) else EMPTY, separators=(",", ":")).encode()


def envelope(kind: str, event_id: int | None, duplicate: bool) -> dict[str, Any]:
    """The envelope telling what became of the event."""
    return airudder_spec.answer({"kind": kind, "event_id": event_id, "duplicate": duplicate})
