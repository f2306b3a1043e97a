from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CustomApiNodeDataPushed")


@_attrs_define
class CustomApiNodeDataPushed:
    """The `data` of a verify_custom_api_node_data_push answer.

    Attributes:
        workflow_id (str | Unset):
        node_id (str | Unset):
        callee (str | Unset):
        pushed (bool | Unset):
    """

    workflow_id: str | None = None
    node_id: str | None = None
    callee: str | None = None
    pushed: bool | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        workflow_id_value: str | Unset = (
            UNSET if self.workflow_id is None else self.workflow_id
        )
        workflow_id = workflow_id_value

        node_id_value: str | Unset = UNSET if self.node_id is None else self.node_id
        node_id = node_id_value

        callee_value: str | Unset = UNSET if self.callee is None else self.callee
        callee = callee_value

        pushed_value: bool | Unset = UNSET if self.pushed is None else self.pushed
        pushed = pushed_value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if workflow_id is not UNSET:
            field_dict["workflow_id"] = workflow_id
        if node_id is not UNSET:
            field_dict["node_id"] = node_id
        if callee is not UNSET:
            field_dict["callee"] = callee
        if pushed is not UNSET:
            field_dict["pushed"] = pushed

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        workflow_id = d.pop("workflow_id", None)

        node_id = d.pop("node_id", None)

        callee = d.pop("callee", None)

        pushed = d.pop("pushed", None)

        custom_api_node_data_pushed = cls(
            workflow_id=workflow_id,
            node_id=node_id,
            callee=callee,
            pushed=pushed,
        )

        custom_api_node_data_pushed.additional_properties = d
        return custom_api_node_data_pushed

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
