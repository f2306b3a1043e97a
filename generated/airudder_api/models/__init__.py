"""Contains all the data models used in inputs/outputs"""

from .call_completion_notification import CallCompletionNotification
from .chatbot_session_end_notification import ChatbotSessionEndNotification
from .create_workflow_task_request import CreateWorkflowTaskRequest
from .custom_api_node_callee import CustomApiNodeCallee
from .custom_api_node_data_push import CustomApiNodeDataPush
from .envelope import Envelope
from .error_envelope import ErrorEnvelope
from .info_check_call_completion_notification import InfoCheckCallCompletionNotification
from .open_object import OpenObject
from .predictive_dialer_agent_status_change import PredictiveDialerAgentStatusChange
from .predictive_dialer_contact_status_change import PredictiveDialerContactStatusChange
from .predictive_dialer_task_status_change import PredictiveDialerTaskStatusChange
from .query_workflow_ids_request import QueryWorkflowIdsRequest
from .token_data import TokenData
from .token_request import TokenRequest
from .token_response import TokenResponse
from .token_response_code import TokenResponseCode
from .verify_custom_api_node_data_push_request import VerifyCustomApiNodeDataPushRequest
from .waba_message_status_notification import WabaMessageStatusNotification
from .waba_recipient import WabaRecipient
from .waba_task_details import WabaTaskDetails
from .waba_task_details_response import WabaTaskDetailsResponse
from .workflow_list_completion_notification import WorkflowListCompletionNotification
from .workflow_node_action import WorkflowNodeAction
from .workflow_node_task import WorkflowNodeTask
from .workflow_status_change_notification import WorkflowStatusChangeNotification
from .workflow_task import WorkflowTask
from .workflow_task_list_response import WorkflowTaskListResponse
from .workflow_task_page import WorkflowTaskPage

__all__ = (
    "CallCompletionNotification",
    "ChatbotSessionEndNotification",
    "CreateWorkflowTaskRequest",
    "CustomApiNodeCallee",
    "CustomApiNodeDataPush",
    "Envelope",
    "ErrorEnvelope",
    "InfoCheckCallCompletionNotification",
    "OpenObject",
    "PredictiveDialerAgentStatusChange",
    "PredictiveDialerContactStatusChange",
    "PredictiveDialerTaskStatusChange",
    "QueryWorkflowIdsRequest",
    "TokenData",
    "TokenRequest",
    "TokenResponse",
    "TokenResponseCode",
    "VerifyCustomApiNodeDataPushRequest",
    "WabaMessageStatusNotification",
    "WabaRecipient",
    "WabaTaskDetails",
    "WabaTaskDetailsResponse",
    "WorkflowListCompletionNotification",
    "WorkflowNodeAction",
    "WorkflowNodeTask",
    "WorkflowStatusChangeNotification",
    "WorkflowTask",
    "WorkflowTaskListResponse",
    "WorkflowTaskPage",
)
