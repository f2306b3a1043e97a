from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.verify_custom_api_node_data_push_request import (
    VerifyCustomApiNodeDataPushRequest,
)
from ...models.verify_custom_api_node_data_push_response import (
    VerifyCustomApiNodeDataPushResponse,
)
from ...types import Response, Unset


def _get_kwargs(
    *,
    body: VerifyCustomApiNodeDataPushRequest,
    user_agent: str | Unset = "Airudder",
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(user_agent, Unset):
        headers["User-Agent"] = user_agent

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/service/cloud/workflow/apinoticeinfo",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | VerifyCustomApiNodeDataPushResponse | None:
    if response.status_code == 200:
        response_200 = VerifyCustomApiNodeDataPushResponse.from_dict(response.json())

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
) -> Response[ErrorEnvelope | VerifyCustomApiNodeDataPushResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: VerifyCustomApiNodeDataPushRequest,
    user_agent: str | Unset = "Airudder",
) -> Response[ErrorEnvelope | VerifyCustomApiNodeDataPushResponse]:
    """Verify the Custom API Node Data Push

     Verify the Custom API node data push of one callee of a workflow (the page's own explanation of the
    call is not visible).

    Args:
        user_agent (str | Unset):  Default: 'Airudder'.
        body (VerifyCustomApiNodeDataPushRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | VerifyCustomApiNodeDataPushResponse]
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
    body: VerifyCustomApiNodeDataPushRequest,
    user_agent: str | Unset = "Airudder",
) -> ErrorEnvelope | VerifyCustomApiNodeDataPushResponse | None:
    """Verify the Custom API Node Data Push

     Verify the Custom API node data push of one callee of a workflow (the page's own explanation of the
    call is not visible).

    Args:
        user_agent (str | Unset):  Default: 'Airudder'.
        body (VerifyCustomApiNodeDataPushRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | VerifyCustomApiNodeDataPushResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        user_agent=user_agent,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: VerifyCustomApiNodeDataPushRequest,
    user_agent: str | Unset = "Airudder",
) -> Response[ErrorEnvelope | VerifyCustomApiNodeDataPushResponse]:
    """Verify the Custom API Node Data Push

     Verify the Custom API node data push of one callee of a workflow (the page's own explanation of the
    call is not visible).

    Args:
        user_agent (str | Unset):  Default: 'Airudder'.
        body (VerifyCustomApiNodeDataPushRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | VerifyCustomApiNodeDataPushResponse]
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
    body: VerifyCustomApiNodeDataPushRequest,
    user_agent: str | Unset = "Airudder",
) -> ErrorEnvelope | VerifyCustomApiNodeDataPushResponse | None:
    """Verify the Custom API Node Data Push

     Verify the Custom API node data push of one callee of a workflow (the page's own explanation of the
    call is not visible).

    Args:
        user_agent (str | Unset):  Default: 'Airudder'.
        body (VerifyCustomApiNodeDataPushRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | VerifyCustomApiNodeDataPushResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            user_agent=user_agent,
        )
    ).parsed
