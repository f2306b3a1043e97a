from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.outbound_task_details_page import OutboundTaskDetailsPage


T = TypeVar("T", bound="OutboundTaskDetailsResponse")


@_attrs_define
class OutboundTaskDetailsResponse:
    """The envelope of a get_outbound_task_details answer.

    Attributes:
        status (str): `OK` in the docs' examples.
        code (int): 200 in the docs' examples.
        data (OutboundTaskDetailsPage | Unset): The `data` of a get_outbound_task_details answer, one page of calls.
    """

    status: str
    code: int
    data: OutboundTaskDetailsPage | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status

        code = self.code

        data_value: OutboundTaskDetailsPage | Unset = (
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
        from ..models.outbound_task_details_page import OutboundTaskDetailsPage  # noqa: PLC0415

        d = dict(src_dict)
        status = d.pop("status")

        code = d.pop("code")

        _data = d.pop("data", UNSET)
        data: OutboundTaskDetailsPage | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = OutboundTaskDetailsPage.from_dict(_data)

        outbound_task_details_response = cls(
            status=status,
            code=code,
            data=None if isinstance(data, Unset) else data,
        )

        outbound_task_details_response.additional_properties = d
        return outbound_task_details_response

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
