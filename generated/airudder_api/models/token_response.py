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

    data: TokenData | Unset = UNSET
    status: str | Unset = UNSET
    code: TokenResponseCode | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = self.data.to_dict()

        status = self.status

        code: int | Unset = UNSET
        if not isinstance(self.code, Unset):
            code = self.code.value

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

        status = d.pop("status", UNSET)

        _code = d.pop("code", UNSET)
        code: TokenResponseCode | Unset
        if isinstance(_code, Unset):
            code = UNSET
        else:
            code = TokenResponseCode(_code)

        token_response = cls(
            data=data,
            status=status,
            code=code,
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
