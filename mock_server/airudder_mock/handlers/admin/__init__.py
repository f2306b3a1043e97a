"""The admin API under `/_mock/` (spec/mock-admin.yaml): one handler per operation of the admin spec."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ...clock import MockClock
from ...delivery import Deliveries
from ...faults import Faults
from ...repository import Repository
from ...simulation import Simulation
from ...simulation.scenario import Scenario
from ..valid_request import Handler
from .clock import ClockHandlers
from .inspect import InspectHandlers
from .scenario import ScenarioHandlers
from .setup import SetupHandlers
from .webhooks import WebhookHandlers
from .workflows import WorkflowHandlers


def admin_handlers(
    repo: Repository,
    simulation: Simulation,
    deliveries: Deliveries,
    faults: Faults,
    clock: MockClock,
    pump: Callable[[], None],
    reset: Callable[[], None],
    set_scenario: Callable[[Mapping[str, Any]], Scenario],
) -> dict[str, Handler]:
    """operationId (of the admin spec) -> handler."""
    scenarios = ScenarioHandlers(set_scenario, lambda: simulation.world.scenario)
    timing = ClockHandlers(clock, pump, reset)
    setup, workflows = SetupHandlers(repo), WorkflowHandlers(repo, simulation, clock, pump)
    webhooks, inspect = WebhookHandlers(repo, deliveries), InspectHandlers(repo, faults)
    return {
        "reset_mock": timing.reset_mock,
        "get_clock": timing.get_clock,
        "move_clock": timing.move_clock,
        "list_templates": setup.list_templates,
        "save_template": setup.save_template,
        "add_credentials": setup.add_credentials,
        "add_contacts": workflows.add_contacts,
        "stop_workflow": workflows.stop_workflow,
        "cancel_workflow": workflows.cancel_workflow,
        "cancel_list": workflows.cancel_list,
        "list_webhook_targets": webhooks.list_webhook_targets,
        "set_webhook_target": webhooks.set_webhook_target,
        "list_webhook_deliveries": webhooks.list_webhook_deliveries,
        "list_faults": inspect.list_faults,
        "set_fault": inspect.set_fault,
        "clear_faults": inspect.clear_faults,
        "get_recording": inspect.get_recording,
        "get_state": inspect.get_state,
        "get_scenario": scenarios.get_scenario,
        "set_scenario": scenarios.set_scenario,
    }
