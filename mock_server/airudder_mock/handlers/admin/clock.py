"""Admin: the mock clock, and resetting the mock."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...clock import MockClock, iso
from ...errors import BadInput
from ..valid_request import ValidRequest


class ClockHandlers:
    def __init__(self, clock: MockClock, pump: Callable[[], None], reset: Callable[[], None]) -> None:
        self.clock, self.pump, self.reset = clock, pump, reset

    def reset_mock(self, req: ValidRequest) -> Any:
        self.reset()
        return {"reset": True}

    def get_clock(self, req: ValidRequest) -> Any:
        now = self.clock.now()
        return {"now": now, "iso": iso(now), "speed": self.clock.speed}

    def move_clock(self, req: ValidRequest) -> Any:
        """Set the speed, advance the clock, then run everything due (webhooks included) before answering."""
        if "speed" in req.body:
            self.clock.set_speed(req.body["speed"])
        if "advance" in req.body:
            try:
                self.clock.advance(req.body["advance"])
            except ValueError as exc:
                raise BadInput("body.advance", str(exc)) from None
        self.pump()
        return self.get_clock(req)
