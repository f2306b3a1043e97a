from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.predictive_dialer_task_status_change_type import (
    PredictiveDialerTaskStatusChangeType,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.predictive_dialer_task_status_change_body import (
        PredictiveDialerTaskStatusChangeBody,
    )


T = TypeVar("T", bound="PredictiveDialerTaskStatusChange")


@_attrs_define
class PredictiveDialerTaskStatusChange:
    """Payload of the predictive-dialer task status webhook. The docs show none of its fields.

    Attributes:
        type_ (PredictiveDialerTaskStatusChangeType | Unset):
        body (PredictiveDialerTaskStatusChangeBody | Unset):
    """

    type_: PredictiveDialerTaskStatusChangeType | Unset = UNSET
    body: PredictiveDialerTaskStatusChangeBody | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_: str | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = self.type_.value

        body: dict[str, Any] | Unset = UNSET
        if not isinstance(self.body, Unset):
            body = self.body.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if type_ is not UNSET:
            field_dict["type"] = type_
        if body is not UNSET:
            field_dict["body"] = body

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.predictive_dialer_task_status_change_body import (
            PredictiveDialerTaskStatusChangeBody,  # noqa: PLC0415
        )

        d = dict(src_dict)
        _type_ = d.pop("type", UNSET)
        type_: PredictiveDialerTaskStatusChangeType | Unset
        if isinstance(_type_, Unset):
            type_ = UNSET
        else:
            type_ = PredictiveDialerTaskStatusChangeType(_type_)

        _body = d.pop("body", UNSET)
        body: PredictiveDialerTaskStatusChangeBody | Unset
        if isinstance(_body, Unset):
            body = UNSET
        else:
            body = PredictiveDialerTaskStatusChangeBody.from_dict(_body)

        predictive_dialer_task_status_change = cls(
            type_=type_,
            body=body,
        )

        predictive_dialer_task_status_change.additional_properties = d
        return predictive_dialer_task_status_change

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
