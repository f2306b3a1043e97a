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
        task_id (str | Unset):
        workflow_id (str | Unset):
        nodetask_id (str | Unset):
        status (str | Unset):
        time (str | Unset):
        type_ (PredictiveDialerTaskStatusChangeType | Unset):
        body (PredictiveDialerTaskStatusChangeBody | Unset):
    """

    task_id: str | None = None
    workflow_id: str | None = None
    nodetask_id: str | None = None
    status: str | None = None
    time: str | None = None
    type_: PredictiveDialerTaskStatusChangeType | None = None
    body: PredictiveDialerTaskStatusChangeBody | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        task_id_value: str | Unset = UNSET if self.task_id is None else self.task_id
        task_id = task_id_value

        workflow_id_value: str | Unset = (
            UNSET if self.workflow_id is None else self.workflow_id
        )
        workflow_id = workflow_id_value

        nodetask_id_value: str | Unset = (
            UNSET if self.nodetask_id is None else self.nodetask_id
        )
        nodetask_id = nodetask_id_value

        status_value: str | Unset = UNSET if self.status is None else self.status
        status = status_value

        time_value: str | Unset = UNSET if self.time is None else self.time
        time = time_value

        type__value: PredictiveDialerTaskStatusChangeType | Unset = (
            UNSET if self.type_ is None else self.type_
        )
        type_: str | Unset = UNSET
        if not isinstance(type__value, Unset):
            type_ = type__value.value

        body_value: PredictiveDialerTaskStatusChangeBody | Unset = (
            UNSET if self.body is None else self.body
        )
        body: dict[str, Any] | Unset = UNSET
        if not isinstance(body_value, Unset):
            body = body_value.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if task_id is not UNSET:
            field_dict["task_id"] = task_id
        if workflow_id is not UNSET:
            field_dict["workflow_id"] = workflow_id
        if nodetask_id is not UNSET:
            field_dict["nodetask_id"] = nodetask_id
        if status is not UNSET:
            field_dict["status"] = status
        if time is not UNSET:
            field_dict["time"] = time
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
        task_id = d.pop("task_id", None)

        workflow_id = d.pop("workflow_id", None)

        nodetask_id = d.pop("nodetask_id", None)

        status = d.pop("status", None)

        time = d.pop("time", None)

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
            task_id=task_id,
            workflow_id=workflow_id,
            nodetask_id=nodetask_id,
            status=status,
            time=time,
            type_=None if isinstance(type_, Unset) else type_,
            body=None if isinstance(body, Unset) else body,
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
