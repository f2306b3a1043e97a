from enum import IntEnum


class TokenResponseCode(IntEnum):
    VALUE_200 = 200
    VALUE_401 = 401
    VALUE_403 = 403
    VALUE_500 = 500

    def __str__(self) -> str:
        return str(self.value)
