from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ChatbotSessionEndNotification")


@_attrs_define
class ChatbotSessionEndNotification:
    """Payload of the chatbot session end notification (the first fields of the page; more follow).

    Attributes:
        workflow_id (str):
        workflow_name (str):
        nodetask_id (str):
        nodetask_name (str):
        waba_task_id (str):
        wfdetail_uuid (str):
        timestamp (int): Its unit (epoch seconds or milliseconds) is not visible.
        channel (str):
        channel_id (str):
        callee (str):
        call_id (str | Unset):
    """

    workflow_id: str
    workflow_name: str
    nodetask_id: str
    nodetask_name: str
    waba_task_id: str
    wfdetail_uuid: str
    timestamp: int
    channel: str
    channel_id: str
    callee: str
    call_id: str | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        workflow_id = self.workflow_id

        workflow_name = self.workflow_name

        nodetask_id = self.nodetask_id

        nodetask_name = self.nodetask_name

        waba_task_id = self.waba_task_id

        wfdetail_uuid = self.wfdetail_uuid

        timestamp = self.timestamp

        channel = self.channel

        channel_id = self.channel_id

        callee = self.callee

        call_id_value: str | Unset = UNSET if self.call_id is None else self.call_id
        call_id = call_id_value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "workflow_id": workflow_id,
                "workflow_name": workflow_name,
                "nodetask_id": nodetask_id,
                "nodetask_name": nodetask_name,
                "waba_task_id": waba_task_id,
                "wfdetail_uuid": wfdetail_uuid,
                "timestamp": timestamp,
                "channel": channel,
                "channel_id": channel_id,
                "callee": callee,
            }
        )
        if call_id is not UNSET:
            field_dict["call_id"] = call_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        workflow_id = d.pop("workflow_id")

        workflow_name = d.pop("workflow_name")

        nodetask_id = d.pop("nodetask_id")

        nodetask_name = d.pop("nodetask_name")

        waba_task_id = d.pop("waba_task_id")

        wfdetail_uuid = d.pop("wfdetail_uuid")

        timestamp = d.pop("timestamp")

        channel = d.pop("channel")

        channel_id = d.pop("channel_id")

        callee = d.pop("callee")

        call_id = d.pop("call_id", None)

        chatbot_session_end_notification = cls(
            workflow_id=workflow_id,
            workflow_name=workflow_name,
            nodetask_id=nodetask_id,
            nodetask_name=nodetask_name,
            waba_task_id=waba_task_id,
            wfdetail_uuid=wfdetail_uuid,
            timestamp=timestamp,
            channel=channel,
            channel_id=channel_id,
            callee=callee,
            call_id=call_id,
        )

        chatbot_session_end_notification.additional_properties = d
        return chatbot_session_end_notification

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
