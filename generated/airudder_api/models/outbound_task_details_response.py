from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

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
        data (None | OutboundTaskDetailsPage | Unset): The payload; its shape is not documented for this operation.
    """

    status: str
    code: int
    data: None | OutboundTaskDetailsPage = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    _nulls: set[str] = _attrs_field(init=False, factory=set, repr=False, eq=False)

    def to_dict(self) -> dict[str, Any]:
        from ..models.outbound_task_details_page import OutboundTaskDetailsPage  # noqa: PLC0415

        status = self.status

        code = self.code

        data_value: None | OutboundTaskDetailsPage | Unset = (
            UNSET if self.data is None and "data" not in self._nulls else self.data
        )
        data: dict[str, Any] | None | Unset
        if isinstance(data_value, Unset):
            data = UNSET
        elif isinstance(data_value, OutboundTaskDetailsPage):
            data = data_value.to_dict()
        else:
            data = data_value

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
        nulls: set[str] = set()
        if d.get("data", UNSET) is None:
            nulls.add("data")
        status = d.pop("status")

        code = d.pop("code")

        def _parse_data(data: object) -> None | OutboundTaskDetailsPage | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_type_0 = OutboundTaskDetailsPage.from_dict(data)

                return data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OutboundTaskDetailsPage | Unset, data)

        data = _parse_data(d.pop("data", UNSET))

        outbound_task_details_response = cls(
            status=status,
            code=code,
            data=None if isinstance(data, Unset) else data,
        )

        outbound_task_details_response._nulls = nulls

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
