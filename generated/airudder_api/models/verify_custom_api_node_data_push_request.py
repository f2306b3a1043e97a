from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="VerifyCustomApiNodeDataPushRequest")


@_attrs_define
class VerifyCustomApiNodeDataPushRequest:
    """
    Attributes:
        workflow_id (str):
        node_id (str):
        callee (str): A string here, though the push itself sends `callee` as an object.
        case_id (str | Unset):
    """

    workflow_id: str
    node_id: str
    callee: str
    case_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        workflow_id = self.workflow_id

        node_id = self.node_id

        callee = self.callee

        case_id = self.case_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "workflow_id": workflow_id,
                "node_id": node_id,
                "callee": callee,
            }
        )
        if case_id is not UNSET:
            field_dict["case_id"] = case_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        workflow_id = d.pop("workflow_id")

        node_id = d.pop("node_id")

        callee = d.pop("callee")

        case_id = d.pop("case_id", UNSET)

        verify_custom_api_node_data_push_request = cls(
            workflow_id=workflow_id,
            node_id=node_id,
            callee=callee,
            case_id=case_id,
        )

        verify_custom_api_node_data_push_request.additional_properties = d
        return verify_custom_api_node_data_push_request

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
