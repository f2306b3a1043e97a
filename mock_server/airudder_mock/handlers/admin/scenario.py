"""Admin: the scenario in force (scripted outcomes, webhook and API faults)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ...simulation.scenario import Scenario
from ..valid_request import ValidRequest


class ScenarioHandlers:
    def __init__(self, set_scenario: Callable[[Mapping[str, Any]], Scenario], current: Callable[[], Scenario]) -> None:
        self.set, self.current = set_scenario, current

    def get_scenario(self, req: ValidRequest) -> Any:
        return self.current().source

    def set_scenario(self, req: ValidRequest) -> Any:
        return self.set(req.body).source
