"""The AIRudder operations the mock serves: one handler per operation of the spec that has a path."""

from __future__ import annotations

from collections.abc import Callable

from ...repository import Repository
from ...simulation import Simulation
from ..valid_request import Handler
from .auth import Tokens
from .details import Details
from .workflows import Workflows


def api_handlers(
    repo: Repository, simulation: Simulation, credentials: Callable[[], dict[str, str]]
) -> tuple[dict[str, Handler], Callable[[str, float], None]]:
    """operationId -> handler, and the check of the `Authorization` header (header value, mock time)."""
    tokens, workflows, details = Tokens(repo, credentials), Workflows(repo, simulation), Details(repo, simulation)
    handlers: dict[str, Handler] = {
        "get_token": tokens.get_token,
        "create_workflow_task": workflows.create_workflow_task,
        "add_workflow_lists": workflows.add_workflow_lists,
        "verify_custom_api_node_data_push": workflows.verify_custom_api_node_data_push,
        "list_workflow_tasks": workflows.list_workflow_tasks,
        "get_outbound_task_details": details.get_outbound_task_details,
        "query_workflow_ids": workflows.query_workflow_ids,
        "get_waba_task_details": details.get_waba_task_details,
    }
    return handlers, tokens.authenticate
