from enum import StrEnum


class PredictiveDialerTaskStatusChangeType(StrEnum):
    TASKSTATUS = "TaskStatus"

    def __str__(self) -> str:
        return str(self.value)
