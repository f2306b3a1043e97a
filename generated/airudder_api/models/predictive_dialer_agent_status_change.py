from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.predictive_dialer_agent_status_change_type import (
    PredictiveDialerAgentStatusChangeType,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.predictive_dialer_agent_status_change_body import (
        PredictiveDialerAgentStatusChangeBody,
    )


T = TypeVar("T", bound="PredictiveDialerAgentStatusChange")


@_attrs_define
class PredictiveDialerAgentStatusChange:
    """Payload of the predictive-dialer agent status webhook. The docs show none of its fields.

    Attributes:
        task_id (str | Unset):
        workflow_id (str | Unset):
        agent_id (str | Unset):
        call_id (str | Unset):
        status (str | Unset):
        time (str | Unset):
        type_ (PredictiveDialerAgentStatusChangeType | Unset):
        body (PredictiveDialerAgentStatusChangeBody | Unset):
    """

    task_id: str | None = None
    workflow_id: str | None = None
    agent_id: str | None = None
    call_id: str | None = None
    status: str | None = None
    time: str | None = None
    type_: PredictiveDialerAgentStatusChangeType | None = None
    body: PredictiveDialerAgentStatusChangeBody | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        task_id_value: str | Unset = UNSET if self.task_id is None else self.task_id
        task_id = task_id_value

        workflow_id_value: str | Unset = (
            UNSET if self.workflow_id is None else self.workflow_id
        )
        workflow_id = workflow_id_value

        agent_id_value: str | Unset = UNSET if self.agent_id is None else self.agent_id
        agent_id = agent_id_value

        call_id_value: str | Unset = UNSET if self.call_id is None else self.call_id
        call_id = call_id_value

        status_value: str | Unset = UNSET if self.status is None else self.status
        status = status_value

        time_value: str | Unset = UNSET if self.time is None else self.time
        time = time_value

        type__value: PredictiveDialerAgentStatusChangeType | Unset = (
            UNSET if self.type_ is None else self.type_
        )
        type_: str | Unset = UNSET
        if not isinstance(type__value, Unset):
            type_ = type__value.value

        body_value: PredictiveDialerAgentStatusChangeBody | Unset = (
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
        if agent_id is not UNSET:
            field_dict["agent_id"] = agent_id
        if call_id is not UNSET:
            field_dict["call_id"] = call_id
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
        from ..models.predictive_dialer_agent_status_change_body import (
            PredictiveDialerAgentStatusChangeBody,  # noqa: PLC0415
        )

        d = dict(src_dict)
        task_id = d.pop("task_id", None)

        workflow_id = d.pop("workflow_id", None)

        agent_id = d.pop("agent_id", None)

        call_id = d.pop("call_id", None)

        status = d.pop("status", None)

        time = d.pop("time", None)

        _type_ = d.pop("type", UNSET)
        type_: PredictiveDialerAgentStatusChangeType | Unset
        if isinstance(_type_, Unset):
            type_ = UNSET
        else:
            type_ = PredictiveDialerAgentStatusChangeType(_type_)

        _body = d.pop("body", UNSET)
        body: PredictiveDialerAgentStatusChangeBody | Unset
        if isinstance(_body, Unset):
            body = UNSET
        else:
            body = PredictiveDialerAgentStatusChangeBody.from_dict(_body)

        predictive_dialer_agent_status_change = cls(
            task_id=task_id,
            workflow_id=workflow_id,
            agent_id=agent_id,
            call_id=call_id,
            status=status,
            time=time,
            type_=None if isinstance(type_, Unset) else type_,
            body=None if isinstance(body, Unset) else body,
        )

        predictive_dialer_agent_status_change.additional_properties = d
        return predictive_dialer_agent_status_change

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
