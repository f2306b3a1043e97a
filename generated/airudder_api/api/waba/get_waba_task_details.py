from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.waba_task_details_response import WabaTaskDetailsResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    workflow_id: str,
    task_id: str,
    user_agent: str | Unset = "Airudder",
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(user_agent, Unset):
        headers["User-Agent"] = user_agent

    params: dict[str, Any] = {}

    params["workflow_id"] = workflow_id

    params["task_id"] = task_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/service/cloud/workflow/wabataskdetail",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | WabaTaskDetailsResponse | None:
    if response.status_code == 200:
        response_200 = WabaTaskDetailsResponse.from_dict(response.json())

        return response_200

    if 400 <= response.status_code <= 499:
        response_4xx = ErrorEnvelope.from_dict(response.json())

        return response_4xx

    if 500 <= response.status_code <= 599:
        response_5xx = ErrorEnvelope.from_dict(response.json())

        return response_5xx

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorEnvelope | WabaTaskDetailsResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    workflow_id: str,
    task_id: str,
    user_agent: str | Unset = "Airudder",
) -> Response[ErrorEnvelope | WabaTaskDetailsResponse]:
    """Obtain the WABA Task Details of Workflow

     Retrieve the list delivery status details of the WABA task based on the WABA task ID.

    Args:
        workflow_id (str):
        task_id (str):
        user_agent (str | Unset):  Default: 'Airudder'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | WabaTaskDetailsResponse]
    """

    kwargs = _get_kwargs(
        workflow_id=workflow_id,
        task_id=task_id,
        user_agent=user_agent,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    workflow_id: str,
    task_id: str,
    user_agent: str | Unset = "Airudder",
) -> ErrorEnvelope | WabaTaskDetailsResponse | None:
    """Obtain the WABA Task Details of Workflow

     Retrieve the list delivery status details of the WABA task based on the WABA task ID.

    Args:
        workflow_id (str):
        task_id (str):
        user_agent (str | Unset):  Default: 'Airudder'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | WabaTaskDetailsResponse
    """

    return sync_detailed(
        client=client,
        workflow_id=workflow_id,
        task_id=task_id,
        user_agent=user_agent,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    workflow_id: str,
    task_id: str,
    user_agent: str | Unset = "Airudder",
) -> Response[ErrorEnvelope | WabaTaskDetailsResponse]:
    """Obtain the WABA Task Details of Workflow

     Retrieve the list delivery status details of the WABA task based on the WABA task ID.

    Args:
        workflow_id (str):
        task_id (str):
        user_agent (str | Unset):  Default: 'Airudder'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | WabaTaskDetailsResponse]
    """

    kwargs = _get_kwargs(
        workflow_id=workflow_id,
        task_id=task_id,
        user_agent=user_agent,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    workflow_id: str,
    task_id: str,
    user_agent: str | Unset = "Airudder",
) -> ErrorEnvelope | WabaTaskDetailsResponse | None:
    """Obtain the WABA Task Details of Workflow

     Retrieve the list delivery status details of the WABA task based on the WABA task ID.

    Args:
        workflow_id (str):
        task_id (str):
        user_agent (str | Unset):  Default: 'Airudder'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | WabaTaskDetailsResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            workflow_id=workflow_id,
            task_id=task_id,
            user_agent=user_agent,
        )
    ).parsed
