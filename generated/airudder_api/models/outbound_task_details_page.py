from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.outbound_call import OutboundCall


T = TypeVar("T", bound="OutboundTaskDetailsPage")


@_attrs_define
class OutboundTaskDetailsPage:
    """The `data` of a get_outbound_task_details answer, one page of calls.

    Attributes:
        list_ (list[OutboundCall] | Unset):
        total (int | Unset):
    """

    list_: list[OutboundCall] | None = None
    total: int | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        list__value: list[OutboundCall] | Unset = (
            UNSET if self.list_ is None else self.list_
        )
        list_: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(list__value, Unset):
            list_ = []
            for list_item_data in list__value:
                list_item = list_item_data.to_dict()
                list_.append(list_item)

        total_value: int | Unset = UNSET if self.total is None else self.total
        total = total_value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if list_ is not UNSET:
            field_dict["list"] = list_
        if total is not UNSET:
            field_dict["total"] = total

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.outbound_call import OutboundCall  # noqa: PLC0415

        d = dict(src_dict)
        _list_ = d.pop("list", UNSET)
        list_: list[OutboundCall] | Unset = UNSET
        if _list_ is not UNSET:
            list_ = []
            for list_item_data in _list_:
                list_item = OutboundCall.from_dict(list_item_data)

                list_.append(list_item)

        total = d.pop("total", None)

        outbound_task_details_page = cls(
            list_=None if isinstance(list_, Unset) else list_,
            total=total,
        )

        outbound_task_details_page.additional_properties = d
        return outbound_task_details_page

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
