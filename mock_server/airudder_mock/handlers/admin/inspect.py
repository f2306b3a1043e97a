"""Admin: fault rules, call recordings and the whole state."""

from __future__ import annotations

import io
import json
import struct
import wave
from typing import Any

from starlette.responses import JSONResponse, Response

from ...errors import BadInput
from ...faults import Fault, FaultError, Faults
from ...repository import Repository
from ..valid_request import ValidRequest


class InspectHandlers:
    def __init__(self, repo: Repository, faults: Faults) -> None:
        self.repo, self.faults = repo, faults

    def list_faults(self, req: ValidRequest) -> Any:
        return self.faults.rules()

    def set_fault(self, req: ValidRequest) -> Any:
        """Inject a fault into one operation (replacing its rule, if any); answers every rule."""
        options = {k: v for k, v in req.body.items() if k != "operation_id"}
        try:
            self.faults.set(req.body["operation_id"], Fault.from_options(options))
        except KeyError:
            raise BadInput("body.operation_id", "is not an operation of the spec") from None
        except FaultError as exc:
            raise BadInput(f"body.{exc.field}" if exc.field else "body", exc.message) from None
        return self.faults.rules()

    def clear_faults(self, req: ValidRequest) -> Any:
        self.faults.clear(req.query.get("operation_id"))
        return self.faults.rules()

    def get_recording(self, req: ValidRequest) -> Any:
        recorded = self.repo.call(req.path["call_id"])
        if recorded is None or not recorded.recording:
            raise BadInput("path.call_id", "no recording for this call", status=404)
        return Response(silent_wav(min(recorded.duration, 5)), media_type="audio/wav")

    def get_state(self, req: ValidRequest) -> Any:
        """Every table, with tokens and APPSecrets masked: the dump is for reading, and gets pasted into issues."""
        return JSONResponse(masked(self.repo.dump()))


MASK = "***"


def masked(state: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """`state` without a live token or an added APPSecret (kept: how many, the keys and when tokens expire)."""
    for row in state.get("tokens", []):
        row["token"] = MASK
    for row in state.get("meta", []):
        if row.get("key") == "credentials":
            added = json.loads(row["value"])
            row["value"] = json.dumps(dict.fromkeys(added, MASK))
    return state


def silent_wav(seconds: int) -> bytes:
    """A valid 8 kHz mono WAV of silence: a recording link that players and parsers accept."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(struct.pack("<h", 0) * 8000 * max(seconds, 1))
    return buffer.getvalue()
