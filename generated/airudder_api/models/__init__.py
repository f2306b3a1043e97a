"""Contains all the data models used in inputs/outputs"""

from .add_workflow_lists_request import AddWorkflowListsRequest
from .add_workflow_lists_response import AddWorkflowListsResponse
from .added_workflow_lists import AddedWorkflowLists
from .call_completion_notification import CallCompletionNotification
from .chatbot_session_end_notification import ChatbotSessionEndNotification
from .create_workflow_task_request import CreateWorkflowTaskRequest
from .create_workflow_task_response import CreateWorkflowTaskResponse
from .created_workflow_task import CreatedWorkflowTask
from .custom_api_node_callee import CustomApiNodeCallee
from .custom_api_node_data_push import CustomApiNodeDataPush
from .custom_api_node_data_pushed import CustomApiNodeDataPushed
from .detail_variables import DetailVariables
from .empty_object import EmptyObject
from .envelope import Envelope
from .error_envelope import ErrorEnvelope
from .info_check_call_completion_notification import InfoCheckCallCompletionNotification
from .open_object import OpenObject
from .outbound_call import OutboundCall
from .outbound_task_details_page import OutboundTaskDetailsPage
from .outbound_task_details_request import OutboundTaskDetailsRequest
from .outbound_task_details_response import OutboundTaskDetailsResponse
from .predictive_dialer_agent_status_change import PredictiveDialerAgentStatusChange
from .predictive_dialer_agent_status_change_body import (
    PredictiveDialerAgentStatusChangeBody,
)
from .predictive_dialer_agent_status_change_type import (
    PredictiveDialerAgentStatusChangeType,
)
from .predictive_dialer_contact_status_change import PredictiveDialerContactStatusChange
from .predictive_dialer_contact_status_change_body import (
    PredictiveDialerContactStatusChangeBody,
)
from .predictive_dialer_contact_status_change_type import (
    PredictiveDialerContactStatusChangeType,
)
from .predictive_dialer_task_status_change import PredictiveDialerTaskStatusChange
from .predictive_dialer_task_status_change_body import (
    PredictiveDialerTaskStatusChangeBody,
)
from .predictive_dialer_task_status_change_type import (
    PredictiveDialerTaskStatusChangeType,
)
from .query_workflow_ids_request import QueryWorkflowIdsRequest
from .query_workflow_ids_response import QueryWorkflowIdsResponse
from .token_data import TokenData
from .token_request import TokenRequest
from .token_response import TokenResponse
from .token_response_code import TokenResponseCode
from .verify_custom_api_node_data_push_request import VerifyCustomApiNodeDataPushRequest
from .verify_custom_api_node_data_push_response import (
    VerifyCustomApiNodeDataPushResponse,
)
from .waba_message_status_notification import WabaMessageStatusNotification
from .waba_recipient import WabaRecipient
from .waba_task_details import WabaTaskDetails
from .waba_task_details_response import WabaTaskDetailsResponse
from .workflow_detail import WorkflowDetail
from .workflow_id_match import WorkflowIdMatch
from .workflow_id_matches import WorkflowIdMatches
from .workflow_list_completion_notification import WorkflowListCompletionNotification
from .workflow_node_action import WorkflowNodeAction
from .workflow_node_task import WorkflowNodeTask
from .workflow_status_change_notification import WorkflowStatusChangeNotification
from .workflow_task import WorkflowTask
from .workflow_task_list_response import WorkflowTaskListResponse
from .workflow_task_page import WorkflowTaskPage

__all__ = (
    "AddedWorkflowLists",
    "AddWorkflowListsRequest",
    "AddWorkflowListsResponse",
    "CallCompletionNotification",
    "ChatbotSessionEndNotification",
    "CreatedWorkflowTask",
    "CreateWorkflowTaskRequest",
    "CreateWorkflowTaskResponse",
    "CustomApiNodeCallee",
    "CustomApiNodeDataPush",
    "CustomApiNodeDataPushed",
    "DetailVariables",
    "EmptyObject",
    "Envelope",
    "ErrorEnvelope",
    "InfoCheckCallCompletionNotification",
    "OpenObject",
    "OutboundCall",
    "OutboundTaskDetailsPage",
    "OutboundTaskDetailsRequest",
    "OutboundTaskDetailsResponse",
    "PredictiveDialerAgentStatusChange",
    "PredictiveDialerAgentStatusChangeBody",
    "PredictiveDialerAgentStatusChangeType",
    "PredictiveDialerContactStatusChange",
    "PredictiveDialerContactStatusChangeBody",
    "PredictiveDialerContactStatusChangeType",
    "PredictiveDialerTaskStatusChange",
    "PredictiveDialerTaskStatusChangeBody",
    "PredictiveDialerTaskStatusChangeType",
    "QueryWorkflowIdsRequest",
    "QueryWorkflowIdsResponse",
    "TokenData",
    "TokenRequest",
    "TokenResponse",
    "TokenResponseCode",
    "VerifyCustomApiNodeDataPushRequest",
    "VerifyCustomApiNodeDataPushResponse",
    "WabaMessageStatusNotification",
    "WabaRecipient",
    "WabaTaskDetails",
    "WabaTaskDetailsResponse",
    "WorkflowDetail",
    "WorkflowIdMatch",
    "WorkflowIdMatches",
    "WorkflowListCompletionNotification",
    "WorkflowNodeAction",
    "WorkflowNodeTask",
    "WorkflowStatusChangeNotification",
    "WorkflowTask",
    "WorkflowTaskListResponse",
    "WorkflowTaskPage",
)
