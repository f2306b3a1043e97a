from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="WorkflowNodeAction")


@_attrs_define
class WorkflowNodeAction:
    """The state of one node of a workflow, as a status-change notification reports it.

    Attributes:
        nodetask_id (str):
        nodetask_name (str):
        node_type (str): Values seen include `sms` and `call`.
        task_id (str | Unset): Present on the `call` nodes of the example, absent on the `sms` node.
        task_status (str | Unset): Values seen include `finished`.
    """

    nodetask_id: str
    nodetask_name: str
    node_type: str
    task_id: str | None = None
    task_status: str | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        nodetask_id = self.nodetask_id

        nodetask_name = self.nodetask_name

        node_type = self.node_type

        task_id_value: str | Unset = UNSET if self.task_id is None else self.task_id
        task_id = task_id_value

        task_status_value: str | Unset = (
            UNSET if self.task_status is None else self.task_status
        )
        task_status = task_status_value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "nodetask_id": nodetask_id,
                "nodetask_name": nodetask_name,
                "node_type": node_type,
            }
        )
        if task_id is not UNSET:
            field_dict["task_id"] = task_id
        if task_status is not UNSET:
            field_dict["task_status"] = task_status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        nodetask_id = d.pop("nodetask_id")

        nodetask_name = d.pop("nodetask_name")

        node_type = d.pop("node_type")

        task_id = d.pop("task_id", None)

        task_status = d.pop("task_status", None)

        workflow_node_action = cls(
            nodetask_id=nodetask_id,
            nodetask_name=nodetask_name,
            node_type=node_type,
            task_id=task_id,
            task_status=task_status,
        )

        workflow_node_action.additional_properties = d
        return workflow_node_action

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
