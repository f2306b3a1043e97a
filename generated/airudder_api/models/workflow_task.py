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

    workflow_id: str | None = None
    name: str | None = None
    template_name: str | None = None
    start_time: None | str = None
    end_time: None | str = None
    total: int | None = None
    status: str | None = None
    create_time: str | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    _nulls: set[str] = _attrs_field(init=False, factory=set, repr=False, eq=False)

    def to_dict(self) -> dict[str, Any]:
        workflow_id_value: str | Unset = (
            UNSET if self.workflow_id is None else self.workflow_id
        )
        workflow_id = workflow_id_value

        name_value: str | Unset = UNSET if self.name is None else self.name
        name = name_value

        template_name_value: str | Unset = (
            UNSET if self.template_name is None else self.template_name
        )
        template_name = template_name_value

        start_time_value: None | str | Unset = (
            UNSET
            if self.start_time is None and "start_time" not in self._nulls
            else self.start_time
        )
        start_time: None | str | Unset
        if isinstance(start_time_value, Unset):
            start_time = UNSET
        else:
            start_time = start_time_value

        end_time_value: None | str | Unset = (
            UNSET
            if self.end_time is None and "end_time" not in self._nulls
            else self.end_time
        )
        end_time: None | str | Unset
        if isinstance(end_time_value, Unset):
            end_time = UNSET
        else:
            end_time = end_time_value

        total_value: int | Unset = UNSET if self.total is None else self.total
        total = total_value

        status_value: str | Unset = UNSET if self.status is None else self.status
        status = status_value

        create_time_value: str | Unset = (
            UNSET if self.create_time is None else self.create_time
        )
        create_time = create_time_value

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
        nulls: set[str] = set()
        if d.get("start_time", UNSET) is None:
            nulls.add("start_time")
        if d.get("end_time", UNSET) is None:
            nulls.add("end_time")
        workflow_id = d.pop("workflow_id", None)

        name = d.pop("name", None)

        template_name = d.pop("template_name", None)

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

        total = d.pop("total", None)

        status = d.pop("status", None)

        create_time = d.pop("create_time", None)

        workflow_task = cls(
            workflow_id=workflow_id,
            name=name,
            template_name=template_name,
            start_time=None if isinstance(start_time, Unset) else start_time,
            end_time=None if isinstance(end_time, Unset) else end_time,
            total=total,
            status=status,
            create_time=create_time,
        )

        workflow_task._nulls = nulls

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
