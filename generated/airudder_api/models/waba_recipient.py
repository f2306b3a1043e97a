from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="WabaRecipient")


@_attrs_define
class WabaRecipient:
    """One recipient of a WABA task. Field types come from the doc example; the docs mark none required.

    Attributes:
        comments (str | Unset):
        caseid (str | Unset):
        send_time (str | Unset): `YYYY-MM-DD hh:mm:ss` with no time zone in the example (`2024-10-22 10:11:12`).
        waba_template_name (str | Unset):
        waba_template_id (str | Unset):
        channel_id (str | Unset):
        callee (str | Unset):
        status (str | Unset): Delivery status; `wait` is the value seen.
    """

    comments: str | None = None
    caseid: str | None = None
    send_time: str | None = None
    waba_template_name: str | None = None
    waba_template_id: str | None = None
    channel_id: str | None = None
    callee: str | None = None
    status: str | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        comments_value: str | Unset = UNSET if self.comments is None else self.comments
        comments = comments_value

        caseid_value: str | Unset = UNSET if self.caseid is None else self.caseid
        caseid = caseid_value

        send_time_value: str | Unset = (
            UNSET if self.send_time is None else self.send_time
        )
        send_time = send_time_value

        waba_template_name_value: str | Unset = (
            UNSET if self.waba_template_name is None else self.waba_template_name
        )
        waba_template_name = waba_template_name_value

        waba_template_id_value: str | Unset = (
            UNSET if self.waba_template_id is None else self.waba_template_id
        )
        waba_template_id = waba_template_id_value

        channel_id_value: str | Unset = (
            UNSET if self.channel_id is None else self.channel_id
        )
        channel_id = channel_id_value

        callee_value: str | Unset = UNSET if self.callee is None else self.callee
        callee = callee_value

        status_value: str | Unset = UNSET if self.status is None else self.status
        status = status_value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if comments is not UNSET:
            field_dict["comments"] = comments
        if caseid is not UNSET:
            field_dict["caseid"] = caseid
        if send_time is not UNSET:
            field_dict["send_time"] = send_time
        if waba_template_name is not UNSET:
            field_dict["waba_template_name"] = waba_template_name
        if waba_template_id is not UNSET:
            field_dict["waba_template_id"] = waba_template_id
        if channel_id is not UNSET:
            field_dict["channel_id"] = channel_id
        if callee is not UNSET:
            field_dict["callee"] = callee
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        comments = d.pop("comments", None)

        caseid = d.pop("caseid", None)

        send_time = d.pop("send_time", None)

        waba_template_name = d.pop("waba_template_name", None)

        waba_template_id = d.pop("waba_template_id", None)

        channel_id = d.pop("channel_id", None)

        callee = d.pop("callee", None)

        status = d.pop("status", None)

        waba_recipient = cls(
            comments=comments,
            caseid=caseid,
            send_time=send_time,
            waba_template_name=waba_template_name,
            waba_template_id=waba_template_id,
            channel_id=channel_id,
            callee=callee,
            status=status,
        )

        waba_recipient.additional_properties = d
        return waba_recipient

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
