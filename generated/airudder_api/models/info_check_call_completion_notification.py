from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="InfoCheckCallCompletionNotification")


@_attrs_define
class InfoCheckCallCompletionNotification:
    """Payload of the call-completion notification of info-check workflows. The docs show none of its fields.

    Attributes:
        workflow_id (str | Unset):
        workflow_name (str | Unset):
        nodetask_id (str | Unset):
        nodetask_name (str | Unset):
        task_id (str | Unset):
        case_id (str | Unset):
        callee (str | Unset):
        call_id (str | Unset):
        status (str | Unset):
        attempt (int | Unset):
        start_time (str | Unset):
        duration (int | Unset):
        recording_url (None | str | Unset):
    """

    workflow_id: str | None = None
    workflow_name: str | None = None
    nodetask_id: str | None = None
    nodetask_name: str | None = None
    task_id: str | None = None
    case_id: str | None = None
    callee: str | None = None
    call_id: str | None = None
    status: str | None = None
    attempt: int | None = None
    start_time: str | None = None
    duration: int | None = None
    recording_url: None | str = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    _nulls: set[str] = _attrs_field(init=False, factory=set, repr=False, eq=False)

    def to_dict(self) -> dict[str, Any]:
        workflow_id_value: str | Unset = (
            UNSET if self.workflow_id is None else self.workflow_id
        )
        workflow_id = workflow_id_value

        workflow_name_value: str | Unset = (
            UNSET if self.workflow_name is None else self.workflow_name
        )
        workflow_name = workflow_name_value

        nodetask_id_value: str | Unset = (
            UNSET if self.nodetask_id is None else self.nodetask_id
        )
        nodetask_id = nodetask_id_value

        nodetask_name_value: str | Unset = (
            UNSET if self.nodetask_name is None else self.nodetask_name
        )
        nodetask_name = nodetask_name_value

        task_id_value: str | Unset = UNSET if self.task_id is None else self.task_id
        task_id = task_id_value

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

        start_time_value: str | Unset = (
            UNSET if self.start_time is None else self.start_time
        )
        start_time = start_time_value

        duration_value: int | Unset = UNSET if self.duration is None else self.duration
        duration = duration_value

        recording_url_value: None | str | Unset = (
            UNSET
            if self.recording_url is None and "recording_url" not in self._nulls
            else self.recording_url
        )
        recording_url: None | str | Unset
        if isinstance(recording_url_value, Unset):
            recording_url = UNSET
        else:
            recording_url = recording_url_value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if workflow_id is not UNSET:
            field_dict["workflow_id"] = workflow_id
        if workflow_name is not UNSET:
            field_dict["workflow_name"] = workflow_name
        if nodetask_id is not UNSET:
            field_dict["nodetask_id"] = nodetask_id
        if nodetask_name is not UNSET:
            field_dict["nodetask_name"] = nodetask_name
        if task_id is not UNSET:
            field_dict["task_id"] = task_id
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
        if start_time is not UNSET:
            field_dict["start_time"] = start_time
        if duration is not UNSET:
            field_dict["duration"] = duration
        if recording_url is not UNSET:
            field_dict["recording_url"] = recording_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        nulls: set[str] = set()
        if d.get("recording_url", UNSET) is None:
            nulls.add("recording_url")
        workflow_id = d.pop("workflow_id", None)

        workflow_name = d.pop("workflow_name", None)

        nodetask_id = d.pop("nodetask_id", None)

        nodetask_name = d.pop("nodetask_name", None)

        task_id = d.pop("task_id", None)

        case_id = d.pop("case_id", None)

        callee = d.pop("callee", None)

        call_id = d.pop("call_id", None)

        status = d.pop("status", None)

        attempt = d.pop("attempt", None)

        start_time = d.pop("start_time", None)

        duration = d.pop("duration", None)

        def _parse_recording_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        recording_url = _parse_recording_url(d.pop("recording_url", UNSET))

        info_check_call_completion_notification = cls(
            workflow_id=workflow_id,
            workflow_name=workflow_name,
            nodetask_id=nodetask_id,
            nodetask_name=nodetask_name,
            task_id=task_id,
            case_id=case_id,
            callee=callee,
            call_id=call_id,
            status=status,
            attempt=attempt,
            start_time=start_time,
            duration=duration,
            recording_url=None if isinstance(recording_url, Unset) else recording_url,
        )

        info_check_call_completion_notification._nulls = nulls

        info_check_call_completion_notification.additional_properties = d
        return info_check_call_completion_notification

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
