"""The API's token authentication (REST_FRAMEWORK settings). Kept apart from the views: DRF
imports this module while rest_framework.views itself is still loading."""

from knox.auth import TokenAuthentication
from rest_framework import exceptions


class ApiTokenAuthentication(TokenAuthentication):
    """knox's `Authorization: Token <token>` (hashed, expiring tokens), answering 401 rather than
    500 for a token that is not UTF-8 text: knox decodes the header's bytes without a guard."""

    def authenticate_credentials(self, token: bytes):
        try:
            token.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed("Invalid token.") from exc
        return super().authenticate_credentials(token)
