from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CustomApiNodeCallee")


@_attrs_define
class CustomApiNodeCallee:
    """The fields listed after `callee` on the page (more may follow).

    Attributes:
        case_id (str):
        callee_name (str):
        callee_gender (str):
        callee_number (str):
        platform_name (str):
        extra_a (str): The page is cut at this field's flag ("require...").
    """

    case_id: str
    callee_name: str
    callee_gender: str
    callee_number: str
    platform_name: str
    extra_a: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        case_id = self.case_id

        callee_name = self.callee_name

        callee_gender = self.callee_gender

        callee_number = self.callee_number

        platform_name = self.platform_name

        extra_a = self.extra_a

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "case_id": case_id,
                "callee_name": callee_name,
                "callee_gender": callee_gender,
                "callee_number": callee_number,
                "platform_name": platform_name,
                "extra_a": extra_a,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        case_id = d.pop("case_id")

        callee_name = d.pop("callee_name")

        callee_gender = d.pop("callee_gender")

        callee_number = d.pop("callee_number")

        platform_name = d.pop("platform_name")

        extra_a = d.pop("extra_a")

        custom_api_node_callee = cls(
            case_id=case_id,
            callee_name=callee_name,
            callee_gender=callee_gender,
            callee_number=callee_number,
            platform_name=platform_name,
            extra_a=extra_a,
        )

        custom_api_node_callee.additional_properties = d
        return custom_api_node_callee

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
