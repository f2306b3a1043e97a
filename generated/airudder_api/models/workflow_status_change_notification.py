from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.workflow_node_action import WorkflowNodeAction


T = TypeVar("T", bound="WorkflowStatusChangeNotification")


@_attrs_define
class WorkflowStatusChangeNotification:
    """
    Attributes:
        workflow_id (str):
        workflow_name (str):
        status (str): Values seen include `finished`.
        actions (list[WorkflowNodeAction]):
    """

    workflow_id: str
    workflow_name: str
    status: str
    actions: list[WorkflowNodeAction]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        workflow_id = self.workflow_id

        workflow_name = self.workflow_name

        status = self.status

        actions = []
        for actions_item_data in self.actions:
            actions_item = actions_item_data.to_dict()
            actions.append(actions_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "workflow_id": workflow_id,
                "workflow_name": workflow_name,
                "status": status,
                "actions": actions,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.workflow_node_action import WorkflowNodeAction  # noqa: PLC0415

        d = dict(src_dict)
        workflow_id = d.pop("workflow_id")

        workflow_name = d.pop("workflow_name")

        status = d.pop("status")

        actions = []
        _actions = d.pop("actions")
        for actions_item_data in _actions:
            actions_item = WorkflowNodeAction.from_dict(actions_item_data)

            actions.append(actions_item)

        workflow_status_change_notification = cls(
            workflow_id=workflow_id,
            workflow_name=workflow_name,
            status=status,
            actions=actions,
        )

        workflow_status_change_notification.additional_properties = d
        return workflow_status_change_notification

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
