from enum import StrEnum


class PredictiveDialerContactStatusChangeType(StrEnum):
    CONTACTSTATUS = "ContactStatus"

    def __str__(self) -> str:
        return str(self.value)
