"""The token operation, and checking the token that every other operation needs."""

from __future__ import annotations

import base64
import hmac
import secrets
from collections.abc import Callable
from typing import Any

from ...errors import BadInput
from ...repository import Repository
from ..valid_request import ValidRequest

TOKEN_LIFETIME = 24 * 3600.0


class Tokens:
    def __init__(self, repo: Repository, credentials: Callable[[], dict[str, str]]) -> None:
        self.repo, self.credentials = repo, credentials

    def get_token(self, req: ValidRequest) -> Any:
        """A token for a known APPKey/APPSecret; asking again while it is valid extends it by 24 h."""
        key, secret = req.body["APPKey"], req.body["APPSecret"]
        expected = self.credentials().get(key)
        if expected is None or not hmac.compare_digest(expected.encode(), secret.encode()):
            raise BadInput("body.APPSecret", "APPKey and APPSecret do not match a known pair", status=401)
        with self.repo.transaction():
            token = self.repo.live_token(key, req.now) or base64.b64encode(secrets.token_bytes(48)).decode()
            self.repo.save_token(token, key, req.now + TOKEN_LIFETIME)
        return {"token": token}

    def authenticate(self, authorization: str, now: float) -> None:
        """The `Authorization` header must carry a token issued and not expired."""
        scheme, _, token = authorization.partition(" ")
        if scheme != "Token" or not token:
            raise BadInput("header.Authorization", "must be `Token <token>` (from POST /service/cloud/auth)", 401)
        expires = self.repo.token_expiry(token)
        if expires is None or expires <= now:
            raise BadInput("header.Authorization", "the token is unknown or has expired", status=401)
