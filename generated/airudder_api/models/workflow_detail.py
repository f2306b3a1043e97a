from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.detail_variables import DetailVariables


T = TypeVar("T", bound="WorkflowDetail")


@_attrs_define
class WorkflowDetail:
    """One recipient of a workflow task, as public code sends it.

    Attributes:
        callee (str): The number, in E.164 form (`+...`). Example: +6212312313.
        variables (DetailVariables | Unset): A recipient's variables by name, each a string or a number (`case_id`, when
            a string, is the recipient's case id in the mock).
    """

    callee: str
    variables: DetailVariables | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        callee = self.callee

        variables: dict[str, Any] | Unset = UNSET
        if not isinstance(self.variables, Unset):
            variables = self.variables.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "callee": callee,
            }
        )
        if variables is not UNSET:
            field_dict["variables"] = variables

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.detail_variables import DetailVariables  # noqa: PLC0415

        d = dict(src_dict)
        callee = d.pop("callee")

        _variables = d.pop("variables", UNSET)
        variables: DetailVariables | Unset
        if isinstance(_variables, Unset):
            variables = UNSET
        else:
            variables = DetailVariables.from_dict(_variables)

        workflow_detail = cls(
            callee=callee,
            variables=variables,
        )

        workflow_detail.additional_properties = d
        return workflow_detail

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
