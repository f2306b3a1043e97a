from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.custom_api_node_data_pushed import CustomApiNodeDataPushed


T = TypeVar("T", bound="VerifyCustomApiNodeDataPushResponse")


@_attrs_define
class VerifyCustomApiNodeDataPushResponse:
    """The envelope of a verify_custom_api_node_data_push answer.

    Attributes:
        status (str): `OK` in the docs' examples.
        code (int): 200 in the docs' examples.
        data (CustomApiNodeDataPushed | Unset): The `data` of a verify_custom_api_node_data_push answer.
    """

    status: str
    code: int
    data: CustomApiNodeDataPushed | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status

        code = self.code

        data_value: CustomApiNodeDataPushed | Unset = (
            UNSET if self.data is None else self.data
        )
        data: dict[str, Any] | Unset = UNSET
        if not isinstance(data_value, Unset):
            data = data_value.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "code": code,
            }
        )
        if data is not UNSET:
            field_dict["data"] = data

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.custom_api_node_data_pushed import CustomApiNodeDataPushed  # noqa: PLC0415

        d = dict(src_dict)
        status = d.pop("status")

        code = d.pop("code")

        _data = d.pop("data", UNSET)
        data: CustomApiNodeDataPushed | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = CustomApiNodeDataPushed.from_dict(_data)

        verify_custom_api_node_data_push_response = cls(
            status=status,
            code=code,
            data=None if isinstance(data, Unset) else data,
        )

        verify_custom_api_node_data_push_response.additional_properties = d
        return verify_custom_api_node_data_push_response

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
