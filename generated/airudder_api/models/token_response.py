from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.token_response_code import TokenResponseCode
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.token_data import TokenData


T = TypeVar("T", bound="TokenResponse")


@_attrs_define
class TokenResponse:
    """
    Attributes:
        data (TokenData | Unset):
        status (str | Unset):
        code (TokenResponseCode | Unset): The page lists these allowed values.
    """

    data: TokenData | None = None
    status: str | None = None
    code: TokenResponseCode | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data_value: TokenData | Unset = UNSET if self.data is None else self.data
        data: dict[str, Any] | Unset = UNSET
        if not isinstance(data_value, Unset):
            data = data_value.to_dict()

        status_value: str | Unset = UNSET if self.status is None else self.status
        status = status_value

        code_value: TokenResponseCode | Unset = (
            UNSET if self.code is None else self.code
        )
        code: int | Unset = UNSET
        if not isinstance(code_value, Unset):
            code = code_value.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if data is not UNSET:
            field_dict["data"] = data
        if status is not UNSET:
            field_dict["status"] = status
        if code is not UNSET:
            field_dict["code"] = code

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.token_data import TokenData  # noqa: PLC0415

        d = dict(src_dict)
        _data = d.pop("data", UNSET)
        data: TokenData | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = TokenData.from_dict(_data)

        status = d.pop("status", None)

        _code = d.pop("code", UNSET)
        code: TokenResponseCode | Unset
        if isinstance(_code, Unset):
            code = UNSET
        else:
            code = TokenResponseCode(_code)

        token_response = cls(
            data=None if isinstance(data, Unset) else data,
            status=status,
            code=None if isinstance(code, Unset) else code,
        )

        token_response.additional_properties = d
        return token_response

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
