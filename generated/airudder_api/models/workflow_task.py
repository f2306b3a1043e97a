from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="WorkflowTask")


@_attrs_define
class WorkflowTask:
    """One workflow task. Field types come from the doc example; the docs mark none required.

    Attributes:
        workflow_id (str | Unset):
        name (str | Unset):
        template_name (str | Unset):
        start_time (None | str | Unset): `null` in the example for a task that never started.
        end_time (None | str | Unset):
        total (int | Unset):
        status (str | Unset): Values seen include `cancelled` and `finished`.
        create_time (str | Unset):
    """

    workflow_id: str | Unset = UNSET
    name: str | Unset = UNSET
    template_name: str | Unset = UNSET
    start_time: None | str | Unset = UNSET
    end_time: None | str | Unset = UNSET
    total: int | Unset = UNSET
    status: str | Unset = UNSET
    create_time: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        workflow_id = self.workflow_id

        name = self.name

        template_name = self.template_name

        start_time: None | str | Unset
        if isinstance(self.start_time, Unset):
            start_time = UNSET
        else:
            start_time = self.start_time

        end_time: None | str | Unset
        if isinstance(self.end_time, Unset):
            end_time = UNSET
        else:
            end_time = self.end_time

        total = self.total

        status = self.status

        create_time = self.create_time

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if workflow_id is not UNSET:
            field_dict["workflow_id"] = workflow_id
        if name is not UNSET:
            field_dict["name"] = name
        if template_name is not UNSET:
            field_dict["template_name"] = template_name
        if start_time is not UNSET:
            field_dict["start_time"] = start_time
        if end_time is not UNSET:
            field_dict["end_time"] = end_time
        if total is not UNSET:
            field_dict["total"] = total
        if status is not UNSET:
            field_dict["status"] = status
        if create_time is not UNSET:
            field_dict["create_time"] = create_time

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        workflow_id = d.pop("workflow_id", UNSET)

        name = d.pop("name", UNSET)

        template_name = d.pop("template_name", UNSET)

        def _parse_start_time(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        start_time = _parse_start_time(d.pop("start_time", UNSET))

        def _parse_end_time(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        end_time = _parse_end_time(d.pop("end_time", UNSET))

        total = d.pop("total", UNSET)

        status = d.pop("status", UNSET)

        create_time = d.pop("create_time", UNSET)

        workflow_task = cls(
            workflow_id=workflow_id,
            name=name,
            template_name=template_name,
            start_time=start_time,
            end_time=end_time,
            total=total,
            status=status,
            create_time=create_time,
        )

        workflow_task.additional_properties = d
        return workflow_task

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
