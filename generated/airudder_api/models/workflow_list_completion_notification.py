from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.workflow_node_task import WorkflowNodeTask


T = TypeVar("T", bound="WorkflowListCompletionNotification")


@_attrs_define
class WorkflowListCompletionNotification:
    """
    Attributes:
        workflow_id (str):
        workflow_name (str):
        case_id (str):  Example: test-caseid11.
        callee_number (str): `callee_number` here, `callee` on other pages.
        rows (list[WorkflowNodeTask]):
    """

    workflow_id: str
    workflow_name: str
    case_id: str
    callee_number: str
    rows: list[WorkflowNodeTask]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        workflow_id = self.workflow_id

        workflow_name = self.workflow_name

        case_id = self.case_id

        callee_number = self.callee_number

        rows = []
        for rows_item_data in self.rows:
            rows_item = rows_item_data.to_dict()
            rows.append(rows_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "workflow_id": workflow_id,
                "workflow_name": workflow_name,
                "case_id": case_id,
                "callee_number": callee_number,
                "rows": rows,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.workflow_node_task import WorkflowNodeTask  # noqa: PLC0415

        d = dict(src_dict)
        workflow_id = d.pop("workflow_id")

        workflow_name = d.pop("workflow_name")

        case_id = d.pop("case_id")

        callee_number = d.pop("callee_number")

        rows = []
        _rows = d.pop("rows")
        for rows_item_data in _rows:
            rows_item = WorkflowNodeTask.from_dict(rows_item_data)

            rows.append(rows_item)

        workflow_list_completion_notification = cls(
            workflow_id=workflow_id,
            workflow_name=workflow_name,
            case_id=case_id,
            callee_number=callee_number,
            rows=rows,
        )

        workflow_list_completion_notification.additional_properties = d
        return workflow_list_completion_notification

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
