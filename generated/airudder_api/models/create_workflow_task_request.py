from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.workflow_detail import WorkflowDetail


T = TypeVar("T", bound="CreateWorkflowTaskRequest")


@_attrs_define
class CreateWorkflowTaskRequest:
    """The visible part of the body; the rest (such as the contact list) is not documented, so extra fields are accepted
    and sent as given.

        Attributes:
            workflow_template_id (int):
            name (str):
            end_time (str): The docs' description is cut: "1.When the time reachs...". Example: 2022-12-12 12:34:56+07:00.
            workflow_template_name (str | Unset):
            workflow_name (str | Unset):
            auto_finish (int | Unset): Optional; the docs give its default, 2, and show neither its allowed values nor their
                meaning (the description of end_time, cut off in the docs, begins "1.When the time reachs..."). Not documented,
                so assumed by this project's mock only: 1 finishes the task once every contact is done, any other value runs it
                until end_time. Default: 2.
            details (list[WorkflowDetail] | Unset): Recipients of the new task.
    """

    workflow_template_id: int
    name: str
    end_time: str
    workflow_template_name: str | Unset = UNSET
    workflow_name: str | Unset = UNSET
    auto_finish: int | Unset = 2
    details: list[WorkflowDetail] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        workflow_template_id = self.workflow_template_id

        name = self.name

        end_time = self.end_time

        workflow_template_name = self.workflow_template_name

        workflow_name = self.workflow_name

        auto_finish = self.auto_finish

        details: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.details, Unset):
            details = []
            for details_item_data in self.details:
                details_item = details_item_data.to_dict()
                details.append(details_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "workflow_template_id": workflow_template_id,
                "name": name,
                "end_time": end_time,
            }
        )
        if workflow_template_name is not UNSET:
            field_dict["workflow_template_name"] = workflow_template_name
        if workflow_name is not UNSET:
            field_dict["workflow_name"] = workflow_name
        if auto_finish is not UNSET:
            field_dict["auto_finish"] = auto_finish
        if details is not UNSET:
            field_dict["details"] = details

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.workflow_detail import WorkflowDetail  # noqa: PLC0415

        d = dict(src_dict)
        workflow_template_id = d.pop("workflow_template_id")

        name = d.pop("name")

        end_time = d.pop("end_time")

        workflow_template_name = d.pop("workflow_template_name", UNSET)

        workflow_name = d.pop("workflow_name", UNSET)

        auto_finish = d.pop("auto_finish", UNSET)

        _details = d.pop("details", UNSET)
        details: list[WorkflowDetail] | Unset = UNSET
        if _details is not UNSET:
            details = []
            for details_item_data in _details:
                details_item = WorkflowDetail.from_dict(details_item_data)

                details.append(details_item)

        create_workflow_task_request = cls(
            workflow_template_id=workflow_template_id,
            name=name,
            end_time=end_time,
            workflow_template_name=workflow_template_name,
            workflow_name=workflow_name,
            auto_finish=auto_finish,
            details=details,
        )

        create_workflow_task_request.additional_properties = d
        return create_workflow_task_request

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
