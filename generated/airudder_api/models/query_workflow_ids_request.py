from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="QueryWorkflowIdsRequest")


@_attrs_define
class QueryWorkflowIdsRequest:
    """
    Attributes:
        start_time (str): A time as the docs write it, `2022-12-12 12:34:56+07:00` (the format the task list page gives)
            or `2022-09-27T07:58:31Z` (its examples). Example: 2022-12-12 12:34:56+07:00.
        end_time (str): A time as the docs write it, `2022-12-12 12:34:56+07:00` (the format the task list page gives)
            or `2022-09-27T07:58:31Z` (its examples). Example: 2022-12-12 12:34:56+07:00.
        case_id (str | Unset):
        callee (str | Unset): A phone number in E.164 form (`+`, the country code, the number). Example: +8613711112222.
    """

    start_time: str
    end_time: str
    case_id: str | Unset = UNSET
    callee: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        start_time = self.start_time

        end_time = self.end_time

        case_id = self.case_id

        callee = self.callee

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "start_time": start_time,
                "end_time": end_time,
            }
        )
        if case_id is not UNSET:
            field_dict["case_id"] = case_id
        if callee is not UNSET:
            field_dict["callee"] = callee

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        start_time = d.pop("start_time")

        end_time = d.pop("end_time")

        case_id = d.pop("case_id", UNSET)

        callee = d.pop("callee", UNSET)

        query_workflow_ids_request = cls(
            start_time=start_time,
            end_time=end_time,
            case_id=case_id,
            callee=callee,
        )

        query_workflow_ids_request.additional_properties = d
        return query_workflow_ids_request

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
