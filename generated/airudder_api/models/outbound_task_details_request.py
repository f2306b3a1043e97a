from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="OutboundTaskDetailsRequest")


@_attrs_define
class OutboundTaskDetailsRequest:
    """The body; its fields are not visible in the docs.

    Attributes:
        workflow_id (str | Unset):
        task_id (str | Unset):
        nodetask_id (str | Unset):
        call_id (str | Unset):
        case_id (str | Unset):
        callee (str | Unset): A phone number in E.164 form (`+`, the country code, the number). Example: +8613711112222.
        page (int | Unset):
        size (int | Unset):
    """

    workflow_id: str | Unset = UNSET
    task_id: str | Unset = UNSET
    nodetask_id: str | Unset = UNSET
    call_id: str | Unset = UNSET
    case_id: str | Unset = UNSET
    callee: str | Unset = UNSET
    page: int | Unset = UNSET
    size: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        workflow_id = self.workflow_id

        task_id = self.task_id

        nodetask_id = self.nodetask_id

        call_id = self.call_id

        case_id = self.case_id

        callee = self.callee

        page = self.page

        size = self.size

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if workflow_id is not UNSET:
            field_dict["workflow_id"] = workflow_id
        if task_id is not UNSET:
            field_dict["task_id"] = task_id
        if nodetask_id is not UNSET:
            field_dict["nodetask_id"] = nodetask_id
        if call_id is not UNSET:
            field_dict["call_id"] = call_id
        if case_id is not UNSET:
            field_dict["case_id"] = case_id
        if callee is not UNSET:
            field_dict["callee"] = callee
        if page is not UNSET:
            field_dict["page"] = page
        if size is not UNSET:
            field_dict["size"] = size

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        workflow_id = d.pop("workflow_id", UNSET)

        task_id = d.pop("task_id", UNSET)

        nodetask_id = d.pop("nodetask_id", UNSET)

        call_id = d.pop("call_id", UNSET)

        case_id = d.pop("case_id", UNSET)

        callee = d.pop("callee", UNSET)

        page = d.pop("page", UNSET)

        size = d.pop("size", UNSET)

        outbound_task_details_request = cls(
            workflow_id=workflow_id,
            task_id=task_id,
            nodetask_id=nodetask_id,
            call_id=call_id,
            case_id=case_id,
            callee=callee,
            page=page,
            size=size,
        )

        outbound_task_details_request.additional_properties = d
        return outbound_task_details_request

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
