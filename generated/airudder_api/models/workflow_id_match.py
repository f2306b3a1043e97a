from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="WorkflowIdMatch")


@_attrs_define
class WorkflowIdMatch:
    """A workflow task that holds the contact asked for.

    Attributes:
        workflow_id (str | Unset):
        name (str | Unset):
        status (str | Unset):
        case_id (str | Unset):
        callee (str | Unset):
        create_time (str | Unset):
    """

    workflow_id: str | None = None
    name: str | None = None
    status: str | None = None
    case_id: str | None = None
    callee: str | None = None
    create_time: str | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        workflow_id_value: str | Unset = (
            UNSET if self.workflow_id is None else self.workflow_id
        )
        workflow_id = workflow_id_value

        name_value: str | Unset = UNSET if self.name is None else self.name
        name = name_value

        status_value: str | Unset = UNSET if self.status is None else self.status
        status = status_value

        case_id_value: str | Unset = UNSET if self.case_id is None else self.case_id
        case_id = case_id_value

        callee_value: str | Unset = UNSET if self.callee is None else self.callee
        callee = callee_value

        create_time_value: str | Unset = (
            UNSET if self.create_time is None else self.create_time
        )
        create_time = create_time_value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if workflow_id is not UNSET:
            field_dict["workflow_id"] = workflow_id
        if name is not UNSET:
            field_dict["name"] = name
        if status is not UNSET:
            field_dict["status"] = status
        if case_id is not UNSET:
            field_dict["case_id"] = case_id
        if callee is not UNSET:
            field_dict["callee"] = callee
        if create_time is not UNSET:
            field_dict["create_time"] = create_time

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        workflow_id = d.pop("workflow_id", None)

        name = d.pop("name", None)

        status = d.pop("status", None)

        case_id = d.pop("case_id", None)

        callee = d.pop("callee", None)

        create_time = d.pop("create_time", None)

        workflow_id_match = cls(
            workflow_id=workflow_id,
            name=name,
            status=status,
            case_id=case_id,
            callee=callee,
            create_time=create_time,
        )

        workflow_id_match.additional_properties = d
        return workflow_id_match

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
