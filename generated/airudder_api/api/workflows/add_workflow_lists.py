from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.add_workflow_lists_request import AddWorkflowListsRequest
from ...models.add_workflow_lists_response import AddWorkflowListsResponse
from ...models.error_envelope import ErrorEnvelope
from ...types import Response, Unset


def _get_kwargs(
    *,
    body: AddWorkflowListsRequest,
    user_agent: str | Unset = "Airudder",
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(user_agent, Unset):
        headers["User-Agent"] = user_agent

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/service/cloud/workflow/uploaddetails",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AddWorkflowListsResponse | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = AddWorkflowListsResponse.from_dict(response.json())

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
) -> Response[AddWorkflowListsResponse | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: AddWorkflowListsRequest,
    user_agent: str | Unset = "Airudder",
) -> Response[AddWorkflowListsResponse | ErrorEnvelope]:
    """Add lists to an workflow task

     Appends recipients to a workflow task opened earlier by create_workflow_task. The docs do not show
    this path; public integration code calls it (see `x-doc-coverage`).

    Args:
        user_agent (str | Unset):  Default: 'Airudder'.
        body (AddWorkflowListsRequest): The body public code sends.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AddWorkflowListsResponse | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
        user_agent=user_agent,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: AddWorkflowListsRequest,
    user_agent: str | Unset = "Airudder",
) -> AddWorkflowListsResponse | ErrorEnvelope | None:
    """Add lists to an workflow task

     Appends recipients to a workflow task opened earlier by create_workflow_task. The docs do not show
    this path; public integration code calls it (see `x-doc-coverage`).

    Args:
        user_agent (str | Unset):  Default: 'Airudder'.
        body (AddWorkflowListsRequest): The body public code sends.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AddWorkflowListsResponse | ErrorEnvelope
    """

    return sync_detailed(
        client=client,
        body=body,
        user_agent=user_agent,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: AddWorkflowListsRequest,
    user_agent: str | Unset = "Airudder",
) -> Response[AddWorkflowListsResponse | ErrorEnvelope]:
    """Add lists to an workflow task

     Appends recipients to a workflow task opened earlier by create_workflow_task. The docs do not show
    this path; public integration code calls it (see `x-doc-coverage`).

    Args:
        user_agent (str | Unset):  Default: 'Airudder'.
        body (AddWorkflowListsRequest): The body public code sends.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AddWorkflowListsResponse | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
        user_agent=user_agent,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: AddWorkflowListsRequest,
    user_agent: str | Unset = "Airudder",
) -> AddWorkflowListsResponse | ErrorEnvelope | None:
    """Add lists to an workflow task

     Appends recipients to a workflow task opened earlier by create_workflow_task. The docs do not show
    this path; public integration code calls it (see `x-doc-coverage`).

    Args:
        user_agent (str | Unset):  Default: 'Airudder'.
        body (AddWorkflowListsRequest): The body public code sends.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AddWorkflowListsResponse | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            user_agent=user_agent,
        )
    ).parsed
