from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="WabaMessageStatusNotification")


@_attrs_define
class WabaMessageStatusNotification:
    """Payload of the WABA message status notification. The docs show none of its fields.

    Attributes:
        workflow_id (str | Unset):
        task_id (str | Unset):
        nodetask_id (str | Unset):
        caseid (str | Unset):
        callee (str | Unset):
        status (str | Unset): Delivery status, as WabaRecipient's.
        send_time (str | Unset):
        time (str | Unset):
    """

    workflow_id: str | None = None
    task_id: str | None = None
    nodetask_id: str | None = None
    caseid: str | None = None
    callee: str | None = None
    status: str | None = None
    send_time: str | None = None
    time: str | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        workflow_id_value: str | Unset = (
            UNSET if self.workflow_id is None else self.workflow_id
        )
        workflow_id = workflow_id_value

        task_id_value: str | Unset = UNSET if self.task_id is None else self.task_id
        task_id = task_id_value

        nodetask_id_value: str | Unset = (
            UNSET if self.nodetask_id is None else self.nodetask_id
        )
        nodetask_id = nodetask_id_value

        caseid_value: str | Unset = UNSET if self.caseid is None else self.caseid
        caseid = caseid_value

        callee_value: str | Unset = UNSET if self.callee is None else self.callee
        callee = callee_value

        status_value: str | Unset = UNSET if self.status is None else self.status
        status = status_value

        send_time_value: str | Unset = (
            UNSET if self.send_time is None else self.send_time
        )
        send_time = send_time_value

        time_value: str | Unset = UNSET if self.time is None else self.time
        time = time_value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if workflow_id is not UNSET:
            field_dict["workflow_id"] = workflow_id
        if task_id is not UNSET:
            field_dict["task_id"] = task_id
        if nodetask_id is not UNSET:
            field_dict["nodetask_id"] = nodetask_id
        if caseid is not UNSET:
            field_dict["caseid"] = caseid
        if callee is not UNSET:
            field_dict["callee"] = callee
        if status is not UNSET:
            field_dict["status"] = status
        if send_time is not UNSET:
            field_dict["send_time"] = send_time
        if time is not UNSET:
            field_dict["time"] = time

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        workflow_id = d.pop("workflow_id", None)

        task_id = d.pop("task_id", None)

        nodetask_id = d.pop("nodetask_id", None)

        caseid = d.pop("caseid", None)

        callee = d.pop("callee", None)

        status = d.pop("status", None)

        send_time = d.pop("send_time", None)

        time = d.pop("time", None)

        waba_message_status_notification = cls(
            workflow_id=workflow_id,
            task_id=task_id,
            nodetask_id=nodetask_id,
            caseid=caseid,
            callee=callee,
            status=status,
            send_time=send_time,
            time=time,
        )

        waba_message_status_notification.additional_properties = d
        return waba_message_status_notification

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
