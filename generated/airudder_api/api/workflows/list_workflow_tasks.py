from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.workflow_task_list_response import WorkflowTaskListResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    page: int | Unset = 1,
    size: int | Unset = 20,
    start_time: str | Unset = UNSET,
    end_time: str | Unset = UNSET,
    user_agent: str | Unset = "Airudder",
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(user_agent, Unset):
        headers["User-Agent"] = user_agent

    params: dict[str, Any] = {}

    params["page"] = page

    params["size"] = size

    params["start_time"] = start_time

    params["end_time"] = end_time

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/service/cloud/workflow/instancelist",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | WorkflowTaskListResponse | None:
    if response.status_code == 200:
        response_200 = WorkflowTaskListResponse.from_dict(response.json())

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
) -> Response[ErrorEnvelope | WorkflowTaskListResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    size: int | Unset = 20,
    start_time: str | Unset = UNSET,
    end_time: str | Unset = UNSET,
    user_agent: str | Unset = "Airudder",
) -> Response[ErrorEnvelope | WorkflowTaskListResponse]:
    """Obtain the Workflow Task List

     Obtains a list of workflow tasks, in reverse order of creation time.

    Args:
        page (int | Unset):  Default: 1.
        size (int | Unset):  Default: 20.
        start_time (str | Unset): A time as the docs write it, `2022-12-12 12:34:56+07:00` (the
            format the task list page gives) or `2022-09-27T07:58:31Z` (its examples). Example:
            2022-12-12 12:34:56+07:00.
        end_time (str | Unset): A time as the docs write it, `2022-12-12 12:34:56+07:00` (the
            format the task list page gives) or `2022-09-27T07:58:31Z` (its examples). Example:
            2022-12-12 12:34:56+07:00.
        user_agent (str | Unset):  Default: 'Airudder'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | WorkflowTaskListResponse]
    """

    kwargs = _get_kwargs(
        page=page,
        size=size,
        start_time=start_time,
        end_time=end_time,
        user_agent=user_agent,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    size: int | Unset = 20,
    start_time: str | Unset = UNSET,
    end_time: str | Unset = UNSET,
    user_agent: str | Unset = "Airudder",
) -> ErrorEnvelope | WorkflowTaskListResponse | None:
    """Obtain the Workflow Task List

     Obtains a list of workflow tasks, in reverse order of creation time.

    Args:
        page (int | Unset):  Default: 1.
        size (int | Unset):  Default: 20.
        start_time (str | Unset): A time as the docs write it, `2022-12-12 12:34:56+07:00` (the
            format the task list page gives) or `2022-09-27T07:58:31Z` (its examples). Example:
            2022-12-12 12:34:56+07:00.
        end_time (str | Unset): A time as the docs write it, `2022-12-12 12:34:56+07:00` (the
            format the task list page gives) or `2022-09-27T07:58:31Z` (its examples). Example:
            2022-12-12 12:34:56+07:00.
        user_agent (str | Unset):  Default: 'Airudder'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | WorkflowTaskListResponse
    """

    return sync_detailed(
        client=client,
        page=page,
        size=size,
        start_time=start_time,
        end_time=end_time,
        user_agent=user_agent,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    size: int | Unset = 20,
    start_time: str | Unset = UNSET,
    end_time: str | Unset = UNSET,
    user_agent: str | Unset = "Airudder",
) -> Response[ErrorEnvelope | WorkflowTaskListResponse]:
    """Obtain the Workflow Task List

     Obtains a list of workflow tasks, in reverse order of creation time.

    Args:
        page (int | Unset):  Default: 1.
        size (int | Unset):  Default: 20.
        start_time (str | Unset): A time as the docs write it, `2022-12-12 12:34:56+07:00` (the
            format the task list page gives) or `2022-09-27T07:58:31Z` (its examples). Example:
            2022-12-12 12:34:56+07:00.
        end_time (str | Unset): A time as the docs write it, `2022-12-12 12:34:56+07:00` (the
            format the task list page gives) or `2022-09-27T07:58:31Z` (its examples). Example:
            2022-12-12 12:34:56+07:00.
        user_agent (str | Unset):  Default: 'Airudder'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | WorkflowTaskListResponse]
    """

    kwargs = _get_kwargs(
        page=page,
        size=size,
        start_time=start_time,
        end_time=end_time,
        user_agent=user_agent,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    size: int | Unset = 20,
    start_time: str | Unset = UNSET,
    end_time: str | Unset = UNSET,
    user_agent: str | Unset = "Airudder",
) -> ErrorEnvelope | WorkflowTaskListResponse | None:
    """Obtain the Workflow Task List

     Obtains a list of workflow tasks, in reverse order of creation time.

    Args:
        page (int | Unset):  Default: 1.
        size (int | Unset):  Default: 20.
        start_time (str | Unset): A time as the docs write it, `2022-12-12 12:34:56+07:00` (the
            format the task list page gives) or `2022-09-27T07:58:31Z` (its examples). Example:
            2022-12-12 12:34:56+07:00.
        end_time (str | Unset): A time as the docs write it, `2022-12-12 12:34:56+07:00` (the
            format the task list page gives) or `2022-09-27T07:58:31Z` (its examples). Example:
            2022-12-12 12:34:56+07:00.
        user_agent (str | Unset):  Default: 'Airudder'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | WorkflowTaskListResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            page=page,
            size=size,
            start_time=start_time,
            end_time=end_time,
            user_agent=user_agent,
        )
    ).parsed
