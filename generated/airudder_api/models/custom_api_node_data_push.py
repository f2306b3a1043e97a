from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.custom_api_node_callee import CustomApiNodeCallee


T = TypeVar("T", bound="CustomApiNodeDataPush")


@_attrs_define
class CustomApiNodeDataPush:
    """
    Attributes:
        workflow_id (str):
        workflow_name (str):
        node_id (str):
        node_name (str):
        callee (CustomApiNodeCallee): The fields listed after `callee` on the page (more may follow).
    """

    workflow_id: str
    workflow_name: str
    node_id: str
    node_name: str
    callee: CustomApiNodeCallee
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        workflow_id = self.workflow_id

        workflow_name = self.workflow_name

        node_id = self.node_id

        node_name = self.node_name

        callee = self.callee.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "workflow_id": workflow_id,
                "workflow_name": workflow_name,
                "node_id": node_id,
                "node_name": node_name,
                "callee": callee,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.custom_api_node_callee import CustomApiNodeCallee  # noqa: PLC0415

        d = dict(src_dict)
        workflow_id = d.pop("workflow_id")

        workflow_name = d.pop("workflow_name")

        node_id = d.pop("node_id")

        node_name = d.pop("node_name")

        callee = CustomApiNodeCallee.from_dict(d.pop("callee"))

        custom_api_node_data_push = cls(
            workflow_id=workflow_id,
            workflow_name=workflow_name,
            node_id=node_id,
            node_name=node_name,
            callee=callee,
        )

        custom_api_node_data_push.additional_properties = d
        return custom_api_node_data_push

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
