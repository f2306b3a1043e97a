from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.predictive_dialer_contact_status_change_type import (
    PredictiveDialerContactStatusChangeType,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.predictive_dialer_contact_status_change_body import (
        PredictiveDialerContactStatusChangeBody,
    )


T = TypeVar("T", bound="PredictiveDialerContactStatusChange")


@_attrs_define
class PredictiveDialerContactStatusChange:
    """Payload of the predictive-dialer contact status webhook. The docs show none of its fields.

    Attributes:
        task_id (str | Unset):
        workflow_id (str | Unset):
        case_id (str | Unset):
        callee (str | Unset):
        call_id (str | Unset):
        status (str | Unset):
        attempt (int | Unset):
        time (str | Unset):
        type_ (PredictiveDialerContactStatusChangeType | Unset):
        body (PredictiveDialerContactStatusChangeBody | Unset):
    """

    task_id: str | None = None
    workflow_id: str | None = None
    case_id: str | None = None
    callee: str | None = None
    call_id: str | None = None
    status: str | None = None
    attempt: int | None = None
    time: str | None = None
    type_: PredictiveDialerContactStatusChangeType | None = None
    body: PredictiveDialerContactStatusChangeBody | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        task_id_value: str | Unset = UNSET if self.task_id is None else self.task_id
        task_id = task_id_value

        workflow_id_value: str | Unset = (
            UNSET if self.workflow_id is None else self.workflow_id
        )
        workflow_id = workflow_id_value

        case_id_value: str | Unset = UNSET if self.case_id is None else self.case_id
        case_id = case_id_value

        callee_value: str | Unset = UNSET if self.callee is None else self.callee
        callee = callee_value

        call_id_value: str | Unset = UNSET if self.call_id is None else self.call_id
        call_id = call_id_value

        status_value: str | Unset = UNSET if self.status is None else self.status
        status = status_value

        attempt_value: int | Unset = UNSET if self.attempt is None else self.attempt
        attempt = attempt_value

        time_value: str | Unset = UNSET if self.time is None else self.time
        time = time_value

        type__value: PredictiveDialerContactStatusChangeType | Unset = (
            UNSET if self.type_ is None else self.type_
        )
        type_: str | Unset = UNSET
        if not isinstance(type__value, Unset):
            type_ = type__value.value

        body_value: PredictiveDialerContactStatusChangeBody | Unset = (
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
        if case_id is not UNSET:
            field_dict["case_id"] = case_id
        if callee is not UNSET:
            field_dict["callee"] = callee
        if call_id is not UNSET:
            field_dict["call_id"] = call_id
        if status is not UNSET:
            field_dict["status"] = status
        if attempt is not UNSET:
            field_dict["attempt"] = attempt
        if time is not UNSET:
            field_dict["time"] = time
        if type_ is not UNSET:
            field_dict["type"] = type_
        if body is not UNSET:
            field_dict["body"] = body

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.predictive_dialer_contact_status_change_body import (
            PredictiveDialerContactStatusChangeBody,  # noqa: PLC0415
        )

        d = dict(src_dict)
        task_id = d.pop("task_id", None)

        workflow_id = d.pop("workflow_id", None)

        case_id = d.pop("case_id", None)

        callee = d.pop("callee", None)

        call_id = d.pop("call_id", None)

        status = d.pop("status", None)

        attempt = d.pop("attempt", None)

        time = d.pop("time", None)

        _type_ = d.pop("type", UNSET)
        type_: PredictiveDialerContactStatusChangeType | Unset
        if isinstance(_type_, Unset):
            type_ = UNSET
        else:
            type_ = PredictiveDialerContactStatusChangeType(_type_)

        _body = d.pop("body", UNSET)
        body: PredictiveDialerContactStatusChangeBody | Unset
        if isinstance(_body, Unset):
            body = UNSET
        else:
            body = PredictiveDialerContactStatusChangeBody.from_dict(_body)

        predictive_dialer_contact_status_change = cls(
            task_id=task_id,
            workflow_id=workflow_id,
            case_id=case_id,
            callee=callee,
            call_id=call_id,
            status=status,
            attempt=attempt,
            time=time,
            type_=None if isinstance(type_, Unset) else type_,
            body=None if isinstance(body, Unset) else body,
        )

        predictive_dialer_contact_status_change.additional_properties = d
        return predictive_dialer_contact_status_change

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
