from enum import StrEnum


class PredictiveDialerAgentStatusChangeType(StrEnum):
    AGENTSTATUS = "AgentStatus"

    def __str__(self) -> str:
        return str(self.value)
